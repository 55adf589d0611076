"""Copying parts from one package into another, with their relationships.

The one way content moves between packages: every relationship-bearing attribute
(`r:id`, `r:embed`, `r:link`, `r:dm`/`lo`/`qs`/`cs`, `r:pict`, a diagram's `relId`,
VML's `o:relid`) is pointed at a new relationship of the part the content now lives
in; internal targets (relative or absolute) are copied under a free name with their
content type and, recursively, their own relationships; external targets (web links,
linked images) stay external. A relationship that reaches nothing is dropped with the
attribute, so an id never points at some other part of the packet.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Callable

from lxml import etree

from beslutsdoc.ooxml import guard
from beslutsdoc.ooxml.ids import O_NS
from beslutsdoc.ooxml.package import CT_NS, REL_NS, Package, rels_name
from beslutsdoc.ooxml.wordml import R_NS

R_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
DIAGRAM_DATA = "diagramData+xml"
#: Relationship types never carried: what they point at is not ours to bring along.
_NEVER = ("attachedTemplate", "vbaProject", "printerSettings")

_RELATED = etree.XPath(
    f"descendant-or-self::*[@*[namespace-uri()='{R_NS}'] or @relId or @o:relid]",
    namespaces={"o": O_NS},
)
_RELID_ATTRS = ("relId", f"{{{O_NS}}}relid")


def related_attributes(node: etree._Element) -> list[str]:
    """The names of `node`'s attributes that hold a relationship id."""
    names = [str(name) for name in node.attrib]
    return [n for n in names if n.startswith(f"{{{R_NS}}}") or n in _RELID_ATTRS]


def related_elements(root: etree._Element) -> list[etree._Element]:
    """The elements under `root` with a relationship id, found in C."""
    return [n for n in _RELATED(root) if isinstance(n, etree._Element)]  # type: ignore[union-attr]


class PartCopier:
    """Copies parts into `target`, remembering free names across every copy."""

    def __init__(self, target: Package) -> None:
        self.target = target
        # The count per name is remembered: a packet copies the same logo hundreds of
        # times, and trying names from 1 each time would grow quadratically.
        self.names: dict[str, int] = {}
        self.defaults = target.defaults()
        self.custom: etree._Element | None = None
        self.next_pid = 2

    def start(self, other: Package) -> PartCopy:
        """A copy session for one source package: each of its parts is copied once."""
        return PartCopy(self, other)

    def free_name(self, source: str) -> str:
        folder, base = posixpath.split(source)
        stem, ext = posixpath.splitext(base)
        new, number = source, self.names.get(source, 1)
        while self.target.has(new):
            number += 1
            new = posixpath.join(folder, f"{stem}-{number}{ext}")
        self.names[source] = number
        return new

    def declare(self, name: str, content_type: str | None) -> None:
        """Give the copied part `name` its content type."""
        if content_type is None:
            return
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        known = self.defaults.get(extension)
        if known == content_type:
            return
        if known is None and extension and "xml" not in content_type:
            self.target.add_default(extension, content_type)  # an image format: once
            self.defaults[extension] = content_type
            return
        self.target.add_override(name, content_type)

    # -- custom document properties -------------------------------------------------------
    def custom_properties(self, other: Package, content: list[etree._Element], part: int) -> None:
        """Carry `other`'s custom properties (read by DOCPROPERTY fields); one whose name
        the packet has with another value is renamed, and its fields with it."""
        found = other.related_one("", R_CUSTOM)
        if found is None or not other.has(found):
            return
        ours = self._custom_root()
        existing = {str(p.get("name")): p for p in ours}
        renamed: dict[str, str] = {}
        for prop in other.element(found):
            name = str(prop.get("name"))
            if name in existing:
                if _value(existing[name]) == _value(prop):
                    continue
                renamed[name] = f"{name} (del {part})"
            new = copy.deepcopy(prop)
            new.set("name", renamed.get(name, name))
            new.set("pid", str(self.next_pid))
            self.next_pid += 1
            ours.append(new)
            existing[str(new.get("name"))] = new
        if renamed:
            _rename_properties(content, renamed)

    def _custom_root(self) -> etree._Element:
        if self.custom is not None:
            return self.custom
        found = self.target.related_one("", R_CUSTOM)
        if found is not None and self.target.has(found):
            self.custom = self.target.element(found)
        else:
            self.custom = etree.Element(
                f"{{{CUSTOM_NS}}}Properties",
                nsmap={
                    None: CUSTOM_NS,  # type: ignore[dict-item]
                    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
                },
            )
            self.target.add_part("docProps/custom.xml", self.custom, CUSTOM_TYPE)
            self.target.add_relationship("", R_CUSTOM, "docProps/custom.xml")
        pids = [int(p.get("pid", "1")) for p in self.custom if p.get("pid", "").isdigit()]
        self.next_pid = max(pids, default=1) + 1
        return self.custom


def _value(prop: etree._Element) -> bytes:
    return b"".join(etree.tostring(c, method="c14n") for c in prop)


