"""Merge Word documents into one: the packet.

docxcompose's Composer re-scans the growing document on every append, which makes a
packet of 200 papers take some twenty seconds and grow quadratically. This composer
keeps running counters and maps instead, so each append costs only the appended
document's own size; and it keeps every part as its author made it: each part on a new
page in a section of its own (a landscape attachment stays landscape), its own look
(styles mapped by name, see ooxml/stylemap.py), lists numbered from its own start
(ooxml/numbering.py), footnotes and endnotes, images, charts, diagrams, links,
bookmarks and custom properties; and one header and footer for the whole packet.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from lxml import etree

from beslutsdoc.ooxml import ids, schema, sections
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.copier import PartCopier, PartCopy
from beslutsdoc.ooxml.notes import NOTE_RELATIONSHIPS, ensure_notes_part
from beslutsdoc.ooxml.numbering import Numbering, PartLists, num_ids_in
from beslutsdoc.ooxml.package import (
    CONTENT_TYPES,
    R_NUMBERING,
    R_STYLES,
    R_STYLES_WITH_EFFECTS,
    Package,
)
from beslutsdoc.ooxml.stylemap import STYLE_REFERENCES, PartStyles, StyleMap
from beslutsdoc.ooxml.styles import style_ids
from beslutsdoc.ooxml.wordml import R_NS, el, sub, w
from beslutsdoc.render.layout import write_contents
from beslutsdoc.render.word import CONTENTS, MARK

SECT_PR = w("sectPr")
R_ENDNOTES = NOTE_RELATIONSHIPS["endnote"]
_COMMENTS = {w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")}
_HEADER_FOOTER = {w("headerReference"), w("footerReference"), w("titlePg")}
#: Distinct styles parts of appended parts kept read (papers share their template's).
_PART_STYLES_KEPT = 64
_FIELD_BOOKMARK = re.compile(r"((?:PAGEREF|REF|NOTEREF|HYPERLINK \\l)\s+\"?)([^\s\"\\]+)")


class Composer:
    """Appends documents to a base document, which gives the packet its header,
    footer, page size and styles."""

    def __init__(self, base: Package) -> None:
        self.package = base
        self.main = base.check_word()
        self.document = base.element(self.main)
        body = self.document.find(w("body"))
        assert body is not None  # check_word made sure
        self.body = body
        final = body.find(SECT_PR)
        self.final = final if final is not None else sub(body, "sectPr")
        self.packet_refs = [
            copy.deepcopy(c)
            for c in self.final
            if c.tag in _HEADER_FOOTER - {w("titlePg")} and c.get(w("type")) != "first"
        ]
        styles_part = base.related_one(self.main, R_STYLES)
        if styles_part is None:
            base.fail("paketets mall saknar formatmallar (styles.xml)")
        self.styles = StyleMap(base.element(styles_part))
        # The packet's styles change with every part: Word 2010's copy would go stale.
        base.drop_related(self.main, R_STYLES_WITH_EFFECTS)
        self.numbering = Numbering(self._part(R_NUMBERING, "numbering.xml", "numbering"))
        self.copier = PartCopier(base)
        self.next_note: dict[str, int] = {}
        self.notes_parts: dict[str, str] = {}
        self.next_bookmark = 1 + max(
            ids.numeric_ids([self.document], (w("bookmarkStart"),), w("id")), default=0
        )
        self.bookmark_names = {
            str(b.get(w("name"))) for b in self.document.iter(w("bookmarkStart"))
        }
        # Drawing ids must be unique in the whole document, headers included.
        drawings = [self.document] + [
            base.element(part)
            for part in base.names()
            if re.fullmatch(r"word/(header|footer)\d*\.xml", part)
        ]
        self.next_drawing = 1 + max(ids.numeric_ids(drawings, ids.DRAWING_IDS, "id"), default=0)
        self.sections = 0
        self.parts = 0
        self.part_styles: dict[bytes, PartStyles] = {}

    def _part(self, rel_type: str, name: str, kind: str) -> etree._Element:
        found = self.package.related_one(self.main, rel_type)
        if found is not None:
            return self.package.element(found)
        self.package.add_part(f"word/{name}", el(kind), CONTENT_TYPES[kind])
        self.package.add_relationship(self.main, rel_type, name)
        return self.package.element(f"word/{name}")

    # -- the base's own content -----------------------------------------------------------
    def take_body(self) -> list[etree._Element]:
        """Remove and return the base's body content, to place it later (`place`)."""
        taken = [c for c in self.body if c.tag != SECT_PR]
        for child in taken:
            self.body.remove(child)
        return taken

    def place(
        self,
        elements: Iterable[etree._Element],
        bookmark: str | None = None,
        page: tuple[int, int] | None = None,
    ) -> None:
        """Put content that already belongs to the base (styles, relationships) in a
        section of its own: the base's page setup, or `page` (width, height in twips)."""
        content = list(elements)
        for child in content:
            self.final.addprevious(child)
        section = self.final
        if page:
            section = copy.deepcopy(self.final)
            sections.set_page(section, *page)
        self._end_section(content, section, bookmark)

    def contents(self, entries: list[tuple[int, str, str]]) -> None:
        """Fill the base's table of contents marker with (level, text, bookmark) entries."""
        marker = next((p for p in self.body.iter(wml.P) if p.get(MARK) == CONTENTS), None)
        if marker is not None:
            styles = style_ids(self.styles.root)
            write_contents(marker, entries, styles, wml.text_width(self.final))

    # -- appending -----------------------------------------------------------------------
    def append(self, other: Package, bookmark: str | None = None) -> None:
        """Append `other` on a new page in a section of its own; `bookmark` names its start.
        A file that is not a Word document: `InputError` naming it."""
        main = other.check_word()
        self.parts += 1
        prefix = f"d{self.parts}"
        body = other.element(main).find(w("body"))
        assert body is not None  # check_word made sure
        # Element children only: an XML comment or processing instruction in the body
        # is nothing a reader sees.
        # The body copied in one call (in C), not child by child.
        content = [c for c in copy.deepcopy(body) if isinstance(c.tag, str) and c.tag != SECT_PR]
        sect = body.find(SECT_PR)
        letterhead, header_part = self._letterhead(other, main, content, sect)
        inner = [s for c in content for s in c.iter(SECT_PR)]
        for section in inner:
            self._strip(section)  # the packet's header and footer serve every part
        _drop_comments(content)
        copier = self.copier.start(other)
        notes = self._all_notes(other, main, content, copier)
        # Each part's relationship ids are its own: map the header's and the body's apart.
        copier.relationships(main, content, self.main)
        if letterhead:
            copier.relationships(header_part, letterhead, self.main)
            content = letterhead + content
        everything = content + notes
        self._styles_and_lists(other, main, everything)
        self._style_links(everything)
        self._bookmarks(everything, prefix)
        self._drawings(everything, prefix)
        self.copier.custom_properties(other, everything, self.parts)
        for child in content:
            self.final.addprevious(child)
        last = copy.deepcopy(sect) if sect is not None else copy.deepcopy(self.final)
        sections.start_on_new_page(inner[0] if inner else last)
        self._end_section(content, last, bookmark)

    def _all_notes(
        self, other: Package, main: str, content: list[etree._Element], copier: PartCopy
    ) -> list[etree._Element]:
        notes = []
        for kind in ("footnote", "endnote"):
            copied, notes_part = self._notes(other, main, content, kind)
            if copied:
                copier.relationships(notes_part, copied, self._notes_part(kind))
            notes += copied
        return notes

    def _part_styles(self, other: Package, main: str) -> PartStyles:
        """The part's styles, read once per distinct styles part."""
        found = other.related_one(main, R_STYLES)
        if found is None:
            return PartStyles(el("styles"))
        data = other.data(found)
        theirs = self.part_styles.get(data)
        if theirs is None:
            if len(self.part_styles) >= _PART_STYLES_KEPT:
                self.part_styles.pop(next(iter(self.part_styles)))
            theirs = self.part_styles[data] = PartStyles(other.element(found))
        return theirs

    def _styles_and_lists(self, other: Package, main: str, content: list[etree._Element]) -> None:
        """The part's styles (by name, its look kept) and its own copies of its lists."""
        theirs = self._part_styles(other, main)
        numbering_part = other.related_one(main, R_NUMBERING)
        numbering = other.element(numbering_part) if numbering_part is not None else None
        mapping: dict[str, str] = {}
        lists = PartLists(self.numbering, numbering, lambda s: mapping.get(s, s))
        used_nums = {str(v) for root in content for v in _NUM_IDS(root)}  # type: ignore[union-attr]
        wanted = {str(v) for root in content for v in _STYLE_NAMES(root)}  # type: ignore[union-attr]
        wanted |= lists.linked_styles(used_nums)
        default = theirs.default
        if default is not None:
            wanted.add(default)
        added: list[etree._Element] = []
        self.styles.counting = _counting_styles(content)
        mapping.update(self.styles.adopt(theirs, wanted, self.parts, added))
        # A copied style may bind a list whose definition links further styles.
        for _ in range(3):
            bound = num_ids_in(added)
            extra = lists.linked_styles(bound) - mapping.keys()
            if not extra:
                break
            mapping.update(self.styles.adopt(theirs, extra, self.parts, added))
        _restyle(content, mapping, default)
        lists.renumber([*content, *added])

    def _style_links(self, content: list[etree._Element]) -> None:
        """Web links whose runs have no character style get an empty one, so that
        LibreOffice exports them as links in the PDF (see StyleMap.link_style)."""
        for root in content:
            for link in root.iter(w("hyperlink")):
                if link.get(f"{{{R_NS}}}id") is None:
                    continue
                for run in link.iter(wml.R):
                    rpr = run.find(wml.RPR)
                    if rpr is None:
                        rpr = el("rPr")
                        run.insert(0, rpr)
                    if rpr.find(wml.RSTYLE) is None:
                        schema.set_child(rpr, "rStyle", val=self.styles.link_style())

    def _letterhead(
        self,
        other: Package,
        main: str,
        content: list[etree._Element],
        sect: etree._Element | None,
    ) -> tuple[list[etree._Element], str]:
        """The part's own first-page header, as body content at its start: a paper's
        letterhead (its label, Dnr and date, a logo) stays with it under the packet's
        header. Page fields in it are dropped: the packet numbers its pages."""
        first = next((s for c in content for s in c.iter(SECT_PR)), sect)
        if first is None:
            return [], ""
        kind = "first" if first.find(w("titlePg")) is not None else "default"
        ref = next(
            (r for r in first.iter(w("headerReference")) if r.get(w("type"), "default") == kind),
            None,
        )
        part = None if ref is None else other.target(main, str(ref.get(f"{{{R_NS}}}id")))
        if part is None or not other.has(part):
            return [], ""
        header = other.element(part)
        elements = [copy.deepcopy(c) for c in header if c.tag in (wml.P, wml.TBL)]
        for field in [f for e in elements for f in e.iter(w("fldSimple"))]:
            field.getparent().remove(field)  # type: ignore[union-attr]
        if not any(
            wml.paragraph_text(e).strip() or e.find(".//" + w("drawing")) is not None
            for e in elements
        ):
            return [], ""
        return [*elements, el("p")], part

    def _end_section(
        self, content: list[etree._Element], sect: etree._Element, bookmark: str | None
    ) -> None:
        """Close the part's section with its own page setup and the packet's header."""
        if bookmark:
            first = next((c for c in content if c.tag == wml.P), None)
            if first is None:  # a part that is only a table: an empty paragraph holds the mark
                first = el("p")
                (content[0] if content else self.final).addprevious(first)
            self._mark(first, bookmark)
        section = copy.deepcopy(sect)
        self._strip(section)
        self.sections += 1
        holder = el("p")
        sub(holder, "pPr").append(section)
        self.final.addprevious(holder)

    @staticmethod
    def _strip(section: etree._Element) -> None:
        """A part's section keeps its page, not its header, numbering or printer."""
        for child in list(section):
            if child.tag in _HEADER_FOOTER or child.tag in (w("pgNumType"), w("printerSettings")):
                section.remove(child)

    def _mark(self, p: etree._Element, name: str) -> None:
        sections.bookmark(p, name, self.next_bookmark)
        self.bookmark_names.add(name)
        self.next_bookmark += 1

    def finish(self) -> bytes:
        """The merged document. The last part's section becomes the document's own, and
        the first section carries the packet's header and footer, which every later
        section inherits."""
        last = self.final.getprevious()
        if (
            last is not None
            and last.tag == wml.P
            and last.find(f"{wml.PPR}/{w('sectPr')}") is not None
        ):
            section = last.find(f"{wml.PPR}/{w('sectPr')}")
            assert section is not None
            self.body.replace(self.final, section)
            self.body.remove(last)
            self.final = section
        first = next(self.body.iter(SECT_PR))
        for ref in reversed(self.packet_refs):
            first.insert(0, copy.deepcopy(ref))
        return self.package.to_bytes()

    # -- what travels with the content --------------------------------------------------
    def _notes(
        self, other: Package, main: str, content: list[etree._Element], kind: str
    ) -> tuple[list[etree._Element], str]:
        """Copy the notes the content refers to, with new ids; return them and the part
        of `other` they came from."""
        found = other.related_one(main, NOTE_RELATIONSHIPS[kind])
        references = [r for root in content for r in root.iter(w(f"{kind}Reference"))]
        if found is None or not references:
            for reference in references:  # a reference to nothing: drop its run
                run = reference.getparent()
                if run is not None and run.getparent() is not None:
                    run.getparent().remove(run)  # type: ignore[union-attr]
            return [], ""
        target = self.package.element(self._notes_part(kind))
        theirs = {str(n.get(w("id"))): n for n in other.element(found).iter(w(kind))}
        next_id = self.next_note.get(kind) or 1 + max(
            ids.numeric_ids([target], (w(kind),), w("id")), default=0
        )
        copied = []
        for reference in references:
            note = theirs.get(str(reference.get(w("id"))))
            if note is None:
                continue
            new = copy.deepcopy(note)
            new.set(w("id"), str(next_id))
            reference.set(w("id"), str(next_id))
            next_id += 1
            target.append(new)
            copied.append(new)
        self.next_note[kind] = next_id
        return copied, found

    def _notes_part(self, kind: str) -> str:
        """The packet's footnotes or endnotes part, made when first needed; remembered,
        as finding it among the packet's growing relationships would cost more each time."""
        if kind not in self.notes_parts:
            self.notes_parts[kind] = ensure_notes_part(self.package, self.main, kind)
        return self.notes_parts[kind]

    def _bookmarks(self, content: list[etree._Element], prefix: str) -> None:
        """New ids, and names of the part's own (so two parts' bookmarks never clash,
        and two long names never shorten to the same)."""
        names: dict[str, str] = {}
        numbers: dict[str, str] = {}
        for root in content:
            for node in root.iter(w("bookmarkStart"), w("bookmarkEnd")):
                old = str(node.get(w("id")))
                if old not in numbers:
                    numbers[old] = str(self.next_bookmark)
                    self.next_bookmark += 1
                node.set(w("id"), numbers[old])
                name = node.get(w("name"))
                if name:
                    if name not in names:
                        names[name] = ids.bookmark_name(prefix, name, self.bookmark_names)
                    node.set(w("name"), names[name])
        if names:
            _rename_references(content, names)

    def _drawings(self, content: list[etree._Element], prefix: str) -> None:
        for root in content:
            for node in root.iter(*ids.DRAWING_IDS):
                node.set("id", str(self.next_drawing))
                self.next_drawing += 1
        ids.renumber_vml(content, prefix)
        ids.strip_revision_ids(content)


