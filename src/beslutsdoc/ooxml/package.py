"""The .docx package: a zip of parts, their content types and relationships.

python-docx's package layer loads and re-serialises every part on each open and save
(about 18 ms for a small paper). A paper renders from one template many times, so we
read the template's parts once as bytes and write back only the parts a render changes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
R_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
R_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
R_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
R_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
R_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

CONTENT_TYPES = {
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "numbering": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
}


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=_PARSER)


_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


class _LazyParts(dict[str, bytes]):
    """Part names of a zip, whose bytes are read on first access."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        super().__init__((name, b"") for name in archive.namelist())
        self.archive = archive
        self.unread = set(self)

    def __getitem__(self, name: str) -> bytes:
        if name in self.unread:
            self.unread.discard(name)
            super().__setitem__(name, self.archive.read(name))
        return super().__getitem__(name)

    def __setitem__(self, name: str, value: bytes) -> None:
        self.unread.discard(name)
        super().__setitem__(name, value)

    def get(self, name: str, default: Any = None) -> Any:
        # dict.get would skip __getitem__, and with it the reading.
        return self[name] if name in self else default  # noqa: SIM401


@dataclass
class Package:
    """The parts of a .docx by zip name, as bytes (or parsed, once changed)."""

    parts: dict[str, bytes]
    xml: dict[str, etree._Element] = field(default_factory=dict)
    #: A zip already holding some parts, compressed once (see `freeze`).
    frozen: bytes = b""
    frozen_names: frozenset[str] = frozenset()
    next_rel: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes) -> Package:
        """The package in `data`; each part is decompressed when first used (a packet
        reads only some parts of each paper it merges)."""
        return cls(_LazyParts(zipfile.ZipFile(io.BytesIO(data))))

    def copy(self) -> Package:
        """A package sharing the unchanged bytes; parsed parts are re-parsed on demand."""
        parts = {name: self.parts[name] for name in self.parts}
        return Package(parts, frozen=self.frozen, frozen_names=self.frozen_names)

    def freeze(self, names: set[str]) -> None:
        """Compress the parts `names` once: every package copied from this one starts its
        zip from them and writes only the rest. Compressing unchanged template parts
        again on every render was most of the time spent writing a paper."""
        names = {n for n in names if n in self.parts and n not in self.xml}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(names):
                archive.writestr(_zipinfo(name), self.parts[name], compresslevel=6)
        self.frozen = out.getvalue()
        self.frozen_names = frozenset(names)

    def element(self, name: str) -> etree._Element:
        """The parsed XML of a part; changes to it are written back on `to_bytes`."""
        if name not in self.xml:
            self.xml[name] = parse(self.parts[name])
        return self.xml[name]

    def main_part(self) -> str:
        rels = self.element("_rels/.rels")
        for rel in rels:
            if rel.get("Type") == R_OFFICE_DOCUMENT:
                return str(rel.get("Target")).lstrip("/")
        return "word/document.xml"

    def related(self, part: str, rel_type: str) -> list[str]:
        """Names of the parts `part` refers to with a relationship of `rel_type`."""
        name = rels_name(part)
        if name not in self.parts:
            return []
        folder = posixpath.dirname(part)
        return [
            posixpath.normpath(posixpath.join(folder, str(rel.get("Target"))))
            for rel in self.element(name)
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External"
        ]

    def related_one(self, part: str, rel_type: str) -> str | None:
        """The first part `part` refers to with a relationship of `rel_type`, if any."""
        found = self.related(part, rel_type)
        return found[0] if found else None

    def add_relationship(
        self, part: str, rel_type: str, target: str, *, external: bool = False
    ) -> str:
        name = rels_name(part)
        if name not in self.parts:
            self.parts[name] = b""
            self.xml[name] = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})  # type: ignore[dict-item]
        rels = self.element(name)
        # The next free number, remembered: a packet adds thousands of relationships.
        number = self.next_rel.get(name)
        if number is None:
            used = [int(str(r.get("Id"))[3:]) for r in rels if str(r.get("Id"))[3:].isdigit()]
            number = max(used, default=0) + 1
        rel_id = f"rId{number}"
        self.next_rel[name] = number + 1
        rel = etree.SubElement(
            rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target
        )
        if external:
            rel.set("TargetMode", "External")
        return rel_id

    def add_part(self, name: str, element: etree._Element, content_type: str) -> None:
        self.parts[name] = b""
        self.xml[name] = element
        types = self.element("[Content_Types].xml")
        etree.SubElement(
            types, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=content_type
        )

    def to_bytes(self) -> bytes:
        reuse = bool(self.frozen) and not (self.frozen_names & self.xml.keys())
        out = io.BytesIO(self.frozen if reuse else b"")
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a" if reuse else "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Office writes it.
            names = sorted(self.parts, key=lambda n: n != "[Content_Types].xml")
            for name in names:
                if reuse and name in self.frozen_names:
                    continue
                data = serialize(self.xml[name]) if name in self.xml else self.parts[name]
                archive.writestr(_zipinfo(name), data, compresslevel=3)
        return out.getvalue()


def _zipinfo(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp: the same input gives the same bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
