"""The examples rebuilt from the seeds validate, render, and say what the seeds say."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.render import render

from .conftest import EXAMPLES, ROOT

PAPERS = sorted(EXAMPLES.rglob("tjänsteutlåtande.yaml"))
ALL = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name != "beslutsdoc.yaml")


def all_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for c in t._cells]
    section = document.sections[0]
    for header in (section.first_page_header, section.header):
        parts += [c.text for t in header.tables for c in t._cells]
    return "\n".join(parts)


def test_there_are_three_real_papers() -> None:
    assert len(PAPERS) >= 3


@pytest.mark.parametrize("path", PAPERS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_validates_and_renders(path: Path) -> None:
    loaded = load_paper(path)
    check(loaded)
    text = all_text(render(loaded))
    assert loaded.model.titel in text
    for point in loaded.model.förslag_till_beslut:
        assert " ".join(point.split()) in " ".join(text.split())  # non-breaking spaces aside
    assert "{{" not in text.replace(loaded.model.titel, "")


def test_stockholm_paper_matches_seed_004() -> None:
    loaded = load_paper(EXAMPLES / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml")
    text = all_text(render(loaded))
    assert "Dnr SOF 2023/553" in text and "Tjänsteutlåtande" in text
    assert "Sofia Linder" in text and "Socialnämnden" in text
    assert "Redovisning av budgetuppdrag 2023" in text
    assert len(loaded.model.förslag_till_beslut) == 3


def test_botkyrka_uses_its_own_template_and_label() -> None:
    path = EXAMPLES / "botkyrka" / "sn-2017-33" / "tjänsteutlåtande.yaml"
    data = render(load_paper(path))
    text = all_text(data)
    assert "Tjänsteskrivelse" in text and "Referens" in text and "Mottagare" in text
    assert b"word/media/" in data  # the logo came along


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_examples_name_their_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first.split("=", 1)[1]).resolve()
    assert schema.parent == ROOT / "schemas"
    if path.name == "beslutsdoc.yaml" or "typ: tjänsteutlåtande" in path.read_text(
        encoding="utf-8"
    ):
        assert schema.is_file(), schema


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_is_valid(cli, path: Path) -> None:
    run = cli("validate", path)
    assert run.code == 0, run.err
