"""The text subset of FORMAT.md (a small Markdown) → real Word structure.

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

from beslutsdoc.render.blocks import BlockWriter, Inline
from beslutsdoc.render.formatting import keep_legal_together

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
    """A long text field, written as blocks in the template's styles."""

    text: str
    notes: bool = True  # False: footnote marks left out (a summary repeated elsewhere)

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def write(self, out: BlockWriter) -> None:
        root = _parser().tree(self.text)
        notes = {
            str(note.meta.get("def_id")): note
            for container in root.children
            if container.name == "footnote_container"
            for note in container.children
        }
        _Converter(out, notes if self.notes else None).blocks(root.children)


@dataclass(frozen=True)
class _Note:
    """The content of one footnote, written where its reference is."""

    node: Node
    notes: dict[str, Node]

    def write(self, out: BlockWriter) -> None:
        _Converter(out, self.notes).blocks(self.node.children)


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


class _Converter:
    def __init__(self, out: BlockWriter, notes: dict[str, Node] | None) -> None:
        self.out = out
        self.notes = notes
        self.quote = 0

    def blocks(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            self.block(node)

    def block(self, node: Node) -> None:
        kind = node.name
        if kind == "paragraph":
            self.paragraph(self.inlines(node.children))
        elif kind == "heading":
            level = min(6, max(3, int(node.meta.get("level", 3))))
            self.out.paragraph(
                self.inlines(node.children), style=f"heading {level}", keep_next=True
            )
        elif kind in {"bullet_list", "ordered_list"}:
            self.items(node, ordered=kind == "ordered_list")
        elif kind == "blockquote":
            self.quote += 1
            self.blocks(node.children)
            self.quote -= 1
        elif kind == "table":
            self.table(node)
        elif kind in _INLINE:  # inline content where a block was expected
            self.paragraph(self.inlines([node]))

    def items(self, node: Node, *, ordered: bool) -> None:
        start = int(node.meta.get("start", 1)) if ordered else 1
        number = self.out.list_item_numbering(ordered, start)
        style = "list number" if ordered else "list bullet"
        level = len(self.out.list_stack)
        self.out.list_stack.append(number)
        for item in node.children:
            first = True
            inline: list[Node] = []
            # A tight item holds inline nodes directly; a loose one, paragraphs.
            for child in [*item.children, None]:
                if child is not None and child.name in _INLINE:
                    inline.append(child)
                    continue
                if inline:
                    self._item_paragraph(self.inlines(inline), first, style, number, level)
                    first, inline = False, []
                if child is None:
                    break
                if child.name == "paragraph":
                    self._item_paragraph(self.inlines(child.children), first, style, number, level)
                    first = False
                else:
                    self.block(child)
        self.out.list_stack.pop()

    def _item_paragraph(
        self, inlines: list[Inline], first: bool, style: str, number: tuple[str, int], level: int
    ) -> None:
        if first:
            self.out.paragraph(inlines, style=style, numbering=number)
        else:
            self.out.paragraph(inlines, style="list paragraph", indent_level=level)

    def paragraph(self, inlines: list[Inline]) -> None:
        self.out.paragraph(inlines, style="quote" if self.quote else None)

    def table(self, node: Node) -> None:
        rows: list[list[list[Inline]]] = []
        header = False
        for section in node.children:
            header = header or section.name == "thead"
            rows += [
                [self.inlines(cell.children) for cell in row.children] for row in section.children
            ]
        aligns = [str(a) for a in node.meta.get("alignments", [])]
        self.out.table(rows, header, aligns)

    def inlines(
        self,
        nodes: Sequence[Node],
        bold: bool = False,
        italic: bool = False,
        link: str | None = None,
    ) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            kind = node.name
            if kind in {"text", "text_special"}:  # text_special: a backslash escape
                out.append(
                    Inline(
                        keep_legal_together(str(node.meta.get("content", ""))), bold, italic, link
                    )
                )
            elif kind == "softbreak":
                out.append(Inline(" ", bold, italic, link))
            elif kind == "hardbreak":
                out.append(Inline("\n", bold, italic, link))
            elif kind == "strong":
                out += self.inlines(node.children, True, italic, link)
            elif kind == "em":
                out += self.inlines(node.children, bold, True, link)
            elif kind in {"link", "autolink"}:
                out += self.inlines(node.children, bold, italic, str(node.meta.get("url", "")))
            elif kind == "footnote_ref" and self.notes is not None:
                note = self.notes.get(str(node.meta.get("def_id")))
                if note is not None:
                    out.append(Inline(footnote=[_Note(note, self.notes)]))
        return out