_NS = {"w": wml.W_NS}
#: What a part's content names, found in C (a packet runs these over every part).
_NUM_IDS = etree.XPath("descendant-or-self::w:numId/@w:val", namespaces=_NS)
_STYLE_NAMES = etree.XPath(
    "descendant-or-self::*[self::w:pStyle or self::w:rStyle or self::w:tblStyle]/@w:val",
    namespaces=_NS,
)
_COUNTED = etree.XPath(
    "descendant-or-self::w:p/w:pPr[1][not(w:numPr)]/w:pStyle[1]/@w:val", namespaces=_NS
)


def _counting_styles(content: list[etree._Element]) -> set[str]:
    """Styles of paragraphs with no numbering of their own: the style's list counts them."""
    return {str(v) for root in content for v in _COUNTED(root)}  # type: ignore[union-attr]


def _rename_references(content: list[etree._Element], names: dict[str, str]) -> None:
    """Links and fields (REF, PAGEREF, NOTEREF) that name a renamed bookmark."""

    def rename(text: str) -> str:
        return _FIELD_BOOKMARK.sub(lambda m: m[1] + names.get(m[2], m[2]), text)

    for root in content:
        for node in root.iter(w("hyperlink")):
            anchor = node.get(w("anchor"))
            if anchor in names:
                node.set(w("anchor"), names[anchor])
        for node in root.iter(w("instrText")):
            if node.text:
                node.text = rename(node.text)
        for node in root.iter(w("fldSimple")):
            node.set(w("instr"), rename(node.get(w("instr"), "")))


