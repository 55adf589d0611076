"""Easter where mutation testing found the computus untested (tools/mutation.md): the
years in which a changed constant of the formula gives another date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from beslutsdoc.model.tidsfrister import _easter, appeal_ends


@pytest.mark.parametrize(
    "easter",
    [
        date(1700, 4, 11),
        date(1707, 4, 24),
        date(1859, 4, 24),
        date(1886, 4, 25),  # the latest possible
        date(1904, 4, 3),
        date(1915, 4, 4),
        date(1934, 4, 1),
        date(1954, 4, 18),  # the years in which the formula's correction (m) is 1
        date(1981, 4, 19),
        date(2049, 4, 18),
        date(2076, 4, 19),
        date(3165, 4, 18),
    ],
    ids=str,
)
def test_easter_in_the_years_where_the_formula_is_easy_to_get_wrong(easter: date) -> None:
    assert _easter(easter.year) == easter


def test_easter_is_always_a_sunday_from_22_march_to_25_april() -> None:
    for year in range(1583, 4100):
        easter = _easter(year)
        assert easter.weekday() == 6, year
        assert date(year, 3, 22) <= easter <= date(year, 4, 25), year


def test_annandag_pask_moves_the_end_in_a_year_when_easter_is_late() -> None:
    # 2049: Easter 18 April, so annandag påsk is Monday 19 April; a period posted three
    # weeks before ends on the Tuesday.
    posted = date(2049, 4, 19) - timedelta(weeks=3)
    assert appeal_ends(posted) == date(2049, 4, 20)
