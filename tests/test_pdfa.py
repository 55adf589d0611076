"""The packet's PDF/A claim is true or absent.

kallelse.pdf, and handlingar.pdf when every page in it is PDF/A, claim PDF/A-2b; checked
here as far as can be without a full validator: the XMP identification, an output
intent with an ICC profile, every font embedded, no encryption, JavaScript or embedded
files, the XMP title equal to the Info title. What only veraPDF would add (every colour
space, image, transparency group and font program against ISO 19005-2) is not run here.
handlingar.pdf with pages from attachments that are not PDF/A claims no PDF/A, but keeps
its PDF/UA identification.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from lxml import etree
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from beslutsdoc.api import to_pdf
from beslutsdoc.cli import main
from beslutsdoc.export.pdfa import pdfa_obstacles

from .conftest import need_libreoffice
from .packets import botkyrka, plain_pdf, small_meeting, word

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def xmp(reader: pypdf.PdfReader) -> etree._Element:
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in stream  # PDF/A: the metadata stream is not filtered
    return etree.fromstring(stream.get_data().strip(b"\x00 \r\n"))


def value(tree: etree._Element, name: str) -> str | None:
    """A simple XMP property, written as an element or as an attribute."""
    for description in tree.iter(f"{RDF}Description"):
        if description.get(name):
            return description.get(name)
        found = description.find(name)
        if found is not None:
            return (found.text or "").strip()
    return None


def dc_title(tree: etree._Element) -> str:
    return " ".join(
        (li.text or "").strip()
        for li in tree.iter(f"{RDF}li")
        if li.getparent().getparent().tag == f"{DC}title"
    )


def every_object(reader: pypdf.PdfReader) -> list[Any]:
    """Every object reachable from the trailer, resolved."""
    seen: set[int] = set()
    found = []
    stack: list[Any] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        found.append(item)
        if isinstance(item, DictionaryObject):
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def unembedded_fonts(reader: pypdf.PdfReader) -> list[str]:
    missing = []
    for item in every_object(reader):
        if not isinstance(item, DictionaryObject) or item.get("/Type") != "/Font":
            continue
        if item.get("/Subtype") in ("/Type3", "/Type0"):
            continue  # Type0: its descendant font is checked as a font of its own
        descriptor = item.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(item.get("/BaseFont")))
    return missing


def assert_pdfa_2b(path: Path) -> None:
    """What of PDF/A-2b can be checked here holds for `path`."""
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    tree = xmp(reader)
    assert value(tree, f"{PDFAID}part") == "2"
    assert value(tree, f"{PDFAID}conformance") == "B"
    intents = [i.get_object() for i in root["/OutputIntents"]]
    profiles = [i["/DestOutputProfile"].get_object() for i in intents if i["/S"] == "/GTS_PDFA1"]
    assert profiles and isinstance(profiles[0], StreamObject)
    assert int(profiles[0]["/N"]) in (1, 3, 4)
    assert profiles[0].get_data()[36:40] == b"acsp"  # an ICC profile's signature
    assert unembedded_fonts(reader) == []
    assert "/Encrypt" not in reader.trailer
    objects = every_object(reader)
    dictionaries = [o for o in objects if isinstance(o, DictionaryObject)]
    assert not [d for d in dictionaries if "/JS" in d or d.get("/S") == "/JavaScript"]
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert not [d for d in dictionaries if d.get("/Type") == "/EmbeddedFile"]
    assert dc_title(tree) == reader.metadata.title
    assert reader.pdf_header <= "%PDF-1.7"


def assert_pdfua_identified(path: Path, *, language: bool = True) -> None:
    """The PDF/UA identification, title and language; `language`: dc:language too (the
    packet writes it; LibreOffice does not)."""
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    tree = xmp(reader)
    assert value(tree, f"{PDFUAID}part") == "1"
    assert dc_title(tree) == reader.metadata.title
    assert root["/Lang"] == "sv-SE"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    languages = [
        li.text for li in tree.iter(f"{RDF}li") if li.getparent().getparent().tag == f"{DC}language"
    ]
    if language:
        assert languages == ["sv-SE"]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three packets: without PDF attachments, with a LibreOffice-made (PDF/A) one,
    and the Botkyrka example, whose PDF attachments are not PDF/A."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("pdfa")
    plain = small_meeting(folder / "utan", {"bilaga.docx": word(title="Bilaga i Word")})
    pdfa = small_meeting(folder / "pdfa", {"bilaga.pdf": to_pdf(word(title="Bilaga som PDF"))})
    example = botkyrka(folder)
    for meeting, name in ((plain, "utan"), (pdfa, "pdfa"), (example, "botkyrka")):
        assert main(["packet", str(meeting), "-o", str(folder / "ut" / name)]) == 0
    return {name: folder / "ut" / name for name in ("utan", "pdfa", "botkyrka")}


def test_kallelse_is_pdfa_2b(made: dict[str, Path]) -> None:
    for name in made:
        assert_pdfa_2b(made[name] / "kallelse.pdf")
        assert_pdfua_identified(made[name] / "kallelse.pdf", language=False)
        # The version PDF/A-2 and PDF/UA-1 build on, also after accessible() rewrote it.
        assert pypdf.PdfReader(made[name] / "kallelse.pdf").pdf_header == "%PDF-1.7"


def test_packet_without_pdf_attachments_is_pdfa_2b(made: dict[str, Path]) -> None:
    assert_pdfa_2b(made["utan"] / "handlingar.pdf")
    assert pypdf.PdfReader(made["utan"] / "handlingar.pdf").pdf_header == "%PDF-1.7"
    assert_pdfua_identified(made["utan"] / "handlingar.pdf")


def test_packet_whose_pdf_attachments_are_pdfa_stays_pdfa_2b(made: dict[str, Path]) -> None:
    handlingar = made["pdfa"] / "handlingar.pdf"
    assert_pdfa_2b(handlingar)
    assert_pdfua_identified(handlingar)
    assert "Bilaga som PDF" not in (made["pdfa"] / "tillgänglighet.txt").read_text()


def test_packet_with_attachments_that_are_not_pdfa_claims_no_pdfa(made: dict[str, Path]) -> None:
    handlingar = made["botkyrka"] / "handlingar.pdf"
    tree = xmp(pypdf.PdfReader(handlingar))
    assert value(tree, f"{PDFAID}part") is None and value(tree, f"{PDFAID}conformance") is None
    assert_pdfua_identified(handlingar)
    report = (made["botkyrka"] / "tillgänglighet.txt").read_text()
    assert "handlingar.pdf anger inte PDF/A" in report
    assert "ansökningsblankett-2021.pdf) i ärende 2 anger inte att den är PDF/A" in report


def test_what_keeps_an_attachment_from_pdfa_is_named(tmp_path: Path) -> None:
    """A PDF that claims PDF/A but has no output intent and a font it does not embed."""
    claimed = tmp_path / "påstår.pdf"
    claimed.write_bytes(plain_pdf(title="Påstår PDF/A", lang="sv-SE", text="Text"))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(claimed))
    writer.root_object[pypdf.generic.NameObject("/Metadata")] = writer._add_object(_xmp_claiming())
    writer.write(claimed)
    found = pdfa_obstacles(pikepdf.open(claimed))
    assert found == [
        "har ingen PDF/A-utdataavsikt (OutputIntent med ICC-profil)",
        "har typsnitt som inte är inbäddade: Helvetica",
    ]
    unclaimed = pikepdf.open(io.BytesIO(plain_pdf()))
    assert pdfa_obstacles(unclaimed) == [
        "anger inte att den är PDF/A (ingen PDF/A-identifiering i XMP-metadata)"
    ]


def _xmp_claiming() -> pypdf.generic.DecodedStreamObject:
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
        b' rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="2"'
        b' pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta>'
    )
    stream[pypdf.generic.NameObject("/Type")] = pypdf.generic.NameObject("/Metadata")
    stream[pypdf.generic.NameObject("/Subtype")] = pypdf.generic.NameObject("/XML")
    return stream
