"""`beslutsdoc ny MAPP`: a new board's folder that validates and renders as it stands."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from beslutsdoc.model.profil import Mallar, Profil
from beslutsdoc.model.registry import PAPERS

from .conftest import Run
from .test_schemas import _editor, _validator

MEETING = Path("2027-01-26") / "sammanträde.yaml"


@pytest.fixture
def made(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    folder = tmp_path / "nämnd"
    run = cli("ny", folder)
    assert run.code == 0, run.err
    assert str(folder / "beslutsdoc.yaml") in run.out
    return folder


def _papers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.name != "beslutsdoc.yaml")


def test_one_paper_of_each_type_and_a_meeting_that_uses_them(made: Path) -> None:
    types = {yaml.safe_load(p.read_text(encoding="utf-8"))["typ"]: p for p in _papers(made)}
    assert sorted(types) == sorted(t.typ for t in PAPERS)
    meeting = yaml.safe_load((made / MEETING).read_text(encoding="utf-8"))
    listed = {
        made / MEETING.parent / f for item in meeting["ärenden"] for f in item.get("handlingar", [])
    }
    assert {types["tjänsteutlåtande"], types["internkontrollplan"]} <= listed


def test_everything_validates_and_renders(made: Path, cli: Callable[..., Run]) -> None:
    papers = _papers(made)
    assert cli("validate", *papers).code == 0
    run = cli("render", *[p for p in papers if p.name != "sammanträde.yaml"])
    assert run.code == 0, run.err
    assert all(p.with_suffix(".docx").is_file() for p in papers if p.name != "sammanträde.yaml")
    run = cli("packet", made / MEETING, "--no-pdf")
    assert run.code == 0, run.err
    run = cli("protokoll", made / MEETING)
    assert run.code == 0, run.err
    assert (made / MEETING.parent / "protokoll.docx").is_file()
    assert (made / MEETING.parent / "protokollsutdrag-3.docx").is_file()


def test_every_file_names_a_schema_it_agrees_with(made: Path) -> None:
    for path in [made / "beslutsdoc.yaml", *_papers(made)]:
        text = path.read_text(encoding="utf-8")
        line = re.match(r"# yaml-language-server: \$schema=(\S+)\n", text)
        assert line, path
        schema = (path.parent / line[1]).resolve()
        assert schema.is_file() and schema.parent == made / "scheman", path
        data = _editor(text)
        assert schema.name == _validator(data, path).schema["$id"].rsplit("/", 1)[-1]
        assert [e.message for e in _validator(data, path).iter_errors(data)] == [], path


def test_the_profile_explains_every_key(made: Path) -> None:
    lines = (made / "beslutsdoc.yaml").read_text(encoding="utf-8").splitlines()
    for key in [*Profil.model_fields, *(f"  {k}" for k in Mallar.model_fields)]:
        found = [i for i, line in enumerate(lines) if re.match(rf"(# ?)?{key}:", line)]
        assert found, f"{key.strip()} saknas i profilen"
        above = lines[max(0, found[0] - 4) : found[0]]
        assert any(line.lstrip().startswith("# ") for line in above), key


def test_it_writes_over_nothing(tmp_path: Path, cli: Callable[..., Run]) -> None:
    folder = tmp_path / "nämnd"
    folder.mkdir()
    (folder / "beslutsdoc.yaml").write_text("kommun: Vår egen\n", encoding="utf-8")
    run = cli("ny", folder)
    assert run.code == 1
    assert "skriver inte över" in run.err and str(folder / "beslutsdoc.yaml") in run.err
    assert (folder / "beslutsdoc.yaml").read_text(encoding="utf-8") == "kommun: Vår egen\n"
    assert [p.name for p in folder.iterdir()] == ["beslutsdoc.yaml"]


def test_into_an_empty_existing_folder(tmp_path: Path, cli: Callable[..., Run]) -> None:
    assert cli("ny", tmp_path).code == 0
    assert (tmp_path / "scheman" / "sammanträde.schema.json").is_file()
