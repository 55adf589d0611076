"""The text subset of FORMAT.md (a small Markdown) → real Word structure.

markdown-it-py parses (CommonMark, with tables and footnotes); we switch off what the
subset does not have so that such characters stay as written: raw HTML, indented
code, fences, backticks, entities (`&amp;` stays `&amp;`), images, setext headings
and horizontal rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from beslutsdoc.render.blocks import Block, BlockWriter, Inline
from beslutsdoc.render.formatting import keep_legal_together

_OFF = [
    "code", "fence", "html_block", "html_inline", "hr", "lheading", "entity", "backticks",
    "image", "reference",
]


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)
    md.disable(_OFF)
    return md


@dataclass(frozen=True)
class Markdown:
    """A long text field, written as blocks in the template's styles."""

    text: str

    def write(self, out: BlockWriter) -> None:
        tokens = _parser().parse(self.text)
        body, notes = _split_footnotes(tokens)
        _Converter(out, notes).blocks(body)


@dataclass(frozen=True)
class _Tokens:
    """The content of one footnote, written when its reference is."""

    tokens: list[Token]
    notes: dict[int, list[Token]]

    def write(self, out: BlockWriter) -> None:
        _Converter(out, self.notes).blocks(self.tokens)


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_block_open" or token.type == "footnote_block_close":
            continue
        if token.type == "footnote_open":
            current = notes.setdefault(int(token.meta["id"]), [])
        elif token.type == "footnote_close":
            current = None
        elif token.type == "footnote_anchor":
            continue
        elif current is not None:
            current.append(token)
        else:
            body.append(token)
    return body, notes


class _Converter:
    def __init__(self, out: BlockWriter, notes: dict[int, list[Token]]) -> None:
        self.out = out
        self.notes = notes
        self.quote = 0
        # Per open list: (numbering id, level, whether its current item has a paragraph).
        self.lists: list[list[object]] = []

    def blocks(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                level = min(6, max(3, int(token.tag[1])))
                self.out.paragraph(
                    self.inlines(tokens[i + 1]), style=f"heading {level}", keep_next=True
                )
                i += 3
                continue
            if kind == "paragraph_open":
                self.paragraph(self.inlines(tokens[i + 1]))
                i += 3
                continue
            if kind in {"bullet_list_open", "ordered_list_open"}:
                ordered = kind == "ordered_list_open"
                start = int(str(token.attrGet("start") or 1))
                num = self.out.list_item_numbering(ordered, start)
                self.out.list_stack.append(num)
                self.lists.append([num, ordered, False])
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                self.out.list_stack.pop()
                self.lists.pop()
            elif kind == "list_item_open":
                self.lists[-1][2] = False
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind == "table_open":
                end = _closing(tokens, i, "table_close")
                self.table(tokens[i:end])
                i = end
            i += 1

    def paragraph(self, inlines: list[Inline]) -> None:
        if self.lists:
            current = self.lists[-1]
            num, ordered, started = current
            level = len(self.lists) - 1
            if not started:
                current[2] = True
                style = "list number" if ordered else "list bullet"
                self.out.paragraph(inlines, style=style, numbering=num)  # type: ignore[arg-type]
            else:
                self.out.paragraph(inlines, style="list paragraph", indent_level=level)
        elif self.quote:
            self.out.paragraph(inlines, style="quote")
        else:
            self.out.paragraph(inlines)

    def table(self, tokens: list[Token]) -> None:
        rows: list[list[list[Inline]]] = []
        aligns: list[str] = []
        header = False
        for index, token in enumerate(tokens):
            if token.type == "tr_open":
                rows.append([])
            elif token.type in {"th_open", "td_open"}:
                header = header or token.type == "th_open"
                style = str(token.attrGet("style") or "")
                if len(rows) == 1:
                    aligns.append(style.removeprefix("text-align:"))
                rows[-1].append(self.inlines(tokens[index + 1]))
        self.out.table(rows, header, aligns)

    def inlines(self, token: Token) -> list[Inline]:
        out: list[Inline] = []
        bold = italic = 0
        link: str | None = None
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                out.append(Inline(keep_legal_together(child.content), bold > 0, italic > 0, link))
            elif kind == "softbreak":
                out.append(Inline(" ", bold > 0, italic > 0, link))
            elif kind == "hardbreak":
                out.append(Inline("\n", bold > 0, italic > 0, link))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = str(child.attrGet("href") or "")
            elif kind == "link_close":
                link = None
            elif kind == "footnote_ref":
                note = self.notes.get(int(child.meta["id"]), [])
                out.append(Inline(footnote=[_Tokens(note, self.notes)]))
            else:
                out.append(Inline(child.content, bold > 0, italic > 0, link))
        return out


def _closing(tokens: list[Token], start: int, kind: str) -> int:
    for index in range(start, len(tokens)):
        if tokens[index].type == kind:
            return index
    return len(tokens) - 1


__all__ = ["Block", "Markdown"]
