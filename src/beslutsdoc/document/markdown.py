"""The text subset of the input format (a small Markdown) → document nodes.

markdown-it-pyrs parses (markdown-it's rules, compiled in Rust: about fifteen times
faster than the pure Python parser, which was half of a paper's render time). We
start from the empty preset and enable only the subset's rules, so everything else
stays as written: raw HTML, indented code, fences, backticks, entities (`&amp;`
stays `&amp;`), images, setext headings and horizontal rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from markdown_it_pyrs import MarkdownIt, Node

from beslutsdoc.document.builder import Builder
from beslutsdoc.document.nodes import (
    Align,
    Block,
    BulletList,
    Cell,
    Heading,
    Inline,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Span,
    Table,
)
from beslutsdoc.document.text import keep_legal_together

RULES = [
    "paragraph",
    "heading",
    "list",
    "blockquote",
    "table",
    "footnote",
    "emphasis",
    "link",
    "autolink",
    "escape",
    "newline",
]


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("zero").enable_many(cast(Any, RULES))


@dataclass(frozen=True)
class Markdown:
    """A long text field, as blocks."""

    text: str
    notes: bool = True  # False: footnote marks left out (a summary repeated elsewhere)

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def build(self, out: Builder) -> None:
        for block in read(self.text, notes=self.notes):
            out.add(block)


def read(text: str, *, notes: bool = True) -> list[Block]:
    """`text` as document blocks."""
    root = _parser().tree(text)
    definitions = {
        str(note.meta.get("def_id")): note
        for container in root.children
        if container.name == "footnote_container"
        for note in container.children
    }
    return _Reader(definitions if notes else None).blocks(root.children)


_INLINE = {
    "text",
    "text_special",
    "strong",
    "em",
    "link",
    "softbreak",
    "hardbreak",
    "footnote_ref",
    "autolink",
}


class _Reader:
    def __init__(self, notes: dict[str, Node] | None) -> None:
        self.notes = notes
        self.quote = 0
        self.in_note = False

    def blocks(self, nodes: Sequence[Node]) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            out += self.block(node)
        return out

    def block(self, node: Node) -> list[Block]:
        kind = node.name
        if kind == "paragraph":
            return [self.paragraph(node.children)]
        if kind == "heading":
            level = min(6, max(3, int(node.meta.get("level", 3))))
            return [Heading(level, self.inlines(node.children))]
        if kind in {"bullet_list", "ordered_list"}:
            return [self.listing(node, ordered=kind == "ordered_list")]
        if kind == "blockquote":
            self.quote += 1
            try:
                return self.blocks(node.children)
            finally:
                self.quote -= 1
        if kind == "table":
            return [self.table(node)]
        if kind in _INLINE:  # inline content where a block was expected
            return [self.paragraph([node])]
        return []

    def paragraph(self, nodes: Sequence[Node]) -> Paragraph:
        return Paragraph(self.inlines(nodes), quote=bool(self.quote))

    def listing(self, node: Node, *, ordered: bool) -> Block:
        items = tuple(ListItem(tuple(self.item(item))) for item in node.children)
        if ordered:
            return OrderedList(items, int(node.meta.get("start", 1)))
        return BulletList(items)

    def item(self, item: Node) -> list[Block]:
        # A tight item holds inline nodes directly; a loose one, paragraphs.
        out: list[Block] = []
        inline: list[Node] = []
        for child in [*item.children, None]:
            if child is not None and child.name in _INLINE:
                inline.append(child)
                continue
            if inline:
                out.append(Paragraph(self.inlines(inline)))
                inline = []
            if child is None:
                break
            if child.name == "paragraph":
                out.append(Paragraph(self.inlines(child.children)))
            else:
                out += self.block(child)
        return out

    def table(self, node: Node) -> Table:
        rows: list[tuple[Cell, ...]] = []
        header = False
        for section in node.children:
            header = header or section.name == "thead"
            rows += [
                tuple((Paragraph(self.inlines(cell.children)),) for cell in row.children)
                for row in section.children
            ]
        aligns = tuple(cast(Align, str(a)) for a in node.meta.get("alignments", []))
        return Table(tuple(rows), header=header, aligns=aligns)

    def inlines(
        self,
        nodes: Sequence[Node],
        bold: bool = False,
        italic: bool = False,
        link: str | None = None,
    ) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            out += self.inline(node, bold, italic, link)
        return tuple(out)

    def inline(self, node: Node, bold: bool, italic: bool, link: str | None) -> list[Inline]:
        kind = node.name
        if kind in {"text", "text_special"}:  # text_special: a backslash escape
            text = keep_legal_together(str(node.meta.get("content", "")))
            return [Span(text, bold, italic, link)]
        if kind in {"softbreak", "hardbreak"}:
            return [Span(" " if kind == "softbreak" else "\n", bold, italic, link)]
        if kind in {"strong", "em"}:
            return list(
                self.inlines(node.children, bold or kind == "strong", italic or kind == "em", link)
            )
        if kind in {"link", "autolink"}:
            return list(self.inlines(node.children, bold, italic, str(node.meta.get("url", ""))))
        if kind == "footnote_ref" and self.notes is not None and not self.in_note:
            note = self.notes.get(str(node.meta.get("def_id")))
            if note is not None:
                return [self.note(note)]
        return []

    def note(self, note: Node) -> Note:
        # Word has no note inside a note: a mark inside a note's text is left out.
        self.in_note, quote, self.quote = True, self.quote, 0
        try:
            return Note(tuple(self.blocks(note.children)))
        finally:
            self.in_note, self.quote = False, quote
