"""The composer against attachments written elsewhere: each test merges a corpus file
(tests/corpus/build.py) and checks the one thing that used to break."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from beslutsdoc.compose.composer import Composer
from beslutsdoc.ooxml.package import Package
from beslutsdoc.problems import InputError
from tests.corpus import build
from tests.structure import assert_valid_docx

ROOT = Path(__file__).resolve().parents[1]
HANDLINGAR = (ROOT / "templates" / "handlingar.docx").read_bytes()
W = build.W
R = build.R
NS = {"w": W, "r": R, "wp": build.WP, "pic": build.PIC, "a": build.A}


def merge(*documents: bytes, base: bytes = HANDLINGAR) -> Package:
    composer = Composer(Package.read(base))
    for number, data in enumerate(documents, 1):
        composer.append(Package.read(data), bookmark=f"bd{number}")
    merged = composer.finish()
    assert_valid_docx(merged)
    return Package.read(merged)


def body(package: Package) -> etree._Element:
    return package.element(package.main_part())


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))


def paragraph(package: Package, text: str) -> etree._Element:
    return next(p for p in body(package).iter(f"{{{W}}}p") if text_of(p) == text)


def urls(package: Package) -> dict[str, str]:
    """Each hyperlink's text → the address its relationship reaches."""
    main = package.main_part()
    rels = {r.get("Id"): r for r in package.relationships(main)}
    out = {}
    for link in body(package).iter(f"{{{W}}}hyperlink"):
        rel = rels[link.get(f"{{{R}}}id")]
        assert rel.get("TargetMode") == "External"
        out[text_of(link)] = str(rel.get("Target"))
    return out


def test_web_links_keep_their_own_addresses() -> None:
    """The External branch used to skip setting the new id: links pointed at the
    packet's own rId1, rId2 (fontTable.xml, settings.xml)."""
    links = urls(merge(build.external_links()[0], build.external_links()[0]))
    assert links == {
        "Första länken": "https://www.riksdagen.se/",
        "Andra länken": "https://www.regeringen.se/",
        "Första länken igen": "https://www.riksdagen.se/",
    }


def test_a_linked_image_stays_external() -> None:
    merged = merge(build.external_links()[0])
    blip = next(body(merged).iter(f"{{{build.A}}}blip"))
    rel = next(
        r
        for r in merged.relationships(merged.main_part())
        if r.get("Id") == blip.get(f"{{{R}}}link")
    )
    assert rel.get("TargetMode") == "External"
    assert rel.get("Target") == "https://www.example.org/bild.png"


def test_an_image_with_an_absolute_target_is_copied() -> None:
    merged = merge(build.absolute_targets()[0])
    blip = next(body(merged).iter(f"{{{build.A}}}blip"))
    part = merged.target(merged.main_part(), str(blip.get(f"{{{R}}}embed")))
    assert part is not None and merged.data(part) == build.png()


def test_strict_ooxml_is_read_not_dropped() -> None:
    merged = merge(build.strict()[0])
    texts = [text_of(p) for p in body(merged).iter(f"{{{W}}}p")]
    assert "Rapport från länsstyrelsen" in texts and "Cell i tabellen" in texts
    assert urls(merged) == {"Länk till myndigheten": "https://www.lansstyrelsen.se/rapport"}


def test_an_xml_comment_in_the_body_is_no_crash() -> None:
    merged = merge(build.body_comment()[0])
    assert paragraph(merged, "Text efter en kommentar") is not None


@pytest.mark.parametrize("case", ["html-root", "renamed-main", "plain-text"])
def test_a_file_that_is_not_word_is_a_swedish_error_naming_it(case: str) -> None:
    path = Path(f"bilagor/{case}.docx")
    composer = Composer(Package.read(HANDLINGAR))
    with pytest.raises(InputError) as caught:
        composer.append(Package.read(build.not_word()[case], path))
    problem = caught.value.problems[0]
    assert problem.file == path
    assert "ingen Word-fil" in problem.message


def heading_style(package: Package) -> tuple[str, bytes]:
    styles = package.element("word/styles.xml")
    style = next(
        s
        for s in styles.iter(f"{{{W}}}style")
        if s.find(f"{{{W}}}name").get(f"{{{W}}}val").lower() == "heading 1"  # type: ignore[union-attr]
    )
    return str(style.get(f"{{{W}}}styleId")), etree.tostring(style, method="c14n")


