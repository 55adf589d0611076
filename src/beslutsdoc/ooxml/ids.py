"""Ids that must be unique in a document, and how to keep them so when merging."""

from __future__ import annotations

import hashlib

from lxml import etree

from beslutsdoc.ooxml.wordml import W_NS

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"

#: Drawing object ids (wp:docPr, pic:cNvPr, wps:cNvPr) share one space in Word.
DRAWING_IDS = (f"{{{WP_NS}}}docPr", f"{{{PIC_NS}}}cNvPr", f"{{{WPS_NS}}}cNvPr")
#: Word limits bookmark names to 40 characters.
BOOKMARK_LENGTH = 40


def numeric_ids(roots: list[etree._Element], tags: tuple[str, ...], attr: str) -> list[int]:
    """The integer values of `attr` on the `tags` elements under `roots`."""
    out = []
    for root in roots:
        for node in root.iter(*tags):
            value = node.get(attr, "")
            if value.lstrip("-").isdigit():
                out.append(int(value))
    return out


def bookmark_name(prefix: str, name: str, used: set[str]) -> str:
    """A name for bookmark `name` of the part `prefix`, unique among `used` and at most
    40 characters: long names end in a hash of the whole name, not a cut that two
    names could share. Hidden names (`_Toc…`) stay hidden."""
    lead = "_" if name.startswith("_") else ""
    candidate = f"{lead}{prefix}{name}"
    if len(candidate) > BOOKMARK_LENGTH:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        candidate = candidate[: BOOKMARK_LENGTH - 9] + "_" + digest
    number = 1
    while candidate in used:
        number += 1
        tail = f"_{number}"
        candidate = candidate[: BOOKMARK_LENGTH - len(tail)] + tail
    used.add(candidate)
    return candidate


_REVISION_IDS = etree.XPath(
    "descendant-or-self::*[self::w:p or self::w:tr][@w14:paraId or @w14:textId]",
    namespaces={"w": W_NS, "w14": W14_NS},
)


def strip_revision_ids(roots: list[etree._Element]) -> None:
    """Drop w14:paraId and w14:textId: optional, and two merged parts may share them."""
    para, text = f"{{{W14_NS}}}paraId", f"{{{W14_NS}}}textId"
    for root in roots:
        found: list[etree._Element] = _REVISION_IDS(root)  # type: ignore[assignment]
        for p in found:  # found in C: most parts have none
            for name in (para, text):
                if name in p.attrib:
                    del p.attrib[name]


def renumber_vml(roots: list[etree._Element], suffix: str) -> None:
    """VML shape ids (`_x0000_i1025`) with the part's suffix; OLE objects follow."""
    ids: dict[str, str] = {}
    shape_tags = [f"{{{V_NS}}}{t}" for t in ("shape", "rect", "oval", "line", "group", "roundrect")]
    for root in roots:
        for node in root.iter(*shape_tags):
            old = node.get("id")
            if old:
                ids[old] = f"{old}_{suffix}"
                node.set("id", ids[old])
            spid = node.get(f"{{{O_NS}}}spid")
            if spid:
                node.set(f"{{{O_NS}}}spid", f"{spid}_{suffix}")
    if not ids:
        return
    for root in roots:
        for node in root.iter(f"{{{O_NS}}}OLEObject"):
            shape = node.get("ShapeID")
            if shape in ids:
                node.set("ShapeID", ids[shape])
