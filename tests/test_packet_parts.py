"""A packet converted in parts gives the PDF the whole gives: the same pages with the same
text (page numbers "Sida X av Y" and contents numbers among it), the same bookmarks and
contents links, and it passes both PDF/UA checkers."""

from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from beslutsdoc.cli import main
from beslutsdoc.export import packet as packet_pdf
from beslutsdoc.export.page_numbers import NUMBERS

from .conftest import need_libreoffice
from .packets import botkyrka
from .test_pdfua import _errors_outloud, _errors_pdfua


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Botkyrka packet converted whole and in parts (a part size small enough for
    four or five parts)."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("delar")
    meeting = botkyrka(folder)
    out = {}
    for name, size in (("hel", 10**9), ("delar", 12_000)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(packet_pdf, "PART_SIZE", size)
            assert main(["packet", str(meeting), "-o", str(folder / name)]) == 0
        out[name] = folder / name
    return out


def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")]


def test_the_parts_were_used(made: dict[str, Path]) -> None:
    with pikepdf.open(made["delar"] / "handlingar.pdf") as parts:
        numbered = [NUMBERS in page.obj.Resources.get("/XObject", {}) for page in parts.pages]
    with pikepdf.open(made["hel"] / "handlingar.pdf") as whole:
        assert not any(NUMBERS in p.obj.Resources.get("/XObject", {}) for p in whole.pages)
    # Every page after the front part has its page number from a numbers document.
    assert sum(numbered) > len(numbered) / 2
    assert numbered[-1]


def test_same_pages_with_the_same_text(made: dict[str, Path]) -> None:
    whole = _pages_text(made["hel"] / "handlingar.pdf")
    parts = _pages_text(made["delar"] / "handlingar.pdf")
    assert len(parts) == len(whole)
    assert parts == whole
    total = len(whole) - 1  # pdftotext ends with a form feed
    assert f"Sida {total} av {total}" in whole[-2]


def _outline(pdf: Path) -> list[tuple[int, str, int | None]]:
    reader = pypdf.PdfReader(pdf)
    found: list[tuple[int, str, int | None]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))  # type: ignore[attr-defined, arg-type]

    walk(reader.outline, 0)
    return found


def test_same_bookmarks(made: dict[str, Path]) -> None:
    whole = _outline(made["hel"] / "handlingar.pdf")
    assert len(whole) > 20
    assert _outline(made["delar"] / "handlingar.pdf") == whole


def _links(pdf: Path) -> list[tuple[int, str, int]]:
    """Each internal link: its page, what it says, the page it goes to (from 0)."""
    with pikepdf.open(pdf) as document:
        index = {page.obj.objgen: n for n, page in enumerate(document.pages)}
        links = []
        for number, page in enumerate(document.pages):
            for annotation in page.obj.get("/Annots", []):
                destination = annotation.get("/Dest")
                if isinstance(destination, pikepdf.Array):
                    target = index[destination[0].objgen]
                    links.append((number, str(annotation.get("/Contents", "")), target))
        return links


def test_contents_links_go_where_the_whole_goes(made: dict[str, Path]) -> None:
    whole = _links(made["hel"] / "handlingar.pdf")
    parts = _links(made["delar"] / "handlingar.pdf")
    assert len(whole) > 20
    assert sorted(parts) == sorted(whole)


def test_only_the_documents_own_bookmarks_are_left(made: dict[str, Path]) -> None:
    with pikepdf.open(made["delar"] / "handlingar.pdf") as parts:
        names = set(parts.Root.get("/Dests", {}).keys())
    with pikepdf.open(made["hel"] / "handlingar.pdf") as whole:
        assert names == set(whole.Root.get("/Dests", {}).keys())


def test_the_word_file_has_the_same_contents_numbers(made: dict[str, Path]) -> None:
    import zipfile

    def xml(folder: Path) -> bytes:
        with zipfile.ZipFile(folder / "handlingar.docx") as package:
            return package.read("word/document.xml")

    assert xml(made["delar"]) == xml(made["hel"])


def test_parts_pass_both_checkers(made: dict[str, Path]) -> None:
    pdf = made["delar"] / "handlingar.pdf"
    assert _errors_pdfua([pdf]) == {pdf: []}
    assert _errors_outloud([pdf]) == {pdf: []}


def _tags(pdf: Path) -> collections.Counter[str]:
    """How many structure elements of each standard type the PDF has."""
    with pikepdf.open(pdf) as document:
        tree = document.Root.StructTreeRoot
        roles = tree.get("/RoleMap", {})
        found: collections.Counter[str] = collections.Counter()
        todo = [tree]
        while todo:
            node = todo.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    kind = str(kid.S)
                    found[str(roles.get(kind, kind))] += 1
                    todo.append(kid)
        return found


def test_same_tags_and_claims(made: dict[str, Path]) -> None:
    whole, parts = made["hel"] / "handlingar.pdf", made["delar"] / "handlingar.pdf"
    # Every structure element of every type, link annotations and quotes included.
    assert _tags(parts) == _tags(whole)
    assert len(_links(parts)) == len(_links(whole)) > 20
    with pikepdf.open(whole) as one, pikepdf.open(parts) as other:
        claims = [
            {
                k: v
                for k, v in pdf.open_metadata().items()
                if "pdfa/ns/id" in k or "pdfua/ns/id" in k
            }
            for pdf in (one, other)
        ]
        assert claims[0] == claims[1]
        assert claims[0]  # the PDF/UA claim at least