def _restyle(content: list[etree._Element], mapping: dict[str, str], default: str | None) -> None:
    """The content's style references by the merged document's ids; unstyled paragraphs
    name the part's own default style when it had to be copied under a new id."""
    own_default = mapping.get(default) if default else None
    renamed = {old: new for old, new in mapping.items() if old != new}
    for root in content:
        for node in root.iter(*STYLE_REFERENCES) if renamed else ():
            value = str(node.get(wml.VAL))
            if value in renamed:
                node.set(wml.VAL, renamed[value])
        if own_default is None or own_default == default:
            continue
        for p in root.iter(wml.P):
            ppr = p.find(wml.PPR)
            if ppr is None:
                ppr = el("pPr")
                p.insert(0, ppr)
            if ppr.find(wml.PSTYLE) is None:
                ppr.insert(0, el("pStyle", {"val": own_default}))


def _drop_comments(content: list[etree._Element]) -> None:
    """Review comments do not belong in a packet; their marks would point at nothing."""
    for root in content:
        for node in list(root.iter(*_COMMENTS)):
            parent = node.getparent()
            if parent is None:
                continue
            if node.tag == w("commentReference") and parent.tag == wml.R:
                grand = parent.getparent()
                if grand is not None:
                    grand.remove(parent)
            else:
                parent.remove(node)
