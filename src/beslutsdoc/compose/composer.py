"""Merge Word documents into one: the packet.

docxcompose's Composer re-scans the growing document on every append, which makes a
packet of 200 papers take some twenty seconds and grow quadratically. This composer
keeps running counters and maps instead, so each append costs only the appended
document's own size; and it keeps what a packet needs: each part in its own section
(a landscape attachment stays landscape), every paper's lists numbered from its own
start, styles, images, footnotes, hyperlinks and bookmarks, and one header and footer
for the whole packet.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Iterable

from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import (
    CONTENT_TYPES,
    CT_NS,
    R_FOOTNOTES,
    R_NUMBERING,
    Package,
    rels_name,
)
from beslutsdoc.ooxml.wordml import R_NS, el, sub, w
from beslutsdoc.render.layout import write_contents
from beslutsdoc.render.word import CONTENTS, MARK

R_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
SECT_PR = w("sectPr")
R_ATTRS = [f"{{{R_NS}}}{name}" for name in ("id", "embed", "link", "pict", "dm", "lo", "qs", "cs")]
# The elements that carry a relationship id, found in C rather than by visiting all.
_WITH_RELATIONSHIP = etree.XPath(
    "descendant-or-self::*["
    + " or ".join(f"@r:{n}" for n in ("id", "embed", "link", "pict", "dm", "lo", "qs", "cs"))
    + "]",
    namespaces={"r": R_NS},
)


def _related_elements(root: etree._Element) -> list[etree._Element]:
    return [n for n in _WITH_RELATIONSHIP(root) if isinstance(n, etree._Element)]  # type: ignore[union-attr]


R_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_COMMENTS = {w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")}
_HEADER_FOOTER = {w("headerReference"), w("footerReference"), w("titlePg")}
_PAGEREF = re.compile(r"(PAGEREF|REF|HYPERLINK \\l)\s+\"?([^\s\"\\]+)")


def _ids(root: etree._Element, tag: str, attr: str) -> list[int]:
    out = []
    for node in root.iter(w(tag)):
        try:
            out.append(int(node.get(w(attr), "")))
        except ValueError:
            continue
    return out


class Composer:
    """Appends documents to a base document, which gives the packet its header,
    footer, page size and styles."""

    def __init__(self, base: Package) -> None:
        self.package = base
        self.main = base.main_part()
        self.document = base.element(self.main)
        body = self.document.find(w("body"))
        assert body is not None
        self.body = body
        final = body.find(SECT_PR)
        self.final = final if final is not None else sub(body, "sectPr")
        self.packet_refs = [
            copy.deepcopy(c)
            for c in self.final
            if c.tag in _HEADER_FOOTER - {w("titlePg")} and c.get(w("type")) != "first"
        ]
        styles_part = base.related(self.main, R_STYLES)[0]
        self.styles = base.element(styles_part)
        self.style_ids = {str(s.get(w("styleId"))) for s in self.styles.iter(w("style"))}
        self.numbering = self._part(R_NUMBERING, "numbering.xml", "numbering")
        self.next_abstract = (
            max(_ids(self.numbering, "abstractNum", "abstractNumId"), default=-1) + 1
        )
        self.next_num = max(_ids(self.numbering, "num", "numId"), default=0) + 1
        self.first_num: etree._Element | None = None
        self.names: dict[str, int] = {}
        self.next_note: dict[str, int] = {}
        self.next_bookmark = max(_ids(self.document, "bookmarkStart", "id"), default=0) + 1
        # Drawing ids must be unique in the whole document, headers included.
        drawings = [self.document] + [
            base.element(part)
            for part in base.parts
            if re.fullmatch(r"word/(header|footer)\d*\.xml", part)
        ]
        self.next_drawing = 1 + max(
            (
                int(d.get("id", "0"))
                for root in drawings
                for d in root.iter(f"{{{WP_NS}}}docPr")
                if d.get("id", "").isdigit()
            ),
            default=0,
        )
        types = base.element("[Content_Types].xml")
        self.defaults = {str(d.get("Extension")).lower() for d in types.iter(f"{{{CT_NS}}}Default")}
        self.sections = 0
        self.parts = 0

    def _part(self, rel_type: str, name: str, kind: str) -> etree._Element:
        found = self.package.related(self.main, rel_type)
        if found:
            return self.package.element(found[0])
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
            size = section.find(w("pgSz"))
            if size is None:
                size = sub(section, "pgSz")
            size.set(w("w"), str(page[0]))
            size.set(w("h"), str(page[1]))
            if page[0] > page[1]:
                size.set(w("orient"), "landscape")
            elif w("orient") in size.attrib:
                del size.attrib[w("orient")]
        self._end_section(content, section, bookmark)

    def contents(self, entries: list[tuple[int, str, str]]) -> None:
        """Fill the base's table of contents marker with (level, text, bookmark) entries."""
        marker = next((p for p in self.body.iter(wml.P) if p.get(MARK) == CONTENTS), None)
        if marker is not None:
            styles = {
                (name.get(wml.VAL) or "").lower(): str(style.get(w("styleId")))
                for style in self.styles.iter(w("style"))
                if (name := style.find(w("name"))) is not None
            }
            write_contents(marker, entries, styles, wml.text_width(self.final))

    # -- appending -----------------------------------------------------------------------
    def append(self, other: Package, bookmark: str | None = None) -> None:
        """Append `other` on a new page in a section of its own; `bookmark` names its start."""
        self.parts += 1
        prefix = f"d{self.parts}"
        main = other.main_part()
        document = other.element(main)
        body = document.find(w("body"))
        if body is None:
            return
        content = [copy.deepcopy(c) for c in body if c.tag != SECT_PR]
        sect = body.find(SECT_PR)
        copies: dict[str, str] = {}
        letterhead, header_part = self._letterhead(other, main, content, sect)
        for inner in (s for c in content for s in c.iter(SECT_PR)):
            self._strip(inner)  # the packet's header and footer serve every part
        _drop_comments(content)
        notes = []
        for kind in ("footnote", "endnote"):
            copied, notes_part = self._notes(other, main, content, kind)
            if copied:
                self._relationships(other, notes_part, copied, self._notes_part(kind), copies)
            notes += copied
        # Each part's relationship ids are its own: map the header's and the body's apart.
        self._relationships(other, main, content, self.main, copies)
        if letterhead:
            self._relationships(other, header_part, letterhead, self.main, copies)
            content = letterhead + content
        lists = _Lists(self, other)
        self._styles(other, main, content + notes, lists)
        lists.renumber(content + notes)
        self._bookmarks(content + notes, prefix)
        self._drawings(content + notes)
        for child in content:
            self.final.addprevious(child)
        self._end_section(content, sect if sect is not None else self.final, bookmark)

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
        rels = rels_name(main)
        if ref is None or rels not in other.parts:
            return [], ""
        target = next(
            (
                str(r.get("Target"))
                for r in other.element(rels)
                if r.get("Id") == ref.get(f"{{{R_NS}}}id")
            ),
            None,
        )
        part = (
            posixpath.normpath(posixpath.join(posixpath.dirname(main), target)) if target else None
        )
        if not part or part not in other.parts:
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
        number = str(self.next_bookmark)
        self.next_bookmark += 1
        ppr = p.find(wml.PPR)
        p.insert(0 if ppr is None else 1, el("bookmarkStart", {"id": number, "name": name}))
        p.append(el("bookmarkEnd", {"id": number}))

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
    def _styles(
        self, other: Package, main: str, content: list[etree._Element], lists: _Lists
    ) -> None:
        found = other.related(main, R_STYLES)
        if not found:
            return
        theirs = {str(s.get(w("styleId"))): s for s in other.element(found[0]).iter(w("style"))}
        wanted = {
            str(node.get(wml.VAL))
            for root in content
            for tag in ("pStyle", "rStyle", "tblStyle")
            for node in root.iter(w(tag))
        }
        while wanted:
            style_id = wanted.pop()
            if style_id in self.style_ids or style_id not in theirs:
                continue
            style = copy.deepcopy(theirs[style_id])
            self.styles.append(style)
            self.style_ids.add(style_id)
            for link in ("basedOn", "next", "link"):
                node = style.find(w(link))
                if node is not None:
                    wanted.add(str(node.get(wml.VAL)))
            lists.renumber([style])

    def copy_num(self, num: etree._Element, abstracts: dict[str, etree._Element]) -> str:
        abstract_ref = num.find(w("abstractNumId"))
        new_num = copy.deepcopy(num)
        if abstract_ref is not None:
            source = abstracts.get(str(abstract_ref.get(wml.VAL)))
            if source is not None:
                abstract = copy.deepcopy(source)
                abstract_id = str(self.next_abstract)
                self.next_abstract += 1
                abstract.set(w("abstractNumId"), abstract_id)
                for link in abstract.findall(w("numStyleLink")) + abstract.findall(w("styleLink")):
                    abstract.remove(link)
                # Definitions go before every w:num (the schema's order); the first w:num
                # is remembered, as finding it again would cost more with every list.
                if self.first_num is None:
                    self.first_num = self.numbering.find(w("num"))
                if self.first_num is not None:
                    self.first_num.addprevious(abstract)
                else:
                    self.numbering.append(abstract)
                new_num.find(w("abstractNumId")).set(wml.VAL, abstract_id)  # type: ignore[union-attr]
        num_id = str(self.next_num)
        self.next_num += 1
        new_num.set(w("numId"), num_id)
        self.numbering.append(new_num)
        if self.first_num is None:
            self.first_num = new_num
        return num_id

    def _notes_part(self, kind: str) -> str:
        """The base's footnotes or endnotes part, made when first needed."""
        rel_type = R_FOOTNOTES if kind == "footnote" else R_ENDNOTES
        found = self.package.related(self.main, rel_type)
        if found:
            return found[0]
        name = f"word/{kind}s.xml"
        root = el(f"{kind}s")
        for note_id, note_kind, mark in (
            ("-1", "separator", "separator"),
            ("0", "continuationSeparator", "continuationSeparator"),
        ):
            note = sub(root, kind, type=note_kind, id=note_id)
            sub(sub(sub(note, "p"), "r"), mark)
        self.package.add_part(name, root, CONTENT_TYPES[f"{kind}s"])
        self.package.add_relationship(self.main, rel_type, f"{kind}s.xml")
        return name

    def _notes(
        self, other: Package, main: str, content: list[etree._Element], kind: str
    ) -> tuple[list[etree._Element], str]:
        """Copy the notes the content refers to, with new ids; return them and the part
        of `other` they came from."""
        rel_type = R_FOOTNOTES if kind == "footnote" else R_ENDNOTES
        found = other.related(main, rel_type)
        references = [r for root in content for r in root.iter(w(f"{kind}Reference"))]
        if not found or not references:
            for reference in references:  # a reference to nothing: drop its run
                run = reference.getparent()
                if run is not None and run.getparent() is not None:
                    run.getparent().remove(run)  # type: ignore[union-attr]
            return [], ""
        target = self.package.element(self._notes_part(kind))
        theirs = {str(n.get(w("id"))): n for n in other.element(found[0]).iter(w(kind))}
        next_id = self.next_note.get(kind) or max(_ids(target, kind, "id"), default=0) + 1
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
        return copied, found[0]

    def _relationships(
        self,
        other: Package,
        source_part: str,
        content: list[etree._Element],
        target_part: str,
        copies: dict[str, str],
    ) -> None:
        """Point the content's relationship ids (links, images, charts, ...) at new
        relationships of `target_part`, copying the parts they reach."""
        name = rels_name(source_part)
        if name not in other.parts:
            return
        theirs = {str(r.get("Id")): r for r in other.element(name)}
        mapping: dict[str, str] = {}
        folder = posixpath.dirname(source_part)
        for root in content:
            for node in _related_elements(root):
                for attr in R_ATTRS:
                    old = node.get(attr)
                    if old is None:
                        continue
                    if old not in mapping:
                        rel = theirs.get(old)
                        if rel is None:
                            continue
                        kind, target = str(rel.get("Type")), str(rel.get("Target"))
                        if rel.get("TargetMode") == "External":
                            mapping[old] = self.package.add_relationship(
                                target_part, kind, target, external=True
                            )
                            continue
                        source = posixpath.normpath(posixpath.join(folder, target))
                        if source not in other.parts:
                            continue
                        new = self._copy_part(other, source, copies)
                        relative = posixpath.relpath(new, posixpath.dirname(target_part))
                        mapping[old] = self.package.add_relationship(target_part, kind, relative)
                    node.set(attr, mapping[old])

    def _copy_part(self, other: Package, source: str, copies: dict[str, str]) -> str:
        """Copy a part (an image, a chart with its workbook) under a free name, with its
        content type and its own relationships; each part once per appended document."""
        if source in copies:
            return copies[source]
        folder, base = posixpath.split(source)
        stem, ext = posixpath.splitext(base)
        # A free name: the count per name is remembered (a packet copies the same
        # logo hundreds of times, and trying names from 1 each time grows quadratically).
        new, number = source, self.names.get(source, 1)
        while new in self.package.parts:
            number += 1
            new = posixpath.join(folder, f"{stem}-{number}{ext}")
        self.names[source] = number
        copies[source] = new
        self.package.parts[new] = other.parts[source]
        self._content_type(other, source, new)
        rels = rels_name(source)
        if rels in other.parts:
            copied = copy.deepcopy(other.element(rels))
            for rel in copied:
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(folder, str(rel.get("Target"))))
                if target in other.parts:
                    moved = self._copy_part(other, target, copies)
                    rel.set("Target", posixpath.relpath(moved, posixpath.dirname(new)))
            self.package.parts[rels_name(new)] = b""
            self.package.xml[rels_name(new)] = copied
        return new

    def _content_type(self, other: Package, source: str, new: str) -> None:
        theirs = other.element("[Content_Types].xml")
        types = self.package.element("[Content_Types].xml")
        for override in theirs.iter(f"{{{CT_NS}}}Override"):
            if override.get("PartName") == "/" + source:
                etree.SubElement(
                    types,
                    f"{{{CT_NS}}}Override",
                    PartName="/" + new,
                    ContentType=str(override.get("ContentType")),
                )
                return
        extension = posixpath.splitext(new)[1].lstrip(".").lower()
        if not extension or extension in self.defaults:
            return
        for default in theirs.iter(f"{{{CT_NS}}}Default"):
            if str(default.get("Extension")).lower() == extension:
                types.insert(0, copy.deepcopy(default))
                self.defaults.add(extension)
                return

    def _bookmarks(self, content: list[etree._Element], prefix: str) -> None:
        """New ids, and names of the part's own (so two parts' bookmarks never clash)."""
        names: dict[str, str] = {}
        ids: dict[str, str] = {}
        for root in content:
            for node in root.iter(w("bookmarkStart"), w("bookmarkEnd")):
                old = str(node.get(w("id")))
                if old not in ids:
                    ids[old] = str(self.next_bookmark)
                    self.next_bookmark += 1
                node.set(w("id"), ids[old])
                name = node.get(w("name"))
                if name:
                    names[name] = f"{prefix}{name}"[:40]
                    node.set(w("name"), names[name])
        if not names:
            return
        for root in content:
            for node in root.iter(w("hyperlink")):
                anchor = node.get(w("anchor"))
                if anchor in names:
                    node.set(w("anchor"), names[anchor])
            for node in root.iter(w("instrText")):
                if node.text:
                    node.text = _PAGEREF.sub(
                        lambda m: m[0].replace(m[2], names.get(m[2], m[2])), node.text
                    )

    def _drawings(self, content: list[etree._Element]) -> None:
        for root in content:
            for node in root.iter(f"{{{WP_NS}}}docPr"):
                node.set("id", str(self.next_drawing))
                self.next_drawing += 1


