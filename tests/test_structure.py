"""Structure trees across PDFs (`export/structure.py`): tagged PDFs appended to one
another keep every tag, on the right pages, and pass the PDF/UA checkers."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
import pytest

from beslutsdoc.api import with_pdfs
from beslutsdoc.export.structure import Structure, is_tagged, pair_annotations

from .conftest import need_libreoffice
from .packets import elements, plain_pdf, word
from .test_pdfua import _errors_outloud, _errors_pdfua


def append_tagged(
    pdf: pikepdf.Pdf,
    source: pikepdf.Pdf,
    *,
    kind: str = "/Part",
    title: str | None = None,
    tree: Structure | None = None,
) -> pikepdf.Object:
    """Every page of `source` appended to `pdf`, its structure grafted under a new
    `kind` element under the /Document element, as the packet puts an attachment in;
    `tree` for many sources (finished by the caller), else finished here."""
    structure = tree or Structure(pdf)
    lang = source.Root.get("/Lang")
    part = structure.element(
        kind, structure.document, title=title, lang=str(lang) if lang else None
    )
    pages: dict[int, pikepdf.Page] = {}
    pairs: dict[tuple[int, int], pikepdf.Object] = {}
    for number, page in enumerate(source.pages):
        pdf.pages.append(page)
        copy = pdf.pages[-1]
        pairs.update(pair_annotations(page, copy))
        pages[number] = copy
    if is_tagged(source):
        structure.graft(source, pages, part, annotations=pairs)
    if tree is None:
        structure.finish()
    return part


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


def test_a_replaced_page_gives_its_place_to_the_grafted_structure(
    tagged: list[bytes], tmp_path: Path
) -> None:
    """As the packet puts an attachment in: the placeholder page's elements are removed,
    the attachment's go where they were, and nothing points at the removed page."""
    packet, attachment = (pikepdf.open(io.BytesIO(pdf)) for pdf in tagged)
    assert len(packet.pages) == len(attachment.pages) == 1
    tree = Structure(packet)
    placeholder = packet.pages[0]
    packet.pages.insert(0, attachment.pages[0])
    page = packet.pages[0]
    pairs = pair_annotations(attachment.pages[0], page)
    place = tree.forget_pages([(placeholder, page)])
    del packet.pages[1]
    assert place is not None and place[0].objgen == tree.document.objgen
    part = tree.element("/Sect", place[0], place[1], title="Bilaga: Andra")
    tree.graft(attachment, {0: page}, part, annotations=pairs)
    tree.finish()
    out = tmp_path / "ersatt.pdf"
    packet.save(out)

    merged = pypdf.PdfReader(out)
    [only] = merged.pages
    root = merged.trailer["/Root"]["/StructTreeRoot"]
    [document] = [e for e in elements(root) if e["/S"] == "/Document"]
    [section] = [e for e in elements(document) if e["/S"] == "/Sect"]
    assert str(section["/T"]) == "Bilaga: Andra"
    assert [e["/S"] for e in elements(document) if e["/S"] == "/H1"] == ["/H1"]
    [heading] = [e for e in elements(section) if e["/S"] == "/H1"]
    assert only.extract_text().split("\n")[0] == "Andra"
    pages = {e.raw_get("/Pg").idnum for e in elements(root) if "/Pg" in e}
    assert pages == {only.indirect_reference.idnum}  # none at the removed page
    nums = root["/ParentTree"].get_object()["/Nums"]
    assert [int(nums[i]) for i in range(0, len(nums), 2)] == [int(only["/StructParents"])]
    assert heading in [k.get_object() for k in nums[1]]
    assert _errors_pdfua([out]) == {out: []}
    assert _errors_outloud([out]) == {out: []}


