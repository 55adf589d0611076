"""A municipality's own template: made in Word, used without code, checked with care."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from beslutsdoc.load.paper import load_paper
from beslutsdoc.problems import InputError, TemplateError
from beslutsdoc.render import render

from .conftest import PAPER

RICH_TEXT = """\
avsnitt:
  - rubrik: Ärendet
    text: |
      Text med fotnot.[^1] Och en lista:

      1. ett
      2. två

      [^1]: Fotnoten.
"""


def own_template(folder: Path, build) -> Path:
    document = docx.Document()
    build(document)
    path = folder / "mallar" / "egen.docx"
    path.parent.mkdir(exist_ok=True)
    document.save(path)
    profile = folder / "beslutsdoc.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "mallar:\n  tjänsteutlåtande: mallar/egen.docx\n",
        encoding="utf-8",
    )
    return path


def strip_styles(document, names: list[str]) -> None:
    """Like a template made from scratch in Word: these styles are not in styles.xml."""
    for style in list(document.styles):
        if style.name in names:
            style.element.getparent().remove(style.element)


def test_own_template_with_moved_fields(folder: Path, write) -> None:
    def build(document) -> None:
        document.add_paragraph("Ärende: {{ titel }} ({{ diarienummer }})")
        document.add_paragraph("{{ förslag_till_beslut }}")
        document.add_paragraph("{{ avsnitt }}")
        document.add_paragraph("Skrivet {{ datum | långt_datum }} av {{ handläggare.namn }}")

    own_template(folder, build)
    data = render(load_paper(write(PAPER + RICH_TEXT)))
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts[0] == "Ärende: Ett ärende (SN 2023:553)"
    assert "Skrivet 7\u00a0november 2023 av Sofia Linder" in texts
    assert "Ärendet" in texts and "två" in texts


def test_missing_styles_are_supplied(folder: Path, write) -> None:
    def build(document) -> None:
        strip_styles(document, ["Heading 2", "List Number", "Quote"])
        document.add_paragraph("{{ avsnitt }}")

    own_template(folder, build)
    data = render(load_paper(write(PAPER + RICH_TEXT)))
    document = docx.Document(io.BytesIO(data))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Ärendet"] == "Heading 2" and styles["ett"] == "List Number"
    assert b"footnotes.xml" in data  # the note found a home although the template had none


def test_formatting_of_each_run_is_kept(folder: Path, write) -> None:
    def build(document) -> None:
        p = document.add_paragraph()
        p.add_run("Dnr: ").bold = True
        p.add_run("{{ diarie")  # Word split the tag across runs
        p.add_run("nummer }}").italic = True
        p.add_run(" – ")
        p.add_run("{{ titel }}").italic = True

    own_template(folder, build)
    document = docx.Document(io.BytesIO(render(load_paper(write(PAPER)))))
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in document.paragraphs[0].runs]
    assert runs == [
        ("Dnr: ", True, False),
        ("SN 2023:553", False, False),
        (" – ", False, False),
        ("Ett ärende", False, True),
    ]


def test_placeholder_paragraph_style_carries_to_text(folder: Path, write) -> None:
    def build(document) -> None:
        document.add_paragraph("{{ sammanfattning }}", style="Body Text")

    own_template(folder, build)
    document = docx.Document(io.BytesIO(render(load_paper(write(PAPER)))))
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Body Text", "Kort sammanfattning.")
    ]


def test_unknown_variable_is_named(folder: Path, write) -> None:
    path = own_template(folder, lambda d: d.add_paragraph("Till {{ namnd }}"))
    with pytest.raises(TemplateError) as caught:
        render(load_paper(write(PAPER)))
    message = str(caught.value)
    assert str(path) in message
    assert "okända variabeln ”namnd”" in message and "menade du ”nämnd”?" in message


def test_unknown_attribute_is_named(folder: Path, write) -> None:
    own_template(folder, lambda d: d.add_paragraph("{{ handläggare.mobil }}"))
    with pytest.raises(TemplateError, match="”handläggare” har ingen uppgift ”mobil”"):
        render(load_paper(write(PAPER)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% if titel %}Titel", "avslutas inte"),
        ("{{ titel ", "avslutas inte"),
        ("{% whatever %}", "okänd tagg ”whatever”"),
    ],
)
def test_broken_tag_is_reported(folder: Path, write, text: str, expected: str) -> None:
    own_template(folder, lambda d: d.add_paragraph(text))
    with pytest.raises(TemplateError) as caught:
        render(load_paper(write(PAPER)))
    assert "trasig mallkod i stycket" in str(caught.value) and expected in str(caught.value)


def test_block_variable_in_header_is_refused(folder: Path, write) -> None:
    own_template(folder, lambda d: d.sections[0].header.add_paragraph("{{ sammanfattning }}"))
    with pytest.raises(TemplateError, match="blockvariabeln ”sammanfattning” kan bara stå"):
        render(load_paper(write(PAPER)))


def test_template_code_cannot_reach_python(folder: Path, write) -> None:
    own_template(folder, lambda d: d.add_paragraph("{{ titel.__class__.__mro__ }}"))
    with pytest.raises(TemplateError):
        render(load_paper(write(PAPER)))


def test_missing_and_broken_template_files(folder: Path, write) -> None:
    profile = folder / "beslutsdoc.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "mallar:\n  tjänsteutlåtande: mallar/saknas.docx\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        render(load_paper(write(PAPER)))
    profile = folder / "beslutsdoc.yaml"
    assert str(caught.value).startswith(f"{profile}:")
    assert "mallar.tjänsteutlåtande: mallen ”mallar/saknas.docx” finns inte" in str(caught.value)
    (folder / "mallar").mkdir()
    (folder / "mallar" / "saknas.docx").write_text("ingen zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="ingen läsbar Word-fil"):
        render(load_paper(write(PAPER)))


def test_empty_rows_of_a_metadata_table_disappear(folder: Path, write) -> None:
    def build(document) -> None:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Undertitel"
        table.cell(0, 1).text = "{{ undertitel }}"
        table.cell(1, 0).text = "{% if undertitel %}Finns{% endif %}"
        table.cell(1, 1).text = "{{ undertitel }}"

    own_template(folder, build)
    document = docx.Document(io.BytesIO(render(load_paper(write(PAPER)))))
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Undertitel", ""]  # literal text keeps its row
    assert len(table.rows) == 1


def test_block_variable_inside_text_is_refused(folder: Path, write) -> None:
    own_template(folder, lambda d: d.add_paragraph("Avsnitt: {{ avsnitt }}"))
    with pytest.raises(TemplateError, match="blockvariabeln ”avsnitt” måste stå ensam"):
        render(load_paper(write(PAPER)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ förslag_till_beslut[5] }}", "listan har ingen post 5"),
        ("{% include 'annan.docx' %}", "en mall kan inte hämta in andra mallar"),
        ("{{ titel | långt_datum }}", "långt_datum behöver ett datum, inte ”Ett ärende”"),
    ],
)
def test_runtime_template_errors_in_swedish(folder: Path, write, text: str, expected: str) -> None:
    own_template(folder, lambda d: d.add_paragraph(text))
    with pytest.raises(TemplateError, match=expected):
        render(load_paper(write(PAPER)))


def test_only_the_variables_a_template_reads_become_template_data(
    folder: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item's page reads the meeting's date, not its every item: the values a
    template never names are not converted (a packet renders one page per item)."""
    from beslutsdoc.render import template

    def build(document) -> None:
        document.add_paragraph("Ärende: {{ titel }}")
        document.add_paragraph("{% if avsnitt %}Med avsnitt{% endif %}")
        document.add_paragraph("{{ avsnitt }}")

    own_template(folder, build)
    converted: list[object] = []
    original = template.plain

    def counting(value: object) -> object:
        converted.append(value)
        return original(value)

    monkeypatch.setattr(template, "plain", counting)
    data = render(load_paper(write(PAPER + RICH_TEXT)))
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    paper = load_paper(write(PAPER + RICH_TEXT)).model
    assert f"Ärende: {paper.titel}" in texts and "Med avsnitt" in texts
    assert converted == [paper.titel]  # not the handläggare, dates, lists ...
