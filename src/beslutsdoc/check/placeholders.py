"""Text that still holds a placeholder must never reach a board."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from beslutsdoc.problems import FieldPath

# Each kind of placeholder: text without which it cannot be there (checked first, which
# keeps long texts fast), its pattern, and what may not stand right before and after it
# (so "Exxon" or a URL's path is not taken for one).
_KINDS: list[tuple[tuple[str, ...], re.Pattern[str], str, str]] = [
    # "utbildats i xx", "xxx kommuns", "år 20XX", "KS 2023/xx": x:es not inside a word.
    (("xx",), re.compile(r"[xX]{2,}"), r"[^\W\d_]", r"[^\W\d_]"),
    (("[",), re.compile(r"\[\s*(?:\.\.\.|…)\s*\]"), "", ""),  # "[...]"
    (("todo", "fixme"), re.compile(r"TODO|FIXME", re.IGNORECASE), r"\w", r"\w"),
    # Merge fields left as text: "/HandläggareMobilTelefon/", "«Namn»".
    (("/",), re.compile(r"/[A-ZÅÄÖ][a-zåäö]+(?:[A-ZÅÄÖ][a-zåäö]+)+/"), r"[\w:/.]", r"\w"),
    (("«",), re.compile(r"«[^«»\n]{1,40}»"), "", ""),
]


def placeholders_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, found text) of each placeholder in `text`."""
    lower = text.lower()
    for clues, pattern, before, after in _KINDS:
        if not any(clue in lower for clue in clues):  # most text has none: skip the scan
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if before and start and re.match(before, text[start - 1]):
                continue
            if after and end < len(text) and re.match(after, text[end]):
                continue
            yield start, match.group()


def strings(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every string in plain data, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def find_placeholders(data: Any) -> Iterator[tuple[FieldPath, int, str]]:
    """(path, offset, found text) for each placeholder in the data's strings."""
    for path, text in strings(data):
        for offset, found in sorted(placeholders_in(text)):
            yield path, offset, found


# A personnummer or samordningsnummer: (ÅÅ)ÅÅMMDD-NNNN with a valid date and check digit.
_PERSONNUMMER = re.compile(r"(?<![\d-])(?:\d{2})?(\d{2})(\d{2})(\d{2})[-+](\d{4})(?![\d-])")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def personnummer_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, found text) of what looks like a personnummer: published papers must not
    carry them (offentlighets- och sekretesslagen)."""
    for sign in "-+":
        # Only around a sign with six digits before and four after: found with str.find,
        # since a regex scan of every long text costs more than all other checks.
        at = text.find(sign)
        while at != -1:
            if at >= 6 and text[at - 6 : at].isdigit() and text[at + 1 : at + 5].isdigit():
                match = _PERSONNUMMER.search(text, max(0, at - 8), at + 6)
                if match and _valid(match):
                    yield match.start(), match.group()
            at = text.find(sign, at + 1)


def _valid(match: re.Match[str]) -> bool:
    year, month, day, last = match.groups()
    days = int(day) - 60 if int(day) > 60 else int(day)  # samordningsnummer: day + 60
    return 1 <= int(month) <= 12 and 1 <= days <= 31 and _luhn(year + month + day + last)


_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_DEF = re.compile(r"^\s*\[\^([^\]\s]+)\]:", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def markdown_problems(text: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for text-format mistakes that would print as written: a
    footnote without its text, an image (the text format has none)."""
    if "[" not in text:
        return
    defined = set(_NOTE_DEF.findall(text))
    for match in _NOTE_REF.finditer(text):
        if match[1] not in defined:
            yield (
                match.start(),
                (f"fotnoten [^{match[1]}] saknar sin text; skriv [^{match[1]}]: ... i samma text"),
            )
    for match in _IMAGE.finditer(text):
        yield match.start(), "bilder kan inte stå i texten; lägg bilden i en bilaga"
