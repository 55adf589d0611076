"""WordprocessingML elements: names, and builders that keep user text as data."""

from __future__ import annotations

import re

from lxml import etree

from beslutsdoc.ooxml import schema

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


P, R, T, PPR, RPR, PSTYLE, RSTYLE = (
    w("p"),
    w("r"),
    w("t"),
    w("pPr"),
    w("rPr"),
    w("pStyle"),
    w("rStyle"),
)
TBL, TR, TC, BR, TAB, VAL = w("tbl"), w("tr"), w("tc"), w("br"), w("tab"), w("val")

# XML 1.0 forbids most C0 control characters; Word pastes some of them (vertical tab
# for a manual line break, bell, form feed). A line break stays a line break, the rest
# is dropped so the file always opens.
_CONTROL: dict[int, str | None] = {
    code: None for code in [*range(0x00, 0x09), 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF]
}
_CONTROL.update({0x0B: "\n", 0x0D: "\n"})


_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    if _ANY_CONTROL.search(text) is None:  # nearly always: skip the slower translate
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_CONTROL)


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    node = etree.Element(w(tag), {w(k): v for k, v in attrs.items()} if attrs else None)
    node.extend(children)
    return node


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()} if attrs else None)


_SPECIAL = re.compile("[\t\n\u2011\x00-\x08\x0b-\x0d\x0e-\x1f\x7f\ufffe\uffff]")


def add_text(run: etree._Element, text: str) -> None:
    """Append `text` to a run: tabs as <w:tab/>, line breaks as <w:br/>, always escaped."""
    if _SPECIAL.search(text) is None:  # the common case: one plain w:t
        if text:
            t = etree.SubElement(run, T)
            t.text = text
            if text[0] == " " or text[-1] == " ":
                t.set(XML_SPACE, "preserve")
        return
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            sub(run, "br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                sub(run, "tab")
            for piece_index, piece in enumerate(part.split("\u2011")):
                if piece_index:  # a hyphen a line never breaks at (”SOF 2023/553-1”)
                    sub(run, "noBreakHyphen")
                if piece:
                    t = sub(run, "t")
                    t.text = piece
                    if piece != piece.strip():
                        t.set(XML_SPACE, "preserve")


def run(
    text: str, *, bold: bool = False, italic: bool = False, style: str | None = None
) -> etree._Element:
    r = etree.Element(R)
    if bold or italic or style:
        rpr = sub(r, "rPr")
        if style:
            sub(rpr, "rStyle", val=style)
        if bold:
            sub(rpr, "b")
        if italic:
            sub(rpr, "i")
    add_text(r, text)
    return r


def paragraph(style: str | None = None, *runs: etree._Element) -> etree._Element:
    p = el("p")
    if style:
        sub(sub(p, "pPr"), "pStyle", val=style)
    p.extend(runs)
    return p


def paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(T))


def set_ppr_child(ppr: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Replace or insert the pPr child `tag`, keeping the schema's order."""
    return schema.set_child(ppr, tag, **attrs)


def text_width(section: etree._Element | None, *, landscape: bool = False) -> int:
    """Twips between the margins of a section, upright or (`landscape`) turned."""
    try:
        size = section.find(w("pgSz"))  # type: ignore[union-attr]
        margin = section.find(w("pgMar"))  # type: ignore[union-attr]
        sides = sorted((int(size.get(w("w"))), int(size.get(w("h")))))  # type: ignore[union-attr,arg-type]
        page = sides[1] if landscape else sides[0]
        return page - int(margin.get(w("left"))) - int(margin.get(w("right")))  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return 13700 if landscape else 9000
