"""The packet cut into parts gives the whole document's pages: LibreOffice converts the
whole and the parts, and each page of the parts shows what the whole's page shows; the
numbers documents show each page's "Sida N av M" line as the whole does.

Two documents: the Botkyrka packet, and one written here with several sections (own and
inherited headers, a first-page footer, a landscape section, numbered footnotes on
both sides of a cut, a numbered list across a section break, a contents field)."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from lxml import etree
from pypdf import PdfReader

from beslutsdoc.api import packet
from beslutsdoc.export.layout_input import for_layout
from beslutsdoc.export.layout_parts import Parts, front_document, numbers_document, split
from beslutsdoc.export.pdf import convert
from beslutsdoc.ooxml.package import CONTENT_TYPES, R_FOOTNOTES, Package, parse
from tests.conftest import EXAMPLES, need_libreoffice

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
BOTKYRKA = EXAMPLES / "botkyrka" / "2021-01-26" / "sammanträde.yaml"
#: The footers' page-number lines (a paper's own text may say "Sida 1 av 1 i bilagan").
PAGE_LINE = re.compile(r"^(?:Första )?Sida \d+ av \d+$", re.MULTILINE)


# -- a document with what the cuts must carry across -------------------------------------


def _field(paragraph: docx.text.paragraph.Paragraph, instruction: str, *, simple: bool) -> None:
    if simple:
        node = etree.SubElement(paragraph._p, W + "fldSimple", {W + "instr": f" {instruction} "})
        etree.SubElement(etree.SubElement(node, W + "r"), W + "t").text = "1"
        return
    for kind in ("begin", None, "separate", "end"):
        run = etree.SubElement(paragraph._p, W + "r")
        if kind is None:
            etree.SubElement(run, W + "instrText").text = f" {instruction} "
        else:
            etree.SubElement(run, W + "fldChar", {W + "fldCharType": kind})


def _numbered_line(paragraph: docx.text.paragraph.Paragraph, prefix: str) -> None:
    """`prefix` N av M: PAGE a simple field, NUMPAGES a complex one."""
    paragraph.add_run(f"{prefix} ")
    _field(paragraph, "PAGE", simple=True)
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES", simple=False)


def _footnote(paragraph: docx.text.paragraph.Paragraph, number: int) -> None:
    run = etree.SubElement(paragraph._p, W + "r")
    etree.SubElement(run, W + "footnoteReference", {W + "id": str(number)})


def _bookmark(paragraph: docx.text.paragraph.Paragraph, name: str, number: int) -> None:
    paragraph._p.insert(
        0, etree.Element(W + "bookmarkStart", {W + "id": str(number), W + "name": name})
    )
    paragraph._p.append(etree.Element(W + "bookmarkEnd", {W + "id": str(number)}))


def _text(document: docx.document.Document, label: str, lines: int, *, notes: list[int]) -> None:
    for line in range(lines):
        p = document.add_paragraph(f"{label} stycke {line + 1}: " + "text som fyller sidan " * 12)
        if line % 9 == 4:
            notes.append(len(notes) + 1)
            _footnote(p, notes[-1])


def _with_footnotes(data: bytes, count: int) -> bytes:
    package = Package.read(data)
    notes = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:t>Fotnoten om stycket {n}</w:t></w:r></w:p>'
        "</w:footnote>"
        for n in range(1, count + 1)
    )
    xml = (
        f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
        '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator"'
        ' w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f"{notes}</w:footnotes>"
    )
    package.add_part("word/footnotes.xml", parse(xml.encode()), CONTENT_TYPES["footnotes"])
    package.add_relationship(package.main_part(), R_FOOTNOTES, "footnotes.xml")
    return package.to_bytes()


def sections_document() -> bytes:
    document = docx.Document()
    notes: list[int] = []
    first = document.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "Försättsbladets sidhuvud"
    _numbered_line(first.first_page_footer.paragraphs[0], "Första Sida")
    first.header.paragraphs[0].text = "Sidhuvud A"
    _numbered_line(first.footer.paragraphs[0], "Sida")
    document.add_paragraph("Innehåll")
    contents = document.add_paragraph("Avsnitt C\t")
    _field(contents, "PAGEREF avsnittc \\h", simple=False)
    _text(document, "Inledning", 30, notes=notes)
    turned = document.add_section()
    turned.orientation = WD_ORIENT.LANDSCAPE
    turned.page_width, turned.page_height = Mm(297), Mm(210)
    _text(document, "Liggande", 14, notes=notes)
    upright = document.add_section()
    upright.orientation = WD_ORIENT.PORTRAIT
    upright.page_width, upright.page_height = Mm(210), Mm(297)
    upright.header.is_linked_to_previous = False
    upright.header.paragraphs[0].text = "Sidhuvud C"
    upright.different_first_page_header_footer = True  # its own first page's footer
    upright.first_page_footer.is_linked_to_previous = False
    _numbered_line(upright.first_page_footer.paragraphs[0], "Första Sida")
    _bookmark(document.add_paragraph("Avsnitt C"), "avsnittc", 77)
    _text(document, "Avsnitt C", 40, notes=notes)
    for item in range(3):  # a numbered list across the next section break
        document.add_paragraph(f"punkt {item + 1}", style="List Number")
    document.add_section()
    for item in range(3, 5):
        document.add_paragraph(f"punkt {item + 1}", style="List Number")
    _text(document, "Sista", 30, notes=notes)
    for part in range(3):  # parts that begin on a page of their own
        heading = document.add_paragraph(f"Del {part + 1}")
        heading.paragraph_format.page_break_before = True
        _text(document, f"Del {part + 1}", 25, notes=notes)
    out = io.BytesIO()
    document.save(out)
    return _with_footnotes(out.getvalue(), len(notes))


# -- LibreOffice judges ----------------------------------------------------------------


@dataclass
class Converted:
    """Each PDF's pages' text (read once: text extraction is the slow part here)."""

    whole: list[str]
    parts: Parts
    front: list[str] | None
    body: list[list[str]]
    numbers: list[list[str]]


def _pages(reader: PdfReader) -> list[str]:
    """Each page's text (poppler: pypdf takes seconds for these pages)."""
    stream = reader.stream
    stream.seek(0)
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=stream.read(), capture_output=True, check=True
    )
    return done.stdout.decode().split("\f")[: len(reader.pages)]


