"""Hostile YAML input: no hang, no exhaustion, a Swedish message naming the file."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from beslutsdoc.load.paper import load_paper
from beslutsdoc.load.source import MAX_BYTES, MAX_CHARS, MAX_DEPTH, MAX_VALUES, load_yaml
from beslutsdoc.problems import InputError, Position

from .conftest import PAPER, PROFILE


def only_problem(file: Path, text: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        load_yaml(file, text)
    [problem] = caught.value.problems
    return str(problem)


#: Runs the command line once per line of arguments in one child process, printing
#: each exit status and what it wrote to stderr.
RUNNER = """
import contextlib, io, sys
from beslutsdoc.cli import main
for line in sys.stdin.read().splitlines():
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(line.split("\\t"))
    print(code, err.getvalue().replace("\\n", " | "))
"""


def run_cli(*runs: tuple[str | Path, ...]) -> list[str]:
    # In a child with a generous timeout: a FIFO that blocks must fail this test, not
    # hang the suite.
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input="\n".join("\t".join(map(str, args)) for args in runs),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="inga FIFO:er här")
def test_a_fifo_as_paper_profile_or_meeting_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "rör.yaml"
    os.mkfifo(fifo)
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    paper = tmp_path / "paper.yaml"
    paper.write_text(PAPER, encoding="utf-8")
    meeting = tmp_path / "sammanträde.yaml"
    meeting.write_text(
        "typ: sammanträde\ndatum: 2023-12-12\ntid: '18.00'\nplats: Rummet\n"
        "ordförande: A B\nsekreterare: {namn: C D}\närenden:\n  - handlingar: [rör.yaml]\n",
        encoding="utf-8",
    )
    *direct, item = run_cli(
        ("validate", fifo),
        ("render", paper, "--profil", fifo),
        ("packet", fifo),
        ("validate", meeting),  # a paper of an item
    )
    for line in direct:
        assert line.startswith(f"1 {fifo}: är ingen vanlig fil (en FIFO eller en enhet?)"), line
    assert item.startswith("1 ") and "rör.yaml" in item
    assert not paper.with_suffix(".docx").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="ingen /dev/zero")
def test_dev_zero_is_refused(tmp_path: Path) -> None:
    assert only_problem(Path("/dev/zero")) == (
        "/dev/zero: är ingen vanlig fil (en FIFO eller en enhet?); ange en YAML-fil"
    )
    with pytest.raises(InputError) as caught:
        paper = tmp_path / "paper.yaml"
        paper.write_text(PAPER, encoding="utf-8")
        load_paper(paper, Path("/dev/zero"))  # as the profile
    assert "/dev/zero: är ingen vanlig fil" in str(caught.value)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert only_problem(tmp_path) == f"{tmp_path}: är en mapp, inte en YAML-fil"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "stor.yaml"
    with big.open("wb") as out:  # sparse: no disk used, and never read past the limit
        out.truncate(4_000_000_000)
    assert only_problem(big) == (
        f"{big}: filen är för stor (4000.0 MB); en handling får vara högst"
        f" {MAX_BYTES // 1_000_000} MB YAML-text"
    )


def test_text_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    message = only_problem(tmp_path / "x.yaml", "a: " + "x" * MAX_BYTES)
    assert "filen är för stor" in message


def test_a_real_paper_is_far_below_the_limits() -> None:
    examples = Path(__file__).parents[1] / "examples"
    largest = max(p.stat().st_size for p in examples.rglob("*.yaml"))
    assert largest * 20 < MAX_BYTES


def test_alias_amplification_by_bytes_stops_early_and_small(tmp_path: Path) -> None:
    file = tmp_path / "alias.yaml"
    file.write_text('a: [&a "' + "x" * 1_000_000 + '"' + ", *a" * 3000 + "]\n", encoding="utf-8")
    tracemalloc.start()
    try:
        message = only_problem(file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith(f"{file}:1:")
    assert "för mycket text när YAML-aliasen (*namn) skrivs ut" in message
    assert f"{MAX_CHARS:,}".replace(",", " ") in message
    assert peak < 100_000_000


def test_billion_laughs_stop_at_the_alias(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x]"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)
    ]
    message = only_problem(tmp_path / "x.yaml", "\n".join(lines) + "\n")
    # a5 is the first over the limit: it holds 1 + 10 × (1 + 10 × ...) = 211 111 values.
    assert message.startswith(f"{tmp_path / 'x.yaml'}:6:")
    assert "för många värden när YAML-aliasen (*namn) skrivs ut" in message


def test_too_many_values_stop_before_the_file_is_read_to_the_end(tmp_path: Path) -> None:
    text = "a: [" + "x," * (MAX_BYTES // 2 - 10) + "]\n"
    message = only_problem(tmp_path / "x.yaml", text)
    # The mapping, its key and the list are three values; item k is at column 5 + 2k.
    column = 5 + 2 * (MAX_VALUES - 3)
    assert message.startswith(f"{tmp_path / 'x.yaml'}:1:{column}: ")
    assert message.endswith(f"filen har för många värden (mer än {MAX_VALUES:,})".replace(",", " "))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    message = only_problem(tmp_path / "x.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert f"för djupt nästlad (mer än {MAX_DEPTH} nivåer)" in message


def test_not_utf8_names_the_place(tmp_path: Path) -> None:
    file = tmp_path / "latin1.yaml"
    file.write_bytes("typ: x\ntitel: Ärende\n".encode("latin-1"))
    assert only_problem(file) == (
        f"{file}:2:8: filen är inte UTF-8-kodad text (byten 0xC4); spara den som UTF-8"
    )


def test_a_byte_order_mark_is_not_part_of_the_first_key(tmp_path: Path) -> None:
    file = tmp_path / "bom.yaml"
    file.write_bytes(b"\xef\xbb\xbfa: 1\n")
    source = load_yaml(file)
    assert source.data == {"a": "1"}
    assert source.keys[("a",)] == Position(file, 1, 1)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root läser allt")
def test_an_unreadable_file_says_why_in_swedish(tmp_path: Path) -> None:
    file = tmp_path / "låst.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    file.chmod(0)
    assert only_problem(file) == f"{file}: filen kan inte läsas: behörighet saknas"


def test_a_too_long_file_name_is_told_in_swedish(tmp_path: Path) -> None:
    file = tmp_path / ("å" * 300 + ".yaml")
    assert only_problem(file) == f"{file}: filen kan inte läsas: filnamnet är för långt"


def test_lone_surrogates_from_the_library_are_invalid_characters(tmp_path: Path) -> None:
    # load_text() may be given any Python string, also one no file could hold.
    message = only_problem(tmp_path / "x.yaml", "a: x\ud800y\n")
    assert message == (
        f"{tmp_path / 'x.yaml'}:1:5: otillåtet tecken (U+D800) i texten;"
        " ta bort det (det syns sällan i en redigerare)"
    )


HOSTILE = {
    "alias-text": 'titel: [&a "' + "x" * 1_000_000 + '"' + ", *a" * 3000 + "]\n",
    "alias-värden": "\n".join(
        ["a0: &a0 [x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    ),
    "nul": "titel: " + "\x00" * 100_000 + "\n",
    "djup": "titel: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "stor": "titel: |\n" + ("  " + "x" * 78 + "\n") * 30_000,
    "två-dokument": "typ: tjänsteutlåtande\n---\ntyp: tjänsteutlåtande\n",
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_yaml_on_the_command_line(cli, folder: Path, case: str) -> None:
    paper = folder / f"{case}.yaml"
    paper.write_text(HOSTILE[case], encoding="utf-8")
    for command in ("validate", "render"):
        run = cli(command, paper)  # the fixture asserts there is no traceback
        assert run.code == 1
        assert run.err.startswith(str(paper)), run.err[:300]
        assert len(run.err) < 2000  # one problem, not one per character or value
    assert {p.name for p in folder.iterdir()} == {"beslutsdoc.yaml", paper.name}
