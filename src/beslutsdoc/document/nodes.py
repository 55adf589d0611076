"""The blocks and inlines of a paper, in the manner of pandoc's AST.

Each node is immutable data. Nothing here knows about Word: a writer decides what a
heading or a kept-together table becomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Span:
    """Running text with its formatting; with `link`, a hyperlink to that address."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Note:
    """A footnote: its mark stands here, its blocks at the foot of the page."""

    blocks: tuple[Block, ...]


Inline = Span | Note


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. `keep_with_next` keeps it on the page of what follows (a label
    before a list, a signature line before the name)."""

    content: tuple[Inline, ...] = ()
    quote: bool = False
    keep_with_next: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading of `level` 1–6; it always stays with what follows."""

    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its first paragraph carries the number or bullet."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class OrderedList:
    """A list numbered from `start`: every list counts from its own start."""

    items: tuple[ListItem, ...]
    start: int = 1


#: A table cell: its blocks (running text is one paragraph).
Cell = tuple["Block", ...]
Align = Literal["", "left", "center", "right"]


@dataclass(frozen=True)
class Table:
    """A table. With `header`, the first row is the header row (repeated on each page,
    never alone at a page foot). `fills` shades cells (hex colours), `shares` splits the
    width between the columns. `keep_together` keeps a small table on one page (and,
    with `keep_with_next`, with what follows); `small` sets many columns in small type."""

    rows: tuple[tuple[Cell, ...], ...]
    header: bool = False
    aligns: tuple[Align, ...] = ()
    fills: tuple[tuple[str | None, ...], ...] | None = None
    shares: tuple[float, ...] | None = None
    keep_together: bool = False
    keep_with_next: bool = False
    small: bool = False

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class Landscape:
    """Blocks on landscape pages (a wide table), with the heading just before them."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Contents:
    """A table of contents of the headings after it, with their page numbers."""


@dataclass(frozen=True)
class Secret:
    """Blocks that are secret under the law named by `ground` (”26 kap. 1 § OSL”):
    marked as such in the original, replaced by a line naming the ground in the public
    copy. `kind` says what was left out (”utredningen”, ”bilagan”)."""

    ground: str
    blocks: tuple[Block, ...]
    kind: str = "texten"


Block = Paragraph | Heading | BulletList | OrderedList | Table | Landscape | Contents | Secret
