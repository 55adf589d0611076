"""The packet's PDFs pass both PDF/UA checkers with their PDF attachments in them: a
tagged attachment's structure grafted into the packet's, an untagged one's pages as
figures with a text alternative, the packet's header and footer as artifacts."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject

from beslutsdoc.api import load, render, to_pdf
from beslutsdoc.cli import main

from .conftest import EXAMPLES, PROFILE, need_libreoffice
from .packets import botkyrka, elements, small_meeting
from .test_packet import LISTS
from .test_pdfua import _errors_outloud, _errors_pdfua


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Botkyrka packet, and a small one with a tagged attachment (a paper made by
    LibreOffice, four pages: headings, a list, a link, a footnote) and an untagged one."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("pdfua-paket")
    source = folder / "källa" / "handling.yaml"
    source.parent.mkdir()
    (source.parent / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    # Long enough for paragraphs that go on over a page break.
    stretch = "      " + "Ett långt stycke som fortsätter över sidbrytningen. " * 40 + "\n\n"
    source.write_text(
        LISTS + "  - rubrik: Lång text\n    text: |\n" + stretch * 6, encoding="utf-8"
    )
    tagged = to_pdf(render(load(source)))
    # An untagged PDF that embeds its fonts (PDF/UA wants every font embedded).
    untagged = EXAMPLES / "botkyrka/2021-01-26/02-personliga-ombud/ansökningsblankett-2021.pdf"
    # Two pages, the second turned: the header and footer go on it half by half.
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(untagged).pages[0])
    writer.add_page(pypdf.PdfReader(untagged).pages[0]).rotate(90)
    turned = io.BytesIO()
    writer.write(turned)
    small = small_meeting(
        folder / "liten",
        {
            "taggad.pdf": tagged,
            "otaggad.pdf": untagged.read_bytes(),
            "vriden.pdf": turned.getvalue(),
        },
    )
    example = botkyrka(folder)
    for meeting, name in ((small, "liten"), (example, "botkyrka")):
        assert main(["packet", str(meeting), "-o", str(folder / "ut" / name)]) == 0
    return {name: folder / "ut" / name for name in ("liten", "botkyrka")}


@pytest.mark.parametrize("name", ["botkyrka", "liten"])
def test_packet_pdfs_pass_pdfua(made: dict[str, Path], name: str) -> None:
    pdfs = [made[name] / "kallelse.pdf", made[name] / "handlingar.pdf"]
    found = _errors_pdfua(pdfs)
    assert set(found) == set(pdfs)
    assert {k.name: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("name", ["botkyrka", "liten"])
def test_packet_pdfs_pass_outloud(made: dict[str, Path], name: str) -> None:
    pdfs = [made[name] / "kallelse.pdf", made[name] / "handlingar.pdf"]
    found = _errors_outloud(pdfs)
    assert set(found) == set(pdfs)
    assert {k.name: v for k, v in found.items() if v} == {}


def _text(element: DictionaryObject) -> str:
    return str(element.get("/T", ""))


def test_attachments_have_their_place_in_the_structure(made: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(made["liten"] / "handlingar.pdf")
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, 1)}
    found = elements(tree)
    sections = {_text(e): e for e in found if e["/S"] == "/Sect" and _text(e)}
    tagged, untagged = sections["Bilaga: Bilaga 1"], sections["Bilaga: Bilaga 2"]
    # The tagged attachment's own structure, on its page in the packet.
    inside = elements(tagged)
    kinds = {str(e["/S"]) for e in inside}
    assert {"/H1", "/L", "/LI", "/Link", "/Note"} <= kinds
    heading_pages = {pages[e.raw_get("/Pg").idnum] for e in inside if e["/S"] == "/H1"}
    # A paragraph that goes on over a page break keeps its content on both pages.
    spread = [
        {pages[k.raw_get("/Pg").idnum] for k in e["/K"] if isinstance(k, DictionaryObject)}
        | {pages[e.raw_get("/Pg").idnum]}
        for e in inside
        if any(isinstance(k, DictionaryObject) and k.get("/Type") == "/MCR" for k in e["/K"])
    ]
    assert any(len(on) == 2 for on in spread)
    on_pages = set().union(*spread, heading_pages)
    assert len(on_pages) == 4
    # The untagged one: one figure per page, saying what it is and what to do.
    [figure] = [e for e in elements(untagged) if e["/S"] == "/Figure"]
    assert "Sida 1 av 1 i bilagan ”Bilaga 2” (otaggad.pdf)" in figure["/Alt"]
    assert "en tillgänglig version kan begäras" in figure["/Alt"].lower()
    assert pages[figure.raw_get("/Pg").idnum] == max(on_pages) + 1  # the next attachment
    # Every page's marked content is in the parent tree, and no element points at a
    # page that is not in the document (the placeholders are gone).
    nums = tree["/ParentTree"].get_object()["/Nums"]
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in reader.pages:
        assert int(page["/StructParents"]) in parent_tree
        for ref in page.get("/Annots", []):
            assert int(ref.get_object()["/StructParent"]) in parent_tree
    assert all(e.raw_get("/Pg").idnum in pages for e in found if "/Pg" in e)
    assert int(tree["/ParentTreeNextKey"]) > max(parent_tree)


def test_links_to_attachments_go_to_their_pages(made: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(made["botkyrka"] / "handlingar.pdf")
    pages = {p.indirect_reference.idnum for p in reader.pages}
    targets = []
    for page in reader.pages[1:3]:  # the contents
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            destination = annotation.get("/Dest") or annotation.get("/A", {}).get("/D")
            if isinstance(destination, ArrayObject):
                targets.append(destination[0].idnum)
    assert len(targets) > 20 and all(t in pages for t in targets)


def test_attachment_pages_still_show_the_attachment(made: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(io.BytesIO((made["liten"] / "handlingar.pdf").read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Fotnotens text." in text  # the tagged attachment's own text
    assert "Bilagan är en PDF-fil och står på den här platsen" not in text  # no placeholder
    # The header once on every page but the notice's first, the turned one included.
    headers = [page.extract_text().count("Handlingar till sammanträdet") for page in reader.pages]
    assert headers[1:] == [1] * (len(reader.pages) - 1)
    assert [page.rotation for page in reader.pages].count(90) == 1
