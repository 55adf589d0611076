"""Benchmark: beslutsdoc against docxtpl, rendering the Stockholm example paper.

Run from the repository root:

    python bench/bench_render.py [--n 50]

beslutsdoc is measured as `beslutsdoc render` works per file, minus the disk write:
load the YAML (with its profile), check it and render it to .docx bytes. docxtpl is
measured as its users must call it: a fresh DocxTemplate from the template bytes (its
render() mutates the template), render(context) and save to memory. The docxtpl
template is built here with python-docx, with the same layout as the standard
beslutsdoc template, and fed the same content from the validated model.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate  # type: ignore[import-untyped]

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.render import render
from beslutsdoc.render.variables import contact_line

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "examples" / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml"
TARGET = 4.0

# --- beslutsdoc ---------------------------------------------------------------------


def render_beslutsdoc() -> bytes:
    """What `beslutsdoc render` does per file, without writing the result."""
    paper = load_paper(PAPER)
    check(paper)
    return render(paper)


# --- docxtpl: the equivalent template -------------------------------------------------


def _field(paragraph: Paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) to the paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_numbers(paragraph: Paragraph) -> None:
    paragraph.add_run("Sida ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES")


def _tag(document: Document, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %})."""
    document.add_paragraph(f"{{%p {tag} %}}")


def build_docxtpl_template(path: Path) -> None:
    """A docxtpl template laid out like beslutsdoc's standard tjänsteutlåtande."""
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True

    # First-page header: kommun, förvaltning, avdelning | etikett, Dnr, datum.
    header = section.first_page_header
    table = header.add_table(1, 2, Cm(16))
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "{{ kommun }}"
    left.add_paragraph("{{ förvaltning }}")
    left.add_paragraph("{% if avdelning %}{{ avdelning }}{% endif %}")
    right.paragraphs[0].text = "{{ etikett }}"
    right.add_paragraph("Dnr {{ diarienummer }}")
    right.add_paragraph("{{ datum }}")
    # Later pages: one line.
    section.header.paragraphs[
        0
    ].text = "{{ förvaltning }}, {{ etikett }}, Dnr {{ diarienummer }}, {{ datum }}"

    # Footers: contact line on the first page, page numbers on all.
    section.first_page_footer.paragraphs[0].text = "{{ kontaktrad }}"
    _page_numbers(section.first_page_footer.add_paragraph())
    _page_numbers(section.footer.paragraphs[0])

    # Metadata: handläggare | till nämnd and sammanträde.
    table = document.add_table(1, 2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Handläggare"
    left.add_paragraph("{{ handläggare.namn }}")
    left.add_paragraph("{% if handläggare.titel %}{{ handläggare.titel }}{% endif %}")
    left.add_paragraph("{% if handläggare.telefon %}Telefon: {{ handläggare.telefon }}{% endif %}")
    left.add_paragraph("{% if handläggare.epost %}{{ handläggare.epost }}{% endif %}")
    right.paragraphs[0].text = "Till"
    right.add_paragraph("{{ nämnd }}")
    right.add_paragraph("{% if sammanträde %}Sammanträde {{ sammanträde }}{% endif %}")

    document.add_heading("{{ titel }}", level=1)
    document.add_paragraph("{{ undertitel }}", style="Subtitle")

    document.add_heading("Förslag till beslut", level=2)
    _tag(document, "for punkt in förslag_till_beslut")
    document.add_paragraph("{{ punkt }}", style="List Number")
    _tag(document, "endfor")

    document.add_heading("Sammanfattning", level=2)
    _tag(document, "for stycke in sammanfattning")
    document.add_paragraph("{{ stycke }}")
    _tag(document, "endfor")

    # Sections: heading, then each block in its own style.
    _tag(document, "for avsnitt in avsnitt")
    document.add_heading("{{ avsnitt.rubrik }}", level=2)
    _tag(document, "for block in avsnitt.block")
    _tag(document, "if block.typ == 'punkt'")
    document.add_paragraph("{{ block.text }}", style="List Bullet")
    _tag(document, "elif block.typ == 'rubrik3'")
    document.add_heading("{{ block.text }}", level=3)
    _tag(document, "elif block.typ == 'rubrik4'")
    document.add_heading("{{ block.text }}", level=4)
    _tag(document, "else")
    document.add_paragraph("{{ block.text }}")
    _tag(document, "endif")
    _tag(document, "endfor")
    _tag(document, "endfor")

    _tag(document, "for underskrift in underskrifter")
    document.add_paragraph("{{ underskrift.namn }}")
    document.add_paragraph("{{ underskrift.titel }}")
    _tag(document, "endfor")

    document.save(str(path))


# --- docxtpl: the same content --------------------------------------------------------

_FOOTNOTE_REF = re.compile(r"\[\^(\d+)\]")
_FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]:\s*")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def _plain(text: str) -> str:
    """Markdown inline text as plain text: links by their text, footnote marks dropped."""
    return _LINK.sub(r"\1", _FOOTNOTE_REF.sub("", text)).strip()


