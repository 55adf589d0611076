"""Layout passes the composer relies on: landscape sections for wide tables."""

from __future__ import annotations

from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.wordml import el, w
from beslutsdoc.render.layout import apply_orientation


class _Resources:
    """What apply_orientation asks of the render's resources: the heading styles, and
    what the writer put on landscape pages."""

    def __init__(self, landscape: list[etree._Element]) -> None:
        self.landscape = landscape

    def style(self, name: str) -> str | None:
        return {"heading 1": "Rubrik1", "heading 2": "Rubrik2"}.get(name)


def _section_of(p: etree._Element) -> etree._Element | None:
    return p.find(f"{wml.PPR}/{w('sectPr')}")


def test_the_heading_before_a_wide_table_goes_with_it_onto_landscape_pages() -> None:
    intro = wml.paragraph(None, wml.run("Inledning"))
    heading = wml.paragraph("Rubrik2", wml.run("Riskerna"))
    empty = wml.paragraph()
    table = el("tbl", None, el("tblPr"), el("tr", None, el("tc", None, wml.paragraph())))
    after = wml.paragraph(None, wml.run("Efter tabellen"))
    final = el("sectPr", None, el("pgSz", {"w": "11906", "h": "16838"}))
    body = el("body", None, intro, heading, empty, table, after, final)
    apply_orientation(body, _Resources([table]))  # type: ignore[arg-type]
    # The upright section ends with the introduction, not with the heading.
    upright = _section_of(intro)
    assert upright is not None and upright.find(w("pgSz")).get(w("orient")) is None  # type: ignore[union-attr]
    assert _section_of(heading) is None and _section_of(empty) is None
    # The landscape section holds heading and table: it ends just after the table.
    holder = table.getnext()
    assert holder is not None and holder.tag == wml.P
    turned = _section_of(holder)
    assert turned is not None
    assert turned.find(w("pgSz")).get(w("orient")) == "landscape"  # type: ignore[union-attr]
    assert body.find(w("sectPr")).find(w("pgSz")).get(w("orient")) is None  # type: ignore[union-attr]
    assert [c.tag for c in body].count(wml.P) == 5  # four of its own and the holder
