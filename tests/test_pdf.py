"""PDF through LibreOffice: PDF/A-2b, tagged, titled, in Swedish; clear errors without it."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from .conftest import EXAMPLES, PAPER, heading_pages, need_libreoffice


def test_render_pdf_is_pdfa_tagged_titled_swedish(cli, tmp_path: Path) -> None:
    need_libreoffice()
    source = EXAMPLES / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml"
    target = tmp_path / "sof.docx"
    run = cli("render", source, "-o", target, "--pdf")
    assert run.code == 0, run.err
    reader = pypdf.PdfReader(tmp_path / "sof.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Socialförvaltningens arbete 2023")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert (
        "<pdfaid:part>2</pdfaid:part>" in xmp
        and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    )
    text = reader.pages[0].extract_text()
    assert "Dnr SOF 2023/553" in text and "Sida 1 av" in text


def test_many_papers_one_run(cli, write) -> None:
    need_libreoffice()
    a, b = write(PAPER, "a/paper.yaml"), write(PAPER, "b/paper.yaml")  # same file names
    assert cli("render", a, b, "--pdf").code == 0
    assert a.with_suffix(".pdf").is_file() and b.with_suffix(".pdf").is_file()


def test_missing_libreoffice_is_a_clear_error(cli, write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BESLUTSDOC_SOFFICE", "/finns/inte/soffice")
    paper = write(PAPER)
    run = cli("render", paper, "--pdf")
    assert run.code == 1
    assert "LibreOffice kunde inte startas" in run.err
    assert not paper.with_suffix(".docx").exists()  # nothing half-written


def test_libreoffice_not_on_path(cli, write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BESLUTSDOC_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", "/finns-inte")
    run = cli("render", write(PAPER), "--pdf")
    assert run.code == 1 and "LibreOffice saknas" in run.err


def test_contents_page_numbers_match_the_pdf(cli, tmp_path: Path) -> None:
    need_libreoffice()
    import re

    source = EXAMPLES / "botkyrka" / "2021-01-26" / "01-internkontroll" / "internkontrollplan.yaml"
    assert cli("render", source, "-o", tmp_path / "plan.docx", "--pdf").code == 0
    pdf = (tmp_path / "plan.pdf").read_bytes()
    pages = heading_pages(pdf)
    contents = pypdf.PdfReader(tmp_path / "plan.pdf").pages[1].extract_text()
    checked = 0
    for heading in (
        "2 Nämndens internkontrollarbete",
        "3.3 Nettolista risker",
        "5 Årets planerade aktiviteter",
    ):
        found = re.search(re.escape(heading) + r"[ .…]*(\d+)", contents)
        assert found, contents
        assert int(found[1]) == pages[heading]
        checked += 1
    assert (
        checked == 3 and pages["5 Årets planerade aktiviteter"] > pages["3.3 Nettolista risker"] > 2
    )
    # The Word file shows the same numbers before Word updates its fields.
    entries = [
        p.text
        for p in docx.Document(tmp_path / "plan.docx").paragraphs
        if p.style.name.startswith("toc")
    ]
    assert f"3.3 Nettolista risker\t{pages['3.3 Nettolista risker']}" in entries


def test_libreoffice_failures_name_the_paper_and_write_nothing(
    cli, write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice that writes garbage: the message names the user's file, not the
    temporary one, and no Word file is written either."""
    program = tmp_path / "soffice"
    program.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
        'for f in "$@"; do n=$(basename "$f" .docx); printf "skräp" > "$out/$n.pdf"; done\n'
        "printf 'Fel \\377\\376\\n' >&2\n"
    )
    program.chmod(0o755)
    monkeypatch.setenv("BESLUTSDOC_SOFFICE", str(program))
    a, b = write(PAPER, "a/ärende.yaml"), write(PAPER, "b/ärende.yaml")
    run = cli("render", a, b, "--pdf")
    assert run.code == 1
    # Two LibreOffice processes at once: the first to fail is named, and the other stopped.
    named = [p for p in (a, b) if f"ingen läsbar PDF av ”{p.with_suffix('.docx')}”" in run.err]
    assert len(named) == 1, run.err
    assert "0000" not in run.err and "0001" not in run.err
    assert not a.with_suffix(".docx").exists() and not b.with_suffix(".docx").exists()
