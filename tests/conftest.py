from __future__ import annotations

import io
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from beslutsdoc.cli import main
from tests.structure import assert_valid_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

PROFILE = """\
kommun: Testkommun
nämnd: Socialnämnden
förvaltning: Socialförvaltningen
diarienummer: "SN {år}:{nummer}"
kontakt:
  postadress: Testkommun, 100 00 Teststad
  webb: www.test.se
"""

PAPER = """\
typ: tjänsteutlåtande
diarienummer: SN 2023:553
datum: 2023-11-07
sammanträde: 2023-12-12
handläggare:
  namn: Sofia Linder
  telefon: 08-508 251 64
  epost: sofia.linder@test.se
titel: Ett ärende
förslag_till_beslut:
  - Socialnämnden godkänner tjänsteutlåtandet.
sammanfattning: Kort sammanfattning.
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a profile, where tests write papers."""
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def write(folder: Path) -> Callable[..., Path]:
    def _write(text: str, name: str = "paper.yaml") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        return path

    return _write


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def _run(*args: str | Path) -> Run:
        before = _docx_files(args)
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:  # argparse's own exits (--help, usage errors)
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        _check_written(args, before)
        return Run(code, captured.out, captured.err)

    return _run


def _docx_files(args: tuple[str | Path, ...]) -> dict[Path, int]:
    """The .docx files in the folders a run reads or writes, with their mtimes."""
    folders = {Path(a) if Path(a).is_dir() else Path(a).parent for a in args if Path(a).exists()}
    folders |= {Path(a).parent for a in args if Path(a).suffix == ".docx"}
    return {f: f.stat().st_mtime_ns for d in folders if d.is_dir() for f in d.glob("*.docx")}


def _check_written(args: tuple[str | Path, ...], before: dict[Path, int]) -> None:
    """Every .docx the run wrote passes the structural checker (tests/structure.py)."""
    for docx, mtime in _docx_files(args).items():
        if before.get(docx) != mtime:
            assert_valid_docx(docx.read_bytes(), docx.name)


def need_libreoffice() -> None:
    """Skip without LibreOffice, except in CI, where every test must run."""
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice saknas i CI; .ci/run ska installera det")
    pytest.skip("LibreOffice saknas")


def need_poppler(program: str) -> None:
    """Skip without poppler's `program`, except in CI, where every test must run."""
    if shutil.which(program):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{program} (poppler) saknas i CI; .ci/run ska installera det")
    pytest.skip("poppler saknas")


def heading_pages(pdf: bytes) -> dict[str, int]:
    """Page number (from 1) of each heading, read from the PDF's bookmarks, which
    LibreOffice makes from the document's headings."""
    reader = PdfReader(io.BytesIO(pdf))
    pages: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = " ".join(str(item.title).split())
            number = reader.get_destination_page_number(item)
            if number is not None:
                pages.setdefault(title, number + 1)

    walk(reader.outline)
    return pages
