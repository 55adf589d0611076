"""The public copy: secret parts replaced by their legal ground, no personnummer in any
form anywhere (text, metadata, attachments); the original keeps everything, marked."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from beslutsdoc.model.personnummer import personnummer_in

from .conftest import EXAMPLES, PAPER

PNR = "19121212-1212"


def _all_text(path: Path) -> str:
    """Every text of a .docx: body, headers, footers, notes and the metadata."""
    archive = zipfile.ZipFile(path)
    return " ".join(
        re.sub(r"<[^>]+>", " ", archive.read(name).decode("utf-8", "replace"))
        for name in archive.namelist()
        if name.endswith(".xml")
    )


def test_a_secret_section_is_replaced_by_its_ground(write, cli) -> None:
    paper = write(
        PAPER
        + "avsnitt:\n  - rubrik: Utredning\n    sekretess: 26 kap. 1 § OSL\n"
        + f"    text: Barnet Elsa Exempel, {PNR}, behöver stöd.\n"
        + "  - rubrik: Ekonomi\n    text: Kostnaden ryms i budgeten.\n"
    )
    run = cli("render", paper, "--offentlig")
    assert run.code == 0, run.err
    public = _all_text(paper.with_name("paper-offentlig.docx"))
    original = _all_text(paper.with_suffix(".docx"))
    assert "Elsa" not in public and not list(personnummer_in(public))
    assert "Sekretess enligt 26" in public and "Kostnaden ryms i budgeten." in public
    assert "Utredning" in public  # the heading keeps its place
    assert "Elsa Exempel" in original and "Sekretess enligt 26" in original  # marked, kept


def test_a_wholly_secret_paper_keeps_its_title_and_dnr(write, cli) -> None:
    paper = write(
        PAPER.replace(
            "titel: Ett ärende", "titel: Placering av barn\nsekretess: 26 kap. 1 § OSL"
        ).replace("Kort sammanfattning.", f"Gäller Elsa Exempel, {PNR}.")
    )
    assert cli("render", paper, "--offentlig").code == 0
    document = docx.Document(str(paper.with_name("paper-offentlig.docx")))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Placering av barn" in body and "Handlingens innehåll finns inte med" in body
    assert "Socialnämnden godkänner" not in body and "Elsa" not in body
    assert body.count("Sekretess enligt") == 1  # one notice, not one per part
    assert "Sammanfattning" not in [p.text for p in document.paragraphs]  # nothing under it
    core = document.core_properties
    assert core.title.endswith("(offentlig version)") and "Linder" not in (core.author or "")


def _botkyrka(tmp_path: Path) -> Path:
    """The Botkyrka meeting in a folder of its own (outputs must not land in the repo)."""
    target = tmp_path / "botkyrka"
    shutil.copytree(EXAMPLES / "botkyrka", target)
    return target / "2021-01-26" / "sammanträde.yaml"


def test_public_minutes_keep_the_paragraph_and_hide_the_matter(cli, tmp_path: Path) -> None:
    meeting = _botkyrka(tmp_path)
    out = tmp_path / "ut"
    assert cli("protokoll", meeting, "-o", out, "--offentlig").code == 0
    public = _all_text(out / "protokoll-offentlig.docx")
    assert "§ 12 Placering av barn i familjehem" in public.replace("\u00a0", " ")
    assert "Paragrafens innehåll finns inte med i den offentliga versionen." in public
    assert "familjehem enligt 4" not in public  # the decision names the child's situation
    assert "Lex Sarah-rapport" not in public  # an anmälningsärende in the sekretessdel
    original = _all_text(out / "protokoll.docx")
    assert "familjehem enligt 4" in original and "Lex Sarah-rapport" in original
    extract = _all_text(out / "protokollsutdrag-12-offentlig.docx")
    assert "Sekretess enligt 26" in extract and "barnet ska vårdas" not in extract


def test_public_packet_has_no_personnummer_anywhere(cli, tmp_path: Path) -> None:
    meeting = _botkyrka(tmp_path)
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out, "--no-pdf", "--offentlig")
    assert run.code == 0, run.err
    public = _all_text(out / "handlingar-offentlig.docx")
    assert not list(personnummer_in(public)), list(personnummer_in(public))[:3]
    assert "Elsa" not in public and "Kim och Robin" not in public
    assert "Bilaga: Anmälningar 2020" in public  # the secret attachment's page names it
    original = _all_text(out / "handlingar.docx")
    assert list(personnummer_in(original))  # the members' packet keeps everything


# Where a personnummer may hide in an attachment, and where the message says it is.
HIDING = {
    "docx-text": ("docx", "i stycke 2"),
    "docx-delad": ("docx", "i stycke 2"),  # split over two runs, as Word often does
    "docx-länk": ("docx", "i word/_rels/document.xml.rels (text som inte syns på sidan)"),
    "docx-alternativtext": ("docx", "i word/document.xml (text som inte syns på sidan)"),
    "docx-egenskap": ("docx", "i docProps/custom.xml (text som inte syns på sidan)"),
    "pdf-text": ("pdf", "på sida 1"),
    "pdf-kommentar": ("pdf", "i en kommentar eller ett formulärfält på sida 1"),
    "pdf-formulär": ("pdf", "i en kommentar eller ett formulärfält på sida 1"),
}


@pytest.mark.parametrize("hiding", list(HIDING))
def test_a_personnummer_in_an_open_attachment_stops_the_public_packet(
    cli, tmp_path: Path, hiding: str
) -> None:
    meeting = _botkyrka(tmp_path)
    folder = meeting.parent / "03-barn-och-unga-psykisk-ohälsa"
    kind, where = HIDING[hiding]
    if kind == "docx":
        _docx_hiding(folder / "lista.docx", hiding, "121212 1212")
    elif hiding == "pdf-text":
        _pdf_with_text(folder / "lista.pdf", "Gäller 121212-1212 i Tumba.")
    else:
        field = hiding == "pdf-formulär"
        _pdf_with_text(folder / "lista.pdf", "Gäller en placering i Tumba.", "1212121212", field)
    text = meeting.read_text(encoding="utf-8").replace(
        "      - 03-barn-och-unga-psykisk-ohälsa/återrapportering-till-socialstyrelsen.pdf\n",
        "      - 03-barn-och-unga-psykisk-ohälsa/återrapportering-till-socialstyrelsen.pdf\n"
        f"      - 03-barn-och-unga-psykisk-ohälsa/lista.{kind}\n",
    )
    meeting.write_text(text, encoding="utf-8")
    out = tmp_path / "ut"
    assert cli("packet", meeting, "-o", out, "--no-pdf").code == 0  # the members may see it
    run = cli("packet", meeting, "-o", tmp_path / "ut2", "--no-pdf", "--offentlig")
    assert run.code == 1
    # What to do about it, and the law that says so.
    assert (
        f"{where}; den offentliga versionen får inte visa det: markera bilagan med sekretess"
        " ({fil: …, sekretess: …}) eller ta bort uppgiften (lag 2018:218 3 kap. 10 §)"
    ) in run.err
    assert f"lista.{kind}" in run.err and "personnummer" in run.err and where in run.err
    assert not (tmp_path / "ut2").exists()


def _docx_hiding(path: Path, hiding: str, number: str) -> None:
    """A Word file with `number` in its text, an image's alternative text, or a custom
    document property (which DOCPROPERTY fields read, and the packet carries)."""
    document = docx.Document()
    document.add_paragraph("Inledning.")
    if hiding == "docx-text":
        document.add_paragraph(f"Gäller {number} i Tumba.")
    if hiding == "docx-delad":
        paragraph = document.add_paragraph(f"Gäller {number[:4]}")
        paragraph.add_run(f"{number[4:]} i Tumba.").bold = True
    if hiding == "docx-länk":
        link = document.part.relate_to(
            f"https://example.se/ärende?pnr={number.replace(' ', '')}",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        assert link
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if hiding == "docx-alternativtext":
        image = (
            '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
            'drawingml/2006/wordprocessingDrawing"><wp:extent cx="1" cy="1"/>'
            f'<wp:docPr id="1" name="Bild 1" descr="Foto på barnet {number}"/>'
            "</wp:inline></w:drawing></w:r>"
        )
        body = parts["word/document.xml"].decode()
        parts["word/document.xml"] = body.replace(
            "<w:t>Inledning.</w:t></w:r>", "<w:t>Inledning.</w:t></w:r>" + image, 1
        ).encode()
    if hiding == "docx-egenskap":
        parts["docProps/custom.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
            'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
            'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid='
            '"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Klient"><vt:lpwstr>'
            f"{number}</vt:lpwstr></property></Properties>"
        ).encode()
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace(
            "</Types>",
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.custom-properties+xml"/></Types>',
        ).encode()
        rels = parts["_rels/.rels"].decode()
        parts["_rels/.rels"] = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
            "</Relationships>",
        ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _pdf_with_text(path: Path, text: str, note: str | None = None, field: bool = False) -> None:
    """A one-page PDF whose text layer says `text` (Helvetica, no embedding needed);
    `note`: a sticky-note comment on the page that says it (`field`: a filled-in form
    field's value instead)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text.encode('latin-1').decode('latin-1')}) Tj ET".encode(
        "latin-1"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        + (b" /Annots [6 0 R]" if note else b"")
        + b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if note:
        objects.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [72 700 292 720] /T (pnr) /V ("
            + note.encode("latin-1")
            + b") >>"
            if field
            else b"<< /Type /Annot /Subtype /Text /Rect [72 700 92 720] /Contents ("
            + note.encode("latin-1")
            + b") /T (Handl\xe4ggare) >>"
        )
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out)


def test_webb_command_builds_the_public_pages(cli, tmp_path: Path) -> None:
    meeting = _botkyrka(tmp_path)
    out = tmp_path / "webb"
    run = cli("webb", meeting, "-o", out)
    assert run.code == 0, run.err
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert pages == [
        "2021-01-26/anslag.html",
        "2021-01-26/kallelse.html",
        "2021-01-26/protokoll.html",
        "anslagstavla.html",
        "index.html",
    ]
    minutes = (out / "2021-01-26" / "protokoll.html").read_text(encoding="utf-8")
    assert "Elsa" not in minutes and not list(personnummer_in(minutes))
    assert 'lang="sv"' in minutes
