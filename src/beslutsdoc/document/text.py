"""Text the Swedish way: dates and numbers (babel, sv_SE), legal citations kept together."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
NBSP = "\u00a0"
NON_BREAKING_HYPHEN = "\u2011"


def long_date(value: date | str) -> str:
    """`2023-11-07` → `7 november 2023` (write ”den” before it in prose)."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return str(format_date(day, "d MMMM y", locale=LOCALE)).replace(" ", NBSP, 1)
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"långt_datum behöver ett datum, inte ”{value}”") from None


def number(value: Any, decimals: int | None = None) -> str:
    """`1127386` → `1 127 386` with a non-breaking space; `2.8` → `2,8`; a real minus sign."""
    try:
        amount = Decimal(str(value).replace(" ", "").replace(NBSP, "").replace(",", "."))
    except ArithmeticError:
        raise ValueError(f"”{value}” är inget tal") from None
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "" if decimals == 0 else ".###")
    text = str(format_decimal(amount, format=pattern, locale=LOCALE))
    return text.replace("\u202f", NBSP).replace("-", "\u2212")


def kronor(value: Any) -> str:
    """`1127386` → `1 127 386 kr`."""
    return f"{number(value, 0)}{NBSP}kr"


# "2 kap. 1 §", "6 kap. 6-7 a §§ SoL", "§ 18": the number and its sign stay on one line.
_LEGAL = re.compile(r"(\d+(?:\s?[a-z])?) (kap\.|§§?)|(§§?) (\d)")


# A hyphen between digits is part of a number, a date or a reference (”2021-01-26”,
# ”3.5.1-52009/2020-1”, ”212000-2882”): never a place to break the line.
_NUMBER_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")


def keep_legal_together(text: str) -> str:
    """Legal citations and numbers kept on one line."""
    if "-" in text:
        text = _NUMBER_HYPHEN.sub(NON_BREAKING_HYPHEN, text)
    if "§" not in text and "kap." not in text:
        return text
    return _LEGAL.sub(lambda m: f"{m[1]}{NBSP}{m[2]}" if m[1] else f"{m[3]}{NBSP}{m[4]}", text)


def unbreakable(text: str) -> str:
    """A reference number that never breaks at the end of a line (”SOF 2023/553-1”,
    ”BMN / 2025-123”): non-breaking spaces and hyphens."""
    return text.replace(" ", NBSP).replace("-", NON_BREAKING_HYPHEN)
