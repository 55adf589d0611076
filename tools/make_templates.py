"""Build the standard Word templates in templates/ (run after changing this file).

The templates are data: a municipality opens them in Word, restyles them, moves the
metadata block or adds its logo, and saves them as its own. This script only makes
the standard ones reproducibly; nothing at render time depends on it.

    python tools/make_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from beslutsdoc.model.registry import PAPERS
from beslutsdoc.ooxml import schema

ROOT = Path(__file__).resolve().parents[1]
FONT = "Arial"
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)

KEEP_STYLES = {
    "Normal",
    "Header",
    "Footer",
    "Title",
    "Subtitle",
    "List Paragraph",
    "List Bullet",
    "List Number",
    # python-docx's numbering names these for its deeper list levels: kept, so no
    # numbering level points at a style that is not there.
    "List Bullet 2",
    "List Bullet 3",
    "List Number 2",
    "List Number 3",
    "Quote",
    "Table Grid",
    "Normal Table",
    "Default Paragraph Font",
    "No List",
    "Caption",
    "Strong",
    "Emphasis",
    "Body Text",
    *(f"Heading {i}" for i in range(1, 7)),
}


def _prune_styles(document: docx.document.Document) -> None:
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        name = style.find(qn("w:name")).get(qn("w:val"))
        ui = docx.styles.BabelFish.internal2ui(name)
        if ui not in KEEP_STYLES and not (ui.endswith(" Char") and ui[:-5] in KEEP_STYLES):
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def _style(
    document,
    name,
    *,
    size=None,
    bold=None,
    color=None,
    before=None,
    after=None,
    keep_next=None,
    italic=None,
    line=None,
):
    style = document.styles[name]
    font = style.font
    font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = color or INK
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    if line is not None:
        fmt.line_spacing = line
    return style


def _add_style(document, style_id, name, kind, based_on=None):
    style = document.styles.add_style(style_id, kind)
    style.element.find(qn("w:name")).set(qn("w:val"), name)
    style.element.set(qn("w:styleId"), style_id)
    if based_on:
        style.base_style = document.styles[based_on]
    return style


def _field(paragraph, instr: str, shown: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_x_of_y(paragraph) -> None:
    paragraph.add_run("Sida ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES", "1")


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _lines(cell, lines: list[tuple[str, dict]], first_replaces: bool = True) -> None:
    """Fill a cell with one paragraph per (text, formatting) line."""
    for index, (text, fmt) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 and first_replaces else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = fmt.get("bold")
        if "size" in fmt:
            run.font.size = Pt(fmt["size"])
        if fmt.get("align") == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if fmt.get("page"):
            _page_x_of_y(paragraph)
            run.text = ""


def _base(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    _prune_styles(document)
    _style(document, "Normal", size=11, after=6, line=1.15)
    _style(
        document, "Heading 1", size=18, bold=True, before=6, after=6, keep_next=True, color=ACCENT
    )
    _style(
        document, "Heading 2", size=13, bold=True, before=14, after=4, keep_next=True, color=ACCENT
    )
    _style(document, "Heading 3", size=11.5, bold=True, before=10, after=3, keep_next=True)
    _style(
        document, "Heading 4", size=11, bold=True, italic=True, before=8, after=2, keep_next=True
    )
    for level in (5, 6):
        _style(
            document,
            f"Heading {level}",
            size=11,
            bold=False,
            italic=True,
            before=6,
            after=2,
            keep_next=True,
        )
    _style(document, "Title", size=20, bold=True, after=6, color=ACCENT)
    _style(document, "Subtitle", size=13, italic=False, bold=False, after=12, color=INK)
    _style(document, "List Bullet", after=3)
    _style(document, "List Number", after=3)
    _style(document, "List Paragraph", after=3)
    _style(document, "Quote", italic=True)
    _style(document, "Header", size=9)
    _style(document, "Footer", size=8)
    document.styles["Quote"].paragraph_format.left_indent = Cm(1)
    for heading in range(1, 7):  # no theme colours or fonts: the template's own
        _style(document, f"Heading {heading}")
    note = _add_style(document, "FootnoteText", "footnote text", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    note.font.size = Pt(9)
    note.paragraph_format.space_after = Pt(0)
    note.paragraph_format.line_spacing = 1.0
    ref = _add_style(document, "FootnoteReference", "footnote reference", WD_STYLE_TYPE.CHARACTER)
    rpr = ref.element.get_or_add_rPr()
    vert = OxmlElement("w:vertAlign")
    vert.set(qn("w:val"), "superscript")
    rpr.append(vert)
    for level in (1, 2):
        toc = _add_style(document, f"TOC{level}", f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal")
        toc.paragraph_format.space_after = Pt(3)
        toc.font.bold = level == 1
    link = _add_style(document, "Hyperlink", "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    # Swedish as the language of every run, and of the document's spelling check.
    rpr_default = (
        document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "sv-SE")
    document.core_properties.language = "sv-SE"
    document.core_properties.author = ""
    document.core_properties.title = ""


def _header_table(container, width, left_share: float = 0.5) -> object:
    table = container.add_table(rows=1, cols=2, width=width)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _no_borders(table)
    widths = [int(width * left_share), width - int(width * left_share)]
    for column, cell_width in zip(table.columns, widths, strict=True):
        column.width = cell_width
        for cell in column.cells:
            cell.width = cell_width
    # In shares of the page's width, so a landscape page's header spans it too.
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), "5000")
    tbl_w.set(qn("w:type"), "pct")
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    if layout is not None:
        table._tbl.tblPr.remove(layout)
    return table


def tjänsteutlåtande(
    labels: dict[str, str], *, meta_right: bool = False, logo: Path | None = None
) -> docx.document.Document:
    """The standard tjänsteutlåtande. `labels` name the metadata fields."""
    document = docx.Document()
    _base(document)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin

    first = section.first_page_header
    table = _header_table(first, width)
    left, right = table.rows[0].cells
    if logo:
        run = left.paragraphs[0].add_run()
        run.add_picture(str(logo), height=Cm(1.4))
        doc_pr = run._r.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", "Botkyrka kommuns logotyp")
        _lines(left, [("{{ förvaltning }}", {})], first_replaces=False)
    else:
        _lines(
            left,
            [
                ("{{ kommun }}", {"bold": True, "size": 12}),
                ("{{ förvaltning }}", {}),
                ("{{ avdelning }}", {}),
            ],
        )
    _lines(
        right,
        [
            ("{{ etikett }}", {"bold": True, "size": 14, "align": "right"}),
            ("Dnr {{ diarienummer }}", {"align": "right"}),
            ("{{ datum }}", {"align": "right"}),
        ],
    )
    first.paragraphs[0].paragraph_format.space_after = Pt(0)

    later = _header_table(section.header, width, left_share=0.35)
    _lines(later.rows[0].cells[0], [("{{ förvaltning }}", {})])
    _lines(
        later.rows[0].cells[1],
        [("{{ etikett }}, Dnr {{ diarienummer }}, {{ datum }}", {"align": "right"})],
    )

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_x_of_y(footer)
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first_footer.add_run("{{ kontaktrad }}")
    numbers = section.first_page_footer.add_paragraph(style="Footer")
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_x_of_y(numbers)

    # The metadata block: who wrote it, and to whom it goes.
    meta = document.add_table(rows=1, cols=2)
    _no_borders(meta)
    who, to = meta.rows[0].cells
    if meta_right:
        who, to = to, who
    label = {"bold": True, "size": 9}
    _lines(
        who,
        [
            (labels["handläggare"], label),
            ("{{ handläggare.namn }}", {"size": 9}),
            ("{{ handläggare.titel }}", {"size": 9}),
            (
                "{% if handläggare.telefon %}Telefon: {{ handläggare.telefon }}{% endif %}",
                {"size": 9},
            ),
            ("{{ handläggare.epost }}", {"size": 9}),
        ],
    )
    _lines(
        to,
        [
            (labels["till"], label),
            ("{{ nämnd }}", {"size": 9}),
            ("{% if sammanträde %}Sammanträde {{ sammanträde }}{% endif %}", {"size": 9}),
        ],
    )
    document.paragraphs[0]._p.getparent().remove(
        document.paragraphs[0]._p
    ) if document.paragraphs and not document.paragraphs[0].text else None

    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(12)
    document.add_paragraph("{{ titel }}", style="Heading 1")
    document.add_paragraph("{{ undertitel }}", style="Subtitle")
    document.add_paragraph("Förslag till beslut", style="Heading 2")
    document.add_paragraph("{{ förslag_till_beslut }}")
    document.add_paragraph("{% if sammanfattning %}Sammanfattning{% endif %}", style="Heading 2")
    document.add_paragraph("{{ sammanfattning }}")
    document.add_paragraph("{{ avsnitt }}")
    document.add_paragraph("{{ underskrifter }}")
    document.add_paragraph("{% if bilagor %}Bilagor{% endif %}", style="Heading 2")
    document.add_paragraph("{{ bilagor }}")
    document.add_paragraph("{% if expedieras_till %}Expedieras till{% endif %}", style="Heading 2")
    document.add_paragraph("{{ expedieras_till }}")
    return document


def _logo_png(width: int = 240, height: int = 80) -> bytes:
    """A plain emblem and bar as a PNG, written without an imaging library."""
    import struct
    import zlib

    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            in_emblem = (x - 40) ** 2 + (y - 40) ** 2 < 34**2
            in_bar = 90 <= x < 230 and 30 <= y < 50
            color = (
                (0x00, 0x6E, 0x3C)
                if in_emblem
                else (0x1F, 0x3A, 0x5F)
                if in_bar
                else (255, 255, 255)
            )
            row += bytes(color)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _paper(right_label: str, right_lines: list[str], later_right: str, left_lines: list[str]):
    """A new document with the standard look: first-page header, later header, footers."""
    document = docx.Document()
    _base(document)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin
    table = _header_table(section.first_page_header, width)
    left, right = table.rows[0].cells
    _lines(left, [(left_lines[0], {"bold": True, "size": 12}), *((t, {}) for t in left_lines[1:])])
    _lines(
        right,
        [
            (right_label, {"bold": True, "size": 14, "align": "right"}),
            *((t, {"align": "right"}) for t in right_lines),
        ],
    )
    later = _header_table(section.header, width, left_share=0.35)
    _lines(later.rows[0].cells[0], [(left_lines[1], {})])
    _lines(later.rows[0].cells[1], [(later_right, {"align": "right"})])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_x_of_y(footer)
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first_footer.add_run("{{ kontaktrad }}")
    numbers = section.first_page_footer.add_paragraph(style="Footer")
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_x_of_y(numbers)
    return document, width


def _grid(
    document, rows: list[tuple[str, list[str]]], width, *, borders: bool = False, label_share=0.32
):
    """A two-column label | value table; each value line its own paragraph."""
    table = document.add_table(rows=len(rows), cols=2)
    table.autofit = False
    if borders:
        table.style = document.styles["Table Grid"]
    else:
        _no_borders(table)
    widths = [int(width * label_share), width - int(width * label_share)]
    for column, cell_width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = cell_width
    for row, (label, values) in zip(table.rows, rows, strict=True):
        _lines(row.cells[0], [(label, {"bold": True})])
        _lines(row.cells[1], [(value, {}) for value in values])
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(3)
    return table


def protokollsutdrag() -> docx.document.Document:
    document, width = _paper(
        "Protokollsutdrag",
        ["Sammanträdesdatum {{ sammanträde }}"],
        "Protokollsutdrag {{ sammanträde }}, § {{ paragraf }}",
        ["{{ kommun }}", "{{ nämnd }}"],
    )
    document.add_paragraph("{{ paragrafen }}")
    document.add_paragraph("{{ överklagandehänvisning }}")
    document.add_paragraph().paragraph_format.space_after = Pt(18)
    table = _grid(
        document,
        [
            ("Justerandes signatur", ["Justerat {{ justering.datum }}", "{{ justerare }}"]),
            (
                "Utdragsbestyrkande",
                [
                    "{% if utdragsbestyrkande %}Utdraget bestyrks {{ utdragsbestyrkande.datum }}{% endif %}",
                    "{% if utdragsbestyrkande %}{{ utdragsbestyrkande.namn }}{% endif %}",
                    "{% if utdragsbestyrkande and utdragsbestyrkande.titel %}{{ utdragsbestyrkande.titel }}{% endif %}",
                ],
            ),
        ],
        width,
        borders=True,
    )
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return document


def _keep_together(table) -> None:
    """A table that moves to the next page as a whole: no row splits, and every row
    stays with the next (a signature block, the anslag box)."""
    rows = table.rows
    for index, row in enumerate(rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if index < len(rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _signature_boxes(document, width) -> None:
    """”Justerandes signatur” and ”Utdragsbestyrkande” boxes at the foot of every page,
    where most municipalities have the justerare initial each page."""
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        table = footer.add_table(rows=1, cols=2, width=width)
        table.style = document.styles["Table Grid"]
        labels = ("Justerandes signatur", "Utdragsbestyrkande")
        for cell, label in zip(table.rows[0].cells, labels, strict=True):
            cell.width = width // 2
            _lines(cell, [(label, {"size": 8})])
            cell.add_paragraph().paragraph_format.space_after = Pt(12)
        # The table goes first, above the page number.
        footer._element.insert(0, table._tbl)


def protokoll() -> docx.document.Document:
    document, width = _paper(
        "Protokoll",
        ["Sammanträdesdatum {{ datum }}"],
        "Protokoll {{ datum }}",
        ["{{ kommun }}", "{{ nämnd }}"],
    )
    _signature_boxes(document, width)
    document.add_paragraph("Sammanträdesprotokoll", style="Heading 1")
    _grid(
        document,
        [
            (
                "Plats och tid",
                [
                    "{{ plats }}, {{ datum | långt_datum }} kl. {{ tid }}{% if sluttid %}–{{ sluttid }}{% endif %}"
                ],
            ),
            ("Beslutande", ["{{ beslutande }}"]),
            ("{% if ersättare %}Närvarande ersättare{% endif %}", ["{{ ersättare }}"]),
            ("{% if övriga %}Övriga närvarande{% endif %}", ["{{ övriga }}"]),
            ("Utses att justera", ["{{ justerare }}"]),
            ("Justeringens plats och tid", ["{{ justeringens_plats_och_tid }}"]),
            ("Paragrafer", ["{{ paragrafer_intervall }}"]),
        ],
        width,
    )
    document.add_paragraph().paragraph_format.space_after = Pt(12)
    document.add_paragraph(
        "Underskrifter", style="Heading 2"
    ).paragraph_format.keep_with_next = True
    signatures = _grid(
        document,
        [
            ("Sekreterare", ["", "……………………………………………", "{{ sekreterare.namn }}"]),
            ("Ordförande", ["", "……………………………………………", "{{ ordförande }}"]),
            ("Justerande", ["{{ justerande_underskrifter }}"]),
        ],
        width,
    )
    _keep_together(signatures)
    document.add_paragraph().paragraph_format.space_after = Pt(12)
    document.add_paragraph("Anslag/bevis", style="Heading 2").paragraph_format.keep_with_next = True
    document.add_paragraph(
        "Protokollet är justerat. Justeringen har tillkännagivits genom anslag."
    ).paragraph_format.keep_with_next = True
    notice = _grid(
        document,
        [
            ("Organ", ["{{ nämnd }}"]),
            ("Sammanträdesdatum", ["{{ datum }}"]),
            ("Datum då anslaget sätts upp", ["{{ anslag_uppsätts }}"]),
            ("Sista dag för överklagande", ["{{ överklagande_senast }}"]),
            ("Datum då anslaget tas ned", ["{{ anslag_tas_ned }}"]),
            ("Förvaringsplats för protokollet", ["{{ förvaringsplats }}"]),
            ("Underskrift", ["", "……………………………………………", "{{ sekreterare.namn }}"]),
        ],
        width,
        borders=True,
    )
    _keep_together(notice)
    document.add_paragraph("{{ omedelbart_justerade }}")
    document.add_paragraph("{{ överklagandehänvisning }}")
    breaker = document.add_paragraph()
    breaker.paragraph_format.page_break_before = True
    breaker.paragraph_format.space_after = Pt(0)
    document.add_paragraph("{{ paragrafer }}")
    return document


def _page_break(document) -> None:
    breaker = document.add_paragraph()
    breaker.paragraph_format.page_break_before = True
    breaker.paragraph_format.space_after = Pt(0)


def internkontrollplan() -> docx.document.Document:
    document, _ = _paper(
        "Internkontrollplan",
        ["Dnr {{ diarienummer }}", "{{ datum }}"],
        "Internkontrollplan {{ år }}, Dnr {{ diarienummer }}",
        ["{{ kommun }}", "{{ nämnd }}"],
    )
    for _ in range(6):
        document.add_paragraph()
    document.add_paragraph("{{ nämnd }}", style="Subtitle")
    document.add_paragraph("Internkontrollplan {{ år }}", style="Title")
    document.add_paragraph("Dnr {{ diarienummer }}")
    _page_break(document)
    contents = document.add_paragraph("Innehåll")
    contents.runs[0].bold = True
    contents.runs[0].font.size = Pt(14)
    document.add_paragraph("{{ innehåll }}")
    _page_break(document)
    for heading, level, block in (
        ("1 Inledning", 1, "inledning"),
        ("2 Nämndens internkontrollarbete", 1, "nämndens_arbete"),
        ("3 Riskanalys", 1, None),
        ("3.1 Gradering av sannolikhet och konsekvens", 2, "skalor"),
        ("3.2 Riskmatris", 2, "riskmatris"),
        ("3.3 Nettolista risker", 2, "risker"),
        ("4 Årets planerade kontroller", 1, "kontroller"),
        ("5 Årets planerade aktiviteter", 1, "aktiviteter"),
    ):
        document.add_paragraph(heading, style=f"Heading {level}")
        if block:
            document.add_paragraph(f"{{{{ {block} }}}}")
    return document


def internkontrolluppföljning() -> docx.document.Document:
    document, _ = _paper(
        "Uppföljning",
        ["{% if diarienummer %}Dnr {{ diarienummer }}{% endif %}", "{{ datum }}"],
        "Uppföljning av internkontrollplan {{ år }}",
        ["{{ kommun }}", "{{ nämnd }}"],
    )
    document.add_paragraph("Uppföljning av internkontrollplan {{ år }}", style="Heading 1")
    document.add_paragraph(
        "{{ nämnd }}, internkontrollplan Dnr {{ planens_diarienummer }}", style="Subtitle"
    )
    document.add_paragraph("{% if sammanfattning %}Sammanfattning{% endif %}", style="Heading 2")
    document.add_paragraph("{{ sammanfattning }}")
    document.add_paragraph("Kontrollerna per status", style="Heading 2")
    document.add_paragraph("{{ statussammanställning }}")
    document.add_paragraph("Planens risker", style="Heading 2")
    document.add_paragraph("{{ riskmatris }}")
    document.add_paragraph("Resultat per kontroll", style="Heading 2")
    document.add_paragraph("{{ resultat }}")
    return document


def kallelse() -> docx.document.Document:
    document, width = _paper(
        "Kallelse",
        ["Sammanträdesdatum {{ datum }}"],
        "Kallelse {{ datum }}",
        ["{{ kommun }}", "{{ nämnd }}"],
    )
    document.add_paragraph("Kallelse till sammanträde", style="Heading 1")
    _grid(
        document,
        [
            ("Tid", ["{{ datum | långt_datum }} kl. {{ tid }}"]),
            ("Plats", ["{{ plats }}"]),
            (
                "{% if justering %}Justering{% endif %}",
                [
                    "{% if justering %}{{ justerare }}, {{ justering.datum }}"
                    "{% if justering.plats %}, {{ justering.plats }}{% endif %}{% endif %}"
                ],
            ),
        ],
        width,
        label_share=0.15,
    )
    document.add_paragraph("Ärenden", style="Heading 2")
    document.add_paragraph("{{ föredragningslista }}")
    note = document.add_paragraph(
        "Var vänlig och meddela {{ sekreterare.namn }} om du inte kan närvara"
        "{% if sekreterare.telefon %}, tfn {{ sekreterare.telefon }}{% endif %}"
        "{% if sekreterare.epost %} eller {{ sekreterare.epost }}{% endif %}."
    )
    note.paragraph_format.space_before = Pt(12)
    for name, role in (
        ("{{ ordförande }}", "ordförande"),
        ("{{ sekreterare.namn }}", "sekreterare"),
    ):
        signer = document.add_paragraph()
        signer.paragraph_format.space_before = Pt(18)
        signer.paragraph_format.space_after = Pt(0)
        signer.paragraph_format.keep_with_next = True
        signer.add_run(name).bold = True
        document.add_paragraph(role)
    return document


def ärende() -> docx.document.Document:
    """An item's page in the packet; the packet gives it its header and footer."""
    document = docx.Document()
    _base(document)
    document.add_paragraph("{{ ärendet }}")
    return document