def test_an_untagged_page_is_one_figure_and_its_link_a_link(tmp_path: Path) -> None:
    source = pikepdf.open(io.BytesIO(plain_pdf(title="Blankett", text="Blankettens text")))
    pdf = pikepdf.new()
    pdf.pages.append(source.pages[0])
    page = pdf.pages[0]
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link)
    link.Rect = pikepdf.Array([72, 700, 200, 720])
    link.A = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.se"))
    popup = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Popup)
    popup.Rect = pikepdf.Array([0, 0, 10, 10])
    page.obj.Annots = pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(popup)])
    tree = Structure(pdf)
    part = tree.element("/Sect", tree.document, title="Bilaga: Blankett")
    figure = tree.figure(page, part, "Sidan är en blankett")
    tree.finish()
    out = tmp_path / "figur.pdf"
    pdf.save(out)

    read = pypdf.PdfReader(out)
    [section] = [
        e for e in elements(read.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Sect"
    ]
    kinds = [e["/S"] for e in elements(section)]
    assert sorted(kinds) == ["/Figure", "/Link"]  # the pop-up is left out
    [shown] = read.pages
    content = shown.get_contents().get_data()
    assert content.startswith(b"/Figure <</MCID 0>> BDC") and content.rstrip().endswith(b"EMC")
    assert "Blankettens text" in shown.extract_text()
    nums = read.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    tree_of = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert tree_of[int(shown["/StructParents"])][0].get_object()["/Alt"] == "Sidan är en blankett"
    annotation = shown["/Annots"][0].get_object()
    assert annotation["/Contents"] == "Länk till https://example.se"
    element = tree_of[int(annotation["/StructParent"])].get_object()
    assert element["/S"] == "/Link" and element["/K"]["/Obj"].get_object() == annotation
    assert "/StructParent" not in shown["/Annots"][1].get_object() and shown["/Tabs"] == "/S"
    assert int(figure.K) == 0


def _tagged_source() -> pikepdf.Pdf:
    """A tagged page made by hand: a custom paragraph type with an /ID and an attribute
    class, and a link whose element holds its text and its annotation."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(
        b"/Para <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Text) Tj ET EMC\n"
        b"/Link <</MCID 1>> BDC BT /F1 12 Tf 72 600 Td (Till) Tj ET EMC\n"
    )
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([72, 600, 120, 615]),
            StructParent=1,
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.se")),
        )
    )
    page.Annots = pikepdf.Array([annotation])
    page.StructParents = 0
    element = pikepdf.Dictionary
    root = pdf.make_indirect(element(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(element(S=pikepdf.Name.Document, P=root))
    para = pdf.make_indirect(
        element(S=pikepdf.Name("/Para"), P=document, Pg=page, K=0, ID=pikepdf.String("p1"))
    )
    para.C = pikepdf.Name("/Klass")
    objr = element(Type=pikepdf.Name.OBJR, Obj=annotation)
    link = pdf.make_indirect(
        element(S=pikepdf.Name.Link, P=document, Pg=page, K=pikepdf.Array([1, objr]))
    )
    document.K = pikepdf.Array([para, link])
    root.K = document
    root.RoleMap = element({"/Para": pikepdf.Name.P})
    root.ClassMap = element(
        {"/Klass": pdf.make_indirect(element(O=pikepdf.Name.Layout, Placement=pikepdf.Name.Block))}
    )
    root.ParentTree = element(Nums=pikepdf.Array([0, pikepdf.Array([para, link]), 1, link]))
    pdf.Root.StructTreeRoot = root
    return pdf


def test_grafted_elements_keep_roles_ids_classes_and_annotations(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    tree = Structure(pdf)
    tree.roles["/Para"] = pikepdf.Name.H1  # ours means something else by it
    tree.ids["p1"] = tree.document
    source = _tagged_source()
    part = append_tagged(pdf, source, title="Bilaga", tree=tree)
    tree.finish()
    out = tmp_path / "ympad.pdf"
    pdf.save(out)

    read = pypdf.PdfReader(out)
    root = read.trailer["/Root"]["/StructTreeRoot"]
    [section] = [e for e in elements(root) if e["/S"] == "/Part"]
    assert str(section["/T"]) == "Bilaga" and str(part.T) == "Bilaga"
    by_kind = {str(e["/S"]): e for e in elements(section)}
    assert set(by_kind) == {"/P", "/Link"}
    para, link = by_kind["/P"], by_kind["/Link"]
    assert list(para["/K"]) == [0]  # /Para is a heading here: written as what it is
    assert str(para["/ID"]) == "p1-2" and root["/RoleMap"]["/Para"] == "/H1"
    assert root["/ClassMap"]["/Klass"]["/Placement"] == "/Block" and para["/C"] == "/Klass"
    [page] = read.pages
    [annotation] = [a.get_object() for a in page["/Annots"]]
    assert link["/K"][0] == 1 and link["/K"][1]["/Obj"].get_object() == annotation
    nums = root["/ParentTree"]["/Nums"]
    tree_of = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert tree_of[int(annotation["/StructParent"])].get_object() == link
    marked = [e.get_object() for e in tree_of[int(page["/StructParents"])]]
    assert marked == [para, link]
    assert [e["/S"] for e in elements(root)].count("/Link") == 1  # not tagged twice
    names = root["/IDTree"]["/Names"]
    assert [str(names[i]) for i in range(0, len(names), 2)] == ["p1", "p1-2"]


def _long_tree() -> pikepdf.Pdf:
    """Ten pages and a /Document of many kids, as LibreOffice writes a long PDF: five
    paragraphs a page, a list across pages 3–4, a marked-content reference and a direct
    element on page 6, a paragraph of two pages, and content of the /Document's own."""
    pdf = pikepdf.new()
    for _ in range(10):
        pdf.add_blank_page()
    make, element = pdf.make_indirect, pikepdf.Dictionary
    root = make(element(Type=pikepdf.Name.StructTreeRoot))
    document = make(element(S=pikepdf.Name.Document, P=root))
    kids: list[object] = []
    for number, page in enumerate(pdf.pages):
        for mcid in range(5):
            kids.append(make(element(S=pikepdf.Name.P, P=document, Pg=page.obj, K=mcid)))
        page.obj.StructParents = number
    items = [
        make(element(S=pikepdf.Name.LI, Pg=pdf.pages[n].obj, K=pikepdf.Array([5, 6])))
        for n in (3, 3, 4)
    ]
    kids.insert(17, make(element(S=pikepdf.Name.L, P=document, K=pikepdf.Array(items))))
    reference = element(Type=pikepdf.Name.MCR, Pg=pdf.pages[6].obj, MCID=7)
    inner = element(S=pikepdf.Name.Span, Pg=pdf.pages[6].obj, K=8)
    kids.insert(
        30, make(element(S=pikepdf.Name.P, P=document, K=pikepdf.Array([reference, inner])))
    )
    both = [element(Type=pikepdf.Name.MCR, Pg=pdf.pages[n].obj, MCID=9) for n in (7, 8)]
    kids.insert(40, make(element(S=pikepdf.Name.P, P=document, K=pikepdf.Array(both))))
    kids.insert(3, element(Type=pikepdf.Name.MCR, Pg=pdf.pages[0].obj, MCID=9))  # its own
    kids.insert(45, element(S=pikepdf.Name.Span, Pg=pdf.pages[8].obj, K=3))  # direct
    document.K = pikepdf.Array(kids)
    root.K = pikepdf.Array([document])
    pdf.Root.StructTreeRoot = root
    return pdf


def _shape(pdf: pikepdf.Pdf, node: object) -> object:
    """The tree under `node` as types, pages (by number) and MCIDs, to compare."""
    pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages)}
    if isinstance(node, int):
        return node
    assert isinstance(node, pikepdf.Dictionary)
    page = pages.get(node.Pg.objgen, "bort") if "/Pg" in node else None
    kids = node.get("/K")
    listed = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return (str(node.get("/S", node.get("/Type"))), page, [_shape(pdf, k) for k in listed])