def _blocks(markdown: str) -> list[dict[str, str]]:
    """The text split on blank lines: paragraphs, `- ` list items, ### and #### headings.

    Footnote definitions become plain paragraphs (their text stays in the document).
    """
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = chunk.strip().splitlines()
        if all(line.startswith("- ") for line in lines):
            blocks += [{"typ": "punkt", "text": _plain(line[2:])} for line in lines]
        elif chunk.startswith("#### "):
            blocks.append({"typ": "rubrik4", "text": _plain(chunk[5:])})
        elif chunk.startswith("### "):
            blocks.append({"typ": "rubrik3", "text": _plain(chunk[4:])})
        elif all(_FOOTNOTE_DEF.match(line) for line in lines):
            blocks += [
                {"typ": "stycke", "text": _FOOTNOTE_DEF.sub(r"\1 ", _LINK.sub(r"\1", line))}
                for line in lines
            ]
        else:
            blocks.append({"typ": "stycke", "text": _plain(" ".join(lines))})
    return blocks


def docxtpl_context(model: Any) -> dict[str, Any]:
    """The docxtpl context, from the same validated model beslutsdoc renders."""
    settings = model.tjänsteutlåtande
    person = model.handläggare
    return {
        "kommun": model.kommun,
        "förvaltning": model.förvaltning or "",
        "avdelning": model.avdelning or "",
        "etikett": settings.etikett if settings else "Tjänsteutlåtande",
        "diarienummer": model.diarienummer,
        "datum": model.datum.isoformat(),
        "kontaktrad": contact_line(model.kontakt),
        "handläggare": {
            "namn": person.namn,
            "titel": person.titel or "",
            "telefon": person.telefon or "",
            "epost": person.epost or "",
        },
        "nämnd": model.nämnd,
        "sammanträde": model.sammanträde.isoformat() if model.sammanträde else "",
        "titel": model.titel,
        "undertitel": model.undertitel or "",
        "förslag_till_beslut": list(model.förslag_till_beslut),
        "sammanfattning": [b["text"] for b in _blocks(model.sammanfattning or "")],
        "avsnitt": [{"rubrik": a.rubrik, "block": _blocks(a.text)} for a in model.avsnitt],
        "underskrifter": [{"namn": u.namn, "titel": u.titel or ""} for u in model.underskrifter],
    }


def render_docxtpl(template: bytes, context: dict[str, Any]) -> bytes:
    """One paper, as a docxtpl user must: a fresh template object per render."""
    document = DocxTemplate(BytesIO(template))
    document.render(context, autoescape=True)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- measuring ------------------------------------------------------------------------


def _text_of(data: bytes) -> str:
    """All paragraph text of the body, tables included."""
    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def _verify(name: str, data: bytes, title: str) -> int:
    """Open the output with python-docx; the title must be there. Returns the text length."""
    text = _text_of(data)
    assert title in text, f"{name}: rubriken saknas i utdata"
    return len(text)


def _time(function: Callable[[], bytes]) -> float:
    # As timeit does: collect before, and no collector pauses inside the timed call, for
    # both tools alike (otherwise one tool's garbage is collected in the other's time).
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        function()
        return (time.perf_counter_ns() - start) / 1e6
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Jämför renderingstiden för beslutsdoc och docxtpl på Stockholmsexemplet."
    )
    parser.add_argument(
        "--n", type=int, default=50, metavar="N", help="antal varv per verktyg (standard 50)"
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n ska vara minst 1")

    model = load_paper(PAPER).model
    context = docxtpl_context(model)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tjänsteutlåtande-docxtpl.docx"
        build_docxtpl_template(path)
        template = path.read_bytes()

    def run_docxtpl() -> bytes:
        return render_docxtpl(template, context)

    # Warm-up (beslutsdoc compiles and caches its template on first use), and check
    # that both outputs are real documents with the title in them.
    ours = render_beslutsdoc()
    theirs = run_docxtpl()
    ours_chars = _verify("beslutsdoc", ours, model.titel)
    theirs_chars = _verify("docxtpl", theirs, model.titel)

    # Alternate the two so that drift in machine load hits both alike.
    ours_ms: list[float] = []
    theirs_ms: list[float] = []
    for _ in range(args.n):
        ours_ms.append(_time(render_beslutsdoc))
        theirs_ms.append(_time(run_docxtpl))

    ours_median = statistics.median(ours_ms)
    theirs_median = statistics.median(theirs_ms)
    ratio = theirs_median / ours_median
    print(f"Handling: {PAPER.relative_to(ROOT)}")
    print(f"beslutsdoc: median {ours_median:.1f} ms per handling (n={args.n})")
    print(f"docxtpl:    median {theirs_median:.1f} ms per handling (n={args.n})")
    print(f"kvot docxtpl/beslutsdoc: {ratio:.1f}×  (mål: ≥ {TARGET:g}×)")
    print()
    print(f"storlek beslutsdoc: {len(ours)} byte, {ours_chars} tecken brödtext")
    print(f"storlek docxtpl:    {len(theirs)} byte, {theirs_chars} tecken brödtext")
    print(f"målet {'nås' if ratio >= TARGET else 'nås inte'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
