"""Writing block content (paragraphs, headings, lists, tables, footnotes) into a paper.

A BlockWriter belongs to one render of one template: it knows the template's styles,
allocates list numbering, and collects footnotes and hyperlinks into the package.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import R_HYPERLINK, Package
from beslutsdoc.ooxml.wordml import el, set_ppr_child, sub, w


@dataclass
class Inline:
    """A piece of running text with its formatting."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    link: str | None = None
    footnote: list[Block] | None = None  # a footnote reference; the note's content


class Block(Protocol):
    """Anything a block variable holds: it writes itself with a BlockWriter."""

    def write(self, out: BlockWriter) -> None: ...


#: A table cell: running text, or blocks (paragraphs, lists) of its own.
Cell = list[Inline] | Block


@dataclass
class Resources:
    """What one render shares across its blocks: styles, numbering, footnotes, links."""

    package: Package
    main: str
    styles: dict[str, str]  # lower-case style name → style id
    bullet_num: str
    decimal_abstract: str
    text_width: int  # twips between the margins
    landscape_width: int
    numbering: etree._Element
    footnotes: etree._Element
    next_num: int = 0
    next_footnote: int = 0
    links: dict[tuple[str, str], str] = field(default_factory=dict)
    footnotes_part: str = "word/footnotes.xml"

    def style(self, name: str) -> str | None:
        return self.styles.get(name.lower())

    def new_numbered_list(self, level: int, start: int) -> str:
        """A fresh numbering instance, so every list counts from its own start."""
        self.next_num += 1
        num_id = str(self.next_num)
        num = el("num", {"numId": num_id})
        sub(num, "abstractNumId", val=self.decimal_abstract)
        override = sub(num, "lvlOverride", ilvl=str(level))
        sub(override, "startOverride", val=str(start))
        self.numbering.append(num)
        return num_id

    def hyperlink(self, url: str, part: str | None = None) -> str:
        """The relationship id of `url` in `part` (the main document unless a note)."""
        part = part or self.main
        if (part, url) not in self.links:
            self.links[(part, url)] = self.package.add_relationship(
                part, R_HYPERLINK, url, external=True
            )
        return self.links[(part, url)]

    def add_footnote(self, content: list[Block], base: BlockWriter) -> str:
        self.next_footnote += 1
        note_id = str(self.next_footnote)
        note = sub(self.footnotes, "footnote", id=note_id)
        writer = BlockWriter(
            self, None, base.list_stack, paragraph_style="footnote text", part=self.footnotes_part
        )
        for block in content:
            block.write(writer)
        paragraphs = writer.elements or [wml.paragraph(self.style("footnote text"))]
        first = paragraphs[0]
        marker = el("r")
        marker.append(self._reference_rpr())
        sub(marker, "footnoteRef")
        space = wml.run(" ")
        ppr = first.find(wml.PPR)
        position = 0 if ppr is None else 1
        first.insert(position, space)
        first.insert(position, marker)
        note.extend(paragraphs)
        return note_id

    def _reference_rpr(self) -> etree._Element:
        rpr = el("rPr")
        style = self.style("footnote reference")
        if style:
            sub(rpr, "rStyle", val=style)
        else:
            sub(rpr, "vertAlign", val="superscript")
        return rpr

    def footnote_reference(self, note_id: str) -> etree._Element:
        r = el("r")
        r.append(self._reference_rpr())
        sub(r, "footnoteReference", id=note_id)
        return r


