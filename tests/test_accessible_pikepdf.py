"""What `export/accessible.py` makes right, on a small tagged PDF made here the way
LibreOffice tags a paper: a label–value table and a layout table, a footnote with its
untagged link back, a Word style named like a standard type in the role map, /Tabs as a
string, and the contact details in the first page's footer. pypdf reads the result, as
a reader independent of the pikepdf code that wrote it.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NameObject

from beslutsdoc.export.accessible import (
    _Font,
    _read,
    _sections,
    _to_unicode,
    accessible,
    make_accessible,
)

XMP = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
#: The first page's content: the text (MCIDs 0-10), then the footer's artifacts: the
#: contact line, and the running footer with the page number on one line below it.
PAGE_1 = b"""
/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Rubrik) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 12 Tf 72 680 Td (1) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 12 Tf 80 680 Td (En fotnot.) Tj ET EMC
/TD <</MCID 3>> BDC BT /F1 12 Tf 72 600 Td (Plats) Tj ET EMC
/TD <</MCID 4>> BDC BT /F1 12 Tf 200 600 Td (Rummet) Tj ET EMC
/TD <</MCID 5>> BDC BT /F1 12 Tf 72 580 Td (Tid) Tj ET EMC
/TD <</MCID 6>> BDC BT /F1 12 Tf 200 580 Td (Kl 9) Tj ET EMC
/TD <</MCID 7>> BDC BT /F1 12 Tf 72 520 Td (A) Tj ET EMC
/TD <</MCID 8>> BDC BT /F1 12 Tf 200 520 Td (B) Tj ET EMC
/TD <</MCID 9>> BDC BT /F1 12 Tf 300 520 Td (C) Tj ET EMC
/Quote <</MCID 10>> BDC BT /F1 12 Tf 72 450 Td (Ett citat.) Tj ET EMC
/Artifact BMC BT /F1 8 Tf 72 40 Td [(Box 123, 123 45) -300 (Exempelstad)] TJ ET EMC
/Artifact BMC BT /F1 8 Tf 72 28 Td (Exempelkommun) Tj ET EMC
/Artifact BMC BT /F1 8 Tf 480 28 Td (Sida 1 av 2) Tj ET EMC
"""
PAGE_2 = b"""
/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Mer text) Tj ET EMC
/Artifact BMC BT /F1 8 Tf 72 28 Td (Exempelkommun) Tj ET EMC
/Artifact BMC BT /F1 8 Tf 480 28 Td (Sida 2 av 2) Tj ET EMC
"""


def _paper() -> bytes:
    """The tagged two-page paper (see the module's text), as LibreOffice would leave it."""
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    pages = []
    for data in (PAGE_1, PAGE_2):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, data))
        pages.append(page.obj)
    pages[0].StructParents, pages[1].StructParents = 0, 1
    back = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 670, 80, 690]),
        Dest=Array([pages[0], Name.XYZ, 0, 800, 0]),
    )
    pages[0].Annots = Array([pdf.make_indirect(back)])
    pages[0].Tabs = pikepdf.String("S")  # LibreOffice's: a string, not the name

    def element(kind: str, kids: list[Any], page: int = 0, **more: Any) -> Dictionary:
        made = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name(kind), Pg=pages[page], K=Array(kids), **more)
        )
        for kid in kids:
            if isinstance(kid, Dictionary):
                kid.P = made
        return made

    cells = [element("/TD", [m]) for m in range(3, 10)]
    parts = {
        "heading": element("/P", [0]),
        "note": element("/Note", [element("/P", [1, 2])]),
        "grid": element("/Table", [element("/TR", cells[0:2]), element("/TR", cells[2:4])]),
        "layout": element("/Table", [element("/TR", cells[4:7])]),
        "quote": element("/Quote", [10], A=Dictionary(O=Name.Layout, Placement=Name.Block)),
        "more": element("/P", [0], page=1),
    }
    document = element("/Document", list(parts.values()))
    marks_1 = [parts["heading"], *[parts["note"].K[0]] * 2, *cells, parts["quote"]]
    tree = pdf.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=document,
            RoleMap=Dictionary(Quote=Name.P, Standard=Name.P),
            ParentTree=pdf.make_indirect(
                Dictionary(Nums=Array([0, Array(marks_1), 1, Array([parts["more"]])]))
            ),
            ParentTreeNextKey=2,
        )
    )
    document.P = tree
    pdf.Root.StructTreeRoot = tree
    pdf.Root.Lang = pikepdf.String("sv-SE")
    pdf.Root.Metadata = pdf.make_indirect(
        pikepdf.Stream(pdf, XMP, Type=Name.Metadata, Subtype=Name.XML)
    )
    pdf.docinfo.Title = "Ett ärende"
    out = io.BytesIO()
    pdf.save(out, force_version="1.4", fix_metadata_version=False)
    return out.getvalue()


