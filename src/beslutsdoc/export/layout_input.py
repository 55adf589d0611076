"""The packet's Word file as LibreOffice lays it out fastest, with the same pages.

The packet gives every part a section of its own (each part keeps its own page setup).
LibreOffice makes a page style of every section and lays out a document of hundreds of
them in time that grows faster than its pages (500 items: 2 000 sections). Consecutive
sections with the same page setup need no section break: the later part starting on a
new page (`pageBreakBefore` on its first paragraph) gives the same pages. So the file
LibreOffice converts has one section per run of equal page setups; the user's .docx
keeps its sections.

Only the packet composer's own section breaks are merged: an empty paragraph that holds
nothing but the section, followed by a paragraph (a part that begins with a table keeps
its break), into a section with the same page size, margins, columns and grid that
starts on a new page and has no header, footer or page numbering of its own. A document
whose header or footer counts the pages of its section (SECTIONPAGES) is left as it is:
merging would change what it counts.
"""

from __future__ import annotations

import copy
import itertools

from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import R_FOOTER, R_HEADER, Package
from beslutsdoc.ooxml.wordml import w

_SECT = w("sectPr")
#: What a section may hold of its own that makes it more than a page setup.
_OWN = {w("headerReference"), w("footerReference"), w("titlePg"), w("pgNumType")}
#: What makes no difference to a section's pages.
_IGNORED = {w("type"), w("printerSettings")}


def for_layout(docx: bytes) -> bytes:
    """`docx` with its equal consecutive sections merged (see the module); the same
    bytes when there are none to merge."""
    package = Package.read(docx)
    if counts_section_pages(package) or not merge_sections(package.element(package.main_part())):
        return docx
    return package.to_bytes()


def counts_section_pages(package: Package) -> bool:
    """Whether a header or footer of the document has a SECTIONPAGES field."""
    main = package.main_part()
    parts = [*package.related(main, R_HEADER), *package.related(main, R_FOOTER)]
    return any(package.has(name) and b"SECTIONPAGES" in package.data(name) for name in parts)


def merge_sections(document: etree._Element) -> int:
    """Merge the composer's section breaks between equal page setups in `document`
    (the root of document.xml); returns how many were merged."""
    body = document.find(w("body"))
    if body is None:
        return 0
    children = list(body)
    # Each section's end: the paragraph that holds it, or the body's own last sectPr.
    ends = [
        (i, section)
        for i, child in enumerate(children)
        if (section := section_of(child)) is not None
    ]
    merged = 0
    for (index, section), (_, following) in itertools.pairwise(ends):
        holder = children[index]
        after = children[index + 1] if index + 1 < len(children) else None
        if not _bare(holder) or after is None or after.tag != wml.P:
            continue
        if not _same_pages(section, following) or not _plain_start(following):
            continue
        # The section's own header, footer and numbering go on with the merged one.
        own = [copy.deepcopy(child) for child in section if child.tag in _OWN]
        for child in reversed(own):
            following.insert(0, child)
        ppr = after.find(wml.PPR)
        if ppr is None:
            ppr = etree.SubElement(after, wml.PPR)
            after.insert(0, ppr)
        wml.set_ppr_child(ppr, "pageBreakBefore")
        body.remove(holder)
        merged += 1
    return merged


def section_of(child: etree._Element) -> etree._Element | None:
    """The section that ends at `child`, a child of the body: its own, its
    paragraph's, or the last one within it (content controls may hold paragraphs that
    end sections; a table cell's paragraphs never do)."""
    if child.tag == _SECT:
        return child
    if child.tag == wml.P:
        return child.find(f"{wml.PPR}/{_SECT}")
    if child.tag == wml.TBL:
        return None
    inner = list(child.iter(_SECT))
    return inner[-1] if inner else None


def _bare(holder: etree._Element) -> bool:
    """The composer's holder: a paragraph with no content but the section."""
    if holder.tag != wml.P or len(holder) != 1:
        return False
    ppr = holder[0]
    return ppr.tag == wml.PPR and len(ppr) == 1 and ppr[0].tag == _SECT


def _setup(section: etree._Element) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (child.tag, sorted((str(k), str(v)) for k, v in child.attrib.items()))
        for child in section
        if isinstance(child.tag, str) and child.tag not in _OWN | _IGNORED
    ]


def _same_pages(one: etree._Element, other: etree._Element) -> bool:
    return _setup(one) == _setup(other)


def _plain_start(section: etree._Element) -> bool:
    """A section that starts on a new page and has nothing of its own but its pages."""
    kind = section.find(w("type"))
    if kind is not None and kind.get(w("val")) not in ("nextPage", None):
        return False
    return not any(child.tag in _OWN for child in section)
