"""The library API (FORMAT.md "The library"): the same checks as the command line,
problems with their place, no side effects on import."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import beslutsdoc
from beslutsdoc.load.paper import _load_profile

from .conftest import EXAMPLES, PAPER, PROFILE
from .test_meeting import MEETING
from .test_meeting import PAPER as ITEM

STOCKHOLM = EXAMPLES / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml"


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_beslutsdoc_loads_nothing_and_changes_nothing() -> None:
    code = (
        "import logging, sys, argparse; before = argparse._\n"
        "import beslutsdoc, beslutsdoc.cli\n"
        "heavy = [m for m in ('pydantic', 'yaml', 'jinja2', 'pypdf', 'lxml') if m in sys.modules]\n"
        "print(heavy, logging.getLogger('pypdf').level, argparse._ is before)"
    )
    assert _fresh(code) == "[] 0 True"


def test_the_command_line_leaves_argparse_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    before = argparse._  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        beslutsdoc.cli.main(["--help"])  # type: ignore[attr-defined]
    assert "användning:" in capsys.readouterr().out
    assert argparse._ is before  # type: ignore[attr-defined]


def test_check_gives_problems_with_file_line_column_field_and_message(tmp_path: Path) -> None:
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    file = tmp_path / "tu.yaml"
    file.write_text(PAPER.replace("titel: Ett ärende", "titel: Ett ärende om xx"), "utf-8")
    paper = beslutsdoc.load(file)
    [problem] = beslutsdoc.check(paper)
    assert (problem.file, problem.line, problem.field) == (file, 9, "titel")
    assert problem.column == 22  # at the placeholder itself
    assert "platshållaren ”xx”" in problem.message
    with pytest.raises(beslutsdoc.InputError) as caught:
        beslutsdoc.render(paper)
    assert caught.value.problems == [problem]


def test_a_paper_that_passes_renders_to_word_bytes() -> None:
    paper = beslutsdoc.load(STOCKHOLM)
    assert beslutsdoc.check(paper) == []
    assert beslutsdoc.render(paper)[:2] == b"PK"


def test_load_text_uses_only_the_profile_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    name = tmp_path / "från-diariet.yaml"
    text = PAPER.replace("diarienummer: SN 2023:553", "diarienummer: KS 2023/553")
    with pytest.raises(beslutsdoc.InputError, match="kommun: obligatoriskt fält saknas"):
        beslutsdoc.load_text(text, name=name)  # the profile beside `name` is not read
    with_profile = beslutsdoc.load_text(text, name=name, profile=tmp_path / "beslutsdoc.yaml")
    [problem] = beslutsdoc.check(with_profile)
    assert problem.field == "diarienummer" and problem.file == name


def test_a_model_built_in_code_is_checked_and_rendered() -> None:
    paper = beslutsdoc.Tjänsteutlåtande(
        typ="tjänsteutlåtande",
        kommun="Exempelkommun",
        nämnd="Socialnämnden",
        diarienummer="SN 2024:7",
        datum=date(2024, 3, 1),
        sammanträde=date(2024, 2, 1),
        handläggare={"namn": "Eva Exempel"},
        titel="Ett ärende",
        förslag_till_beslut=["Socialnämnden godkänner förslaget."],
    )
    [problem] = beslutsdoc.check(paper)
    assert problem.field == "datum" and problem.line is None
    assert "efter sammanträdet" in problem.message
    fixed = paper.model_copy(update={"sammanträde": date(2024, 4, 1)})
    assert beslutsdoc.render(fixed)[:2] == b"PK"


def test_a_follow_up_built_in_code_says_to_load_it_with_its_plan() -> None:
    follow_up = beslutsdoc.load(
        EXAMPLES / "botkyrka" / "uppföljning-2021" / "internkontrolluppföljning.yaml"
    )
    assert beslutsdoc.check(follow_up) == []
    [problem] = beslutsdoc.check(follow_up.model)
    assert "läs den med beslutsdoc.load()" in problem.message
    with pytest.raises(beslutsdoc.InputError):
        beslutsdoc.render(follow_up.model)


def _meeting(tmp_path: Path, item: str, meeting: str) -> Path:
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "ombud").mkdir()
    (tmp_path / "ombud" / "tjänsteutlåtande.yaml").write_text(item, encoding="utf-8")
    path = tmp_path / "sammanträde.yaml"
    path.write_text(meeting.replace("ombud/blankett.pdf", "ombud/tjänsteutlåtande.yaml"), "utf-8")
    return path


def test_a_meeting_is_checked_once_with_every_item(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path,
        ITEM.replace("titel: Ombud för nämnden", "titel: Ombud för nämnden TODO"),
        MEETING.replace("plats: Munkhättevägen 49", "plats: Munkhättevägen xx"),
    )
    problems = beslutsdoc.check(beslutsdoc.load(path))
    messages = [(p.file.name, p.field) for p in problems if p.file]
    # The meeting's own problem and its item's, each once.
    assert ("sammanträde.yaml", "plats") in messages
    assert ("tjänsteutlåtande.yaml", "titel") in messages
    assert len(messages) == len(set(messages))
    with pytest.raises(beslutsdoc.InputError) as caught:
        beslutsdoc.packet(path)
    assert caught.value.problems == problems


def test_the_profile_cache_is_bounded() -> None:
    assert _load_profile.cache_info().maxsize is not None


def test_a_meeting_cannot_be_rendered_as_one_paper() -> None:
    meeting = beslutsdoc.load(EXAMPLES / "botkyrka" / "2021-01-26" / "sammanträde.yaml")
    with pytest.raises(beslutsdoc.InputError, match="beslutsdoc protokoll"):
        beslutsdoc.render(meeting)
    packet = beslutsdoc.packet(meeting)
    assert packet.kallelse[:2] == b"PK" and packet.handlingar[:2] == b"PK"


def test_the_functions_named_like_stages_survive_importing_the_stages() -> None:
    import beslutsdoc.check.rules as rules
    import beslutsdoc.load.paper as paper_module
    import beslutsdoc.render.variables as variables

    assert rules.__name__ == "beslutsdoc.check.rules"
    assert paper_module.load_paper and variables.Paper
    paper = beslutsdoc.load(STOCKHOLM)
    assert beslutsdoc.check(paper) == []
    assert beslutsdoc.render(paper)[:2] == b"PK"
