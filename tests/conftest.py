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
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:  # argparse's own exits (--help, usage errors)
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return _run


def need_libreoffice() -> None:
    """Skip without LibreOffice, except in CI, where every test must run."""
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice saknas i CI; .ci/run ska installera det")
    pytest.skip("LibreOffice saknas")


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
