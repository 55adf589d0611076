"""The command line: outputs, exit statuses, Swedish messages, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import PAPER


def test_render_writes_beside_the_input(cli, write) -> None:
    paper = write(PAPER)
    run = cli("render", paper)
    assert run.code == 0, run.err
    assert paper.with_suffix(".docx").is_file()
    assert f"skrev {paper.with_suffix('.docx')}" in run.out


def test_render_many_and_output_option(cli, write, tmp_path: Path) -> None:
    first, second = write(PAPER, "a.yaml"), write(PAPER, "sub/b.yaml")
    assert cli("render", first, second).code == 0
    assert first.with_suffix(".docx").is_file() and second.with_suffix(".docx").is_file()
    target = tmp_path / "ut" / "eget namn.docx"
    assert cli("render", first, "-o", target).code == 0
    assert target.is_file()


def test_bad_input_exit_1_and_nothing_written(cli, write) -> None:
    good = write(PAPER, "good.yaml")
    bad = write(PAPER.replace("datum: 2023-11-07", "datum: 2023-11-31"), "bad.yaml")
    run = cli("render", good, bad)
    assert run.code == 1
    assert (
        run.err
        == f"{bad}:3:8: datum: ”2023-11-31” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-07\n"
    )
    assert not good.with_suffix(".docx").exists()  # all or nothing


def test_failed_run_leaves_earlier_output_intact(cli, write) -> None:
    paper = write(PAPER)
    assert cli("render", paper).code == 0
    before = paper.with_suffix(".docx").read_bytes()
    paper.write_text(PAPER.replace("titel: Ett ärende", "titel: xx"), encoding="utf-8")
    assert cli("render", paper).code == 1
    assert paper.with_suffix(".docx").read_bytes() == before
    assert [p.name for p in paper.parent.iterdir() if p.name.startswith(".")] == []


def test_broken_template_exit_1(cli, folder: Path, write) -> None:
    (folder / "mall.docx").write_bytes(b"not a zip")
    paper = write(PAPER + "mallar:\n  tjänsteutlåtande: mall.docx\n")
    run = cli("render", paper)
    assert run.code == 1 and "ingen läsbar Word-fil" in run.err
    assert not paper.with_suffix(".docx").exists()


def test_wrong_use_exit_2(cli, write) -> None:
    a, b = write(PAPER, "a.yaml"), write(PAPER, "b.yaml")
    run = cli("render", a, b, "-o", "x.docx")
    assert run.code == 2 and "-o kan bara användas med en indatafil" in run.err
    assert cli("render").code == 2
    assert cli("skriv").code == 2
    assert "användning:" in cli("render").err


def test_help_is_swedish(cli) -> None:
    run = cli("--help")
    assert run.code == 0
    assert "användning:" in run.out and "visa den här hjälpen" in run.out
    assert "usage" not in run.out and "show this" not in run.out
    render_help = cli("render", "--help").out
    assert "gör även PDF" in render_help


def test_validate_writes_nothing(cli, write) -> None:
    paper = write(PAPER)
    run = cli("validate", paper)
    assert run.code == 0 and "inga fel" in run.out
    assert list(paper.parent.glob("*.docx")) == []
    bad = write(PAPER.replace("titel:", "rubrik:"), "bad.yaml")
    assert cli("validate", bad).code == 1


def test_validate_reports_every_file(cli, write) -> None:
    one = write(PAPER.replace("titel:", "tittel:"), "one.yaml")
    two = write(PAPER.replace("datum: 2023-11-07", "datum: 2024-01-01"), "two.yaml")
    run = cli("validate", one, two)
    assert run.code == 1
    assert str(one) in run.err and str(two) in run.err


def test_schema_command(cli, tmp_path: Path) -> None:
    run = cli("schema", "-o", tmp_path / "s")
    assert run.code == 0
    schema = json.loads(
        (tmp_path / "s" / "tjänsteutlåtande.schema.json").read_text(encoding="utf-8")
    )
    assert "förslag_till_beslut" in schema["properties"]
    assert schema["additionalProperties"] is False
    printed = json.loads(cli("schema").out)
    assert "tjänsteutlåtande.schema.json" in printed and "profil.schema.json" in printed


def test_unwritable_output_is_a_swedish_error(cli, write) -> None:
    paper = write(PAPER)
    run = cli("render", paper, "-o", paper / "x.docx")  # a file where a folder must be
    assert run.code == 1 and "kan inte skrivas: en fil står där en mapp behövs" in run.err
