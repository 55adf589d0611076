"""The packet's Word file cut into parts LibreOffice lays out in parallel, and the small
documents that put back what only the whole document knows.

LibreOffice lays out one long document in time that grows faster than its pages, so the
PDF is made from parts: a front part (everything up to the last PAGEREF field: the
contents, and any a paper brings) and body parts of about equal size, each cut where a
new page starts for certain. What depends on the whole document is handled here:

- headers and footers: a body part after the first begins with a lead page, an empty
  section naming the headers and footers in effect at the cut (Word inherits them from
  earlier sections, which the part no longer has); the PDF side drops that page
  (`Part.lead_pages`);
- footnote and endnote numbers go on (`w:numStart`); numbered lists are never cut;
  a part keeps only the notes and numberings it uses (LibreOffice reads every one);
- page numbers: every header/footer paragraph with a PAGE or NUMPAGES field gets a marker
  colour (`Parts.marker`: its own colour with blue's lowest bit flipped, so it looks the
  same), so the PDF side can find those lines and draw in their place the lines of a
  numbers document (`numbers_document`): its pages are empty but for headers and
  footers, numbered as the real pages are;
- the contents: `front_document` writes the front's PAGEREF and NUMPAGES fields as text.

The PDF side: convert `front` and the body parts; count each section's pages from the
named destinations of `Section.bookmark` (less the lead page); convert `front_document`
and one `numbers_document` per body part; put the pages together.

Documents whose pages the parts cannot reproduce (odd/even sections and headers,
mirrored margins, SECTIONPAGES, continuous sections, endnotes), or whose page-number
lines differ in colour (one marker tells them), are not cut: `split` returns None and
the caller converts the one document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from beslutsdoc.export.layout_input import counts_section_pages, merge_sections, section_of
from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.numbering import num_ids_in, pruned
from beslutsdoc.ooxml.package import (
    R_ENDNOTES,
    R_FOOTER,
    R_FOOTNOTES,
    R_HEADER,
    R_NUMBERING,
    R_SETTINGS,
    R_STYLES,
    Package,
)
from beslutsdoc.ooxml.wordml import el, w

#: Our section bookmarks ("bdsec<part>s<n>"): the composer's are bd<digit>…, bdtoc…,
#: d<n>bdtoc…, bdkallelse, bdinnehall. Letters and digits only: PDF named destinations
#: keep them as they are.
BOOKMARK_PREFIX = "bdsec"
_BOOKMARK_ID = 2_000_000_000  # far above the composer's bookmark ids
_SECT = w("sectPr")
_REFERENCES = (w("headerReference"), w("footerReference"))
_PAGE_FIELD = re.compile(r"^\s*(PAGE|NUMPAGES|SECTIONPAGES)\b")
_NUMPAGES = re.compile(r"^\s*NUMPAGES\b")
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")
#: Body XML per page (each body child serialised on its own), roughly: the Botkyrka
#: packet and generated packets of 100 and 500 items all have 15 300-15 700 bytes.
_BYTES_PER_PAGE = 15500


@dataclass(frozen=True)
class Section:
    """A section of a body part: its bookmark, and its sectPr as the part has it."""

    bookmark: str
    properties: etree._Element
    #: False for a part's first section when it began in the part before.
    starts: bool


@dataclass(frozen=True)
class Part:
    """A body part. `lead`: the sectPr of its lead page (see `_lead`), which the PDF side
    drops; None for a part that starts the document and so has none."""

    docx: bytes
    sections: tuple[Section, ...]
    lead: etree._Element | None

    @property
    def lead_pages(self) -> int:
        return 0 if self.lead is None else 1


@dataclass(frozen=True)
class Parts:
    """The document cut: `front` (None without a table of contents), then `body`.
    `marker`: the page-number lines' colour in the body parts and numbers documents.
    `front` has its contents' page numbers as placeholders of as many digits as the
    document's page numbers will have, so that it lays out as `front_document` (made
    from `front_fields`, the front with its fields) will."""

    front: bytes | None
    body: tuple[Part, ...]
    marker: tuple[int, int, int]
    front_fields: bytes | None = None


def split(docx: bytes, parts: int) -> Parts | None:
    """The packet `docx` (as `for_layout` gives it to LibreOffice) cut into a front part
    and up to `parts` body parts of about equal size; None where the parts could not give
    the same pages as the whole (see the module) or there is nowhere to cut."""
    package = Package.read(docx)
    main = package.main_part()
    root = package.element(main)
    if not counts_section_pages(package):
        merge_sections(root)  # as `for_layout` does, without writing the file and reading it again
    body = root.find(w("body"))
    if body is None or len(body) == 0 or body[-1].tag != _SECT or _refused(package):
        return None
    children = list(body)
    ends = [section_of(child) for child in children]
    cuts = _cuts(package, children, ends)
    front_end = _front_end(children, cuts)
    if front_end is None:
        return None
    sizes = [len(etree.tostring(child)) for child in children]
    starts = [0] if front_end == 0 else [0, front_end]
    starts += _even_cuts(sizes, [c for c in cuts if c > front_end], parts, front_end)
    if len(starts) < 2:
        return None
    marker = _marker(package)
    if marker is None:
        return None
    bounds = list(zip(starts, [*starts[1:], len(children) - 1], strict=True))
    front = front_fields = None
    if front_end:
        front_fields = _part_docx(package, main, root, (children, ends), bounds[0], None).docx
        front = _placeholders(front_fields, _page_guesses(children, sizes))
        bounds = bounds[1:]
    _mark(package, marker)
    body_parts = tuple(
        _part_docx(package, main, root, (children, ends), span, number)
        for number, span in enumerate(bounds, 1)
    )
    return Parts(front, body_parts, marker, front_fields)


def _page_guesses(children: list[etree._Element], sizes: list[int]) -> dict[str, int]:
    """Each bookmark's page as its place in the body's bytes suggests."""
    guesses = {}
    before = 0
    for child, size in zip(children, sizes, strict=True):
        for start in child.iter(w("bookmarkStart")):
            guesses[str(start.get(w("name")))] = 1 + before // _BYTES_PER_PAGE
        before += size
    return guesses


def _placeholders(docx: bytes, guesses: Mapping[str, int]) -> bytes:
    """`docx` with its PAGEREF fields as zeros, as many as the page number will have
    digits (by `guesses`): their bookmarks are in other parts, and LibreOffice would
    print an error message, wider than the number. A wider number could make a line
    of the contents wrap where the real one does not."""

    def zeros(instruction: str) -> str | None:
        found = _PAGEREF.match(instruction)
        return "0" * len(str(guesses.get(found[1], 1))) if found else None

    package = Package.read(docx)
    _literal_fields(package.element(package.main_part()), zeros)
    return package.to_bytes()


# -- what cannot be cut -----------------------------------------------------------------


def _refused(package: Package) -> bool:
    settings = package.related_one(package.main_part(), R_SETTINGS)
    if settings and package.has(settings):
        found = package.element(settings)
        for name in ("evenAndOddHeaders", "mirrorMargins"):
            setting = found.find(w(name))
            if setting is not None and setting.get(wml.VAL) in (None, "1", "true", "on"):
                return True
    main = package.element(package.main_part())
    if next(main.iter(w("endnoteReference")), None) is not None:
        return True  # endnotes go after the document's end: a part would end with its own
    for section in main.iter(_SECT):
        kind = section.find(w("type"))
        if kind is not None and kind.get(w("val")) not in ("nextPage", None):
            return True  # odd/even pages, or sections sharing a page
    return counts_section_pages(package)


def _header_footer_parts(package: Package) -> list[str]:
    main = package.main_part()
    names = [*package.related(main, R_HEADER), *package.related(main, R_FOOTER)]
    return [name for name in names if package.has(name)]


def _cuts(
    package: Package, children: list[etree._Element], ends: list[etree._Element | None]
) -> list[int]:
    """Indices a part may start at: a paragraph after a section break, or one starting a
    page of its own in a section without a first-page header or own numbering (the part
    would begin that section again); never inside a numbered list."""
    following = _sections_in_effect(ends)
    inside = {i for a, b in _list_spans(package, children) for i in range(a + 1, b + 1)}
    cuts = []
    for index in range(1, len(children) - 1):
        child = children[index]
        if child.tag != wml.P or index in inside:
            continue
        if ends[index - 1] is not None and children[index - 1].tag == wml.P:
            cuts.append(index)
        elif child.find(f"{wml.PPR}/{w('pageBreakBefore')}") is not None:
            section = following[index]
            if section.find(w("titlePg")) is None and not _own_start(section):
                cuts.append(index)
    return cuts


def _own_start(section: etree._Element) -> bool:
    numbering = section.find(w("pgNumType"))
    return numbering is not None and numbering.get(w("start")) is not None


def _sections_in_effect(ends: list[etree._Element | None]) -> list[etree._Element]:
    """For each child, the sectPr of the section it belongs to (`ends`: the section
    each child ends; the last child is the body's own sectPr)."""
    result: list[etree._Element] = []
    pending = 0
    for index, section in enumerate(ends):
        if section is not None:
            result += [section] * (index + 1 - pending)
            pending = index + 1
    return result


def _list_spans(package: Package, children: list[etree._Element]) -> list[tuple[int, int]]:
    """(first, last) child index of each numbered list: a cut between them would
    restart its numbers."""
    counted = _counting_lists(package)
    styles = _style_lists(package)
    seen: dict[str, tuple[int, int]] = {}
    for index, child in enumerate(children):
        for p in child.iter(wml.P):
            found = p.find(f"{wml.PPR}/{w('numPr')}/{w('numId')}")
            style = p.find(f"{wml.PPR}/{wml.PSTYLE}")
            num = found.get(wml.VAL) if found is not None else None
            if num is None and style is not None:
                num = styles.get(str(style.get(wml.VAL)))
            if num in counted:
                first = seen.get(num, (index, index))[0]
                seen[num] = (first, index)
    return [span for span in seen.values() if span[0] < span[1]]


def _counting_lists(package: Package) -> set[str]:
    """numIds whose levels show numbers (bullets restart unseen)."""
    name = package.related_one(package.main_part(), R_NUMBERING)
    if not name or not package.has(name):
        return set()
    numbering = package.element(name)
    counting = set()
    for abstract in numbering.iter(w("abstractNum")):
        formats = {f.get(wml.VAL) for f in abstract.iter(w("numFmt"))}
        if formats - {"bullet", "none"}:
            counting.add(abstract.get(w("abstractNumId")))
    return {
        str(num.get(w("numId")))
        for num in numbering.iter(w("num"))
        if (found := num.find(w("abstractNumId"))) is not None and found.get(wml.VAL) in counting
    }


def _style_lists(package: Package) -> dict[str, str]:
    """Paragraph style id → the numId it numbers with (basedOn chains followed)."""
    styles = _styles(package)
    result = {}
    for style_id in styles:
        for style in _chain(styles, style_id):
            found = style.find(f"{wml.PPR}/{w('numPr')}/{w('numId')}")
            if found is not None:
                result[style_id] = str(found.get(wml.VAL))
                break
    return result


def _styles(package: Package) -> dict[str, etree._Element]:
    name = package.related_one(package.main_part(), R_STYLES)
    if not name or not package.has(name):
        return {}
    return {str(s.get(w("styleId"))): s for s in package.element(name).iter(w("style"))}


def _chain(styles: Mapping[str, etree._Element], style_id: str | None) -> Iterator[etree._Element]:
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        yield styles[style_id]
        based = styles[style_id].find(w("basedOn"))
        style_id = based.get(wml.VAL) if based is not None else None


# -- where to cut ---------------------------------------------------------------------------


def _front_end(children: list[etree._Element], cuts: list[int]) -> int | None:
    """Where the first body part starts: the first cut after the last PAGEREF field
    (the contents, and any a paper brings: their numbers are filled in literally); 0
    without one; None when there is no cut after it."""
    last = None
    for index, child in enumerate(children):
        instructions = [t.text or "" for t in child.iter(w("instrText"))]
        instructions += [str(f.get(w("instr"))) for f in child.iter(w("fldSimple"))]
        if any("PAGEREF" in instruction for instruction in instructions):
            last = index
    if last is None:
        return 0
    return next((cut for cut in cuts if cut > last), None)


def _even_cuts(sizes: list[int], cuts: list[int], parts: int, start: int) -> list[int]:
    """Up to `parts - 1` of `cuts` that divide the body's bytes from `start` most
    evenly (`sizes`: each child's)."""
    running = [0]
    for size in sizes[start:-1]:
        running.append(running[-1] + size)
    total = running[-1]
    chosen: list[int] = []
    for number in range(1, parts):
        goal = total * number / parts
        left = [c for c in cuts if not chosen or c > chosen[-1]]
        if not left:
            break
        best = min(left, key=lambda c: abs(running[c - start] - goal))
        if best not in chosen:
            chosen.append(best)
    return chosen


# -- one part ------------------------------------------------------------------------------


def _part_docx(
    package: Package,
    main: str,
    root: etree._Element,
    body_of: tuple[list[etree._Element], list[etree._Element | None]],
    span: tuple[int, int],
    number: int | None,
) -> Part:
    """The part of `children[first:end]` as a .docx, with its sections (none for the
    front part, `number` None); `body_of`: the body's children and the section each
    ends."""
    children, ends = body_of
    first, end = span
    new_root = etree.Element(root.tag, root.attrib, nsmap=root.nsmap)  # type: ignore[arg-type]
    for other in root:
        if other.tag != w("body"):
            new_root.append(copy.deepcopy(other))
    body = etree.SubElement(new_root, w("body"))
    body.extend(copy.deepcopy(child) for child in children[first:end])
    body.append(_final_section(children, end))
    if end < len(children) - 1 and _holds_break(children[end - 1]):
        moved = body[-2].find(f"{wml.PPR}/{_SECT}")  # now the body's own: no empty page
        holder = moved.getparent() if moved is not None else None
        if moved is not None and holder is not None:
            holder.remove(moved)
            if all(child.tag == wml.PPR for child in body[-2]):
                # LibreOffice drops an empty paragraph that only ends a section; without
                # the break it would keep it, as an empty line and an empty /P.
                body.remove(body[-2])
    if first:
        _start_fresh(body[0])
    lead = _lead(package, (children[:first], ends[:first]), body) if first else None
    sections: tuple[Section, ...] = ()
    if number is not None:
        starts = first == 0 or ends[first - 1] is not None
        sections = _mark_sections(body, number, starts=starts, skip=int(lead is not None))
    originals = {main: root, **_notes_in_order(package, new_root)}
    package.set_element(main, new_root)
    originals |= _numberings_used(package, new_root)
    try:
        return Part(package.to_bytes(), sections, lead)
    finally:
        for name, element in originals.items():
            package.set_element(name, element)


def _notes_in_order(package: Package, document: etree._Element) -> dict[str, etree._Element]:
    """Give the part's footnotes and endnotes parts only the notes its body refers to,
    in the order it refers to them: LibreOffice takes the n-th note of the part for the
    n-th reference, whatever its id. Returns the parts' trees as they were."""
    originals = {}
    main = package.main_part()
    for kind, rel in (("footnote", R_FOOTNOTES), ("endnote", R_ENDNOTES)):
        name = package.related_one(main, rel)
        if not name or not package.has(name):
            continue
        notes = package.element(name)
        by_id = {str(note.get(w("id"))): note for note in notes.iter(w(kind))}
        kept = [note for note in notes if note.get(w("type")) not in (None, "normal")]
        for ref in document.iter(w(kind + "Reference")):
            note = by_id.get(str(ref.get(w("id"))))
            if note is not None:
                kept.append(note)
        ordered = etree.Element(notes.tag, notes.attrib, nsmap=notes.nsmap)  # type: ignore[arg-type]
        ordered.extend(copy.deepcopy(note) for note in kept)
        originals[name] = notes
        package.set_element(name, ordered)
    return originals


def _numberings_used(package: Package, document: etree._Element) -> dict[str, etree._Element]:
    """Give the part's numbering part only the numberings the part uses (in its body,
    notes, headers, footers and styles). Returns the numbering part's tree as it was."""
    main = package.main_part()
    name = package.related_one(main, R_NUMBERING)
    if not name or not package.has(name):
        return {}
    others = [package.related_one(main, rel) for rel in (R_STYLES, R_FOOTNOTES, R_ENDNOTES)]
    others += _header_footer_parts(package)
    roots = [document, *(package.element(n) for n in others if n and package.has(n))]
    numbering = package.element(name)
    package.set_element(name, pruned(numbering, num_ids_in(roots)))
    return {name: numbering}


def _final_section(children: list[etree._Element], end: int) -> etree._Element:
    """The sectPr in effect at the part's end: the break just before it (moved to the
    body's end, so it makes no empty page), or a copy of the section's own."""
    if end == len(children) - 1:
        return copy.deepcopy(children[end])
    holder = children[end - 1]
    own = holder.find(f"{wml.PPR}/{_SECT}") if holder.tag == wml.P else None
    if own is not None:
        return copy.deepcopy(own)
    return copy.deepcopy(next(s for c in children[end:] if (s := section_of(c)) is not None))


def _holds_break(child: etree._Element) -> bool:
    return child.tag == wml.P and child.find(f"{wml.PPR}/{_SECT}") is not None


def _start_fresh(first: etree._Element) -> None:
    """The part's first paragraph starts a page anyway (after the lead page's section
    break): a page break before it as well is one too many."""
    ppr = first.find(wml.PPR)
    found = ppr.find(w("pageBreakBefore")) if ppr is not None else None
    if found is not None and ppr is not None:
        ppr.remove(found)


def _lead(
    package: Package,
    before_of: tuple[list[etree._Element], list[etree._Element | None]],
    body: etree._Element,
) -> etree._Element:
    """Begin the part with a lead page: an empty section naming the headers and footers
    in effect at the cut, from which the part's first section inherits them as it does
    in the whole. LibreOffice lays out a section that inherits its header a little
    lower than one that names it (8.7 pt in the packet), so naming them in the part's
    first section would move its first page's text. The notes' numbers go on from the
    notes before the part. `before_of`: the children before the part, and the section
    each ends."""
    before, ends = before_of
    first = next(s for c in body if (s := section_of(c)) is not None)
    lead = copy.deepcopy(first)
    for child in list(lead):
        if child.tag in (*_REFERENCES, w("titlePg"), w("pgNumType")):
            lead.remove(child)
    inherited: dict[tuple[str, str | None], etree._Element] = {}
    for section in ends:
        for ref in section if section is not None else ():
            if ref.tag in _REFERENCES:
                inherited[(ref.tag, ref.get(w("type")))] = ref
    for ref in inherited.values():
        schema.insert(lead, copy.deepcopy(ref))
    _continue_notes(package, before, lead)
    body.insert(0, el("p", None, el("pPr", None, lead)))
    return copy.deepcopy(lead)


def _continue_notes(
    package: Package, before: list[etree._Element], section: etree._Element
) -> None:
    settings = package.related_one(package.main_part(), R_SETTINGS)
    found = package.element(settings) if settings and package.has(settings) else None
    main = package.main_part()
    for kind, rel in (("footnote", R_FOOTNOTES), ("endnote", R_ENDNOTES)):
        if not package.related(main, rel):
            continue
        restart = found.find(f"{w(kind + 'Pr')}/{w('numRestart')}") if found is not None else None
        if restart is not None and restart.get(wml.VAL) not in ("continuous", None):
            continue  # numbered per page or section: nothing runs on across a cut
        count = sum(
            1
            for child in before
            for ref in child.iter(w(kind + "Reference"))
            if ref.get(w("customMarkFollows")) not in ("1", "true", "on")
        )
        if count:
            properties = schema.get_or_add(section, kind + "Pr")
            schema.set_child(properties, "numStart", val=str(count + 1))


def _mark_sections(
    body: etree._Element, number: int, *, starts: bool, skip: int
) -> tuple[Section, ...]:
    """A bookmark at the start of each section of the part's body after the first
    `skip` elements, and the sections."""
    beginnings = [body[skip]]
    ends: list[etree._Element] = []
    for index, child in enumerate(body):
        if index < skip:
            continue
        section = section_of(child)
        if section is not None:
            ends.append(section)
            if index + 1 < len(body) - 1:
                beginnings.append(body[index + 1])
    result = []
    for index, (start, section) in enumerate(zip(beginnings, ends, strict=False)):
        name = f"{BOOKMARK_PREFIX}{number}s{index}"
        p = next(start.iter(wml.P), None)
        target = p if p is not None else start
        ppr = target.find(wml.PPR)
        target.insert(
            0 if ppr is None else 1,
            el("bookmarkStart", {"id": str(_BOOKMARK_ID + index), "name": name}),
        )
        target.insert(
            2 if ppr is not None else 1, el("bookmarkEnd", {"id": str(_BOOKMARK_ID + index)})
        )
        result.append(Section(name, copy.deepcopy(section), starts or index > 0))
    return tuple(result)


# -- the page-number lines' marker colour ---------------------------------------------


def _page_number_paragraphs(root: etree._Element) -> list[etree._Element]:
    found = []
    for p in root.iter(wml.P):
        simple = any(_PAGE_FIELD.match(str(f.get(w("instr")))) for f in p.iter(w("fldSimple")))
        complex_ = any(_PAGE_FIELD.match(t.text or "") for t in p.iter(w("instrText")))
        if simple or complex_:
            found.append(p)
    return found


def _effective_colour(
    run: etree._Element, p: etree._Element, styles: Mapping[str, etree._Element], defaults: str
) -> str:
    own = run.find(f"{wml.RPR}/{w('color')}")
    if own is not None:
        return str(own.get(wml.VAL))
    char = run.find(f"{wml.RPR}/{wml.RSTYLE}")
    para = p.find(f"{wml.PPR}/{wml.PSTYLE}")
    chains = [
        _chain(styles, char.get(wml.VAL) if char is not None else None),
        _chain(styles, para.get(wml.VAL) if para is not None else _default_style(styles)),
    ]
    for chain in chains:
        for style in chain:
            found = style.find(f"{wml.RPR}/{w('color')}")
            if found is not None:
                return str(found.get(wml.VAL))
    return defaults


def _default_style(styles: Mapping[str, etree._Element]) -> str | None:
    return next(
        (
            name
            for name, style in styles.items()
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true")
        ),
        None,
    )


#: Runs to mark, each with its paragraph (whose style may give the runs their colour).
Runs = Sequence[tuple[etree._Element, Sequence[etree._Element]]]


def _page_number_runs(package: Package) -> list[tuple[etree._Element, list[etree._Element]]]:
    return [
        (p, list(p.iter(wml.R)))
        for name in _header_footer_parts(package)
        for p in _page_number_paragraphs(package.element(name))
    ]


def _marker(package: Package) -> tuple[int, int, int] | None:
    """The one marker colour of the page-number runs (`choose_marker`)."""
    return choose_marker(package, _page_number_runs(package))


def choose_marker(package: Package, runs: Runs) -> tuple[int, int, int] | None:
    """A marker colour for `runs`: their colour with blue's lowest bit flipped (or the
    nearest colour no run of the document uses); None if their colours differ. No runs:
    the marker of black (auto)."""
    styles = _styles(package)
    styles_name = package.related_one(package.main_part(), R_STYLES)
    defaults = "000000"
    if styles_name and package.has(styles_name):
        found = package.element(styles_name).find(
            f"{w('docDefaults')}/{w('rPrDefault')}/{wml.RPR}/{w('color')}"
        )
        if found is not None:
            defaults = str(found.get(wml.VAL))
    colours = {_effective_colour(run, p, styles, defaults) for p, found in runs for run in found}
    colours = {"000000" if c.lower() == "auto" else c.upper() for c in colours}
    if len(colours) > 1 or not all(re.fullmatch("[0-9A-F]{6}", c) for c in colours):
        return None
    base = int(colours.pop() if colours else "000000", 16)
    used = _used_colours(package)
    for flip in range(1, 256):
        candidate = base ^ flip
        if candidate not in used:
            return (candidate >> 16 & 255, candidate >> 8 & 255, candidate & 255)
    return None


def _used_colours(package: Package) -> set[int]:
    used = {0}
    for name in package.names():
        if not name.endswith(".xml") or b"w:color" not in package.data(name):
            continue
        for found in package.element(name).iter(w("color")):
            value = str(found.get(wml.VAL))
            if re.fullmatch("[0-9A-Fa-f]{6}", value):
                used.add(int(value, 16))
    return used


def _mark(package: Package, marker: tuple[int, int, int]) -> None:
    """Give every run of the headers' and footers' page-number paragraphs `marker`."""
    paint(_page_number_runs(package), marker)


def paint(runs: Runs, marker: tuple[int, int, int]) -> None:
    """Write `runs` in the colour `marker`."""
    value = "{:02X}{:02X}{:02X}".format(*marker)
    for _, found in runs:
        for run in found:
            rpr = run.find(wml.RPR)
            if rpr is None:
                rpr = el("rPr")
                run.insert(0, rpr)
            colour = schema.get_or_add(rpr, "color")
            for attribute in list(colour.attrib):
                del colour.attrib[attribute]  # a theme colour would win over the value
            colour.set(wml.VAL, value)


# -- the documents of phase 2 -------------------------------------------------------------


def numbers_document(
    parts: Parts, index: int, section_pages: Sequence[int], first_page: int, total: int
) -> bytes:
    """Body part `index`'s pages with nothing on them but their headers and footers:
    one section per section of the part (`section_pages[i]` pages each), numbered from
    `first_page` (the number its first page shows in the whole) unless its first section
    sets its own start, NUMPAGES printed as `total`."""
    part = parts.body[index]
    if len(section_pages) != len(part.sections) or min(section_pages, default=1) < 1:
        raise ValueError("one page count of at least 1 for each section of the part")
    package = Package.read(part.docx)
    main = package.main_part()
    root = package.element(main)
    body = root.find(w("body"))
    assert body is not None
    body.clear()
    for number, (section, pages) in enumerate(zip(part.sections, section_pages, strict=True)):
        properties = copy.deepcopy(section.properties)
        if number == 0:
            _first_of_numbers(properties, part.lead, first_page, own=section.starts)
        body.extend(_empty_pages(pages))
        if number < len(part.sections) - 1:
            # LibreOffice drops an empty paragraph that ends a section (and its page):
            # this one holds a space.
            body[-1].append(wml.run(" "))
            ppr = body[-1].find(wml.PPR)
            if ppr is None:
                ppr = el("pPr")
                body[-1].insert(0, ppr)
            schema.insert(ppr, properties)
        else:
            body.append(properties)
    _literal_numpages(package, total)
    return package.to_bytes()


def _first_of_numbers(
    properties: etree._Element, lead: etree._Element | None, first_page: int, *, own: bool
) -> None:
    """The numbers document's first section: the headers and footers in effect (here
    named: where its text stands makes no difference), numbered from `first_page`
    unless the section (starting in this part, `own`) sets its own start."""
    named = {(ref.tag, ref.get(w("type"))) for ref in properties if ref.tag in _REFERENCES}
    for ref in lead if lead is not None else ():
        if ref.tag in _REFERENCES and (ref.tag, ref.get(w("type"))) not in named:
            schema.insert(properties, copy.deepcopy(ref))
    if not (own and _own_start(properties)):
        schema.get_or_add(properties, "pgNumType").set(w("start"), str(first_page))


def _empty_pages(pages: int) -> Iterable[etree._Element]:
    yield el("p")
    for _ in range(pages - 1):
        yield el("p", None, el("pPr", None, el("pageBreakBefore")))


def front_document(parts: Parts, pages: Mapping[str, int], total: int) -> bytes:
    """The front part with its contents' page numbers (`pages`: bookmark → page from 1)
    and its NUMPAGES fields (`total`) written in as text; its PAGE fields are right
    already. Not as `fill_page_numbers` fills them (the field's shown result): LibreOffice
    computes a PAGEREF field again, and its bookmark is in another part."""
    if parts.front_fields is None:
        raise ValueError("the document has no front part")
    package = Package.read(parts.front_fields)
    _literal_numpages(package, total)

    def number(instruction: str) -> str | None:
        found = _PAGEREF.match(instruction)
        page = pages.get(found[1]) if found else None
        return None if page is None else str(page)

    _literal_fields(package.element(package.main_part()), number)
    return package.to_bytes()


def _literal_numpages(package: Package, total: int) -> None:
    """NUMPAGES fields in headers and footers as the literal `total`."""
    for name in _header_footer_parts(package):
        if b"NUMPAGES" in package.data(name):
            _literal_fields(
                package.element(name), lambda i: str(total) if _NUMPAGES.match(i) else None
            )


def _literal_fields(root: etree._Element, value: Callable[[str], str | None]) -> None:
    """Every field in `root` for whose instruction `value` gives a text replaced by that
    text (in the format of the field's first run)."""
    for field in list(root.iter(w("fldSimple"))):
        text = value(str(field.get(w("instr"))))
        if text is not None:
            _replace(field, [field], text)
    for instr in list(root.iter(w("instrText"))):
        text = value(instr.text or "")
        if text is not None:
            _replace_complex(instr, text)


def _replace(anchor: etree._Element, gone: list[etree._Element], text: str) -> None:
    first_run = anchor if anchor.tag == wml.R else next(anchor.iter(wml.R), None)
    run = el("r")
    rpr = first_run.find(wml.RPR) if first_run is not None else None
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    wml.add_text(run, text)
    anchor.addprevious(run)
    for element in gone:
        element.getparent().remove(element)  # type: ignore[union-attr]


def _replace_complex(instr: etree._Element, text: str) -> None:
    """Replace the runs from the field's begin to its end by one run of `text`."""
    run = instr.getparent()
    if run is None or run.tag != wml.R:
        return
    runs = [r for r in run.itersiblings(preceding=True) if r.tag == wml.R]
    begin = next((r for r in runs if _fld(r) == "begin"), None)
    if begin is None:
        return
    span: list[etree._Element] = []
    node: etree._Element | None = begin
    depth = 0
    while node is not None:
        span.append(node)
        kind = _fld(node)
        depth += kind == "begin"
        depth -= kind == "end"
        if depth == 0:
            break
        node = node.getnext()
    _replace(begin, span, text)


def _fld(run: etree._Element) -> str | None:
    found = run.find(w("fldChar"))
    return None if found is None else found.get(w("fldCharType"))
