"""The appeal period and the announcement's dates."""

from __future__ import annotations

from datetime import date

import pytest

from beslutsdoc.model.tidsfrister import appeal_ends, taken_down


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
