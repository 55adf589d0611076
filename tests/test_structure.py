"""Structure trees across PDFs (`export/structure.py`): tagged PDFs appended to one
another keep every tag, on the right pages, and pass the PDF/UA checkers."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
import pytest

from beslutsdoc.api import with_pdfs
from beslutsdoc.export.structure import Structure, append_tagged, is_tagged

from .conftest import need_libreoffice
from .packets import elements, plain_pdf, word
from .test_pdfua import _errors_outloud, _errors_pdfua


@pytest.fixture(scope="module")
def tagged() -> list[bytes]:
    need_libreoffice()
    documents = [word(title="Första delen", heading="Första"), word(title="Andra", heading="Andra")]
    return [pdf for _, pdf in with_pdfs(documents)]


def test_appended_pdfs_keep_their_structure(tagged: list[bytes], tmp_path: Path) -> None:
    first, second = (pikepdf.open(io.BytesIO(pdf)) for pdf in tagged)
    before = len(first.pages)
    tree = Structure(first)
    part = append_tagged(first, second, kind="/Part", title="Andra delen", tree=tree)
    tree.finish()
    out = tmp_path / "ihop.pdf"
    first.save(out)

    merged = pypdf.PdfReader(out)
    assert len(merged.pages) == before + len(second.pages)
    root = merged.trailer["/Root"]["/StructTreeRoot"]
    [document] = [e for e in elements(root) if e["/S"] == "/Document"]
    parts = [e for e in elements(document) if e["/S"] == "/Part"]
    assert [str(p["/T"]) for p in parts] == ["Andra delen"] and str(part.T) == "Andra delen"
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(merged.pages)}
    headings = {
        str(merged.pages[pages[e.raw_get("/Pg").idnum]].extract_text().split("\n")[0]): e
        for e in elements(document)
        if e["/S"] == "/H1"
    }
    assert set(headings) == {"Första", "Andra"}
    # The second PDF's heading is on its own (last) page and inside the part.
    assert pages[headings["Andra"].raw_get("/Pg").idnum] == len(merged.pages) - 1
    assert headings["Andra"] in elements(parts[0])
    nums = root["/ParentTree"].get_object()["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(keys) == len(set(keys)) and all(
        int(p["/StructParents"]) in keys for p in merged.pages
    )
    assert _errors_pdfua([out]) == {out: []}
    assert _errors_outloud([out]) == {out: []}


def test_untagged_pdfs_are_appended_without_structure() -> None:
    untagged = pikepdf.open(io.BytesIO(plain_pdf(title="Blankett")))
    assert not is_tagged(untagged)
    pdf = pikepdf.new()
    part = append_tagged(pdf, untagged, title="Blankett")
    assert len(pdf.pages) == 1 and list(part.K) == []
    assert pdf.Root.MarkInfo.Marked
