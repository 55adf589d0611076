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

from lxml import etree

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
R_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
R_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
R_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

CONTENT_TYPES = {
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
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


@dataclass
class Package:
    """The parts of a .docx by zip name, as bytes (or parsed, once changed)."""

    parts: dict[str, bytes]
    xml: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes) -> Package:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return cls({name: archive.read(name) for name in archive.namelist()})

    def copy(self) -> Package:
        """A package sharing the unchanged bytes; parsed parts are re-parsed on demand."""
        return Package(dict(self.parts))

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

    def add_relationship(
        self, part: str, rel_type: str, target: str, *, external: bool = False
    ) -> str:
        name = rels_name(part)
        if name not in self.parts:
            self.parts[name] = b""
            self.xml[name] = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
        rels = self.element(name)
        used = {str(rel.get("Id")) for rel in rels}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        rel_id = f"rId{number}"
        rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
        if external:
            rel.set("TargetMode", "External")
        return rel_id

    def add_part(self, name: str, element: etree._Element, content_type: str) -> None:
        self.parts[name] = b""
        self.xml[name] = element
        types = self.element("[Content_Types].xml")
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=content_type)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Office writes it.
            names = sorted(self.parts, key=lambda n: n != "[Content_Types].xml")
            for name in names:
                data = serialize(self.xml[name]) if name in self.xml else self.parts[name]
                archive.writestr(_zipinfo(name), data, compresslevel=3)
        return out.getvalue()


def _zipinfo(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp: the same input gives the same bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