@pytest.fixture(scope="module")
def made() -> tuple[bytes, PdfReader]:
    before = _paper()
    return before, PdfReader(io.BytesIO(accessible(before)))


def _document(reader: PdfReader) -> DictionaryObject:
    return reader.trailer["/Root"]["/StructTreeRoot"]["/K"].get_object()


def _part(reader: PdfReader, number: int) -> DictionaryObject:
    return _document(reader)["/K"][number].get_object()


def _kinds(element: DictionaryObject) -> list[str]:
    """The types of `element` and every element under it, depth first."""
    kinds = [str(element["/S"])]
    for kid in element.get("/K", []):
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            kinds += _kinds(kid)
    return kinds


def test_a_label_value_table_gets_row_headers(made: tuple[bytes, PdfReader]) -> None:
    grid = _part(made[1], 2)
    assert grid["/S"] == "/Table"
    for row in grid["/K"]:
        label, value = (cell.get_object() for cell in row.get_object()["/K"])
        assert label["/S"] == "/TH" and value["/S"] == "/TD"
        assert label["/A"] == {"/O": "/Table", "/Scope": "/Row"}


def test_a_layout_table_is_no_table(made: tuple[bytes, PdfReader]) -> None:
    assert _kinds(_part(made[1], 3)) == ["/Div"] * 5


def test_no_standard_type_is_remapped(made: tuple[bytes, PdfReader]) -> None:
    tree = made[1].trailer["/Root"]["/StructTreeRoot"]
    assert dict(tree["/RoleMap"]) == {"/Standard": "/P"}
    assert _part(made[1], 4)["/S"] == "/BlockQuote"  # a quoted paragraph


def test_the_note_has_an_id_found_in_the_id_tree(made: tuple[bytes, PdfReader]) -> None:
    note = _part(made[1], 1)
    assert note["/ID"] == "not-1"
    names = made[1].trailer["/Root"]["/StructTreeRoot"]["/IDTree"]["/Names"]
    assert names[0] == "not-1" and names[1].get_object() == note and len(names) == 2


def test_the_link_back_is_the_notes_label(made: tuple[bytes, PdfReader]) -> None:
    reader = made[1]
    note, page = _part(reader, 1), reader.pages[0]
    label = note["/K"][0].get_object()
    link = label["/K"][0].get_object()
    assert [label["/S"], link["/S"]] == ["/Lbl", "/Link"]
    assert label["/P"].get_object() == note and link["/P"].get_object() == label
    annotation = page["/Annots"][0].get_object()
    number, objr = link["/K"][0], link["/K"][1].get_object()
    assert number == 1 and objr["/Type"] == "/OBJR" and objr["/Obj"].get_object() == annotation
    assert note["/K"][1].get_object()["/K"] == [2]  # the note's text, without its number
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    assert annotation["/StructParent"] == 2 and nums[4] == 2 and nums[5].get_object() == link
    assert nums[1][1].get_object() == link  # the number's MCID is the link's
    assert tree["/ParentTreeNextKey"] == 3


def test_a_page_with_annotations_is_in_structure_order(made: tuple[bytes, PdfReader]) -> None:
    tabs = made[1].pages[0]["/Tabs"]
    assert isinstance(tabs, NameObject) and tabs == "/S"
    assert "/Tabs" not in made[1].pages[1]


def test_the_contact_line_is_read_and_the_page_number_is_not(
    made: tuple[bytes, PdfReader],
) -> None:
    reader = made[1]
    data = reader.pages[0].get_contents().get_data()
    assert data == PAGE_1.replace(b"/Artifact BMC", b"/P <</MCID 11>> BDC", 1)
    contact = _document(reader)["/K"][-1].get_object()
    assert contact["/S"] == "/P" and contact["/K"] == [11]
    assert contact["/Pg"].get_object() == reader.pages[0]
    assert contact["/P"].get_object() == _document(reader)
    marks = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"][1]
    assert len(marks) == 12 and marks[11].get_object() == contact
    assert reader.pages[1].get_contents().get_data() == PAGE_2