def handlingar() -> docx.document.Document:
    """The packet: its header and footer serve every part; its body is the contents."""
    document = docx.Document()
    _base(document)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    header = _header_table(section.header, width, left_share=0.5)
    _lines(header.rows[0].cells[0], [("{{ kommun }}, {{ nämnd }}", {})])
    _lines(
        header.rows[0].cells[1], [("Handlingar till sammanträdet {{ datum }}", {"align": "right"})]
    )
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_x_of_y(footer)
    document.add_paragraph("Innehåll", style="Heading 1")
    document.add_paragraph("{{ innehåll }}")
    return document


def _in_schema_order(document: docx.document.Document) -> docx.document.Document:
    """Every element whose children the schema orders, in that order (python-docx and
    the helpers above append; Word repairs a tblPr with tblBorders after tblLook)."""
    roots = [document.element, document.styles.element]
    roots.append(document.part.numbering_part.element)
    roots += [
        story._element
        for section in document.sections
        for story in (section.header, section.footer, section.first_page_header)
        if not story.is_linked_to_previous
    ]
    # python-docx's stale stylesWithEffects.xml: Word would repair the styles it lacks.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    tags = [qn(f"w:{tag}") for tag in schema.ORDER]
    for root in roots:
        for element in root.iter(*tags):
            schema.sort_children(element)
    return document


