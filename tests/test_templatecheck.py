"""`beslutsdoc mall MALL.docx`: a board's own template checked as rendering reads it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from beslutsdoc.model.registry import PAPERS

from .conftest import EXAMPLES, ROOT, Run

TEMPLATES = ROOT / "templates"


def _template(path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("kind", list(PAPERS.documents))
def test_every_standard_template_passes_for_its_kind(kind: str, cli: Callable[..., Run]) -> None:
    run = cli("mall", TEMPLATES / f"{kind}.docx", "--typ", kind)
    assert run.code == 0, run.err
    assert f"mallen fungerar som mall för {kind}." in run.out


def test_it_lists_what_is_used_and_what_is_there(tmp_path: Path, cli: Callable[..., Run]) -> None:
    own = _template(
        tmp_path / "egen.docx",
        "{{ titel }}",
        "Datum: {{ datum | långt_datum }}",
        "{{ sammanfattning }}",
    )
    run = cli("mall", own, "--typ", "tjänsteutlåtande")
    assert run.code == 0, run.err
    used, unused = run.out.split("Variabler som finns men inte används")
    assert "Variabler som mallen använder (3):" in used
    assert "  sammanfattning" in used and "block" in used and "  titel" in used
    assert "  handläggare" in unused and "  titel" not in unused


def test_a_broken_template_fails_with_the_compilers_words(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    own = _template(tmp_path / "egen.docx", "{{ titell }}", "{% if undertitel %}")
    run = cli("mall", own, "--typ", "tjänsteutlåtande")
    assert run.code == 1 and run.out == ""
    assert "den okända variabeln ”titell”; menade du ”titel”?" in run.err
    assert "trasig mallkod" in run.err
    assert "variablerna som finns för tjänsteutlåtande:" in run.err


def test_without_typ_it_guesses_the_kind_the_fields_fit(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    shutil.copy(TEMPLATES / "protokoll.docx", tmp_path / "vår-mall.docx")
    run = cli("mall", tmp_path / "vår-mall.docx")
    assert run.code == 0, run.err
    assert "mall för protokoll (gissat; ange --typ för att välja)" in run.out
    run = cli("mall", EXAMPLES / "botkyrka" / "mallar" / "tjänsteskrivelse.docx")
    assert "mall för tjänsteutlåtande (gissat" in run.out


def test_not_a_word_file_and_a_wrong_typ(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "mall.docx").write_text("inte en Word-fil", encoding="utf-8")
    run = cli("mall", tmp_path / "mall.docx", "--typ", "protokoll")
    assert run.code == 1 and "ingen läsbar Word-fil" in run.err
    run = cli("mall", TEMPLATES / "protokoll.docx", "--typ", "protokol")
    assert run.code == 2 and "--typ ska vara en av: tjänsteutlåtande" in run.err
