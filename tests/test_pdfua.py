"""Every PDF the examples make passes the machine-checkable PDF/UA-1 checks of two
independent checkers, pdfua and outloud: no errors (warnings are for a person to judge).

Every paper in examples/ (original and public copy), the Botkyrka meeting's protokoll
and protokollsutdrag (original and public copy) and its kallelse. The structure that
LibreOffice leaves short of PDF/UA (`export/accessible.py`) is also checked directly,
against LibreOffice's own output, which must otherwise stay as it was.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from .conftest import EXAMPLES, need_libreoffice
from .packets import elements

KINDS = ("tjänsteutlåtande", "internkontrollplan", "internkontrolluppföljning", "protokollsutdrag")
MEETING = "botkyrka/2021-01-26/sammanträde.yaml"
#: A paper with footnotes (and a link in one), and one with a quoted paragraph.
FOOTNOTES = "stockholm/sof-2023-553/tjänsteutlåtande"
QUOTE = "botkyrka/2021-01-26/07-yttrande-ivo/tjänsteutlåtande"
#: A PDF made wrong on purpose (no /Lang): both checkers must call it an error.
BROKEN = "utan-språk.pdf"
TIMEOUT = 900


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The examples' folder copy and every PDF made from it."""
    need_libreoffice()
    from beslutsdoc.cli import main

    folder = tmp_path_factory.mktemp("pdfua")
    examples = folder / "examples"
    shutil.copytree(EXAMPLES, examples)
    papers = sorted(p for p in examples.rglob("*.yaml") if p.stem in KINDS)
    assert main(["render", *map(str, papers), "--pdf", "--offentlig"]) == 0
    meeting = examples / MEETING
    minutes, packet = folder / "protokoll", folder / "paket"
    assert main(["protokoll", str(meeting), "-o", str(minutes), "--pdf", "--offentlig"]) == 0
    assert main(["packet", str(meeting), "-o", str(packet)]) == 0
    pdfs = [p.with_suffix(".pdf") for p in papers]
    pdfs += [p.with_name(f"{p.stem}-offentlig.pdf") for p in papers]
    pdfs += sorted(minutes.glob("*.pdf"))
    pdfs.append(packet / "kallelse.pdf")
    return examples, pdfs


@pytest.fixture(scope="module")
def errors(made: tuple[Path, list[Path]]) -> dict[str, dict[Path, list[str]]]:
    """Each checker's errors per PDF, the broken one included; both checkers run at
    once, each over all the PDFs in one call."""
    examples, pdfs = made
    broken = examples.parent / BROKEN
    writer = PdfWriter(clone_from=pdfs[0])
    del writer.root_object["/Lang"]
    writer.write(broken)
    checked = [*pdfs, broken]
    with ThreadPoolExecutor(2) as pool:
        pdfua = pool.submit(_errors_pdfua, checked)
        outloud = pool.submit(_errors_outloud, checked)
        return {"pdfua": pdfua.result(), "outloud": outloud.result()}