_DOCPROPERTY = re.compile(r'(DOCPROPERTY\s+)("[^"]*"|\S+)')


def _rename_properties(content: list[etree._Element], renamed: dict[str, str]) -> None:
    def rename(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match[2].strip('"')
            return f'{match[1]}"{renamed[name]}"' if name in renamed else match[0]

        return _DOCPROPERTY.sub(one, text)

    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for root in content:
        for node in root.iter(f"{{{w_ns}}}instrText"):
            node.text = rename(node.text or "")
        for node in root.iter(f"{{{w_ns}}}fldSimple"):
            node.set(f"{{{w_ns}}}instr", rename(node.get(f"{{{w_ns}}}instr", "")))


class PartCopy:
    """Copying from one source package; each source part is copied at most once."""

    def __init__(self, copier: PartCopier, other: Package) -> None:
        self.copier = copier
        self.target = copier.target
        self.other = other
        self.copies: dict[str, str] = {}
        self._types: dict[str, str] | None = None

    def content_type(self, name: str) -> str | None:
        """The source part's content type, from a map made once per source package."""
        if self._types is None:
            self._types = {}
            defaults = self.other.defaults()
            for part in self.other.names():
                extension = posixpath.splitext(part)[1].lstrip(".").lower()
                if extension in defaults:
                    self._types[part] = defaults[extension]
            types = self.other.element("[Content_Types].xml")
            for override in types.iter(f"{{{CT_NS}}}Override"):
                name_ = str(override.get("PartName")).lstrip("/")
                self._types[name_] = str(override.get("ContentType"))
        return self._types.get(name)

    def relationships(
        self, source_part: str, content: list[etree._Element], target_part: str
    ) -> None:
        """Point the relationship ids in `content` (which came from `source_part`) at new
        relationships of `target_part`, copying the parts they reach."""
        theirs = {str(r.get("Id")): r for r in self.other.relationships(source_part)}
        mapping: dict[str, str | None] = {}

        def map_id(old: str) -> str | None:
            if old not in mapping:
                found = self._relationship(theirs.get(old), source_part, target_part)
                mapping[old] = None if found is None else found[0]
                if found is not None and DIAGRAM_DATA in (self.content_type(found[1]) or ""):
                    self._diagram(found[1], map_id)
            return mapping[old]

        for root in content:
            for node in related_elements(root):
                for attr in related_attributes(node):
                    new = map_id(str(node.get(attr)))
                    if new is None:
                        del node.attrib[attr]  # it would point at some other part
                    else:
                        node.set(attr, new)

    def _relationship(
        self, rel: etree._Element | None, source_part: str, target_part: str
    ) -> tuple[str, str] | None:
        """A new relationship of `target_part` like `rel`: its id and the source part it
        reached ("" when external), that part copied; None when it reaches nothing."""
        if rel is None:
            return None
        kind, target = str(rel.get("Type")), str(rel.get("Target"))
        if any(kind.endswith("/" + never) for never in _NEVER):
            return None
        if rel.get("TargetMode") == "External":
            return self.target.add_relationship(target_part, kind, target, external=True), ""
        source = guard.normalise_target(posixpath.dirname(source_part), target)
        if not self.other.has(source):
            return None
        new = self.copy_part(source)
        relative = posixpath.relpath(new, posixpath.dirname(target_part) or ".")
        return self.target.add_relationship(target_part, kind, relative), source

    def _diagram(self, source: str, map_id: Callable[[str], str | None]) -> None:
        """A diagram's data part names its drawing by an id of the *document's*
        relationships (dsp:dataModelExt relId): point its copy at the copy's."""
        root = self.target.element(self.copies[source])
        for node in related_elements(root):
            if "relId" in node.attrib:
                new = map_id(str(node.get("relId")))
                if new is None:
                    del node.attrib["relId"]
                else:
                    node.set("relId", new)

    def copy_part(self, source: str) -> str:
        """Copy a part (an image, a chart with its workbook) under a free name, with its
        content type and its own relationships; each part once per source package."""
        if source in self.copies:
            return self.copies[source]
        new = self.copier.free_name(source)
        self.copies[source] = new
        self.target.set_data(new, self.other.data(source))
        self.copier.declare(new, self.content_type(source))
        rels = rels_name(source)
        if self.other.has(rels):
            self.target.set_element(rels_name(new), self._copy_rels(source, new))
        return new

    def _copy_rels(self, source: str, new: str) -> etree._Element:
        copied = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})  # type: ignore[dict-item]
        folder = posixpath.dirname(source)
        for rel in self.other.relationships(source):
            kind = str(rel.get("Type"))
            if any(kind.endswith("/" + never) for never in _NEVER):
                continue
            rel = copy.deepcopy(rel)
            if rel.get("TargetMode") != "External":
                target = guard.normalise_target(folder, str(rel.get("Target")))
                if not self.other.has(target):
                    continue  # a relationship to nothing: dropped, never dangling
                moved = self.copy_part(target)
                rel.set("Target", posixpath.relpath(moved, posixpath.dirname(new) or "."))
            copied.append(rel)
        return copied
