"""Passes over a filled document: landscape sections, and the table of contents.

Blocks leave marker paragraphs where these belong (see BlockWriter.landscape and
BlockWriter.contents); only when everything is written do we know where sections
begin and end, and which headings follow a table of contents.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Mapping

from lxml import etree

from beslutsdoc.ooxml import sections
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import el, set_ppr_child, sub, w
from beslutsdoc.render.word import CONTENTS, MARK, Resources

SECT_PR = w("sectPr")
BOOKMARK_PREFIX = "bdtoc"  # letters and digits only: PDF named destinations keep them as they are


def _style_of(p: etree._Element) -> str | None:
    style = p.find(f"{wml.PPR}/{wml.PSTYLE}")
    return None if style is None else style.get(wml.VAL)


def _heading_levels(res: Resources) -> dict[str, int]:
    levels = {}
    for level in range(1, 7):
        style = res.style(f"heading {level}")
        if style:
            levels[style] = level
    return levels


# -- landscape sections ---------------------------------------------------------------


def apply_orientation(body: etree._Element, res: Resources) -> None:
    """Sections for what the writer put on landscape pages (`res.landscape`), with the
    heading just before it; everything else upright."""
    turned = set(res.landscape)
    items = [(c, c in turned) for c in body if c.tag != SECT_PR]
    if not any(inside for _, inside in items):
        return
    headings = _heading_levels(res)

    def movable(element: etree._Element) -> bool:
        """Headings go with the table they introduce; empty paragraphs do not matter."""
        if element.tag != wml.P:
            return False
        return _style_of(element) in headings or not wml.paragraph_text(element).strip()

    _headings_join(items, movable)
    final = body.find(SECT_PR)
    assert final is not None
    runs = _runs(items)
    for number, (landscape, elements) in enumerate(runs[:-1]):
        _close_section(elements[-1], _section(final, landscape, first=number == 0))
    if len(runs) > 1:
        body.replace(final, _section(final, runs[-1][0], first=False))


def _headings_join(
    items: list[tuple[etree._Element, bool]], movable: Callable[[etree._Element], bool]
) -> None:
    """A heading just before a landscape part joins it; two landscape parts with only
    headings between them are one."""
    for index in range(1, len(items)):
        if items[index][1] and not items[index - 1][1]:
            back = index - 1
            while back >= 0 and not items[back][1] and movable(items[back][0]):
                items[back] = (items[back][0], True)
                back -= 1
    flagged = [i for i, (_, landscape) in enumerate(items) if landscape]
    for first, second in itertools.pairwise(flagged):
        if all(movable(items[i][0]) for i in range(first + 1, second)):
            for i in range(first + 1, second):
                items[i] = (items[i][0], True)


def _runs(
    items: list[tuple[etree._Element, bool]],
) -> list[tuple[bool, list[etree._Element]]]:
    """Consecutive elements of the same orientation."""
    runs: list[tuple[bool, list[etree._Element]]] = []
    for element, landscape in items:
        if runs and runs[-1][0] == landscape:
            runs[-1][1].append(element)
        else:
            runs.append((landscape, [element]))
    return runs


def _close_section(last: etree._Element, section: etree._Element) -> None:
    """End a section after `last` (in its paragraph, or one added after a table)."""
    if last.tag != wml.P:
        holder = el("p")
        last.addnext(holder)
        last = holder
    ppr = last.find(wml.PPR)
    if ppr is None:
        ppr = el("pPr")
        last.insert(0, ppr)
    target = set_ppr_child(ppr, "sectPr")
    target.extend(list(section))
    for name, value in section.attrib.items():
        target.set(name, value)


def _section(base: etree._Element, landscape: bool, *, first: bool) -> etree._Element:
    section = copy.deepcopy(base)
    if not first:
        for title_page in section.findall(w("titlePg")):
            section.remove(title_page)
    sections.turn(section, landscape=landscape)
    return section


# -- table of contents --------------------------------------------------------------


def build_contents(body: etree._Element, res: Resources) -> None:
    """Replace the contents marker with an entry per heading (levels 1–2) after it."""
    markers = [p for p in body.iter(wml.P) if p.get(MARK) == CONTENTS]
    if not markers:
        return
    headings = _heading_levels(res)
    marker = markers[0]
    for extra in markers[1:]:
        extra.getparent().remove(extra)  # type: ignore[union-attr]
    entries: list[tuple[int, str, str]] = []
    after = False
    for p in body.iter(wml.P):
        if p is marker:
            after = True
            continue
        level = headings.get(_style_of(p) or "")
        text = wml.paragraph_text(p).strip()
        if after and level and level <= 2 and text:
            name = f"{BOOKMARK_PREFIX}{len(entries) + 1}"
            _bookmark(p, name, 9000 + len(entries))
            entries.append((level, text, name))
    write_contents(marker, entries, res.styles, res.text_width)


def write_contents(
    marker: etree._Element,
    entries: list[tuple[int, str, str]],
    styles: Mapping[str, str],
    width: int,
) -> None:
    """Replace `marker` with one entry per (level, text, bookmark): a link to the
    bookmark and a PAGEREF field for its page. No TOC field around them: LibreOffice
    computes PAGEREF fields as it lays out the pages, so the PDF has the right numbers
    in one run (a TOC field's cached text would be printed as it is); Word computes
    them when fields are updated (F9) or the document is printed."""
    paragraphs = []
    for level, text, name in entries:
        p = el("p")
        ppr = sub(p, "pPr")
        style = styles.get(f"toc {min(level, 2)}")
        if style:
            sub(ppr, "pStyle", val=style)
        tabs = sub(ppr, "tabs")
        sub(tabs, "tab", val="right", leader="dot", pos=str(width))
        if level > 1:
            sub(ppr, "ind", left="440")
        link = sub(p, "hyperlink", anchor=name, history="1")
        link.append(wml.run(text))
        link.append(wml.run("\t"))
        _field(link, f" PAGEREF {name} \\h ")
        paragraphs.append(p)
    parent = marker.getparent()
    assert parent is not None
    position = parent.index(marker)
    for offset, p in enumerate(paragraphs):
        parent.insert(position + offset, p)
    parent.remove(marker)


def _bookmark(p: etree._Element, name: str, number: int) -> None:
    sections.bookmark(p, name, number)


def _field(parent: etree._Element, instruction: str) -> None:
    sub(sub(parent, "r"), "fldChar", fldCharType="begin")
    instr = sub(sub(parent, "r"), "instrText")
    instr.text = instruction
    instr.set(wml.XML_SPACE, "preserve")
    sub(sub(parent, "r"), "fldChar", fldCharType="separate")
    sub(sub(parent, "r"), "fldChar", fldCharType="end")


_PAGEREF = re.compile(r"PAGEREF\s+(\S+)")


def fill_page_numbers(docx: bytes, pages: Mapping[str, int]) -> bytes:
    """The document with its contents' page numbers filled in as the PDF has them, so
    Word shows them before its fields are updated. Unchanged if it has no contents."""
    package = Package.read(docx)
    main = package.main_part()
    if f"PAGEREF {BOOKMARK_PREFIX}".encode() not in package.data(
        main
    ) and b"PAGEREF bd" not in package.data(main):
        return docx
    root = package.element(main)
    for instr in root.iter(w("instrText")):
        found = _PAGEREF.search(instr.text or "")
        page = pages.get(found[1]) if found else None
        run = instr.getparent()
        separate = run.getnext() if run is not None else None
        if page is None or separate is None:
            continue
        end = separate.getnext()
        if end is not None and end.find(w("fldChar")) is None:
            end.getparent().remove(end)  # type: ignore[union-attr]
        separate.addnext(wml.run(str(page)))
    return package.to_bytes()
