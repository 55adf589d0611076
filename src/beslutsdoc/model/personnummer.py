"""Personnummer and samordningsnummer in running text, in every form they are written.

YYYYMMDD-NNNN, YYMMDD-NNNN, with ”+” (over a hundred years old), a space or nothing
between date and number; a samordningsnummer has the day plus 60. A real one has a
valid date and the Luhn check digit, which is what tells it from a phone number, a Dnr,
an organisationsnummer or an amount (lag 2018:218 3 kap. 10 §: published only when
clearly justified).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Not part of a longer number, a Dnr (”2020:548”, ”2023/553-1”) or a decimal: the digits
# stand alone.
_FOUND = re.compile(
    r"(?<![\d:/.,\-+])(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+\u2011 ]?)(?P<last>\d{4})(?![\d]|[-\u2011]\d)"
)
#: Six digits in a row (the date of every match): a scan in C that most texts fail.
_DATE_DIGITS = re.compile(r"\d{6}")


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _valid(match: re.Match[str]) -> bool:
    month, day = int(match["mm"]), int(match["dd"])
    day = day - 60 if day > 60 else day  # samordningsnummer
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if match["sep"] == " " and match["century"]:
        return False  # ”2021 0126 1234”-like groups are not how a personnummer is written
    return luhn(match["yy"] + match["mm"] + match["dd"] + match["last"])


def personnummer_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each personnummer or samordningsnummer in `text`."""
    if not _DATE_DIGITS.search(text):
        return  # the common case: no date of six digits, so no personnummer
    for match in _FOUND.finditer(text):
        if _valid(match):
            yield match.start(), match.group()
