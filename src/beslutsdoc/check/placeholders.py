"""Text that still holds a placeholder must never reach a board."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from beslutsdoc.problems import FieldPath

# "xx"/"XXX" as words ("utbildats i xx", "xxx kommuns"), "[...]", "TODO", and
# Word merge fields left as text ("/HandläggareMobilTelefon/", "«Namn»").
PLACEHOLDER = re.compile(
    r"(?<![\w/])[xX]{2,}(?![\w/])"
    r"|\[\s*(?:\.\.\.|…)\s*\]"
    r"|\bTODO\b|\bFIXME\b"
    r"|(?<![\w:/.])/[A-ZÅÄÖ][a-zåäö]+(?:[A-ZÅÄÖ][a-zåäö]+)+/(?!\w)"
    r"|«[^«»\n]{1,40}»"
)


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
        for match in PLACEHOLDER.finditer(text):
            yield path, match.start(), match.group()