def _without_numbers(text: str) -> list[str]:
    return [line for line in text.splitlines() if not PAGE_LINE.search(line)]


def _destinations(reader: PdfReader) -> dict[str, int]:
    return {
        str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def _section_pages(reader: PdfReader, parts: Parts, index: int) -> list[int]:
    part = parts.body[index]
    found = _destinations(reader)
    starts = [found[section.bookmark] - part.lead_pages for section in part.sections]
    ends = [*starts[1:], len(reader.pages) - part.lead_pages + 1]
    return [end - start for start, end in zip(starts, ends, strict=True)]


def _convert(folder: Path, documents: dict[str, bytes]) -> dict[str, PdfReader]:
    paths = []
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
        paths.append(folder / f"{name}.docx")
    return dict(zip(documents, (PdfReader(p) for p in convert(paths, folder)), strict=True))


def _second_phase(key: str, parts: Parts, read: dict[str, PdfReader]) -> dict[str, bytes]:
    """The front filled in and the numbers documents, from the first phase's PDFs, as
    the PDF side makes them."""
    total = len(read[f"{key}-whole"].pages)
    front = read.get(f"{key}-front")
    page = 1 + (len(front.pages) if front is not None else 0)
    destinations = _destinations(front) if front is not None else {}
    made = {}
    for index, part in enumerate(parts.body):
        reader = read[f"{key}-part{index}"]
        for name, at in _destinations(reader).items():
            destinations[name] = at - part.lead_pages + page - 1
        pages = _section_pages(reader, parts, index)
        made[f"{key}-num{index}"] = numbers_document(parts, index, pages, page, total)
        page += len(reader.pages) - part.lead_pages
    if parts.front is not None:
        made[f"{key}-filled"] = front_document(parts, destinations, total)
    return made


def _convert_all(folder: Path, documents: dict[str, tuple[bytes, int]]) -> dict[str, Converted]:
    """Phase 1 (each whole document, its front part and body parts), then phase 2 (the
    fronts filled in, the numbers documents): one LibreOffice run each."""
    cut = {key: split(data, pieces) for key, (data, pieces) in documents.items()}
    first: dict[str, bytes] = {}
    for key, (data, _) in documents.items():
        parts = cut[key]
        assert parts is not None
        first[f"{key}-whole"] = for_layout(data)
        if parts.front is not None:
            first[f"{key}-front"] = parts.front
        first.update({f"{key}-part{i}": p.docx for i, p in enumerate(parts.body)})
    read = _convert(folder, first)
    second: dict[str, bytes] = {}
    for key, parts in cut.items():
        assert parts is not None
        second.update(_second_phase(key, parts, read))
    done = _convert(folder, second)
    result = {}
    for key, parts in cut.items():
        assert parts is not None
        filled = done.get(f"{key}-filled")
        result[key] = Converted(
            _pages(read[f"{key}-whole"]),
            parts,
            _pages(filled) if filled is not None else None,
            [_pages(read[f"{key}-part{i}"]) for i in range(len(parts.body))],
            [_pages(done[f"{key}-num{i}"]) for i in range(len(parts.body))],
        )
    return result


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    need_libreoffice()
    documents = {
        "botkyrka": (packet(BOTKYRKA).built.handlingar, 3),
        "sektioner": (sections_document(), 3),
    }
    return _convert_all(tmp_path_factory.mktemp("delar"), documents)


@pytest.fixture(params=["botkyrka", "sektioner"])
def converted(request: pytest.FixtureRequest, both: dict[str, Converted]) -> Converted:
    return both[request.param]


def test_the_parts_have_the_whole_documents_pages(converted: Converted) -> None:
    whole = converted.whole
    front = converted.front or []
    body = [
        text
        for pages, part in zip(converted.body, converted.parts.body, strict=True)
        for text in pages[part.lead_pages :]
    ]
    assert len(front) + len(body) == len(whole)
    assert len(converted.body) >= 2
    # The front part, filled in, is the whole's pages as they are, numbers and all.
    assert front == whole[: len(front)]
    for number, (one, other) in enumerate(zip(whole[len(front) :], body, strict=True), 1):
        assert _without_numbers(other) == _without_numbers(one), number + len(front)


def test_the_numbers_documents_number_the_pages_as_the_whole_does(converted: Converted) -> None:
    whole = converted.whole
    numbered = [text for pages in converted.numbers for text in pages]
    start = len(whole) - len(numbered)
    assert numbered and start == len(converted.front or [])
    for number, (one, other) in enumerate(zip(whole[start:], numbered, strict=True), start + 1):
        lines = PAGE_LINE.findall(one)
        assert lines and PAGE_LINE.findall(other) == lines, number
        assert f"Sida {number} av {len(whole)}" in lines[0], number


def test_footnote_numbers_go_on_across_the_parts() -> None:
    parts = split(sections_document(), 3)
    assert parts is not None
    starts = []
    for part in parts.body:
        root = Package.read(part.docx).element("word/document.xml")
        found = root.find(f".//{W}footnotePr/{W}numStart")
        starts.append(int(found.get(W + "val")) if found is not None else 1)
    assert starts[0] > 1 and starts == sorted(starts) and len(set(starts)) == len(starts)


def test_a_numbered_list_is_never_cut() -> None:
    parts = split(sections_document(), 12)
    assert parts is not None
    for part in parts.body:
        text = "".join(Package.read(part.docx).element("word/document.xml").itertext())
        items = re.findall(r"punkt (\d)", text)
        assert items in ([], ["1", "2", "3", "4", "5"])


def _num_ids(root: etree._Element) -> set[str]:
    return {str(n.get(W + "val")) for n in root.iter(W + "numId")}


def test_each_part_carries_only_the_numberings_it_uses() -> None:
    whole = Package.read(packet(BOTKYRKA).built.handlingar)
    every = {str(n.get(W + "numId")) for n in whole.element("word/numbering.xml").iter(W + "num")}
    parts = split(whole.to_bytes(), 3)
    assert parts is not None and parts.front is not None
    kept: set[str] = set()
    for data in [parts.front, *(part.docx for part in parts.body)]:
        package = Package.read(data)
        numbering = package.element("word/numbering.xml")
        defined = {str(n.get(W + "numId")) for n in numbering.iter(W + "num")}
        used = _num_ids(package.element("word/document.xml")) | _num_ids(
            package.element("word/styles.xml")
        )
        assert used - {"0"} <= defined  # every list the part shows keeps its numbering
        assert defined <= used  # and none it does not show
        abstracts = {str(a.get(W + "abstractNumId")) for a in numbering.iter(W + "abstractNum")}
        named = {str(n.find(W + "abstractNumId").get(W + "val")) for n in numbering.iter(W + "num")}
        assert abstracts == named
        kept |= defined
    # The parts between them use most of the whole's numberings, each a few of them.
    assert len(kept) > len(every) / 2 and len(defined) < len(every) / 2


def test_the_page_number_lines_have_a_colour_nothing_else_has() -> None:
    parts = split(sections_document(), 2)
    assert parts is not None
    value = "{:02X}{:02X}{:02X}".format(*parts.marker)
    assert value not in ("000000",) and parts.marker[2] & 1  # auto (black), blue bit flipped
    package = Package.read(parts.body[0].docx)
    footer = package.data("word/footer1.xml") + package.data("word/footer2.xml")
    assert footer.count(f'w:val="{value}"'.encode()) >= 4
    assert value.encode() not in package.data("word/document.xml")
    assert parts.front is not None and value.encode() not in b"".join(
        Package.read(parts.front).data(n) for n in ("word/footer1.xml", "word/footer2.xml")
    )


# -- what is refused ---------------------------------------------------------------------


def _changed(change: Callable[[Package], None]) -> bytes:
    package = Package.read(sections_document())
    change(package)
    return package.to_bytes()


def _setting(name: str) -> Callable[[Package], None]:
    def change(package: Package) -> None:
        etree.SubElement(package.element("word/settings.xml"), W + name)

    return change


def _odd_section(package: Package) -> None:
    section = next(package.element("word/document.xml").iter(W + "sectPr"))
    section.insert(0, etree.Element(W + "type", {W + "val": "oddPage"}))


def _counted_by_section(package: Package) -> None:
    root = package.element("word/footer1.xml")
    for instr in root.iter(W + "instrText"):
        instr.text = " SECTIONPAGES "


def _continuous(package: Package) -> None:
    section = list(package.element("word/document.xml").iter(W + "sectPr"))[1]
    section.insert(0, etree.Element(W + "type", {W + "val": "continuous"}))


def _endnote(package: Package) -> None:
    paragraph = next(package.element("word/document.xml").iter(W + "p"))
    run = etree.SubElement(paragraph, W + "r")
    etree.SubElement(run, W + "endnoteReference", {W + "id": "1"})


def _one_section(package: Package) -> None:
    body = package.element("word/document.xml").find(W + "body")
    assert body is not None
    for p in list(body)[:-1]:
        body.remove(p)
    body.insert(0, etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:t>bara</w:t></w:r></w:p>'))


@pytest.mark.parametrize(
    "change",
    [_setting("evenAndOddHeaders"), _setting("mirrorMargins"), _odd_section, _continuous,
     _counted_by_section, _endnote, _one_section],
    ids=["jämna-udda", "spegelvända", "udda-sida", "sammanhängande", "SECTIONPAGES",
         "slutnot", "inget-snitt"],
)  # fmt: skip
def test_what_parts_cannot_lay_out_alike_is_not_cut(change: Callable[[Package], None]) -> None:
    assert split(sections_document(), 3) is not None
    assert split(_changed(change), 3) is None


def test_sections_counted_by_sectionpages_are_not_merged() -> None:
    built = packet(BOTKYRKA).built.handlingar
    assert for_layout(built) != built
    package = Package.read(built)
    footer = package.element("word/footer1.xml")
    for field in footer.iter(W + "fldSimple"):
        if "NUMPAGES" in str(field.get(W + "instr")):
            field.set(W + "instr", " SECTIONPAGES ")
    counting = package.to_bytes()
    assert for_layout(counting) == counting
