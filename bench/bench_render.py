"""Benchmark: beslutsdoc against docxtpl, rendering the Stockholm example paper.

Run from the repository root:

    python bench/bench_render.py [--n 50] [--filer 200]

Part 1, per paper: beslutsdoc is measured as `beslutsdoc render` works per file, minus
the disk write: load the YAML (with its profile), check it and render it to .docx bytes.
docxtpl is measured as its users must call it: a fresh DocxTemplate from the template
bytes (its render() mutates the template), render(context) and save to memory. The
docxtpl template is built here with python-docx, with the same layout as the standard
beslutsdoc template, and fed the same content, read from the same YAML.

Part 2, whole commands: `beslutsdoc render` of 200 paper files (copies of the example,
each its own Dnr) in one command, against a docxtpl script that does the same 200 in a
loop, reading each YAML file with its profile and writing a .docx next to it; each a
fresh process (the script itself, re-invoked), best of 3, alternating.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

# beslutsdoc itself is imported where it is used: the docxtpl command (this script,
# re-invoked) must not pay for importing it.

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "examples" / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml"
PROFILE = ROOT / "examples" / "stockholm" / "beslutsdoc.yaml"
TARGET = 4.0
#: Whole commands: `beslutsdoc render` of many files against a docxtpl loop.
COMMAND_TARGET = 6.0
FILES = 200

# --- beslutsdoc ---------------------------------------------------------------------


def render_beslutsdoc() -> bytes:
    """What `beslutsdoc render` does per file, without writing the result."""
    from beslutsdoc.check.rules import check
    from beslutsdoc.load.paper import load_paper
    from beslutsdoc.render import render

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


def _contact(kontakt: dict[str, Any] | None) -> str:
    """The contact line of the first page's footer, as the standard template has it."""
    if not kontakt:
        return ""
    labels = {"besöksadress": "Besöksadress: ", "telefon": "Telefon: "}
    labels |= {"organisationsnummer": "Org.nr: ", "bankgiro": "Bankgiro: "}
    keys = ("postadress", "besöksadress", "telefon", "epost")
    keys += ("organisationsnummer", "bankgiro", "webb")
    return " · ".join(f"{labels.get(k, '')}{kontakt[k]}" for k in keys if kontakt.get(k))


def read_paper(path: Path, profile: Path = PROFILE) -> dict[str, Any]:
    """The paper's YAML over its profile's, as a docxtpl user would read them."""
    data: dict[str, Any] = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    return data


