"""Problems with the input, reported as `FIL:RAD:KOLUMN: fält.sökväg: meddelande`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A path to a value inside a paper: keys and list indices, as in the YAML.
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Position:
    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def format_path(path: FieldPath) -> str:
    """`("avsnitt", 2, "rubrik")` → `avsnitt[2].rubrik`, the way a user reads it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    message: str
    position: Position | None = None
    path: FieldPath = ()
    file: Path | None = None

    def __str__(self) -> str:
        where = str(self.position) if self.position else (str(self.file) if self.file else "")
        field = format_path(self.path)
        parts = [p for p in (where, field) if p]
        return ": ".join([*parts, self.message])


class InputError(Exception):
    """The input is wrong: one or more problems, all reported at once (exit status 1)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)

    @classmethod
    def collect(cls, groups: Iterable[Sequence[Problem]]) -> InputError | None:
        problems = [p for group in groups for p in group]
        return cls(problems) if problems else None


class TemplateError(Exception):
    """A Word template is broken or asks for something that does not exist (exit status 1)."""


class ToolError(Exception):
    """An outside tool (LibreOffice) is missing or failed (exit status 1)."""
