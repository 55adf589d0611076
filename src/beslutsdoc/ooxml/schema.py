"""Child element order of WordprocessingML, from the schema (ECMA-376 Part 1, Transitional).

Word refuses or "repairs" a file whose children come in another order than the schema's
xsd:sequence. As python-docx's `_tag_seq` does, every element we build or change is put
in place through `insert` or `set_child`, never appended blindly.
"""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _el(tag: str, attrs: dict[str, str]) -> etree._Element:
    # wordml.el, repeated here because wordml builds on this module.
    return etree.Element(f"{{{W_NS}}}{tag}", {f"{{{W_NS}}}{k}": v for k, v in attrs.items()})


_RPR_BASE = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_BORDERS = "top left start bottom right end insideH insideV tl2br tr2bl"

#: Local names of the children of each element, in schema order. Where the schema has
#: a choice (trPr), the order Word writes.
ORDER: dict[str, tuple[str, ...]] = {
    name: tuple(value.split())
    for name, value in {
        "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
        "rPr": f"ins del moveFrom moveTo {_RPR_BASE} rPrChange",
        "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize "
        "tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout "
        "tblCellMar tblLook tblCaption tblDescription tblPrChange",
        "numPr": "ilvl numId numberingChange ins",
        "tblBorders": _BORDERS,
        "tcBorders": _BORDERS,
        "pBdr": "top left bottom right between bar",
        "tblCellMar": "top left start bottom right end",
        "tcMar": "top left start bottom right end",
        "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
        "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight "
        "tblHeader tblCellSpacing jc hidden ins del trPrChange",
        # Only the properties: the rows and the block content that follow keep their
        # order, whatever it is.
        "tbl": "tblPr tblGrid",
        "tr": "tblPrEx trPr",
        "tc": "tcPr",
        "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar "
        "paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
        "textDirection bidi rtlGutter docGrid printerSettings sectPrChange",
        "numbering": "numPicBullet abstractNum num numIdMacAtCleanup",
        "abstractNum": "nsid multiLevelType tmpl name styleLink numStyleLink lvl",
        "lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy "
        "lvlJc pPr rPr",
        "num": "abstractNumId lvlOverride",
        "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
        "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr "
        "tblPr trPr tcPr tblStylePr",
        "styles": "docDefaults latentStyles style",
        "docDefaults": "rPrDefault pPrDefault",
    }.items()
}
_RANK = {parent: {tag: i for i, tag in enumerate(tags)} for parent, tags in ORDER.items()}


_W = f"{{{W_NS}}}"
_W_LENGTH = len(_W)


def _local(node: etree._Element) -> str:
    tag = node.tag
    if not isinstance(tag, str):
        return ""
    return tag[_W_LENGTH:] if tag.startswith(_W) else tag.rpartition("}")[2]


def _rank(parent: str, node: etree._Element) -> int | None:
    # Cheap on purpose: this runs for every property element of every merged part.
    tag = node.tag
    if not isinstance(tag, str) or not tag.startswith(_W):
        return None  # a comment, or another vocabulary's element: stays where it is
    return _RANK[parent].get(tag[_W_LENGTH:])


def insert(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Put `child` into `parent` where the schema wants it: after every sibling that
    comes before it or beside it (repeatable children keep their own order)."""
    kind = _local(parent)
    if kind not in _RANK:
        parent.append(child)
        return child
    rank = _rank(kind, child)
    if rank is None:
        parent.append(child)
        return child
    for index, sibling in enumerate(parent):
        other = _rank(kind, sibling)
        if other is not None and other > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def set_child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Replace or insert the w: child `tag` of `parent`, in schema order."""
    existing = parent.find(f"{{{W_NS}}}{tag}")
    if existing is not None:
        parent.remove(existing)
    return insert(parent, _el(tag, attrs))


def get_or_add(parent: etree._Element, tag: str) -> etree._Element:
    """The w: child `tag` of `parent`, added in schema order when missing."""
    existing = parent.find(f"{{{W_NS}}}{tag}")
    return existing if existing is not None else insert(parent, _el(tag, {}))


def out_of_order(parent: etree._Element) -> str | None:
    """The first child of `parent` out of schema order, as 'a before b', or None."""
    kind = _local(parent)
    if kind not in _RANK:
        return None
    highest, highest_name = -1, ""
    for child in parent:
        rank = _rank(kind, child)
        if rank is None:
            continue
        if rank < highest:
            return f"{_local(child)} efter {highest_name}"
        highest, highest_name = rank, _local(child)
    return None


def sort_children(parent: etree._Element) -> None:
    """Put the known children of `parent` in schema order. The sort is stable, and an
    unknown child (a comment, an extension, content the table does not order) moves
    with the known child before it."""
    kind = _local(parent)
    if kind not in _RANK:
        return
    keyed = []
    rank = -1
    for index, child in enumerate(parent):
        own = _rank(kind, child)
        rank = own if own is not None else rank
        keyed.append((rank, index, child))
    keyed.sort(key=lambda item: (item[0], item[1]))
    for _, _, child in keyed:
        parent.append(child)  # appending an existing child moves it to the end


_KNOWN = tuple(f"{{{W_NS}}}{tag}" for tag in ORDER)


def repair(root: etree._Element) -> None:
    """Put every known element under `root` (itself included) in schema order, where
    it is not: what an attachment's writer got wrong, the packet does not repeat."""
    for node in root.iter(*_KNOWN):
        if out_of_order(node) is not None:
            sort_children(node)
