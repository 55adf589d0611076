"""The public copy: the same document with every secret part replaced by a line naming
its legal ground, so each writer (Word, HTML) publishes it the same way.

A secret part keeps its place, so the reader sees that something was left out and on
what ground (”Sekretess enligt 26 kap. 1 § OSL”), never what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from beslutsdoc.document.nodes import (
    Block,
    BulletList,
    Inline,
    Landscape,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Secret,
    Span,
    Table,
)
from beslutsdoc.document.text import keep_legal_together


def notice(ground: str, kind: str) -> Paragraph:
    """The line that stands for a secret part in the public copy."""
    left_out = (
        f" {kind[:1].upper()}{kind[1:]} finns inte med i den offentliga versionen." if kind else ""
    )
    label = keep_legal_together(f"Sekretess enligt {ground}.")
    return Paragraph((Span(label, bold=True), Span(left_out)))


def public_copy(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """`blocks` with each secret part replaced by its notice (a part whose `kind` is
    empty continues one already noticed, and is left out without a second line)."""
    out: list[Block] = []
    for block in blocks:
        out += _public(block)
    return tuple(out)


def _public(block: Block) -> list[Block]:
    if isinstance(block, Secret):
        return [notice(block.ground, block.kind)] if block.kind else []
    if isinstance(block, Paragraph):
        return [replace(block, content=_inlines(block.content))]
    if isinstance(block, BulletList | OrderedList):
        items = tuple(ListItem(public_copy(item.blocks)) for item in block.items)
        return [replace(block, items=items)]
    if isinstance(block, Table):
        rows = tuple(tuple(public_copy(cell) for cell in row) for row in block.rows)
        return [replace(block, rows=rows)]
    if isinstance(block, Landscape):
        return [Landscape(public_copy(block.blocks))]
    return [block]


def _inlines(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return tuple(Note(public_copy(i.blocks)) if isinstance(i, Note) else i for i in content)