@pytest.mark.parametrize("case", ["german-styles", "swedish-styles", "lo-numbered-headings"])
def test_an_attachments_headings_never_restyle_the_packets(case: str) -> None:
    """The packet's own "heading 1" stays as it was and stays the only one by that name
    (LibreOffice numbered the notice's headings by an attachment's numbered Heading 1)."""
    before = heading_style(Package.read(HANDLINGAR))
    merged = merge(build.CORPUS[case]()[0])
    assert heading_style(merged) == before  # StopIteration would mean it was renamed
    names = [
        s.find(f"{{{W}}}name").get(f"{{{W}}}val").lower()  # type: ignore[union-attr]
        for s in merged.element("word/styles.xml").iter(f"{{{W}}}style")
    ]
    assert names.count("heading 1") == 1
    assert paragraph(merged, "Innehåll").find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == before[0]  # type: ignore[union-attr]


def test_an_attachments_heading_keeps_its_look() -> None:
    merged = merge(build.german_styles()[0])
    style_id = (
        paragraph(merged, "Überschrift des Berichts").find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
    )  # type: ignore[union-attr]
    style = next(
        s
        for s in merged.element("word/styles.xml").iter(f"{{{W}}}style")
        if s.get(f"{{{W}}}styleId") == style_id
    )
    assert style.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == "32"  # type: ignore[union-attr]
    assert style.find("w:pPr/w:outlineLvl", NS) is not None  # still a heading for contents


def numbering_of(merged: Package, text: str) -> tuple[str, etree._Element]:
    """The numId counting paragraph `text` (its own or its style's) and its abstractNum."""
    p = paragraph(merged, text)
    num = p.find("w:pPr/w:numPr/w:numId", NS)
    if num is None:
        style_id = p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")  # type: ignore[union-attr]
        style = next(
            s
            for s in merged.element("word/styles.xml").iter(f"{{{W}}}style")
            if s.get(f"{{{W}}}styleId") == style_id
        )
        num = style.find("w:pPr/w:numPr/w:numId", NS)
    num_id = str(num.get(f"{{{W}}}val"))  # type: ignore[union-attr]
    numbering = merged.element("word/numbering.xml")
    definition = next(n for n in numbering.iter(f"{{{W}}}num") if n.get(f"{{{W}}}numId") == num_id)
    abstract_id = definition.find("w:abstractNumId", NS).get(f"{{{W}}}val")  # type: ignore[union-attr]
    abstract = next(
        a
        for a in numbering.iter(f"{{{W}}}abstractNum")
        if a.get(f"{{{W}}}abstractNumId") == abstract_id
    )
    return num_id, abstract


