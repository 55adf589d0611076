"""The Word writer: document nodes → WordprocessingML in the template's own styles.

A Writer belongs to one render of one template: it knows the template's styles,
allocates list numbering (every list counts from its own start), and collects
footnotes and hyperlinks into the package. Landscape sections and the contents are
left as marks that the layout pass resolves once the whole body is written.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from beslutsdoc.document.nodes import (
    Block,
    BulletList,
    Cell,
    Contents,
    Heading,
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
from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import R_HYPERLINK, Package
from beslutsdoc.ooxml.wordml import el, set_ppr_child, sub, w

CONTENTS = "innehåll"
MARK = "{urn:beslutsdoc}mark"


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
    #: The elements written for landscape pages (`Landscape` blocks), in order: the
    #: layout pass gives them sections of their own (`layout.apply_orientation`).
    landscape: list[etree._Element] = field(default_factory=list)

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

    def hyperlink(self, url: str, part: str) -> str:
        """The relationship id of `url` in `part`."""
        if (part, url) not in self.links:
            self.links[(part, url)] = self.package.add_relationship(
                part, R_HYPERLINK, url, external=True
            )
        return self.links[(part, url)]

    def reference_rpr(self) -> etree._Element:
        rpr = el("rPr")
        style = self.style("footnote reference")
        if style:
            sub(rpr, "rStyle", val=style)
        else:
            sub(rpr, "vertAlign", val="superscript")
        return rpr


class Writer:
    """Writes blocks into one place: a block placeholder, a table cell or a note."""

    def __init__(
        self,
        res: Resources,
        base_ppr: etree._Element | None = None,
        *,
        paragraph_style: str | None = None,
        part: str | None = None,
        width: int | None = None,
        depth: int = 0,
    ) -> None:
        self.res = res
        self.base_ppr = base_ppr  # the placeholder's own paragraph properties
        self.paragraph_style = paragraph_style
        self.part = part or res.main
        self.width = width or res.text_width
        self.depth = depth  # how deep in lists: a list inside a list is indented
        self.elements: list[etree._Element] = []

    def write(self, blocks: Sequence[Block]) -> list[etree._Element]:
        for block in blocks:
            self.block(block)
        return self.elements

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(
                block.content,
                style="quote" if block.quote else None,
                keep_next=block.keep_with_next,
            )
        elif isinstance(block, Heading):
            self.paragraph(block.content, style=f"heading {block.level}", keep_next=True)
        elif isinstance(block, BulletList | OrderedList):
            self.items_of(block)
        elif isinstance(block, Table):
            self.elements.append(self.table(block))
        elif isinstance(block, Landscape):
            self.landscape(block)
        elif isinstance(block, Contents):
            self.elements.append(_marker(CONTENTS))
        elif isinstance(block, Secret):
            self.secret(block)

    # -- paragraphs ---------------------------------------------------------------------
    def paragraph(
        self,
        inlines: Sequence[Inline],
        *,
        style: str | None = None,
        numbering: tuple[str, int] | None = None,
        indent_level: int | None = None,
        keep_next: bool = False,
    ) -> etree._Element:
        p = el("p")
        ppr = self._ppr(style)
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

    def _ppr(self, style: str | None) -> etree._Element:
        if style is None and self.paragraph_style is None and self.base_ppr is not None:
            return copy.deepcopy(self.base_ppr)
        ppr = el("pPr")
        style_id = self.res.style(style or self.paragraph_style or "")
        if style_id:
            sub(ppr, "pStyle", val=style_id)
        return ppr

    def inline(self, inline: Inline) -> etree._Element:
        if isinstance(inline, Note):
            return self.note(inline)
        if inline.link:
            link = el("hyperlink")
            link.set(f"{{{wml.R_NS}}}id", self.res.hyperlink(inline.link, self.part))
            link.set(w("history"), "1")
            link.append(self.run(inline, style=self.res.style("hyperlink")))
            return link
        return self.run(inline)

    def run(self, span: Span, *, style: str | None = None) -> etree._Element:
        return wml.run(span.text, bold=span.bold, italic=span.italic, style=style)

    def note(self, note: Note) -> etree._Element:
        res = self.res
        if self.part == res.footnotes_part:  # a note inside a note: Word has none
            return wml.run("")
        res.next_footnote += 1
        note_id = str(res.next_footnote)
        element = sub(res.footnotes, "footnote", id=note_id)
        writer = Writer(
            res, paragraph_style="footnote text", part=res.footnotes_part, depth=self.depth
        )
        paragraphs = writer.write(note.blocks) or [wml.paragraph(res.style("footnote text"))]
        first = paragraphs[0]
        marker = el("r")
        marker.append(res.reference_rpr())
        sub(marker, "footnoteRef")
        position = 0 if first.find(wml.PPR) is None else 1
        first.insert(position, wml.run(" "))
        first.insert(position, marker)
        element.extend(paragraphs)
        reference = el("r")
        reference.append(res.reference_rpr())
        sub(reference, "footnoteReference", id=note_id)
        return reference

    # -- lists ----------------------------------------------------------------------------
    def items_of(self, block: BulletList | OrderedList) -> None:
        level = self.depth
        if isinstance(block, OrderedList):
            number = (self.res.new_numbered_list(level, block.start), level)
            style = "list number"
        else:
            number, style = (self.res.bullet_num, level), "list bullet"
        self.depth += 1
        try:
            for item in block.items:
                self.item(item, style, number, level)
        finally:
            self.depth -= 1

    def item(self, item: ListItem, style: str, number: tuple[str, int], level: int) -> None:
        first = True
        for block in item.blocks:
            if isinstance(block, Paragraph) and first:
                self.paragraph(block.content, style=style, numbering=number)
            elif isinstance(block, Paragraph):
                self.paragraph(block.content, style="list paragraph", indent_level=level)
            else:
                self.block(block)
            first = False

    # -- tables ---------------------------------------------------------------------------
    def table(self, table: Table) -> etree._Element:
        """A table; the first row repeats on each page when it is a header."""
        columns = table.columns
        total = self.width
        shares = table.shares
        widths = [int(total * s) for s in shares] if shares else [total // columns] * columns
        tbl = el("tbl")
        _table_properties(sub(tbl, "tblPr"), self.res.style("table grid"))
        grid = sub(tbl, "tblGrid")
        for column_width in widths:
            sub(grid, "gridCol", w=str(column_width))
        for index, cells in enumerate(table.rows):
            tbl.append(self._row(table, index, cells, widths))
        return tbl

    def _row(
        self, table: Table, index: int, cells: Sequence[Cell], widths: list[int]
    ) -> etree._Element:
        tr = el("tr")
        tr_pr = sub(tr, "trPr")
        sub(tr_pr, "cantSplit")
        is_header = table.header and index == 0
        if is_header:
            sub(tr_pr, "tblHeader")
        last = index == len(table.rows) - 1
        # A small table on one page (and with what follows); a header row never alone
        # at the foot of a page.
        keep = (table.keep_together and (not last or table.keep_with_next)) or (
            is_header and not last
        )
        for col in range(table.columns):
            tc = sub(tr, "tc")
            tc_pr = sub(tc, "tcPr")
            sub(tc_pr, "tcW", w=str(widths[col]), type="dxa")
            fill = (
                table.fills[index][col] if table.fills and col < len(table.fills[index]) else None
            )
            if fill:
                sub(tc_pr, "shd", val="clear", color="auto", fill=fill)
            content: Cell = cells[col] if col < len(cells) else ()
            align = table.aligns[col] if col < len(table.aligns) else ""
            tc.extend(
                self._cell(_bold(content) if is_header else content, align, keep, table.small)
            )
        return tr

    def _cell(self, content: Cell, align: str, keep: bool, small: bool) -> list[etree._Element]:
        cell = Writer(self.res, paragraph_style="normal", part=self.part)
        elements = cell.write(content)
        if not elements or elements[-1].tag != wml.P:
            elements.append(cell.paragraph([]))  # a cell ends with a paragraph
        for p in elements:
            if p.tag != wml.P:
                continue
            if align in {"right", "center"}:
                set_ppr_child(_ppr(p), "jc", val=align)
            if keep:
                set_ppr_child(_ppr(p), "keepNext")
        if small:  # many columns: 9 pt, so words fit their columns
            for r in (r for e in elements for r in e.iter(wml.R)):
                _small(r)
        return elements

    # -- sections -------------------------------------------------------------------------
    def landscape(self, block: Landscape) -> None:
        start = len(self.elements)
        width, self.width = self.width, self.res.landscape_width
        try:
            self.write(block.blocks)
        finally:
            self.width = width
        self.res.landscape.extend(self.elements[start:])

    def secret(self, block: Secret) -> None:
        """In the original, secret content stands under a label naming its ground."""
        label = keep_legal_together(f"Sekretess enligt {block.ground}")
        self.paragraph([Span(label, bold=True)], keep_next=True)
        self.write(block.blocks)


def _table_properties(tbl_pr: etree._Element, style: str | None) -> None:
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


def _bold(cell: Cell) -> Cell:
    """A header cell's running text in bold."""
    return tuple(
        Paragraph(
            tuple(
                Span(i.text, True, i.italic, i.link) if isinstance(i, Span) else i
                for i in b.content
            ),
            b.quote,
            b.keep_with_next,
        )
        if isinstance(b, Paragraph)
        else b
        for b in cell
    )


def _small(r: etree._Element) -> None:
    rpr = r.find(wml.RPR)
    if rpr is None:
        rpr = el("rPr")
        r.insert(0, rpr)
    for tag in ("sz", "szCs"):
        if rpr.find(w(tag)) is None:
            schema.set_child(rpr, tag, val="18")


def _marker(kind: str) -> etree._Element:
    """A placeholder paragraph that the layout pass replaces."""
    p = el("p")
    p.set(MARK, kind)
    return p


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(wml.PPR)
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    return ppr