def _drop_comments(content: list[etree._Element]) -> None:
    """Review comments do not belong in a packet; their marks would point at nothing."""
    for root in content:
        for node in [n for n in root.iter() if n.tag in _COMMENTS]:
            parent = node.getparent()
            if parent is None:
                continue
            if node.tag == w("commentReference") and parent.tag == wml.R:
                grand = parent.getparent()
                if grand is not None:
                    grand.remove(parent)
            else:
                parent.remove(node)


class _Lists:
    """The list numberings of one appended document, copied on first use."""

    def __init__(self, composer: Composer, other: Package) -> None:
        self.composer = composer
        found = other.related(other.main_part(), R_NUMBERING)
        theirs = other.element(found[0]) if found else el("numbering")
        self.abstracts = {str(a.get(w("abstractNumId"))): a for a in theirs.iter(w("abstractNum"))}
        self.nums = {str(n.get(w("numId"))): n for n in theirs.iter(w("num"))}
        self.mapping: dict[str, str] = {}

    def renumber(self, content: list[etree._Element]) -> None:
        """New ids here for every numbering the content uses, each with its own copy of
        its definition, so a paper's lists count on their own."""
        for root in content:
            for node in root.iter(w("numId")):
                old = str(node.get(wml.VAL))
                if old == "0" or old not in self.nums:
                    continue
                if old not in self.mapping:
                    self.mapping[old] = self.composer.copy_num(self.nums[old], self.abstracts)
                node.set(wml.VAL, self.mapping[old])
