"""A validated paper and where its values came from: what every later stage reads.

Loading (YAML → data → model) fills these; the checks, the renderers and the public
API read them, so none of them needs the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from beslutsdoc.model.profil import PROFILE_RENAMES
from beslutsdoc.problems import FieldPath, Position, Problem


@dataclass
class Source:
    """A loaded YAML file: its data, and the position of each value and key."""

    file: Path
    data: Any
    values: dict[FieldPath, Position] = field(default_factory=dict)
    keys: dict[FieldPath, Position] = field(default_factory=dict)
    #: For `|` block scalars: the first content line, so a problem inside long text can
    #: point at its own line.
    blocks: dict[FieldPath, int] = field(default_factory=dict)
    #: For plain one-line scalars: their first column, for the same purpose.
    plain: dict[FieldPath, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def position(self, path: FieldPath, *, key: bool = False) -> Position | None:
        """Where `path` stands, or its nearest ancestor that does."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            found = table.get(path[:cut]) or self.values.get(path[:cut])
            if found:
                return found
        return None

    def position_in_text(self, path: FieldPath, offset: int) -> Position | None:
        """The position of character `offset` of a block scalar's value."""
        if path in self.plain:
            at = self.values[path]
            return Position(self.file, at.line, self.plain[path] + offset)
        start = self.blocks.get(path)
        value = self._value_at(path)
        if start is None or not isinstance(value, str):
            return self.position(path)
        line_index = value.count("\n", 0, offset)
        line_no = start + line_index
        text = self.lines[line_no - 1] if 0 < line_no <= len(self.lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        column_in_line = offset - (value.rfind("\n", 0, offset) + 1)
        return Position(self.file, line_no, indent + column_in_line + 1)

    def _value_at(self, path: FieldPath) -> Any:
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[M]):
    """A validated paper, with the sources that gave its values (for later checks)."""

    model: M
    file: Path
    paper: Source
    profile: Source | None
    #: Papers this one refers to, loaded with it (a follow-up's plan), by their key.
    linked: dict[str, Loaded[Any]] = field(default_factory=dict)

    def source_for(self, path: FieldPath) -> tuple[Source, FieldPath]:
        if not path or not self.profile or path[0] in self.paper.data:
            return self.paper, path
        head = str(path[0])
        if head in PROFILE_RENAMES:  # the paper's own key, which the profile uses otherwise
            return self.paper, path
        renamed = {v: k for k, v in PROFILE_RENAMES.items()}.get(head, head)
        if renamed in self.profile.data:
            return self.profile, (renamed, *path[1:])
        return self.paper, path

    def position(self, path: FieldPath, *, key: bool = False) -> Position | None:
        source, local = self.source_for(path)
        return source.position(local, key=key)

    def problem(
        self, path: FieldPath, message: str, *, key: bool = False, offset: int | None = None
    ) -> Problem:
        """A problem at `path`; with `offset`, at that character of a long text."""
        source, local = self.source_for(path)
        if offset is not None:
            position = source.position_in_text(local, offset)
        else:
            position = source.position(local, key=key)
        return Problem(message, position, path, source.file)
