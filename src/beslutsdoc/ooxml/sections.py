"""Sections: page size and orientation, how a section starts, bookmarks on paragraphs."""

from __future__ import annotations

from lxml import etree

from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml.wordml import PPR, el, w

A4 = (11906, 16838)


def set_page(section: etree._Element, width: int, height: int) -> None:
    """Set the section's page size; wider than high is landscape."""
    size = schema.get_or_add(section, "pgSz")
    size.set(w("w"), str(width))
    size.set(w("h"), str(height))
    if width > height:
        size.set(w("orient"), "landscape")
    elif w("orient") in size.attrib:
        del size.attrib[w("orient")]


def turn(section: etree._Element, *, landscape: bool) -> None:
    """Turn the section's page upright or on its side, keeping its size."""
    size = section.find(w("pgSz"))
    if size is None:
        return
    width, height = int(size.get(w("w"), str(A4[0]))), int(size.get(w("h"), str(A4[1])))
    short, long = sorted((width, height))
    set_page(section, long, short) if landscape else set_page(section, short, long)


def start_on_new_page(section: etree._Element) -> None:
    """A section that begins on a new page (odd and even pages stay as they are)."""
    kind = section.find(w("type"))
    if kind is not None and kind.get(w("val")) not in ("oddPage", "evenPage"):
        section.remove(kind)  # nextPage is the default


def bookmark(p: etree._Element, name: str, number: int) -> None:
    """Mark the whole paragraph `p` with the bookmark `name` (id `number`)."""
    ppr = p.find(PPR)
    p.insert(0 if ppr is None else 1, el("bookmarkStart", {"id": str(number), "name": name}))
    p.append(el("bookmarkEnd", {"id": str(number)}))