def docxtpl_context(data: dict[str, Any]) -> dict[str, Any]:
    """The docxtpl context, from the paper's YAML (see `read_paper`)."""
    settings = data.get("tjänsteutlåtande") or {}
    person = data["handläggare"]
    meeting = data.get("sammanträde")
    return {
        "kommun": data["kommun"],
        "förvaltning": data.get("förvaltning") or "",
        "avdelning": data.get("avdelning") or "",
        "etikett": settings.get("etikett") or "Tjänsteutlåtande",
        "diarienummer": data["diarienummer"],
        "datum": data["datum"].isoformat(),
        "kontaktrad": _contact(data.get("kontakt")),
        "handläggare": {
            "namn": person["namn"],
            "titel": person.get("titel") or "",
            "telefon": person.get("telefon") or "",
            "epost": person.get("epost") or "",
        },
        "nämnd": data["nämnd"],
        "sammanträde": meeting.isoformat() if meeting else "",
        "titel": data["titel"],
        "undertitel": data.get("undertitel") or "",
        "förslag_till_beslut": list(data.get("förslag_till_beslut") or []),
        "sammanfattning": [b["text"] for b in _blocks(data.get("sammanfattning") or "")],
        "avsnitt": [
            {"rubrik": a["rubrik"], "block": _blocks(a["text"])} for a in data.get("avsnitt") or []
        ],
        "underskrifter": [
            {"namn": u["namn"], "titel": u.get("titel") or ""}
            for u in data.get("underskrifter") or []
        ],
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


def part1(n: int, template: bytes) -> list[str]:
    """Per paper, in this process: median of `n` renders by each tool."""
    data = read_paper(PAPER)
    context = docxtpl_context(data)

    def run_docxtpl() -> bytes:
        return render_docxtpl(template, context)

    # Warm-up (beslutsdoc compiles and caches its template on first use), and check
    # that both outputs are real documents with the title in them.
    ours = render_beslutsdoc()
    theirs = run_docxtpl()
    ours_chars = _verify("beslutsdoc", ours, data["titel"])
    theirs_chars = _verify("docxtpl", theirs, data["titel"])

    # Alternate the two so that drift in machine load hits both alike.
    ours_ms: list[float] = []
    theirs_ms: list[float] = []
    for _ in range(n):
        ours_ms.append(_time(render_beslutsdoc))
        theirs_ms.append(_time(run_docxtpl))

    ours_median = statistics.median(ours_ms)
    theirs_median = statistics.median(theirs_ms)
    ratio = theirs_median / ours_median
    return [
        f"Del 1 – en handling i taget: {PAPER.relative_to(ROOT)}",
        f"beslutsdoc: median {ours_median:.1f} ms per handling (n={n})",
        f"docxtpl:    median {theirs_median:.1f} ms per handling (n={n})",
        f"kvot docxtpl/beslutsdoc: {ratio:.1f}×  (mål: ≥ {TARGET:g}×) – "
        f"målet {'nås' if ratio >= TARGET else 'nås inte'}",
        f"storlek beslutsdoc: {len(ours)} byte, {ours_chars} tecken brödtext",
        f"storlek docxtpl:    {len(theirs)} byte, {theirs_chars} tecken brödtext",
    ]


# --- part 2: whole commands -------------------------------------------------------------


def make_papers(folder: Path, count: int) -> list[Path]:
    """`count` copies of the example paper, each with its own Dnr, beside its profile."""
    shutil.copyfile(PROFILE, folder / "beslutsdoc.yaml")
    text = PAPER.read_text(encoding="utf-8")
    files = []
    for index in range(1, count + 1):
        path = folder / f"{index:03d}.yaml"
        own = re.sub(r"(?m)^diarienummer: .*$", f"diarienummer: SOF 2030/{index}", text)
        path.write_text(own, encoding="utf-8")
        files.append(path)
    return files


def docxtpl_command(template: Path, profile: Path, files: list[str]) -> int:
    """The docxtpl side as a whole command: each file read, filled, written beside it."""
    data = template.read_bytes()
    for name in files:
        path = Path(name)
        document = render_docxtpl(data, docxtpl_context(read_paper(path, profile)))
        path.with_name(f"{path.stem}-docxtpl.docx").write_bytes(document)
    return 0


def wall(command: list[str]) -> float:
    """Seconds a whole command takes, run from the repository root; its failure ends the
    benchmark with its last words."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … misslyckades:\n{done.stderr[-2000:]}")
    return seconds


def part2(count: int, template: bytes, rounds: int = 3) -> list[str]:
    """`beslutsdoc render` of `count` files against the docxtpl loop, best of `rounds`."""
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        folder = Path(tmp)
        files = make_papers(folder, count)
        template_path = folder / "docxtpl-mall.docx"
        template_path.write_bytes(template)
        names = [str(f) for f in files]
        ours_cmd = [sys.executable, "-m", "beslutsdoc", "render", *names]
        theirs_cmd = [sys.executable, str(Path(__file__).resolve()), "--_docxtpl"]
        theirs_cmd += [str(template_path), str(folder / "beslutsdoc.yaml"), *names]
        ours_s, theirs_s = [], []
        for _ in range(rounds):  # alternating, so that load on the machine hits both
            ours_s.append(wall(ours_cmd))
            theirs_s.append(wall(theirs_cmd))
        ours_files = sorted(folder.glob("[0-9][0-9][0-9].docx"))
        theirs_files = sorted(folder.glob("*-docxtpl.docx"))
        written = (len(ours_files), len(theirs_files))
        assert written == (count, count), f"alla filer skrevs inte: {written}"
        title = read_paper(PAPER)["titel"]
        for name, made in (("beslutsdoc", ours_files), ("docxtpl", theirs_files)):
            for path in (made[0], made[-1]):
                _verify(name, path.read_bytes(), title)
    ours, theirs = min(ours_s), min(theirs_s)
    ratio = theirs / ours
    return [
        f"Del 2 – hela kommandon, {count} handlingar (kopior av exemplet), bäst av {rounds}:",
        f"beslutsdoc render {count} filer:       {ours:6.2f} s"
        f"  (alla körningar: {', '.join(f'{t:.2f}' for t in ours_s)})",
        f"docxtpl-skript, {count} filer i en loop: {theirs:6.2f} s"
        f"  (alla körningar: {', '.join(f'{t:.2f}' for t in theirs_s)})",
        f"kvot docxtpl/beslutsdoc: {ratio:.1f}×  (mål: ≥ {COMMAND_TARGET:g}×) – "
        f"målet {'nås' if ratio >= COMMAND_TARGET else 'nås inte'}",
        f"kontroll: {count} .docx av vardera; första och sista öppnas med python-docx och "
        "har rubriken – OK",
    ]


def main(argv: list[str] | None = None) -> int:
    from installed import compile_package  # beside this script

    compile_package()
    parser = argparse.ArgumentParser(
        description="Jämför renderingstiden för beslutsdoc och docxtpl på Stockholmsexemplet."
    )
    parser.add_argument(
        "--n", type=int, default=50, metavar="N", help="antal varv per verktyg (standard 50)"
    )
    parser.add_argument(
        "--filer",
        type=int,
        default=FILES,
        metavar="N",
        help=f"antal filer i del 2, hela kommandon (standard {FILES}; 0 hoppar över)",
    )
    parser.add_argument("--_docxtpl", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._docxtpl:
        template, profile, *files = args._docxtpl
        return docxtpl_command(Path(template), Path(profile), files)
    if args.n < 1:
        parser.error("--n ska vara minst 1")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tjänsteutlåtande-docxtpl.docx"
        build_docxtpl_template(path)
        template = path.read_bytes()
    lines = part1(args.n, template)
    if args.filer > 0:
        lines += ["", *part2(args.filer, template)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
