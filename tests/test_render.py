"""Rendering a tjänsteutlåtande: real Word structure, in the template's styles."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from lxml import etree

from beslutsdoc.load.paper import load_paper
from beslutsdoc.render import render

from .conftest import PAPER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def rendered(path: Path) -> bytes:
    return render(load_paper(path))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, tables included."""
    document = docx.Document(io.BytesIO(data))
    body = [(p.style.name, p.text) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                body += [(p.style.name, p.text) for p in cell.paragraphs]
    return body


RICH = (
    PAPER
    + """\
undertitel: Redovisning av budgetuppdrag 2023
avsnitt:
  - rubrik: Bakgrund
    text: |
      Ett stycke med **fet** och *kursiv* text och en [länk](https://www.test.se/sida).

      ### Underrubrik

      - punkt ett
      - punkt två
        - underpunkt

      1. första
      2. andra

      Mellan listorna.[^1]

      1. ett igen
      2. två igen

      | Verksamhet | Belopp |
      |---|---:|
      | Hemtjänst | 1 127 386 |

      > Ett citat.

      [^1]: En fotnot med *kursiv*.
underskrifter:
  - namn: Veronica Wolgast Carstorp
    titel: Socialdirektör
    roll: Lex Sarah-ansvarig
bilagor:
  - titel: Ramverk för BUS-samverkan
expedieras_till: [Stadsdelsnämnderna, Utbildningsnämnden]
"""
)


def test_structure_uses_the_templates_styles(write) -> None:
    body = paragraphs(rendered(write(RICH)))
    assert ("Heading 1", "Ett ärende") in body
    assert ("Subtitle", "Redovisning av budgetuppdrag 2023") in body
    assert ("Heading 2", "Förslag till beslut") in body
    assert ("Heading 2", "Bakgrund") in body
    assert ("Heading 3", "Underrubrik") in body
    assert ("List Bullet", "punkt ett") in body
    assert ("List Number", "första") in body
    assert ("Quote", "Ett citat.") in body
    assert ("Heading 2", "Bilagor") in body
    assert ("List Number", "Ramverk för BUS-samverkan") in body
    assert ("Normal", "Lex Sarah-ansvarig") in body
    assert ("Normal", "Stadsdelsnämnderna") in body
    texts = [t for _, t in body]
    assert "**" not in "".join(texts) and "[^1]" not in "".join(texts)


def test_single_decision_point_is_a_sentence_several_are_numbered(write) -> None:
    one = paragraphs(rendered(write(PAPER)))
    assert ("Normal", "Socialnämnden godkänner tjänsteutlåtandet.") in one
    two = write(
        PAPER.replace(
            "  - Socialnämnden godkänner tjänsteutlåtandet.",
            "  - Socialnämnden godkänner tjänsteutlåtandet.\n  - Ärendet överlämnas.",
        ),
        "two.yaml",
    )
    assert ("List Number", "Ärendet överlämnas.") in paragraphs(rendered(two))


def test_each_numbered_list_counts_from_one(write) -> None:
    data = rendered(
        write(
            RICH.replace(
                "  - Socialnämnden godkänner tjänsteutlåtandet.",
                "  - Socialnämnden godkänner tjänsteutlåtandet.\n  - Ärendet överlämnas.",
            )
        )
    )
    document = part(data, "word/document.xml")
    numbering = part(data, "word/numbering.xml")
    ids = []
    for p in document.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        text = "".join(p.itertext())
        if num is not None and text in {
            "första",
            "ett igen",
            "Socialnämnden godkänner tjänsteutlåtandet.",
            "Ramverk för BUS-samverkan",
        }:
            ids.append(num.get(f"{W}val"))
    assert len(ids) == 4 and len(set(ids)) == 4  # four lists, four numberings
    for num_id in ids:
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"


def test_nested_list_level(write) -> None:
    document = part(rendered(write(RICH)), "word/document.xml")
    levels = {
        "".join(p.itertext()): p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")
        for p in document.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}numPr/{W}ilvl") is not None
    }
    assert levels["punkt ett"] == "0" and levels["underpunkt"] == "1"


def test_bold_italic_and_hyperlink(write) -> None:
    data = rendered(write(RICH))
    document = docx.Document(io.BytesIO(data))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.text == "fet" and r.bold for r in runs)
    assert any(r.text == "kursiv" and r.italic for r in runs)
    xml = part(data, "word/document.xml")
    link = xml.find(f".//{W}hyperlink")
    assert "".join(link.itertext()) == "länk"
    rel_id = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = part(data, "word/_rels/document.xml.rels")
    [rel] = [r for r in rels if r.get("Id") == rel_id]
    assert rel.get("Target") == "https://www.test.se/sida" and rel.get("TargetMode") == "External"


def test_real_footnotes(write) -> None:
    data = rendered(write(RICH))
    document = part(data, "word/document.xml")
    [ref] = document.iter(f"{W}footnoteReference")
    notes = part(data, "word/footnotes.xml")
    [note] = [n for n in notes if n.get(f"{W}id") == ref.get(f"{W}id")]
    assert "".join(note.itertext()).strip() == "En fotnot med kursiv."
    assert note.find(f".//{W}footnoteRef") is not None


