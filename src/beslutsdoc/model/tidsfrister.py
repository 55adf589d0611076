"""Time limits of the minutes: the appeal period and the announcement's dates.

Kommunallagen 13 kap. 5 §: an appeal must reach the court within three weeks of the
day the justering was announced on the notice board. 8 kap. 12 §: the announcement
stays until that time has run out. Lag (1930:173) om beräkning av lagstadgad tid: a
period that ends on a Saturday, a Sunday, a public holiday, midsommarafton, julafton
or nyårsafton ends on the next weekday instead.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

APPEAL = timedelta(weeks=3)


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the computus's own name)
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@cache
def days_off(year: int) -> frozenset[date]:
    """The weekdays on which a period cannot end (weekends aside)."""
    easter = _easter(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return frozenset(
        {
            date(year, 1, 1),  # nyårsdagen
            date(year, 1, 6),  # trettondedag jul
            easter - timedelta(days=2),  # långfredagen
            easter + timedelta(days=1),  # annandag påsk
            date(year, 5, 1),
            easter + timedelta(days=39),  # Kristi himmelsfärds dag
            date(year, 6, 6),  # nationaldagen
            midsummer_eve,
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def period_end(day: date) -> date:
    """The day a period that would end on `day` really ends."""
    while day.weekday() >= 5 or day in days_off(day.year):
        day += timedelta(days=1)
    return day


def appeal_ends(posted: date) -> date:
    """The last day to appeal a decision whose justering was announced on `posted`."""
    return period_end(posted + APPEAL)


def taken_down(posted: date) -> date:
    """The first day the announcement may come down: after the appeal period."""
    return appeal_ends(posted) + timedelta(days=1)
