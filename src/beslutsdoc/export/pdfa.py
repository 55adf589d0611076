"""What the packet PDF may claim: PDF/A-2b only when every page in it is PDF/A.

LibreOffice makes PDF/A-2b (ISO 19005-2, level B) and says so in the XMP metadata
(`pdfaid:part` 2, `pdfaid:conformance` B). A PDF attachment's pages keep their fonts,
colours and images as its author made them; the whole file is PDF/A only when each
attachment is. What can be checked here, without a full validator: the attachment
claims PDF/A-1, -2 or -3 in its XMP metadata, is not encrypted, has a PDF/A output
intent for the packet's colour space, and embeds every font on its pages. Active
content and embedded files are removed from every attachment anyway (`load/sanitise.py`).
A full validator (veraPDF) would add the rest: every colour, image, transparency group
and font program checked against the standard.

The metadata is rewritten to say what is true: the PDF/A identification only while the
claim holds, the PDF/UA identification (pdfuaid) only while every attachment embeds its
fonts (the packet makes the rest of PDF/UA true: tags, artifacts, text alternatives),
title and language always.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from beslutsdoc.export.pdfobjects import entry

__all__ = ["pdfa_obstacles", "rewrite_metadata", "unembedded_fonts", "xmp_of"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def xmp_of(root: Any) -> etree._Element | None:
    """The XMP packet of a document catalogue, parsed; None without (readable) one."""
    stream = entry(root, "/Metadata")
    if stream is None or not hasattr(stream, "get_data"):
        return None
    try:
        data = stream.get_data()
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(data.strip(b"\x00 \r\n\t"), parser)
    except (etree.XMLSyntaxError, ValueError, OSError):
        return None


def _claim(xmp: etree._Element | None) -> tuple[str, str] | None:
    """(part, conformance) of a PDF/A identification, as element or attribute."""
    if xmp is None:
        return None
    for description in xmp.iter(f"{{{RDF}}}Description"):
        part = description.get(f"{{{PDFAID}}}part") or description.findtext(f"{{{PDFAID}}}part")
        if part:
            conformance = description.get(f"{{{PDFAID}}}conformance") or description.findtext(
                f"{{{PDFAID}}}conformance"
            )
            return part.strip(), (conformance or "").strip()
    return None


def pdfa_obstacles(reader: PdfReader, components: int = 3) -> list[str]:
    """Why the attachment's pages would make the packet not PDF/A, in Swedish (empty:
    nothing found that can be checked). `components`: of the packet's output intent's
    colour space (3, RGB, for LibreOffice's sRGB)."""
    if reader.is_encrypted:
        return ["är krypterad"]
    root = reader.trailer["/Root"]
    claim = _claim(xmp_of(root))
    if claim is None or claim[0] not in ("1", "2", "3"):
        return ["anger inte att den är PDF/A (ingen PDF/A-identifiering i XMP-metadata)"]
    found = []
    intents = entry(root, "/OutputIntents")
    profiles = []
    for intent in intents if isinstance(intents, ArrayObject) else []:
        intent = intent.get_object()
        if entry(intent, "/S") == "/GTS_PDFA1":
            profile = entry(intent, "/DestOutputProfile")
            profiles.append(entry(profile, "/N"))
    if not profiles:
        found.append("har ingen PDF/A-utdataavsikt (OutputIntent med ICC-profil)")
    elif any(n is not None and int(n) != components for n in profiles):
        found.append("har en utdataavsikt för ett annat färgrum än handlingarnas (sRGB)")
    missing = unembedded_fonts(reader)
    if missing:
        found.append(f"har typsnitt som inte är inbäddade: {font_list(missing)}")
    return found


def font_list(names: set[str]) -> str:
    ordered = sorted(names)
    return ", ".join(ordered[:5]) + (" med flera" if len(ordered) > 5 else "")


def unembedded_fonts(reader: PdfReader) -> set[str]:
    """The base names of fonts on the reader's pages without an embedded font program."""
    missing: set[str] = set()
    seen: set[int] = set()
    for page in reader.pages:
        _fonts(entry(page, "/Resources"), missing, seen, 0)
    return missing


def _fonts(resources: Any, missing: set[str], seen: set[int], depth: int) -> None:
    if not isinstance(resources, DictionaryObject) or depth > 10:
        return
    fonts = entry(resources, "/Font")
    for ref in (fonts or {}).values() if isinstance(fonts, DictionaryObject) else []:
        font = ref.get_object()
        if not isinstance(font, DictionaryObject) or id(font) in seen:
            continue
        seen.add(id(font))
        if font.get("/Subtype") == "/Type3":
            _fonts(entry(font, "/Resources"), missing, seen, depth + 1)
            continue
        described = [font]
        descendants = entry(font, "/DescendantFonts")
        if isinstance(descendants, ArrayObject):
            described = [d.get_object() for d in descendants]
        for each in described:
            descriptor = entry(each, "/FontDescriptor")
            if not any(entry(descriptor, key) is not None for key in _FONT_FILES):
                missing.add(str(font.get("/BaseFont", "okänt typsnitt")).lstrip("/"))
    xobjects = entry(resources, "/XObject")
    for ref in (xobjects or {}).values() if isinstance(xobjects, DictionaryObject) else []:
        xobject = ref.get_object()
        if id(xobject) in seen or entry(xobject, "/Subtype") != "/Form":
            continue
        seen.add(id(xobject))
        _fonts(entry(xobject, "/Resources"), missing, seen, depth + 1)


def output_components(writer: PdfWriter) -> int:
    """The colour components of the writer's PDF/A output intent (3 when it has none)."""
    for intent in entry(writer.root_object, "/OutputIntents") or []:
        n = entry(entry(intent, "/DestOutputProfile"), "/N")
        if n is not None:
            return int(n)
    return 3


def rewrite_metadata(writer: PdfWriter, title: str, *, pdfa: bool, pdfua: bool = True) -> None:
    """The writer's XMP metadata saying what is true: `title` as dc:title (and the Info
    title), the PDF/A identification only when `pdfa`, the PDF/UA one only when `pdfua`
    (PDF/UA wants every font embedded, ISO 14289-1, 7.21.4.1), the rest as LibreOffice wrote it
    (PDF/UA identification, author), and the document's language as dc:language. Without XMP metadata, nothing is added
    but the Info title."""
    writer.add_metadata({"/Title": title})
    root = writer.root_object
    xmp = xmp_of(root)
    if xmp is None:
        return
    for description in list(xmp.iter(f"{{{RDF}}}Description")):
        dropped = ([PDFAID] if not pdfa else []) + ([PDFUAID] if not pdfua else [])
        for namespace in dropped:
            for name in ("part", "conformance", "amd", "corr", "rev"):
                description.attrib.pop(f"{{{namespace}}}{name}", "")
                for child in description.findall(f"{{{namespace}}}{name}"):
                    description.remove(child)
        if dropped:
            parent = description.getparent()
            if len(description) == 0 and parent is not None and _only_about(description):
                parent.remove(description)
        for alt in description.findall(f"{{{DC}}}title/{{{RDF}}}Alt"):
            for item in alt:
                alt.remove(item)
            li = etree.SubElement(alt, f"{{{RDF}}}li")
            li.set(XML_LANG, "x-default")
            li.text = title
    lang = root.get("/Lang")
    if lang and xmp.find(f".//{{{DC}}}language") is None:
        rdf = xmp if xmp.tag == f"{{{RDF}}}RDF" else xmp.find(f"{{{RDF}}}RDF")
        if rdf is not None:
            description = etree.SubElement(
                rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""}, nsmap={"dc": DC}
            )
            bag = etree.SubElement(
                etree.SubElement(description, f"{{{DC}}}language"), f"{{{RDF}}}Bag"
            )
            etree.SubElement(bag, f"{{{RDF}}}li").text = str(lang)
    body = etree.tostring(xmp, encoding="utf-8")
    packet = (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + body
        + b"\n"
        + (b" " * 99 + b"\n") * 20
        + b'<?xpacket end="w"?>'
    )
    old = entry(root, "/Metadata")
    if isinstance(old, DecodedStreamObject) and "/Filter" not in old:
        old.set_data(packet)  # in place: the earlier packet is not left in the file
        return
    stream = DecodedStreamObject()  # unfiltered, as PDF/A wants metadata
    stream.set_data(packet)
    stream.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    root[NameObject("/Metadata")] = writer._add_object(stream)


def _only_about(description: etree._Element) -> bool:
    return all(key == f"{{{RDF}}}about" for key in description.attrib)
