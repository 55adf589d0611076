"""The document's core properties: title, subject, language, dates."""

from __future__ import annotations

from datetime import date

from lxml import etree

from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import clean

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
R_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def set_core_properties(
    package: Package,
    *,
    title: str,
    subject: str,
    creator: str,
    keywords: str,
    created: date,
    language: str = "sv-SE",
) -> None:
    name = "docProps/core.xml"
    root = etree.Element(
        f"{{{CP}}}coreProperties",
        nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI},
    )
    for ns, tag, value in (
        (DC, "title", title),
        (DC, "subject", subject),
        (DC, "creator", creator),
        (CP, "keywords", keywords),
        (DC, "language", language),
    ):
        etree.SubElement(root, f"{{{ns}}}{tag}").text = clean(value)
    for tag in ("created", "modified"):
        stamp = etree.SubElement(root, f"{{{DCTERMS}}}{tag}")
        stamp.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
        stamp.text = f"{created.isoformat()}T00:00:00Z"
    if not package.has(name):
        package.add_part(name, root, CORE_TYPE)
        package.add_relationship("", R_CORE, name)
    package.set_element(name, root)
