"""The accessibility report: each attachment that lacks tags, language or title is
named with its item and file, so that the municipality can ask its author for an
accessible version; complete ones are not. `packet` writes it as tillgänglighet.txt
with the PDFs, all or nothing, and prints a summary."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pytest
from docx.shared import Cm

from beslutsdoc.api import packet, to_pdf
from beslutsdoc.export.report import NO_ALT, NO_FONTS, NO_LANGUAGE, NO_TITLE, UNTAGGED

from .conftest import Run, need_libreoffice
from .packets import plain_pdf, small_meeting, word


def problems(meeting: Path) -> dict[str, set[str]]:
    """Each attachment's file name with the problems the report names for it."""
    report = packet(meeting).accessibility
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.file.name, set()).add(finding.problem.split(" (")[0])
    return found


def png() -> bytes:
    """A 1×1 blue PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def picture() -> bytes:
    """A Word document with an image that has no alternative text."""
    document = docx.Document()
    document.core_properties.title = "Med bild"
    document.add_paragraph("Bilden:")
    document.add_picture(io.BytesIO(png()), width=Cm(2))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_untagged_pdfs_and_missing_language_or_title_are_named(tmp_path: Path) -> None:
    meeting = small_meeting(
        tmp_path,
        {
            "inget.pdf": plain_pdf(),
            "titel-och-språk.pdf": plain_pdf(title="Blankett", lang="sv-SE"),
            "bara-titel.pdf": plain_pdf(title="Blankett"),
            "typsnitt.pdf": plain_pdf(title="Text", lang="sv-SE", text="Text i Helvetica"),
            "utan-titel.docx": word(),
            "med-titel.docx": word(title="Bilagan i Word"),
        },
    )
    assert problems(meeting) == {
        "inget.pdf": {UNTAGGED, NO_LANGUAGE, NO_TITLE},
        "titel-och-språk.pdf": {UNTAGGED},
        "bara-titel.pdf": {UNTAGGED, NO_LANGUAGE},
        "typsnitt.pdf": {UNTAGGED, NO_FONTS},
        "utan-titel.docx": {NO_TITLE},
    }
    report = packet(meeting).accessibility
    text = report.text()
    # One line per problem, naming the item and the file.
    assert f"Ärende 1: bilagan ”Bilaga 1” ({tmp_path / 'ombud/inget.pdf'}) {UNTAGGED}" in text
    assert f"({tmp_path / 'ombud/inget.pdf'}) {NO_LANGUAGE}" in text
    assert f"({tmp_path / 'ombud/typsnitt.pdf'}) {NO_FONTS} (Helvetica)" in text
    assert "med-titel.docx" not in text
    assert not report.pdfa and not report.pdfua
    assert "handlingar.pdf anger inte PDF/A" in text and "handlingar.pdf anger inte PDF/UA" in text
    assert report.summary() == (
        "4 bilagor saknar taggar, 2 saknar angivet språk, 2 saknar titel, 1 har typsnitt som"
        " inte är inbäddade; handlingar.pdf är inte PDF/A och inte PDF/UA"
    )


def test_images_without_alternative_text_are_named(tmp_path: Path) -> None:
    meeting = small_meeting(tmp_path, {"bild.docx": picture()})
    assert problems(meeting) == {"bild.docx": {NO_ALT}}


def test_a_meeting_without_attachments_has_a_report_that_says_so(tmp_path: Path) -> None:
    report = packet(small_meeting(tmp_path, {})).accessibility
    assert report.findings == () and report.pdfa and report.pdfua
    assert report.summary() == "handlingarna har inga bilagor"
    assert "Handlingarna har inga bilagor." in report.text()


def test_tagged_pdfs_with_language_and_title_are_not_named(tmp_path: Path) -> None:
    need_libreoffice()
    complete = to_pdf(word(title="Taggad bilaga"))  # tagged, with title and language
    reader = pypdf.PdfReader(io.BytesIO(complete))
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.metadata.title
    meeting = small_meeting(tmp_path, {"taggad.pdf": complete, "otaggad.pdf": plain_pdf()})
    assert set(problems(meeting)) == {"otaggad.pdf"}
    report = packet(meeting).accessibility
    assert "taggad.pdf" not in report.text().replace("otaggad.pdf", "")


@pytest.fixture
def meeting_with_attachments(tmp_path: Path) -> Path:
    return small_meeting(
        tmp_path / "möte",
        {"otaggad.pdf": plain_pdf(title="Otaggad", lang="sv-SE"), "bilaga.docx": word()},
    )


def test_cli_writes_the_report_beside_the_packet(
    cli: Callable[..., Run], meeting_with_attachments: Path, tmp_path: Path
) -> None:
    need_libreoffice()
    out = tmp_path / "ut"
    run = cli("packet", meeting_with_attachments, "-o", out)
    assert run.code == 0, run.err
    report = (out / "tillgänglighet.txt").read_text(encoding="utf-8")
    lines = report.splitlines()
    assert lines[0] == "Tillgänglighet i handlingarna till Socialnämndens sammanträde 2021-01-26"
    otaggad = meeting_with_attachments.parent / "ombud/otaggad.pdf"
    bilaga = meeting_with_attachments.parent / "ombud/bilaga.docx"
    assert f"Ärende 1: bilagan ”Bilaga 1” ({otaggad}) saknar taggar" in lines
    assert f"Ärende 1: bilagan ”Bilaga 2” ({bilaga}) saknar titel" in lines
    summary = f"tillgänglighet: 1 bilaga saknar taggar, 1 saknar titel; handlingar.pdf är inte PDF/A; se {out / 'tillgänglighet.txt'}"
    assert summary in run.out.splitlines()


def test_without_pdf_there_is_no_report(
    cli: Callable[..., Run], meeting_with_attachments: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    run = cli("packet", meeting_with_attachments, "-o", out, "--no-pdf")
    assert run.code == 0, run.err
    assert not (out / "tillgänglighet.txt").exists()
    assert "tillgänglighet" not in run.out


def test_a_failed_run_writes_no_report(
    cli: Callable[..., Run], meeting_with_attachments: Path, tmp_path: Path
) -> None:
    need_libreoffice()
    out = tmp_path / "ut"
    (out / "tillgänglighet.txt").mkdir(parents=True)  # cannot be written: a folder
    run = cli("packet", meeting_with_attachments, "-o", out)
    assert run.code == 1
    assert "tillgänglighet.txt: kan inte skrivas: det är en mapp" in run.err
    assert [p.name for p in out.iterdir()] == ["tillgänglighet.txt"]  # nothing else either
    assert not any((out / "tillgänglighet.txt").iterdir())
