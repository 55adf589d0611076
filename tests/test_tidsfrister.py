"""The appeal period and the announcement's dates."""

from __future__ import annotations

from datetime import date

import pytest

from beslutsdoc.model.tidsfrister import _easter, appeal_ends, days_off, period_end, taken_down


@pytest.mark.parametrize(
    ("posted", "last_day"),
    [
        (date(2021, 2, 2), date(2021, 2, 23)),  # three weeks, a Tuesday
        (date(2023, 12, 12), date(2024, 1, 2)),
        (date(2024, 5, 19), date(2024, 6, 10)),  # ends on a Sunday: Monday
        (date(2025, 3, 29), date(2025, 4, 22)),  # påskafton, påskdagen, annandag påsk
        (date(2024, 6, 1), date(2024, 6, 24)),  # midsommardagen: the Monday after
        (date(2023, 12, 3), date(2023, 12, 27)),  # julafton (a Sunday), juldagen, annandag jul
        (date(2024, 4, 18), date(2024, 5, 10)),  # Kristi himmelsfärds dag, 9 May 2024
    ],
)
def test_appeal_period(posted: date, last_day: date) -> None:
    assert appeal_ends(posted) == last_day
    assert taken_down(posted) == date.fromordinal(last_day.toordinal() + 1)


@pytest.mark.parametrize(
    ("posted", "last_day"),
    [
        (date(2024, 5, 31), date(2024, 6, 24)),  # midsommarafton, a Friday: the Monday after
        (date(2025, 5, 30), date(2025, 6, 23)),  # midsommarafton 20 June 2025
        (date(2024, 12, 10), date(2025, 1, 2)),  # nyårsafton, then nyårsdagen
        (date(2024, 12, 16), date(2025, 1, 7)),  # trettondedag jul, a Monday
        (date(2025, 5, 16), date(2025, 6, 9)),  # nationaldagen, a Friday
        (date(2025, 4, 10), date(2025, 5, 2)),  # första maj, a Thursday
        (date(2024, 3, 11), date(2024, 4, 2)),  # annandag påsk alone
        (date(2024, 3, 8), date(2024, 4, 2)),  # långfredagen, then the Easter weekend
        (date(2024, 12, 3), date(2024, 12, 27)),  # julafton, juldagen, annandag jul
        (date(2025, 1, 21), date(2025, 2, 11)),  # no holiday: three weeks to the day
    ],
)
def test_a_period_ending_on_a_holiday_ends_on_the_next_weekday(
    posted: date, last_day: date
) -> None:
    assert appeal_ends(posted) == last_day


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),  # the earliest possible
        (1943, date(1943, 4, 25)),  # the latest possible
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_falls_where_the_calendar_has_it(year: int, easter: date) -> None:
    assert _easter(year) == easter


def test_the_days_a_period_cannot_end_on_in_2026() -> None:
    assert sorted(days_off(2026)) == [
        date(2026, 1, 1),  # nyårsdagen
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 4, 3),  # långfredagen
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 1),
        date(2026, 5, 14),  # Kristi himmelsfärds dag
        date(2026, 6, 6),  # nationaldagen
        date(2026, 6, 19),  # midsommarafton
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),
    ]


@pytest.mark.parametrize("year", range(2020, 2032))
def test_midsommarafton_is_the_friday_between_19_and_25_june(year: int) -> None:
    [eve] = [d for d in days_off(year) if d.month == 6 and d.day != 6]
    assert eve.weekday() == 4 and 19 <= eve.day <= 25


def test_a_weekend_day_is_never_the_last() -> None:
    for offset in range(400):
        day = period_end(date.fromordinal(date(2024, 1, 1).toordinal() + offset))
        assert day.weekday() < 5 and day not in days_off(day.year)