def _replay(many: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], object]:
    """Pages of `_long_tree` replaced as pdf.py does, one slot at a time (a new element
    put where the old were), elements with more than `many` kids visited kid by kid: the
    places found and the /Document's shape after."""
    import beslutsdoc.export.structure as structure

    monkeypatch.setattr(structure, "_MANY", many)
    pdf = _long_tree()
    tree = Structure(pdf)
    places: list[object] = []
    for slot in ([3, 4], [6], [8], [0]):
        pdf.pages.append(pdf.pages[0])  # a stand-in page for each replaced one
        olds = [pdf.pages[n] for n in slot]
        news = [pdf.pages[-1] for _ in slot]
        place = tree.forget_pages(list(zip(olds, news, strict=True)))
        assert place is not None
        places.append((_shape(pdf, place[0])[0], place[1]))
        tree.element("/Sect", *place, title=f"Bilaga {slot}")
    return places, _shape(pdf, tree.document)


def test_forgetting_pages_of_a_long_tree_visits_it_kid_by_kid_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With few kids an element is read whole, with many only the kids on the replaced
    pages are looked for (where they were, moved by what was put in and taken out before
    them): the same places and the same tree either way."""
    places, document = _replay(10_000, monkeypatch)
    assert _replay(8, monkeypatch) == (places, document)
    assert isinstance(document, tuple)
    kinds = [k[0] for k in document[2]]
    assert kinds.count("/Sect") == 4
    assert kinds.count("/L") == kinds.count("/MCR") == kinds.count("/Span") == 0
    assert all(k[1] not in (0, 3, 4, 6, 8) for k in document[2] if k[0] == "/P")
    [two] = [k for k in document[2] if k[0] == "/P" and k[1] is None and len(k[2]) == 1]
    assert two[2] == [("/MCR", 7, [])]  # the half on page 8 gone, the other kept


def test_a_page_given_a_figure_can_itself_be_replaced() -> None:
    """What the tree put on a page after it was first read goes too when that page is
    replaced (the reading of the tree is renewed for it)."""
    pdf = _long_tree()
    tree = Structure(pdf)
    assert tree.forget_pages([(pdf.pages[1], pdf.pages[2])]) is not None
    figure = tree.figure(pdf.pages[2], tree.document, "Sidan")
    place = tree.forget_pages([(pdf.pages[2], pdf.pages[5])])
    assert place is not None and place[0].objgen == tree.document.objgen
    shape = _shape(pdf, tree.document)
    assert isinstance(shape, tuple)
    assert "/Figure" not in [k[0] for k in shape[2]] and figure.Pg.objgen == pdf.pages[5].objgen


@pytest.mark.parametrize("many", [4, 1000])
def test_an_empty_element_of_a_replaced_page_goes_with_it(
    many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice tags an empty paragraph as an element with a page and nothing in it:
    when the page is replaced (a part's lead page, a placeholder) it goes too, whether the
    /Document is visited kid by kid or whole."""
    import beslutsdoc.export.structure as structure

    monkeypatch.setattr(structure, "_MANY", many)
    pdf = _long_tree()
    document = pdf.Root.StructTreeRoot.K[0]
    empty = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.P, P=document, Pg=pdf.pages[2].obj))
    kept = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.P, P=document, Pg=pdf.pages[3].obj))
    document.K.insert(12, empty)
    document.K.insert(20, kept)
    tree = Structure(pdf)
    tree.forget_pages([(pdf.pages[2], pdf.pages[5])])
    tree.finish()
    left = {k.objgen for k in document.K if isinstance(k, pikepdf.Dictionary) and k.is_indirect}
    assert empty.objgen not in left
    assert kept.objgen in left  # an empty element of another page stays
