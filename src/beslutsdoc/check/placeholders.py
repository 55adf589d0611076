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
