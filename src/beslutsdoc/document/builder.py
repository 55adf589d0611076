"""Building blocks the way a paper is written: paragraph, heading, list, table.

A paper type's builder and the Markdown reader say what comes next; the Builder
collects it as document nodes. Content that builds itself (a decision list, a risk
table) is anything with `build(out)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from beslutsdoc.document.nodes import (
    Align,
    Block,
    BulletList,
    Cell,
    Contents,
    Heading,
    Inline,
    Landscape,
    ListItem,
    OrderedList,
    Paragraph,
    Secret,
    Span,
    Table,
)
from beslutsdoc.document.text import keep_legal_together


class Content(Protocol):
    """What a block variable of a template holds: it builds its own blocks."""

    def build(self, out: Builder) -> None: ...


#: A table cell as a builder gives it: running text, or content of its own.
CellContent = Sequence[Inline] | Content


def blocks_of(content: Content) -> tuple[Block, ...]:
    out = Builder()
    content.build(out)
    return tuple(out.blocks)


class Builder:
    """Collects the blocks of one piece of content, in order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def paragraph(
        self, inlines: Sequence[Inline] = (), *, keep_next: bool = False, quote: bool = False
    ) -> None:
        self.add(Paragraph(tuple(inlines), quote=quote, keep_with_next=keep_next))

    def text(
        self, text: str, *, bold: bool = False, italic: bool = False, keep_next: bool = False
    ) -> None:
        """A paragraph of one span."""
        self.paragraph([Span(text, bold, italic)], keep_next=keep_next)

    def heading(self, level: int, text: str | Sequence[Inline]) -> None:
        # Typed headings keep citations and numbers on one line, as text from Markdown does.
        content = (Span(keep_legal_together(text)),) if isinstance(text, str) else tuple(text)
        self.add(Heading(level, content))

    def numbered_list(self, items: Sequence[Sequence[Inline]], *, start: int = 1) -> None:
        """A flat list numbered from `start`, one paragraph per item."""
        self.add(OrderedList(_items(items), start))

    def bullet_list(self, items: Sequence[Sequence[Inline]]) -> None:
        self.add(BulletList(_items(items)))

    def table(
        self,
        rows: Sequence[Sequence[CellContent]],
        header: bool,
        aligns: Sequence[Align],
        *,
        fills: Sequence[Sequence[str | None]] | None = None,
        shares: Sequence[float] | None = None,
        keep_together: bool = False,
        keep_with_next: bool = False,
        small: bool = False,
    ) -> None:
        self.add(
            Table(
                tuple(tuple(_cell(c) for c in row) for row in rows),
                header=header,
                aligns=tuple(aligns),
                fills=tuple(tuple(r) for r in fills) if fills is not None else None,
                shares=tuple(shares) if shares is not None else None,
                keep_together=keep_together,
                keep_with_next=keep_with_next,
                small=small,
            )
        )

    def landscape(self, content: Content) -> None:
        """`content` on landscape pages; a heading just before goes along with it."""
        self.add(Landscape(blocks_of(content)))

    def contents(self) -> None:
        self.add(Contents())

    def secret(self, ground: str, content: Content, kind: str = "texten") -> None:
        self.add(Secret(ground, blocks_of(content), kind))


def _items(items: Sequence[Sequence[Inline]]) -> tuple[ListItem, ...]:
    return tuple(ListItem((Paragraph(tuple(item)),)) for item in items)


def _cell(content: CellContent) -> Cell:
    if isinstance(content, Sequence):
        return (Paragraph(tuple(content)),)
    return blocks_of(content)