#: The standard template of each document kind but the tjänsteutlåtande (which takes its
#: labels); a test checks that every kind the registry declares has one.
BUILDERS = {
    "protokollsutdrag": protokollsutdrag,
    "protokoll": protokoll,
    "internkontrollplan": internkontrollplan,
    "internkontrolluppföljning": internkontrolluppföljning,
    "kallelse": kallelse,
    "ärende": ärende,
    "handlingar": handlingar,
}


def main() -> int:
    out = ROOT / "templates"
    out.mkdir(exist_ok=True)
    standard = _in_schema_order(tjänsteutlåtande({"handläggare": "Handläggare", "till": "Till"}))
    standard.save(out / "tjänsteutlåtande.docx")
    print(out / "tjänsteutlåtande.docx")
    for name in PAPERS.documents:  # every document kind the registry declares
        if name == "tjänsteutlåtande":
            continue  # made above, with its labels
        _in_schema_order(BUILDERS[name]()).save(out / f"{name}.docx")
        print(out / f"{name}.docx")
    # Botkyrka's own template in the examples: its labels, its logo, metadata on the right.
    folder = ROOT / "examples" / "botkyrka" / "mallar"
    folder.mkdir(parents=True, exist_ok=True)
    logo = folder / "logotyp.png"
    logo.write_bytes(_logo_png())
    botkyrka = _in_schema_order(
        tjänsteutlåtande(
            {"handläggare": "Referens", "till": "Mottagare"}, meta_right=True, logo=logo
        )
    )
    botkyrka.save(folder / "tjänsteskrivelse.docx")
    print(folder / "tjänsteskrivelse.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