def test_the_rest_is_kept_and_the_version_is_1_7(made: tuple[bytes, PdfReader]) -> None:
    before, after = PdfReader(io.BytesIO(made[0])), made[1]
    assert before.pdf_header == "%PDF-1.4" and after.pdf_header == "%PDF-1.7"
    assert after.trailer["/Root"]["/Metadata"].get_object().get_data() == XMP
    assert after.metadata.title == "Ett ärende" and after.trailer["/Root"]["/Lang"] == "sv-SE"
    assert [p.extract_text() for p in after.pages] == [p.extract_text() for p in before.pages]


def test_made_accessible_twice_it_is_the_same(made: tuple[bytes, PdfReader]) -> None:
    once = accessible(made[0])
    assert once != made[0] and accessible(once) == once


def test_the_same_pdf_is_made_the_same_bytes(made: tuple[bytes, PdfReader]) -> None:
    """Its new /ID is from its content, not the time it was made."""
    assert accessible(made[0]) == accessible(made[0])


def test_a_pdf_without_structure_is_left_as_it_is() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    assert accessible(out.getvalue()) == out.getvalue()
    assert make_accessible(pdf) is False


def test_make_accessible_changes_the_pdf_in_place() -> None:
    with pikepdf.open(io.BytesIO(_paper())) as pdf:
        assert make_accessible(pdf) is True
        assert "/Quote" not in pdf.Root.StructTreeRoot.RoleMap
        assert pdf.pages[0].obj.Tabs == Name.S
        assert make_accessible(pdf) is False  # nothing left to make right


CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <00> <FF> endcodespacerange
2 beginbfchar <01> <0053> <02> <00660069> endbfchar
2 beginbfrange <03> <05> <0061> <10> <11> [<00E4> <D83DDE00>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def test_a_fonts_codes_are_read_by_its_to_unicode_cmap() -> None:
    width, unicode = _to_unicode(CMAP, 2)
    assert width == 1  # the codespace's, not the guess
    assert unicode == {
        b"\x01": "S",
        b"\x02": "fi",
        b"\x03": "a",
        b"\x04": "b",
        b"\x05": "c",
        b"\x10": "ä",
        b"\x11": "\U0001f600",
    }
    pdf = pikepdf.new()
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        FirstChar=1,
        Widths=Array([500, 250]),
        ToUnicode=pikepdf.Stream(pdf, CMAP.replace(b"<0053>", b"<0020>")),
    )
    read = _Font.of(font)
    assert read.decode(b"\x01\x03\x10\x02") == " aäfi"
    assert read.gap == 0.95 * 500 / 2  # half the space's width, less 5 %


def test_artifact_text_is_read_where_it_stands() -> None:
    """Each piece an artifact shows, with its baseline and size: placed by cm, Td and a
    form XObject's matrix, a word gap in a TJ array read as a space, and a break where
    an XObject is drawn; the structure content between them is not read."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    form = pikepdf.Stream(pdf, b"BT /F1 8 Tf 72 30 Td (Box 1) Tj ET")
    form.Type, form.Subtype = Name.XObject, Name.Form
    form.BBox, form.Matrix = Array([0, 0, 595, 842]), Array([1, 0, 0, 1, 0, 5])
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Fm1=form))
    data = (
        b"/Artifact BMC q 2 0 0 2 0 0 cm BT /F1 4 Tf 36 10 Td [(Sida) -300 (1)] TJ ET Q EMC\n"
        b"/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Text) Tj ET EMC\n"
        b"/Artifact BMC q 1 0 0 1 0 10 cm /Fm1 Do Q EMC"
    )
    read = _sections(data)
    assert read is not None
    assert _read(page, data, read[0]) is True
    artifacts = [s.text for s in read[0] if s.tag == "/Artifact"]
    assert artifacts == [[(20.0, 8.0, "Sida 1")], [(10.0, 0.0, "\n"), (45.0, 8.0, "Box 1")]]


def test_editing_the_structure_first_types_a_quote_as_accessible_does() -> None:
    """A packet part's structure is edited (its lead page dropped) before the packet is
    made accessible: the quoted paragraph the role map remaps is a /BlockQuote either way."""
    from beslutsdoc.export.structure import Structure

    with pikepdf.open(io.BytesIO(_paper())) as pdf:
        tree = Structure(pdf)
        tree.finish()
        quote = pdf.Root.StructTreeRoot.K.K[4]
        assert str(quote.S) == "/BlockQuote"
        assert "/Quote" not in pdf.Root.StructTreeRoot.RoleMap
        assert str(pdf.Root.StructTreeRoot.K.K[0].S) == "/P"  # what is no block stays /P