class BlockWriter:
    """Collects the elements that replace one block placeholder."""

    def __init__(
        self,
        resources: Resources,
        base_ppr: etree._Element | None,
        list_stack: list[tuple[str, int]] | None = None,
        paragraph_style: str | None = None,
        part: str | None = None,
    ) -> None:
        self.res = resources
        self.part = part  # the package part written into: the main document, or notes
        self.base_ppr = base_ppr
        self.elements: list[etree._Element] = []
        self.list_stack = list_stack if list_stack is not None else []
        self.paragraph_style = paragraph_style

    # -- paragraphs -------------------------------------------------------------------
    def paragraph(
        self,
        inlines: list[Inline],
        *,
        style: str | None = None,
        numbering: tuple[str, int] | None = None,
        indent_level: int | None = None,
        keep_next: bool = False,
    ) -> etree._Element:
        p = el("p")
        if style is None and self.paragraph_style is None and self.base_ppr is not None:
            ppr = copy.deepcopy(self.base_ppr)
        else:
            ppr = el("pPr")
            style_id = self.res.style(style or self.paragraph_style or "")
            if style_id:
                sub(ppr, "pStyle", val=style_id)
        if keep_next:
            set_ppr_child(ppr, "keepNext")
        if numbering:
            num_pr = set_ppr_child(ppr, "numPr")
            sub(num_pr, "ilvl", val=str(numbering[1]))
            sub(num_pr, "numId", val=numbering[0])
        elif indent_level is not None:
            set_ppr_child(ppr, "ind", left=str(360 * (indent_level + 1)))
        if len(ppr):
            p.append(ppr)
        for inline in inlines:
            p.append(self.inline(inline))
        self.elements.append(p)
        return p

    def heading(self, level: int, text: str) -> None:
        self.paragraph([Inline(text)], style=f"heading {level}", keep_next=True)

    def inline(self, inline: Inline) -> etree._Element:
        if inline.footnote is not None:
            if self.part == self.res.footnotes_part:  # a note inside a note: Word has none
                return wml.run("")
            return self.res.footnote_reference(self.res.add_footnote(inline.footnote, self))
        if inline.link:
            link = el("hyperlink")
            link.set(f"{{{wml.R_NS}}}id", self.res.hyperlink(inline.link, self.part))
            link.set(w("history"), "1")
            link.append(
                wml.run(
                    inline.text,
                    bold=inline.bold,
                    italic=inline.italic,
                    style=self.res.style("hyperlink"),
                )
            )
            return link
        return wml.run(inline.text, bold=inline.bold, italic=inline.italic)

    # -- lists --------------------------------------------------------------------------
    def list_item_numbering(self, ordered: bool, start: int) -> tuple[str, int]:
        level = len(self.list_stack)
        num_id = self.res.new_numbered_list(level, start) if ordered else self.res.bullet_num
        return num_id, level

    def numbered_list(self, items: list[list[Inline]], *, start: int = 1) -> None:
        """A flat numbered list counting from `start`."""
        num = self.list_item_numbering(True, start)
        for inlines in items:
            self.paragraph(inlines, style="list number", numbering=num)

    def bullet_list(self, items: list[list[Inline]]) -> None:
        num = self.list_item_numbering(False, 1)
        for inlines in items:
            self.paragraph(inlines, style="list bullet", numbering=num)

    # -- tables -------------------------------------------------------------------------
    def table(
        self,
        rows: Sequence[Sequence[Cell]],
        header: bool,
        aligns: list[str],
        *,
        fills: list[list[str | None]] | None = None,
        shares: list[float] | None = None,
        width: int | None = None,
        keep_together: bool = False,
        keep_with_next: bool = False,
        small: bool = False,
    ) -> etree._Element:
        """A table; the first row repeats on each page when `header`. `fills` shades
        cells (hex colours), `shares` splits the width (`width`, default the text's)."""
        columns = max(len(r) for r in rows)
        total = width or self.res.text_width
        widths = [int(total * s) for s in shares] if shares else [total // columns] * columns
        tbl = el("tbl")
        tbl_pr = sub(tbl, "tblPr")
        style = self.res.style("table grid")
        if style:
            sub(tbl_pr, "tblStyle", val=style)
        sub(tbl_pr, "tblW", w="0", type="auto")
        sub(
            tbl_pr,
            "tblLook",
            val="04A0",
            firstRow="1",
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="0",
            noVBand="1",
        )
        grid = sub(tbl, "tblGrid")
        for column_width in widths:
            sub(grid, "gridCol", w=str(column_width))
        for index, cells in enumerate(rows):
            tr = sub(tbl, "tr")
            tr_pr = sub(tr, "trPr")
            sub(tr_pr, "cantSplit")
            is_header = header and index == 0
            if is_header:
                sub(tr_pr, "tblHeader")
            for col in range(columns):
                tc = sub(tr, "tc")
                tc_pr = sub(tc, "tcPr")
                sub(tc_pr, "tcW", w=str(widths[col]), type="dxa")
                fill = fills[index][col] if fills and col < len(fills[index]) else None
                if fill:
                    sub(tc_pr, "shd", val="clear", color="auto", fill=fill)
                content: Cell = cells[col] if col < len(cells) else []
                cell = BlockWriter(self.res, None, paragraph_style="normal", part=self.part)
                if isinstance(content, list):
                    if is_header:
                        content = [
                            Inline(i.text, True, i.italic, i.link, i.footnote) for i in content
                        ]
                    cell.paragraph(content)
                else:
                    content.write(cell)
                if not cell.elements or cell.elements[-1].tag != wml.P:
                    cell.paragraph([])  # a cell ends with a paragraph
                align = aligns[col] if col < len(aligns) else ""
                for p in cell.elements:
                    if p.tag != wml.P:
                        continue
                    if align in {"right", "center"}:
                        set_ppr_child(_ppr(p), "jc", val="right" if align == "right" else "center")
                    last = index == len(rows) - 1
                    # A small table on one page (and with what follows); a header row
                    # never alone at the foot of a page.
                    if (keep_together and (not last or keep_with_next)) or (is_header and not last):
                        set_ppr_child(_ppr(p), "keepNext")
                if small:  # many columns: 9 pt, so words fit their columns
                    for r in (r for e in cell.elements for r in e.iter(wml.R)):
                        rpr = r.find(wml.RPR)
                        if rpr is None:
                            rpr = el("rPr")
                            r.insert(0, rpr)
                        for tag in ("sz", "szCs"):
                            if rpr.find(w(tag)) is None:
                                schema.set_child(rpr, tag, val="18")
                tc.extend(cell.elements)
        self.elements.append(tbl)
        return tbl

    # -- sections and contents -----------------------------------------------------------
    def landscape(self, content: Block) -> None:
        """Write `content` on landscape pages; a heading just before goes along with it."""
        self.elements.append(_marker(LANDSCAPE_START))
        width = self.res.text_width
        self.res.text_width = self.res.landscape_width
        try:
            content.write(self)
        finally:
            self.res.text_width = width
        self.elements.append(_marker(LANDSCAPE_END))

    def contents(self) -> None:
        """A table of contents of the headings after it (filled in when all is written)."""
        self.elements.append(_marker(CONTENTS))


LANDSCAPE_START, LANDSCAPE_END, CONTENTS = "liggande-start", "liggande-slut", "innehåll"
MARK = "{urn:beslutsdoc}mark"


def _marker(kind: str) -> etree._Element:
    """A placeholder paragraph that a pass after filling replaces (see template.py)."""
    p = el("p")
    p.set(MARK, kind)
    return p


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(wml.PPR)
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    return ppr