def test_table_with_repeating_header_row(write) -> None:
    document = docx.Document(io.BytesIO(rendered(write(RICH))))
    table = next(t for t in document.tables if t.cell(0, 0).text == "Verksamhet")
    assert table.cell(1, 1).text == "1 127 386"
    first_row = table.rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    assert first_row.find(f"{W}trPr/{W}cantSplit") is not None
    assert table.cell(1, 1).paragraphs[0].alignment == 2  # right, as the pipe table says


def test_header_footer_and_metadata(write) -> None:
    data = rendered(write(PAPER))
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    first_header = "\n".join(c.text for t in section.first_page_header.tables for c in t._cells)
    assert (
        "Testkommun" in first_header
        and "Dnr SN 2023:553" in first_header
        and "2023-11-07" in first_header
    )
    assert "Tjänsteutlåtande" in first_header
    later = "\n".join(c.text for t in section.header.tables for c in t._cells)
    assert "Dnr SN 2023:553" in later and "2023-11-07" in later
    footer = etree.tostring(section.footer._element).decode()
    assert "PAGE" in footer and "NUMPAGES" in footer and "Sida" in footer
    first_footer = section.first_page_footer.paragraphs[0].text
    assert first_footer == "Testkommun,\u00a0100\u00a000\u00a0Teststad\u00a0· www.test.se"
    meta = "\n".join(c.text for c in document.tables[0]._cells)
    assert (
        "Sofia Linder" in meta
        and "Telefon: 08-508 251 64" in meta
        and "Sammanträde 2023-12-12" in meta
    )


def test_core_properties_and_language(write) -> None:
    data = rendered(write(PAPER))
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Ett ärende"
    assert props.language == "sv-SE"
    assert props.subject == "Tjänsteutlåtande SN 2023:553"
    styles = part(data, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "sv-SE"
    page = part(data, "word/document.xml").find(f".//{W}sectPr/{W}pgSz")
    assert (page.get(f"{W}w"), page.get(f"{W}h")) == ("11906", "16838")  # A4


def test_empty_optional_parts_leave_no_trace(write) -> None:
    body = paragraphs(rendered(write(PAPER.replace("sammanfattning: Kort sammanfattning.\n", ""))))
    texts = [t for _, t in body]
    assert (
        "Sammanfattning" not in texts and "Bilagor" not in texts and "Expedieras till" not in texts
    )
    assert not any(style == "Subtitle" for style, _ in body)
    assert not any("{" in t for t in texts)


def test_dnr_printed_by_the_pattern(folder: Path, write) -> None:
    profile = folder / "beslutsdoc.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("{nummer}", "{nummer:05}"), encoding="utf-8"
    )
    data = rendered(write(PAPER))
    assert "Dnr SN 2023:00553" in etree.tostring(
        part(data, "word/header1.xml"), encoding="unicode"
    ) + etree.tostring(part(data, "word/header2.xml"), encoding="unicode")


def test_user_text_is_data_never_template_code(write) -> None:
    hostile = "{{ kommun }} {% if true %}ja{% endif %} & <b>fet</b> \"citat\" 'enkla' ”svenska”"
    paper = write(
        PAPER.replace(
            "titel: Ett ärende", f"titel: '{hostile.replace(chr(39), chr(39) * 2)}'"
        ).replace("Kort sammanfattning.", '"Före\\tefter\\u0007 klocka\\vny rad & {{ x }}"')
    )
    data = rendered(paper)
    body = paragraphs(data)
    assert ("Heading 1", hostile) in body
    document = part(data, "word/document.xml")
    summary = next(p for p in document.iter(f"{W}p") if "Före" in "".join(p.itertext()))
    assert "".join(summary.itertext()) == "Föreefter klockany rad & {{ x }}"
    assert summary.find(f".//{W}tab") is not None and summary.find(f".//{W}br") is not None
    assert docx.Document(io.BytesIO(data)).core_properties.title == hostile


def test_same_input_same_bytes(write) -> None:
    paper = write(RICH)
    assert rendered(paper) == rendered(paper)


def test_legal_citations_keep_together(write) -> None:
    paper = write(PAPER.replace("Kort sammanfattning.", "Enligt 2 kap. 1 § SoL."))
    assert ("Normal", "Enligt 2\u00a0kap. 1\u00a0§ SoL.") in paragraphs(rendered(paper))


def test_no_footnote_inside_a_footnote(write) -> None:
    paper = write(
        PAPER.replace(
            "sammanfattning: Kort sammanfattning.",
            "sammanfattning: |\n  Text.[^1]\n\n  [^1]: Not med egen not.[^2]\n\n  [^2]: Inre.\n",
        )
    )
    notes = part(rendered(paper), "word/footnotes.xml")
    assert not list(notes.iter(f"{W}footnoteReference"))  # Word allows no note in a note
