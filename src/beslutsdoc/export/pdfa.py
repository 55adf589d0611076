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

import pikepdf
from lxml import etree

from beslutsdoc.load.sanitise import unpacked
from beslutsdoc.pdfobjects import entry, key_of

__all__ = ["pdfa_obstacles", "rewrite_metadata", "unembedded_fonts", "xmp_of"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
#: An XMP packet is a few kilobytes; an attachment's may be anything.
_XMP_LIMIT = 10_000_000


def xmp_of(root: Any) -> etree._Element | None:
    """The XMP packet of a document catalogue, parsed; None without (readable) one.
    Unpacked by the bounded decoders: the catalogue may be an attachment's."""
    stream = entry(root, "/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        data = unpacked(stream, _XMP_LIMIT)
        if data is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(data.strip(b"\x00 \r\n\t"), parser)
    except (etree.XMLSyntaxError, pikepdf.PdfError, ValueError, OSError):
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


def pdfa_obstacles(pdf: pikepdf.Pdf, components: int = 3) -> list[str]:
    """Why the attachment's pages would make the packet not PDF/A, in Swedish (empty:
    nothing found that can be checked). `components`: of the packet's output intent's
    colour space (3, RGB, for LibreOffice's sRGB)."""
    if pdf.is_encrypted:
        return ["är krypterad"]
    root = pdf.Root
    claim = _claim(xmp_of(root))
    if claim is None or claim[0] not in ("1", "2", "3"):
        return ["anger inte att den är PDF/A (ingen PDF/A-identifiering i XMP-metadata)"]
    found = []
    intents = entry(root, "/OutputIntents")
    profiles = []
    for intent in intents if isinstance(intents, pikepdf.Array) else []:
        if entry(intent, "/S") == "/GTS_PDFA1":
            profile = entry(intent, "/DestOutputProfile")
            profiles.append(entry(profile, "/N"))
    if not profiles:
        found.append("har ingen PDF/A-utdataavsikt (OutputIntent med ICC-profil)")
    elif any(n is not None and int(n) != components for n in profiles):
        found.append("har en utdataavsikt för ett annat färgrum än handlingarnas (sRGB)")
    missing = unembedded_fonts(pdf)
    if missing:
        found.append(f"har typsnitt som inte är inbäddade: {font_list(missing)}")
    return found


def font_list(names: set[str]) -> str:
    ordered = sorted(names)
    return ", ".join(ordered[:5]) + (" med flera" if len(ordered) > 5 else "")


def unembedded_fonts(pdf: pikepdf.Pdf) -> set[str]:
    """The base names of fonts on the PDF's pages without an embedded font program."""
    missing: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _fonts(entry(page.obj, "/Resources"), missing, seen, 0)
    return missing


def _first_time(node: Any, seen: set[tuple[int, int]]) -> bool:
    """Not met before (by identity; a direct object is met once, where it stands)."""
    key = key_of(node)
    if key is None:
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


def _fonts(resources: Any, missing: set[str], seen: set[tuple[int, int]], depth: int) -> None:
    if not isinstance(resources, pikepdf.Dictionary) or depth > 10:
        return
    fonts = entry(resources, "/Font")
    for font in fonts.values() if isinstance(fonts, pikepdf.Dictionary) else []:
        if not isinstance(font, pikepdf.Dictionary) or not _first_time(font, seen):
            continue
        if font.get("/Subtype") == "/Type3":
            _fonts(entry(font, "/Resources"), missing, seen, depth + 1)
            continue
        described: list[Any] = [font]
        descendants = entry(font, "/DescendantFonts")
        if isinstance(descendants, pikepdf.Array):
            described = list(descendants)
        for each in described:
            descriptor = entry(each, "/FontDescriptor")
            if not any(entry(descriptor, key) is not None for key in _FONT_FILES):
                missing.add(str(font.get("/BaseFont", "okänt typsnitt")).lstrip("/"))
    xobjects = entry(resources, "/XObject")
    for xobject in xobjects.values() if isinstance(xobjects, pikepdf.Dictionary) else []:
        if entry(xobject, "/Subtype") != "/Form" or not _first_time(xobject, seen):
            continue
        _fonts(entry(xobject, "/Resources"), missing, seen, depth + 1)


def output_components(pdf: pikepdf.Pdf) -> int:
    """The colour components of the PDF's PDF/A output intent (3 when it has none)."""
    intents = entry(pdf.Root, "/OutputIntents")
    for intent in intents if isinstance(intents, pikepdf.Array) else []:
        n = entry(entry(intent, "/DestOutputProfile"), "/N")
        if n is not None:
            return int(n)
    return 3


def rewrite_metadata(pdf: pikepdf.Pdf, title: str, *, pdfa: bool, pdfua: bool = True) -> None:
    """The PDF's XMP metadata saying what is true: `title` as dc:title (and the Info
    title), the PDF/A identification only when `pdfa`, the PDF/UA one only when `pdfua`
    (PDF/UA wants every font embedded, ISO 14289-1, 7.21.4.1), the rest as LibreOffice wrote it
    (PDF/UA identification, author), and the document's language as dc:language. Without XMP metadata, nothing is added
    but the Info title."""
    pdf.docinfo[pikepdf.Name.Title] = title
    root = pdf.Root
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
    if isinstance(old, pikepdf.Stream):
        old.write(packet)  # in place, unfiltered: the earlier packet is not left in the file
        return
    # Unfiltered, as PDF/A wants metadata; qpdf leaves /Type /Metadata streams so on save.
    stream = pikepdf.Stream(pdf, packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    root[pikepdf.Name.Metadata] = pdf.make_indirect(stream)


def _only_about(description: etree._Element) -> bool:
    return all(key == f"{{{RDF}}}about" for key in description.attrib)