def test_a_style_bound_list_restarts_in_each_attachment() -> None:
    """Two attachments numbering "Ett, Två, Tre" through List Number: each its own list."""
    data = build.style_list()[0]
    composer = Composer(Package.read(HANDLINGAR))
    composer.append(Package.read(data), bookmark="bd1")
    composer.append(Package.read(data), bookmark="bd2")
    merged = Package.read(composer.finish())
    firsts = [p for p in body(merged).iter(f"{{{W}}}p") if text_of(p) == "Ett"]
    styles = [p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") for p in firsts]  # type: ignore[union-attr]
    assert len(set(styles)) == 2  # each part's own copy of its list style
    numbering = merged.element("word/numbering.xml")
    nsids = [n.get(f"{{{W}}}val") for n in numbering.iter(f"{{{W}}}nsid")]
    assert len(nsids) == len(set(nsids))


def test_a_num_style_link_keeps_its_levels() -> None:
    """numStyleLink used to be removed: the list lost its a), b) for 1., 1."""
    merged = merge(build.num_style_link()[0])
    _, abstract = numbering_of(merged, "Alfa punkt")
    link = abstract.find("w:numStyleLink", NS)
    assert link is not None
    style = next(
        s
        for s in merged.element("word/styles.xml").iter(f"{{{W}}}style")
        if s.get(f"{{{W}}}styleId") == link.get(f"{{{W}}}val")
    )
    linked_num = style.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val")  # type: ignore[union-attr]
    numbering = merged.element("word/numbering.xml")
    num = next(n for n in numbering.iter(f"{{{W}}}num") if n.get(f"{{{W}}}numId") == linked_num)
    real = next(
        a
        for a in numbering.iter(f"{{{W}}}abstractNum")
        if a.get(f"{{{W}}}abstractNumId") == num.find("w:abstractNumId", NS).get(f"{{{W}}}val")  # type: ignore[union-attr]
    )
    assert real.find("w:styleLink", NS).get(f"{{{W}}}val") == link.get(f"{{{W}}}val")  # type: ignore[union-attr]
    assert real.find("w:lvl/w:numFmt", NS).get(f"{{{W}}}val") == "lowerLetter"  # type: ignore[union-attr]


def test_new_lists_go_before_the_cleanup_mark() -> None:
    base = _with_member(
        HANDLINGAR,
        "word/numbering.xml",
        lambda data: data.replace(
            b"</w:numbering>", b'<w:numIdMacAtCleanup w:val="3"/></w:numbering>'
        ),
    )
    merged = merge(build.word_like()[0], base=base)
    numbering = merged.element("word/numbering.xml")
    assert etree.QName(numbering[-1]).localname == "numIdMacAtCleanup"


def test_drawing_ids_are_unique_in_the_packet() -> None:
    """Two attachments both use wp:docPr id 1: Word refuses duplicate drawing ids."""
    merged = merge(build.word_like()[0], build.absolute_targets()[0], build.header_image()[0])
    ids = [d.get("id") for d in body(merged).iter(f"{{{build.WP}}}docPr")]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_vml_shape_ids_are_unique() -> None:
    merged = merge(build.vml_shapes()[0], build.vml_shapes()[0])
    shapes = [s.get("id") for s in body(merged).iter("{urn:schemas-microsoft-com:vml}shape")]
    assert len(shapes) == 2 and len(set(shapes)) == 2


def test_bookmarks_are_prefixed_per_part_and_references_follow() -> None:
    """Two parts with the same bookmark names: each part's links reach its own."""
    data = build.long_bookmarks()[0]
    merged = merge(data, data)
    names = [b.get(f"{{{W}}}name") for b in body(merged).iter(f"{{{W}}}bookmarkStart")]
    own = [n for n in names if n and not n.startswith("bd")]
    assert len(own) == 4 and len(set(own)) == 4  # truncating to 40 made A and B one
    assert all(len(n) <= 40 for n in own)
    anchors = [h.get(f"{{{W}}}anchor") for h in body(merged).iter(f"{{{W}}}hyperlink")]
    assert len(set(anchors)) == 2 and set(anchors) <= set(own)
    fields = [t.text for t in body(merged).iter(f"{{{W}}}instrText") if "REF" in (t.text or "")]
    assert len(fields) == 2
    assert all(field.split()[1] in own for field in fields)


def test_each_part_starts_on_a_new_page_even_from_a_continuous_section() -> None:
    merged = merge(build.continuous_section()[0])
    kinds = [t.get(f"{{{W}}}val") for t in body(merged).iter(f"{{{W}}}type")]
    assert "continuous" not in kinds


def test_a_landscape_section_stays_landscape() -> None:
    merged = merge(build.landscape_section()[0])
    orients = [s.get(f"{{{W}}}orient") for s in body(merged).iter(f"{{{W}}}pgSz")]
    assert "landscape" in orients


def test_custom_properties_travel_for_docproperty_fields() -> None:
    merged = merge(build.custom_properties()[0])
    custom = merged.related_one(
        "", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    )
    assert custom is not None
    names = [p.get("name") for p in merged.element(custom)]
    assert names == ["Diarienummer"]


def test_a_diagram_keeps_its_parts_and_its_drawing() -> None:
    """dsp:dataModelExt relId names the drawing by a relationship of the document."""
    merged = merge(build.diagram()[0])
    main = merged.main_part()
    ids = next(
        body(merged).iter("{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds")
    )
    parts = [
        merged.target(main, str(ids.get(f"{{{R}}}{kind}"))) for kind in ("dm", "lo", "qs", "cs")
    ]
    assert all(parts) and len(set(parts)) == 4
    data = merged.element(str(parts[0]))
    ext = next(data.iter("{http://schemas.microsoft.com/office/drawing/2008/diagram}dataModelExt"))
    drawing = merged.target(main, str(ext.get("relId")))
    assert drawing is not None and drawing.startswith("word/diagrams/drawing")


def test_endnotes_travel_and_comments_do_not() -> None:
    merged = merge(build.notes_and_comments()[0])
    reference = next(body(merged).iter(f"{{{W}}}endnoteReference"))
    endnotes = merged.element(str(merged.related_one(merged.main_part(), build.RT + "/endnotes")))
    note = next(
        n
        for n in endnotes.iter(f"{{{W}}}endnote")
        if n.get(f"{{{W}}}id") == reference.get(f"{{{W}}}id")
    )
    assert text_of(note) == "Slutnotens text"
    assert next(body(merged).iter(f"{{{W}}}commentReference"), None) is None


def _with_member(data: bytes, member: str, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, change(content) if name == member else content)
    return out.getvalue()


def test_a_chart_brings_its_workbook() -> None:
    merged = merge(build.chart()[0], build.chart()[0])
    main = merged.main_part()
    charts = [
        merged.target(main, str(c.get(f"{{{R}}}id")))
        for c in body(merged).iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}chart")
    ]
    assert len(charts) == 2 and len(set(charts)) == 2 and all(charts)
    books = [merged.target(str(c), "rId1") for c in charts]
    assert all(books) and len(set(books)) == 2
    assert merged.content_type(str(books[0])).endswith("spreadsheetml.sheet")  # type: ignore[union-attr]
