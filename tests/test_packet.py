"""The nämnd packet: composer, notice, packet structure, checks and the PDF."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from lxml import etree

from beslutsdoc.api import meeting as load_meeting  # loaded and checked
from beslutsdoc.compose.composer import Composer
from beslutsdoc.compose.packet import build_packet
from beslutsdoc.load.paper import load_paper
from beslutsdoc.ooxml.package import Package
from beslutsdoc.problems import InputError
from beslutsdoc.render import render

from .conftest import EXAMPLES, PAPER, need_libreoffice
from .test_meeting import MEETING
from .test_meeting import PAPER as ITEM_PAPER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LISTS = (
    PAPER
    + """\
avsnitt:
  - rubrik: Bakgrund
    text: |
      Text med fotnot[^1] och [länk](https://www.test.se/).

      1. första
      2. andra

      [^1]: Fotnotens text.
"""
)


def xml(data: bytes, name: str = "word/document.xml") -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def attachment(path: Path, *, landscape: bool = False, image: Path | None = None) -> Path:
    document = docx.Document()
    document.add_heading("Bilagans rubrik", 1)
    document.add_paragraph("Bilagans text.", style="List Number")
    if image:
        document.add_picture(str(image), width=Cm(3))
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    document.save(path)
    return path


def test_composer_keeps_what_each_paper_has(write, tmp_path: Path) -> None:
    paper = render(load_paper(write(LISTS)))
    logo = EXAMPLES / "botkyrka" / "mallar" / "logotyp.png"
    extra = attachment(tmp_path / "bilaga.docx", landscape=True, image=logo)
    composer = Composer(Package.read(paper))
    composer.take_body()  # the base gives the frame only
    composer.append(Package.read(paper), bookmark="bdett")
    composer.append(Package.read(paper), bookmark="bdtva")
    composer.append(Package.read(extra.read_bytes()), bookmark="bdtre")
    merged = composer.finish()
    document = xml(merged)
    body = document.find(f"{W}body")
    # Each paper's numbered list has its own numbering, counting from 1.
    numbering = xml(merged, "word/numbering.xml")
    ids = [
        p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        for p in body.iter(f"{W}p")
        if "".join(p.itertext()) == "första"
    ]
    assert len(ids) == 2 and ids[0] != ids[1]
    abstracts = {
        numbering.find(f"{W}num[@{W}numId='{i}']/{W}abstractNumId").get(f"{W}val") for i in ids
    }
    assert len(abstracts) == 2
    # Footnotes travel, with new ids, and keep their text.
    refs = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert len(refs) == 2 and len(set(refs)) == 2
    notes = xml(merged, "word/footnotes.xml")
    for ref in refs:
        note = notes.find(f"{W}footnote[@{W}id='{ref}']")
        assert "Fotnotens text." in "".join(note.itertext())
    # Links and images keep working relationships.
    rels = {r.get("Id"): r for r in xml(merged, "word/_rels/document.xml.rels")}
    R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    links = [h.get(f"{R}id") for h in body.iter(f"{W}hyperlink") if h.get(f"{R}id")]
    assert links and all(rels[i].get("Target") == "https://www.test.se/" for i in links)
    blips = [
        b.get(f"{R}embed")
        for b in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    ]
    assert len(blips) == 1
    image = rels[blips[0]].get("Target")
    assert f"word/{image}" in zipfile.ZipFile(io.BytesIO(merged)).namelist()
    # Every part its own section; the landscape attachment stays landscape; one header.
    sections = list(body.iter(f"{W}sectPr"))
    assert len(sections) == 3
    assert sections[-1].find(f"{W}pgSz").get(f"{W}orient") == "landscape"
    with_header = [s for s in sections if s.find(f"{W}headerReference") is not None]
    assert with_header == [sections[0]]
    assert all(s.find(f"{W}titlePg") is None for s in sections)
    # Bookmarks are unique and mark each part.
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert {"bdett", "bdtva", "bdtre"} <= set(names) and len(names) == len(set(names))
    assert docx.Document(io.BytesIO(merged)).paragraphs  # python-docx opens it


@pytest.fixture
def meeting(folder: Path) -> Path:
    (folder / "ombud").mkdir()
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(ITEM_PAPER, encoding="utf-8")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(842, 595)  # a landscape page
    writer.add_blank_page(842, 595)
    with (folder / "ombud" / "blankett.pdf").open("wb") as out:
        writer.write(out)
    attachment(folder / "ombud" / "bilaga.docx")
    path = folder / "sammanträde.yaml"
    path.write_text(
        MEETING.replace("ombud/blankett.pdf]", "ombud/blankett.pdf, ombud/bilaga.docx]"),
        encoding="utf-8",
    )
    return path


def texts(data: bytes) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_notice_lists_the_items_from_their_papers(meeting: Path) -> None:
    packet = build_packet(load_meeting(meeting))
    notice = texts(packet.kallelse)
    assert "Ombud för nämnden (SN 2021:12)" in notice  # title and Dnr from the paper
    assert "Förvaltningschefen informerar – muntlig information" in notice
    assert "Var vänlig och meddela Fredrik Falk om du inte kan närvara." in notice
    assert "Anna Andersson" in notice and "ordförande" in notice
    cells = [c.text for t in docx.Document(io.BytesIO(packet.kallelse)).tables for c in t._cells]
    assert "26\u00a0januari 2021 kl. 18.00" in cells and "Munkhättevägen 49" in cells
    assert "David Dahlberg (M), 2021-02-02, Socialförvaltningen" in cells  # the justering


def test_packet_holds_notice_contents_items_and_parts(meeting: Path) -> None:
    packet = build_packet(load_meeting(meeting))
    body = [
        p.text
        for p in docx.Document(io.BytesIO(packet.handlingar)).paragraphs
        if not p.style.name.startswith("toc")
    ]
    order = [
        "Kallelse till sammanträde",
        "Innehåll",
        "1 Ombud för nämnden",
        "Bilaga: Ansökningsblankett",
        "Bilagans rubrik",
        "2 Förvaltningschefen informerar",
    ]
    positions = [next(i for i, t in enumerate(body) if t.startswith(o)) for o in order]
    assert positions == sorted(positions)
    # Once in the item page's list of documents, then a placeholder per page of the PDF.
    assert sum(t == "Bilaga: Ansökningsblankett" for t in body) == 3
    toc = [
        p
        for p in docx.Document(io.BytesIO(packet.handlingar)).paragraphs
        if p.style.name == "toc 2"
    ]
    assert [p.text for p in toc][:3] == [
        "Tjänsteutlåtande 2021-01-10\t",
        "Bilaga: Ansökningsblankett\t",
        "Bilaga: Bilaga\t",
    ]
    assert [s.bookmark for s in packet.slots] == ["bd1x2"] and packet.slots[0].pages == 2
    assert [n.title for n in packet.outline[2].children] == [
        "Tjänsteutlåtande 2021-01-10",
        "Bilaga: Ansökningsblankett",
        "Bilaga: Bilaga",
    ]
    # The PDF attachment's placeholder pages are landscape, like the attachment.
    body_xml = xml(packet.handlingar).find(f"{W}body")
    landscape = [
        s
        for s in body_xml.iter(f"{W}sectPr")
        if s.find(f"{W}pgSz").get(f"{W}orient") == "landscape"
    ]
    assert len(landscape) == 1


def test_cli_packet_without_pdf(cli, meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out, "--no-pdf")
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == ["handlingar.docx", "kallelse.docx"]
    assert "2 ärenden" in run.out


def test_broken_and_encrypted_pdfs_are_named(cli, meeting: Path, tmp_path: Path) -> None:
    (meeting.parent / "ombud" / "blankett.pdf").write_bytes(b"%PDF-1.4 trasig")
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out, "--no-pdf")
    assert run.code == 1 and "”ombud/blankett.pdf” är en trasig PDF" in run.err
    assert not out.exists()
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("hemligt")
    with (meeting.parent / "ombud" / "blankett.pdf").open("wb") as handle:
        writer.write(handle)
    run = cli("packet", meeting, "-o", out, "--no-pdf")
    assert run.code == 1 and "är krypterad eller lösenordsskyddad" in run.err


def test_failed_packet_leaves_previous_intact(cli, meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    assert cli("packet", meeting, "-o", out, "--no-pdf").code == 0
    before = (out / "handlingar.docx").read_bytes()
    (meeting.parent / "ombud" / "bilaga.docx").unlink()
    assert cli("packet", meeting, "-o", out, "--no-pdf").code == 1
    assert (out / "handlingar.docx").read_bytes() == before


def test_same_dnr_on_two_items_needs_a_reason(meeting: Path) -> None:
    text = meeting.read_text(encoding="utf-8").replace(
        "  - titel: Förvaltningschefen informerar\n    information: true\n",
        "  - titel: Ombud, fortsättning\n    diarienummer: SN 2021:12\n",
    )
    meeting.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match=r"ärende 2 har samma diarienummer \(SN 2021:12\) som ärende 1"
    ):
        load_meeting(meeting)
    meeting.write_text(
        text.replace(
            "    diarienummer: SN 2021:12\n",
            "    diarienummer: SN 2021:12\n    diarienummer_skäl: Ärendet återkommer med en komplettering.\n",
        ),
        encoding="utf-8",
    )
    load_meeting(meeting)


def test_botkyrka_packet_builds() -> None:
    meeting = load_meeting(EXAMPLES / "botkyrka" / "2021-01-26" / "sammanträde.yaml")
    packet = build_packet(meeting)
    body = texts(packet.handlingar)
    assert "10 Anmälan av delegationsbeslut" in body and "I sekretessdelen" in body
    assert "Directquality i Stockholm AB, Akvarellen (SN 2020:147)" in body
    assert len(packet.slots) >= 5


def test_packet_pdf(cli, meeting: Path, tmp_path: Path) -> None:
    need_libreoffice()
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out)
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == [
        "handlingar.docx",
        "handlingar.pdf",
        "kallelse.docx",
        "kallelse.pdf",
        "tillgänglighet.txt",
    ]
    reader = pypdf.PdfReader(out / "handlingar.pdf")
    assert reader.metadata.title == "Handlingar Socialnämnden 2021-01-26"
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # the Word parts stay tagged
    kallelse = pypdf.PdfReader(out / "kallelse.pdf").trailer["/Root"]
    assert b"<pdfaid:part>2</pdfaid:part>" in kallelse["/Metadata"].get_object().get_data()
    outline = {}

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline[item.title] = (depth, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    assert outline["1 Ombud för nämnden (SN 2021:12)"][0] == 0
    depth, page = outline["Bilaga: Ansökningsblankett"]
    assert depth == 1
    # The attachment's own (landscape, empty) pages stand where its placeholders were.
    attachment_page = reader.pages[page - 1]
    assert float(attachment_page.mediabox.width) > float(attachment_page.mediabox.height)
    assert "Bilaga: Ansökningsblankett" not in attachment_page.extract_text()
    assert f"Sida {page} av {len(reader.pages)}" in attachment_page.extract_text()  # numbered too
    # The table of contents has the pages the bookmarks have.
    contents = reader.pages[outline["Innehåll"][1] - 1].extract_text()
    found = re.search(r"1 Ombud för nämnden \(SN 2021:12\)[ .…]*(\d+)", contents)
    assert found and int(found[1]) == outline["1 Ombud för nämnden (SN 2021:12)"][1]
    word = [
        p.text for p in docx.Document(out / "handlingar.docx").paragraphs if p.style.name == "toc 1"
    ]
    assert f"1 Ombud för nämnden (SN 2021:12)\t{found[1]}" in word
    assert str(len(reader.pages)) in run.out


def test_a_plan_attached_to_its_paper_follows_it(folder: Path) -> None:
    meeting = load_meeting(EXAMPLES / "botkyrka" / "2021-01-26" / "sammanträde.yaml")
    first = meeting.items[0]
    assert [part.label for part in first.parts] == [
        "Tjänsteskrivelse 2020-12-22",
        "Socialnämndens internkontrollplan 2021",
    ]  # listed in the item and as the paper's bilaga: merged once, after the paper
    assert (
        first.parts[1].paper is not None and first.parts[1].paper.model.typ == "internkontrollplan"
    )


def test_endnotes_travel_and_comments_are_dropped(tmp_path: Path) -> None:
    from beslutsdoc.compose.composer import R_ENDNOTES
    from beslutsdoc.ooxml.package import CONTENT_TYPES
    from beslutsdoc.ooxml.wordml import el, sub

    path = attachment(tmp_path / "a.docx")
    package = Package.read(path.read_bytes())
    notes = el("endnotes")
    for note_id in ("-1", "0"):
        sub(sub(sub(notes, "endnote", id=note_id), "p"), "r")
    note = sub(sub(notes, "endnote", id="1"), "p")
    sub(sub(note, "r"), "t").text = "Slutnotens text."
    package.add_part("word/endnotes.xml", notes, CONTENT_TYPES["endnotes"])
    package.add_relationship("word/document.xml", R_ENDNOTES, "endnotes.xml")
    body = package.element("word/document.xml").find(f"{W}body")
    p = body.find(f"{W}p")
    sub(sub(p, "r"), "endnoteReference", id="1")
    p.insert(0, el("commentRangeStart", {"id": "0"}))
    sub(sub(p, "r"), "commentReference", id="0")
    composer = Composer(Package.read(render(load_paper(_paper(tmp_path)))))
    composer.take_body()
    composer.append(Package.read(package.to_bytes()))
    merged = composer.finish()
    document = xml(merged)
    assert not list(document.iter(f"{W}commentReference")) and not list(
        document.iter(f"{W}commentRangeStart")
    )
    [reference] = list(document.iter(f"{W}endnoteReference"))
    endnotes = xml(merged, "word/endnotes.xml")
    copied = endnotes.find(f"{W}endnote[@{W}id='{reference.get(f'{W}id')}']")
    assert "".join(copied.itertext()) == "Slutnotens text."
    types = zipfile.ZipFile(io.BytesIO(merged)).read("[Content_Types].xml").decode()
    assert "/word/endnotes.xml" in types


def _paper(folder: Path) -> Path:
    (folder / "beslutsdoc.yaml").write_text("kommun: K\nnämnd: N\n", encoding="utf-8")
    path = folder / "p.yaml"
    path.write_text(PAPER, encoding="utf-8")
    return path


def test_papers_keep_their_letterhead_in_the_packet(meeting: Path) -> None:
    packet = build_packet(load_meeting(meeting))
    document = docx.Document(io.BytesIO(packet.handlingar))
    cells = [c.text for t in document.tables for c in t._cells]
    # The paper's first-page header (label, Dnr, date) now opens its part of the packet.
    assert "Tjänsteutlåtande\nDnr SN 2021:12\n2021-01-10" in cells
    assert not any(
        "PAGE" in (f.get(f"{W}instr") or "") for f in document.element.body.iter(f"{W}fldSimple")
    )


def test_item_page_summary_leaves_the_notes_to_the_paper(meeting: Path) -> None:
    paper = meeting.parent / "ombud" / "tjänsteutlåtande.yaml"
    paper.write_text(
        ITEM_PAPER.replace(
            "sammanfattning: Nämnden behöver ombud.",
            "sammanfattning: |\n  Nämnden behöver ombud.[^1]\n\n  [^1]: Enligt lagen.\n",
        ),
        encoding="utf-8",
    )
    packet = build_packet(load_meeting(meeting))
    notes = xml(packet.handlingar, "word/footnotes.xml")
    assert [
        "".join(n.itertext()).strip()
        for n in notes.iter(f"{W}footnote")
        if int(n.get(f"{W}id")) > 0
    ] == ["Enligt lagen."]  # once, from the paper; the item page repeats the text without it
