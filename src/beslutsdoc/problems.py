"""Problems with the input, reported as `FIL:RAD:KOLUMN: fält.sökväg: meddelande`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
    #: How many more problems with the same message on the same line this one stands
    #: for (they are told once, with their number).
    repeats: int = 0

    @property
    def line(self) -> int | None:
        """The line it is on, from 1 (None when it has no place in a file)."""
        return self.position.line if self.position else None

    @property
    def column(self) -> int | None:
        """The column it is at, from 1."""
        return self.position.column if self.position else None

    @property
    def field(self) -> str:
        """The field as a user reads it: `avsnitt[2].rubrik` ("" for the whole file)."""
        return format_path(self.path)

    def __str__(self) -> str:
        where = str(self.position) if self.position else (str(self.file) if self.file else "")
        field = format_path(self.path)
        parts = [p for p in (where, field) if p]
        text = ": ".join([*parts, self.message])
        if self.repeats:
            text += f" (… och {_number(self.repeats)} fel till av samma slag)"
        return text


@dataclass(frozen=True)
class Omitted(Problem):
    """Stands for the problems beyond MAX_PROBLEMS, which are not listed."""

    def __str__(self) -> str:
        return f"… och {_number(self.repeats)} fel till (de första {MAX_PROBLEMS} visas)"


#: More problems than this are counted, not listed: a hundred lines are enough to see
#: what is wrong, and a broken file can give hundreds of thousands.
MAX_PROBLEMS = 100


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def summarize(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per message and line (with the count of the others), at most
    MAX_PROBLEMS of them and then one Omitted with the count of the rest. Summarizing a
    summary changes nothing, so errors collected from several files can be joined."""
    kept: dict[tuple[object, ...], Problem] = {}
    more: dict[tuple[object, ...], int] = {}
    omitted = 0
    for problem in problems:
        if isinstance(problem, Omitted):
            omitted += problem.repeats
            continue
        kind = _kind(problem)
        if kind in kept:
            more[kind] = more.get(kind, 0) + problem.repeats + 1
        else:
            kept[kind] = problem
    listed = [
        replace(p, repeats=p.repeats + more[kind]) if kind in more else p
        for kind, p in kept.items()
    ]
    omitted += sum(1 + p.repeats for p in listed[MAX_PROBLEMS:])
    listed = listed[:MAX_PROBLEMS]
    return [*listed, Omitted("", repeats=omitted)] if omitted else listed


def _kind(problem: Problem) -> tuple[object, ...]:
    if problem.position is None:
        return (id(problem),)
    # The same message for items of one list ([0], [1], ...), not for two fields.
    shape = tuple(-1 if isinstance(part, int) else part for part in problem.path)
    return (problem.position.file, problem.position.line, shape, problem.message)


class InputError(Exception):
    """The input is wrong: one or more problems, all reported at once (exit status 1).

    `problems` is summarized: a problem repeated on one line is listed once with its
    count, and beyond MAX_PROBLEMS the rest are counted in a final Omitted.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = summarize(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def collect(cls, groups: Iterable[Sequence[Problem]]) -> InputError | None:
        problems = [p for group in groups for p in group]
        return cls(problems) if problems else None


class TemplateError(Exception):
    """A Word template is broken or asks for something that does not exist (exit status 1)."""


class ToolError(Exception):
    """An outside tool (LibreOffice) is missing or failed (exit status 1)."""