def _errors_pdfua(pdfs: list[Path]) -> dict[Path, list[str]]:
    run = subprocess.run(
        ["pdfua", "check", *map(str, pdfs), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    reports = list(_documents(run.stdout))  # one JSON document per file
    assert [Path(r["file"]) for r in reports] == pdfs, run.stderr
    return {
        Path(r["file"]): [
            f"{f['rule_id']}: {f['message']}" for f in r["findings"] if f["severity"] == "error"
        ]
        for r in reports
    }


def _errors_outloud(pdfs: list[Path]) -> dict[Path, list[str]]:
    run = subprocess.run(
        ["outloud", "--json", "-", "-q", *map(str, pdfs)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    results = json.loads(run.stdout)["results"]
    assert [Path(r["path"]) for r in results] == pdfs, run.stderr
    return {
        Path(r["path"]): [f"outloud kunde inte läsa filen: {r['error']}"] * bool(r.get("error"))
        + [
            f"{f.get('rule')}: {f.get('message')}"
            for f in r.get("findings", [])
            if f.get("severity") == "error"
        ]
        for r in results
    }


def _documents(text: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    at = 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        document, at = decoder.raw_decode(text, at)
        yield document


def test_every_pdf_the_examples_make_is_checked(made: tuple[Path, list[Path]]) -> None:
    examples, pdfs = made
    names = [p.name for p in pdfs]
    papers = [p for p in examples.rglob("*.yaml") if p.stem in KINDS]
    # Each paper and its public copy; the protokoll and its 12 utdrag, each twice; kallelse.
    assert len(pdfs) == len(set(pdfs)) == 2 * len(papers) + 2 * (1 + 12) + 1
    for kind in KINDS:
        assert f"{kind}.pdf" in names and f"{kind}-offentlig.pdf" in names
    assert names.count("tjänsteutlåtande.pdf") == sum(p.stem == KINDS[0] for p in papers) >= 10
    assert "protokoll.pdf" in names and "protokoll-offentlig.pdf" in names
    items = [n for n in names if n.startswith("protokollsutdrag-") and "offentlig" not in n]
    assert len(items) == 12 and "kallelse.pdf" in names
    assert all(p.is_file() and p.read_bytes().startswith(b"%PDF-") for p in pdfs)


@pytest.mark.parametrize("checker", ["pdfua", "outloud"])
def test_the_checker_finds_an_error_where_there_is_one(
    errors: dict[str, dict[Path, list[str]]], checker: str
) -> None:
    broken = next(p for p in errors[checker] if p.name == BROKEN)
    assert any("lang" in e.lower() for e in errors[checker][broken])


@pytest.mark.parametrize("checker", ["pdfua", "outloud"])
def test_every_pdf_has_no_errors(errors: dict[str, dict[Path, list[str]]], checker: str) -> None:
    checked = {p: e for p, e in errors[checker].items() if p.name != BROKEN}
    found = {f"{p.parent.name}/{p.name}": e for p, e in checked.items() if e}
    assert found == {}
    assert len(checked) >= 50


# -- the structure accessible() makes, against LibreOffice's own ----------------------


@pytest.fixture(scope="module")
def before_after(
    made: tuple[Path, list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[PdfReader, PdfReader]]:
    """LibreOffice's PDF of a paper's Word file, and that PDF made accessible."""
    from beslutsdoc.export.accessible import accessible
    from beslutsdoc.export.pdf import convert

    examples, _ = made
    folder = tmp_path_factory.mktemp("libreoffice")
    words = []
    for number, paper in enumerate((FOOTNOTES, QUOTE)):
        words.append(folder / f"{number}.docx")
        shutil.copyfile(examples / f"{paper}.docx", words[-1])
    raw = [pdf.read_bytes() for pdf in convert(words, folder)]
    return {
        paper: (PdfReader(io.BytesIO(pdf)), PdfReader(io.BytesIO(accessible(pdf))))
        for paper, pdf in zip((FOOTNOTES, QUOTE), raw, strict=True)
    }


def test_the_pdf_is_otherwise_as_libreoffice_made_it(
    before_after: dict[str, tuple[PdfReader, PdfReader]],
) -> None:
    for before, after in before_after.values():
        assert len(after.pages) == len(before.pages)
        for number, (old, new) in enumerate(zip(before.pages, after.pages, strict=True)):
            assert new.extract_text() == old.extract_text()
            data = new.get_contents().get_data()
            if number == 0:  # the first page's footer, read: only its marks are new
                data = re.sub(rb"/P <</MCID \d+>> BDC", b"/Artifact BMC", data)
            assert data == old.get_contents().get_data()
        for reader in (before, after):
            assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
        metadata = [
            r.trailer["/Root"]["/Metadata"].get_object().get_data() for r in (before, after)
        ]
        assert metadata[0] == metadata[1] and b"<pdfaid:part>2</pdfaid:part>" in metadata[1]
        assert b"<pdfuaid:part>1</pdfuaid:part>" in metadata[1]
        assert after.metadata.title == before.metadata.title and after.metadata.title
        assert _titles(after.outline) == _titles(before.outline) != []


def test_footnote_links_are_tagged_in_their_notes(
    before_after: dict[str, tuple[PdfReader, PdfReader]],
) -> None:
    before, after = before_after[FOOTNOTES]
    untagged = [a for a in _link_annotations(before) if "/StructParent" not in a]
    assert len(untagged) == 7  # LibreOffice: each note's number links back, untagged
    tree = after.trailer["/Root"]["/StructTreeRoot"]
    parents = _numbers(tree["/ParentTree"])
    for annotation in _link_annotations(after):
        link = parents[annotation["/StructParent"]].get_object()
        assert link["/S"] == "/Link"
        objrs = [k.get_object() for k in link["/K"] if isinstance(k.get_object(), DictionaryObject)]
        assert [o["/Obj"].get_object() for o in objrs] == [annotation]
    notes = [e for e in elements(tree) if e["/S"] == "/Note"]
    assert len(notes) == 7
    for note in notes:  # the number first, as the note's label, linked back
        label = note["/K"][0].get_object()
        assert label["/S"] == "/Lbl" and label["/K"][0].get_object()["/S"] == "/Link"
    assert tree["/ParentTreeNextKey"] == max(parents) + 1


def test_notes_have_unique_ids_found_in_the_id_tree(
    before_after: dict[str, tuple[PdfReader, PdfReader]],
) -> None:
    before, after = before_after[FOOTNOTES]
    assert not any("/ID" in e for e in elements(before.trailer["/Root"]["/StructTreeRoot"]))
    tree = after.trailer["/Root"]["/StructTreeRoot"]
    notes = [e for e in elements(tree) if e["/S"] == "/Note"]
    ids = [str(n["/ID"]) for n in notes]
    assert len(set(ids)) == len(ids) == 7
    names = tree["/IDTree"]["/Names"]
    found = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    assert found == dict(zip(ids, notes, strict=True))
    assert list(found) == sorted(found)


def test_pages_with_annotations_are_in_structure_order(
    before_after: dict[str, tuple[PdfReader, PdfReader]],
) -> None:
    before, after = before_after[FOOTNOTES]
    assert any(p.get("/Tabs") == "S" for p in before.pages)  # LibreOffice: a string
    annotated = [p for p in after.pages if p.get("/Annots")]
    assert len(annotated) == 2
    for page in annotated:
        assert isinstance(page["/Tabs"], NameObject) and page["/Tabs"] == "/S"


def test_no_standard_type_is_remapped(
    before_after: dict[str, tuple[PdfReader, PdfReader]],
) -> None:
    before, after = before_after[QUOTE]
    assert before.trailer["/Root"]["/StructTreeRoot"]["/RoleMap"]["/Quote"] == "/P"
    tree = after.trailer["/Root"]["/StructTreeRoot"]
    assert "/Quote" not in tree["/RoleMap"] and "/Standard" in tree["/RoleMap"]
    kinds = [str(e["/S"]) for e in elements(tree)]
    quotes = [str(e["/S"]) for e in elements(before.trailer["/Root"]["/StructTreeRoot"])]
    assert "/Quote" not in kinds and kinds.count("/BlockQuote") == quotes.count("/Quote") >= 1


def _link_annotations(reader: PdfReader) -> list[DictionaryObject]:
    return [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object()["/Subtype"] == "/Link"
    ]


def _numbers(tree: Any) -> dict[int, Any]:
    nums = tree.get_object()["/Nums"]
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _titles(outline: Any) -> list[Any]:
    return [_titles(o) if isinstance(o, list) else o.title for o in outline]
