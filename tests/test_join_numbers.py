"""The pieces of a packet converted in parts, judged on LibreOffice's own PDFs: the
page-number lines come out of a part's page and in from its numbers document, and the
parts join into one tagged PDF with their bookmarks."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.shared import RGBColor

from beslutsdoc.export.join import join
from beslutsdoc.export.page_numbers import draw_numbers, drop_numbers, numbers_form
from beslutsdoc.export.pdf import destinations, work

from .conftest import need_libreoffice
from .test_pdfua import _errors_outloud, _errors_pdfua

MARKER = (0x59, 0x59, 0x58)  # grey 595959 with blue's lowest bit flipped


def _document(body: str, footer: str, *, bookmark: str, pages: int = 2) -> bytes:
    """A Word file of `pages` pages with `body` on each, a bookmark on the first, and a
    footer: `footer` in the marker colour, then ” (grå)” in the grey it stands for."""
    document = docx.Document()
    for number in range(pages):
        paragraph = document.add_heading(f"{body} {number + 1}", level=1)
        if number == 0:
            start = paragraph._p.makeelement(docx.oxml.ns.qn("w:bookmarkStart"))
            start.set(docx.oxml.ns.qn("w:id"), "1")
            start.set(docx.oxml.ns.qn("w:name"), bookmark)
            end = paragraph._p.makeelement(docx.oxml.ns.qn("w:bookmarkEnd"))
            end.set(docx.oxml.ns.qn("w:id"), "1")
            paragraph._p.insert(0, start)
            paragraph._p.append(end)
        document.add_paragraph("Text på sidan.")
        if number < pages - 1:
            document.add_page_break()
    line = document.sections[0].footer.paragraphs[0]
    line.add_run(footer).font.color.rgb = RGBColor(*MARKER)
    line.add_run(" (grå)").font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need_libreoffice()
    folder = tmp_path_factory.mktemp("delar")
    words = {
        "del1": _document("Första delen", "Sida 1 av 1", bookmark="bdett"),
        "del2": _document("Andra delen", "Sida 1 av 1", bookmark="bdtva"),
        "nummer2": _document("", "Sida 3 av 4", bookmark="bdnr"),
    }
    # As LibreOffice makes them: the parts path goes on from there.
    with work(Path("delar.docx")) as converting:
        made = converting.convert(words)
        for name, pdf in made.items():
            shutil.copy(pdf, folder / f"{name}.pdf")
    return {name: folder / f"{name}.pdf" for name in words}


def _text(pdf: Path | pikepdf.Pdf, page: int) -> str:
    if isinstance(pdf, pikepdf.Pdf):
        path = Path(pdf.filename).with_suffix(".tmp.pdf")
        pdf.save(path)
        pdf = path
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_marker_text_leaves_and_the_rest_stays(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["del2"]) as part:
        assert drop_numbers(part, part.pages[0], MARKER) == 1
        assert drop_numbers(part, part.pages[0], MARKER) == 0  # gone
        text = _text(part, 1)
    assert "Sida 1 av 1" not in text
    assert "(grå)" in text
    assert "Andra delen 1" in text


def test_numbers_come_from_the_numbers_document(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["del2"]) as part, pikepdf.open(pdfs["nummer2"]) as numbers:
        for page, source in zip(part.pages, numbers.pages, strict=True):
            drop_numbers(part, page, MARKER)
            draw_numbers(part, page, numbers_form(part, source, MARKER))
        text = _text(part, 2)
    assert text.count("Sida 3 av 4") == 1
    assert "Sida 1 av 1" not in text
    # Only the marked line comes over: the numbers document's own grey text does not.
    assert text.count("(grå)") == 1
    assert "Andra delen 2" in text


def test_parts_join_with_their_bookmarks_and_structure(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    first, second = pikepdf.open(pdfs["del1"]), pikepdf.open(pdfs["del2"])
    joined = join(first, [second])
    assert len(joined.pages) == 4
    assert destinations(joined) == {"bdett": 1, "bdtva": 3}
    # What the packet gives the whole afterwards (`assemble`): a title, shown.
    with joined.open_metadata() as xmp:
        xmp["dc:title"] = "Två delar"
    joined.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    out = tmp_path / "hela.pdf"
    joined.save(out)
    for page, words in ((1, "Första delen 1"), (3, "Andra delen 1"), (4, "Andra delen 2")):
        assert words in _text(out, page)
    with pikepdf.open(out) as again:
        tree = again.Root.StructTreeRoot
        keys = [int(k) for k in tree.ParentTree.Nums[::2]]
        assert len(keys) == len(set(keys))  # every page's marked content has its own key
        assert tree.ParentTreeNextKey == max(keys) + 1
        mine = {int(p.obj.StructParents) for p in again.pages}
        assert mine <= set(keys) and len(mine) == 4
    assert _errors_pdfua([out]) == {out: []}
    assert _errors_outloud([out]) == {out: []}
