"""Benchmark: composing a packet, and converting it to PDF.

Run from the repository root:

    python bench/bench_compose.py [--alla] [--utan-pdf]

Part 1 merges N rendered papers (N = 50, 200, 800) into one .docx, with beslutsdoc's own
composer and with stock docxcompose, side by side. The papers are rendered once up front
(rendering is not what is measured), in rotation over the Botkyrka examples, and the
first one is the base for both composers. Each measurement runs in a fresh child process
(this script, re-invoked with hidden arguments), so the peak memory of one measurement is
that child's own (ru_maxrss from os.wait4, the per-child form of RUSAGE_CHILDREN).
docxcompose re-scans the growing document on every append, so it is only run at 800 with
--alla. The merged document from beslutsdoc at the largest N is checked with python-docx.

Part 0 merges every file of the test corpus (tests/corpus/build.py: attachments as
Word, LibreOffice, converters or a hand write them) twice into the standard packet
template, with each composer, and counts the files each keeps intact: it merges without
an error, the structural checker (tests/structure.py) finds nothing, every text, web
link and image is there, the second copy's lists count on their own, and the packet's
own "heading 1" is unchanged and the only style by that name.

Part 2 converts the Word parts of the Botkyrka packet (every rendered paper under
examples/botkyrka/2021-01-26/*/ plus the .docx attachments there) to PDF: all in one
LibreOffice run, and with one LibreOffice run per part. Then it times the real
`beslutsdoc packet` command end to end once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "botkyrka"
MEETING_DIR = EXAMPLES / "2021-01-26"
MEETING = MEETING_DIR / "sammanträde.yaml"
SIZES = (50, 200, 800)
DOCXCOMPOSE_DEFAULT = (50, 200)
LINEAR_TARGET = 4.5  # ours: t(800) / t(200)
SECONDS_TARGET = 2.0  # ours: 200 papers
ROUNDS = 3  # ours: the best of this many runs, each in its own process
PAPER_KINDS = ("tjänsteutlåtande.yaml", "internkontrollplan.yaml")
OURS = "beslutsdoc"
THEIRS = "docxcompose"


def _log(message: str) -> None:
    """Progress, on stderr, so the results on stdout stay a clean table."""
    print(message, file=sys.stderr, flush=True)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# --- part 1, in the child process -------------------------------------------------------


def _self_maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _compose_ours(base: bytes, docs: list[bytes], n: int) -> bytes:
    from beslutsdoc.compose.composer import Composer
    from beslutsdoc.ooxml.package import Package

    composer = Composer(Package.read(base))
    for i in range(n):
        composer.append(Package.read(docs[i % len(docs)]), bookmark=f"bd{i + 1}")
    return composer.finish()


def _compose_docxcompose(base: bytes, docs: list[bytes], n: int) -> bytes:
    from docx import Document
    from docxcompose.composer import Composer as DocxComposer

    composer = DocxComposer(Document(BytesIO(base)))
    for i in range(n):
        composer.append(Document(BytesIO(docs[i % len(docs)])))
    out = BytesIO()
    composer.save(out)
    return out.getvalue()


def child(tool: str, n: int, papers: Path, output: str) -> int:
    """One measurement: merge n papers with `tool`; report seconds as JSON on stdout."""
    compose = _compose_ours if tool == OURS else _compose_docxcompose
    files = sorted(papers.glob("*.docx"))
    docs = [f.read_bytes() for f in files]
    base = docs[0]
    compose(base, docs, 2)  # warm-up: imports, first-use caches
    before = _self_maxrss_mb()
    start, cpu_start = time.perf_counter(), time.process_time()
    data = compose(base, docs, n)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if output:
        Path(output).write_bytes(data)
    print(json.dumps({"sekunder": seconds, "cpu": cpu, "före_mb": before, "byte": len(data)}))
    return 0


# --- part 1, in the parent -------------------------------------------------------------


def measure(tool: str, n: int, papers: Path, output: Path | None) -> dict[str, float]:
    """Run one measurement in a fresh process; add its peak memory (MB) from wait4."""
    command = [sys.executable, str(Path(__file__).resolve()), "--_barn", tool, str(n)]
    command += [str(papers), str(output or "")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    out = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"mätningen {tool} N={n} misslyckades (slutstatus {process.returncode})")
    result: dict[str, float] = json.loads(out)
    result["topp_mb"] = usage.ru_maxrss / 1024
    return result


def best_of(tool: str, n: int, papers: Path, output: Path | None, rounds: int) -> dict[str, float]:
    """The least disturbed of `rounds` measurements, each in its own process: the
    machine's other work only ever adds time. The peak memory is the highest seen."""
    runs = [measure(tool, n, papers, output) for _ in range(rounds)]
    best = dict(min(runs, key=lambda r: r["sekunder"]))
    best["cpu"] = min(r["cpu"] for r in runs)
    best["topp_mb"] = max(r["topp_mb"] for r in runs)
    return best


def render_papers(folder: Path) -> list[tuple[Path, str]]:
    """Render the rotation of example papers once; returns (source, title) in order."""
    from beslutsdoc.load.paper import load_paper
    from beslutsdoc.render import render

    sources = sorted(EXAMPLES.glob("*/tjänsteutlåtande.yaml"))
    sources += sorted(MEETING_DIR.glob("*/tjänsteutlåtande.yaml"))
    papers = []
    for index, source in enumerate(sources):
        loaded = load_paper(source)
        (folder / f"{index:02d}.docx").write_bytes(render(loaded))
        papers.append((source, loaded.model.titel))
    return papers


def verify(path: Path, n: int, titles: list[str]) -> list[str]:
    """Open the merged document with python-docx: every appended paper's title paragraph
    must be there (the base, the first paper, adds one more of its own), and each
    part's bookmark. Returns lines for the report; raises if something is missing."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    expected = [len(range(j, n, len(titles))) + (j == 0) for j in range(len(titles))]
    found = [texts.count(title) for title in titles]
    short = [t for t, e, f in zip(titles, expected, found, strict=True) if f < e]
    assert not short, f"rubriker saknas i det sammanfogade dokumentet: {short}"
    total = sum(texts.count(t) for t in set(titles))
    assert total >= n, f"bara {total} rubriker, minst {n} väntades"
    marks = {m.get(qn("w:name")) for m in document.element.body.iter(qn("w:bookmarkStart"))}
    missing = [f"bd{i}" for i in range(1, n + 1) if f"bd{i}" not in marks]
    assert not missing, f"bokmärken saknas: {missing[:5]}"
    return [
        f"kontroll ({OURS}, N={n}): dokumentet öppnas med python-docx; "
        f"{total} rubrikstycken av de {len(titles)} handlingarna (minst {n} väntat), "
        f"första handlingens rubrik {found[0]} gånger (väntat {expected[0]} med basen), "
        f"alla bokmärken bd1–bd{n} finns – OK"
    ]


def part1(run_all: bool, rounds: int = ROUNDS) -> list[str]:
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-compose-") as tmp:
        folder = Path(tmp)
        papers = folder / "handlingar"
        papers.mkdir()
        _log("renderar exempelhandlingarna en gång …")
        rendered = render_papers(papers)
        titles = [title for _, title in rendered]
        results: dict[tuple[str, int], dict[str, float]] = {}
        for n in SIZES:
            _log(f"{OURS}: {n} handlingar, bäst av {rounds} …")
            results[OURS, n] = best_of(OURS, n, papers, folder / f"ours-{n}.docx", rounds)
            if run_all or n in DOCXCOMPOSE_DEFAULT:
                _log(f"{THEIRS}: {n} handlingar …")
                results[THEIRS, n] = measure(THEIRS, n, papers, None)
        _log(f"kontrollerar det sammanfogade dokumentet med {max(SIZES)} handlingar …")
        checked = verify(folder / f"ours-{max(SIZES)}.docx", max(SIZES), titles)

    lines.append(
        f"Del 1 – sammanfogning till en .docx (varje mätning i en egen process; {OURS} "
        f"bäst av {rounds}, {THEIRS} en gång)"
    )
    lines.append(
        f"Handlingar i rotation ({len(rendered)} st, renderade en gång i förväg; "
        "den första är bas för båda):"
    )
    lines += [f"  {_rel(source)}" for source, _ in rendered]
    lines.append("")
    header = f"{'N':>5}  {'beslutsdoc s':>12} {'topp MB':>8}  {'docxcompose s':>13} {'topp MB':>8}"
    lines.append(header + f"  {'kvot docxcompose/beslutsdoc':>27}")
    lines.append("-" * len(lines[-1]))
    for n in SIZES:
        ours = results[OURS, n]
        row = f"{n:>5}  {ours['sekunder']:>12.2f} {ours['topp_mb']:>8.0f}  "
        theirs = results.get((THEIRS, n))
        if theirs:
            ratio = theirs["sekunder"] / ours["sekunder"]
            row += f"{theirs['sekunder']:>13.2f} {theirs['topp_mb']:>8.0f}  {ratio:>26.1f}×"
        else:
            row += "hoppas över (kvadratisk; kör med --alla)"
        lines.append(row)
    lines.append("")
    return [*lines, *_part1_goals(results, rounds), *checked]


def _part1_goals(results: dict[tuple[str, int], dict[str, float]], rounds: int) -> list[str]:
    """Part 1's memory note and its goals: growth (wall and CPU time) and 200 papers."""
    lines: list[str] = []
    low = min(r["före_mb"] for r in results.values())
    high = max(r["före_mb"] for r in results.values())
    span = f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"
    lines.append(
        "(topp MB = barnprocessens högsta RSS; före sammanfogningen, med Python, biblioteken "
        f"och handlingarna inlästa: {span} MB)"
    )
    growth = results[OURS, 800]["sekunder"] / results[OURS, 200]["sekunder"]
    cpu_growth = results[OURS, 800]["cpu"] / results[OURS, 200]["cpu"]
    at200 = results[OURS, 200]["sekunder"]
    lines.append(
        f"{OURS} t(800)/t(200): {growth:.2f} (mål ≤ {LINEAR_TARGET:g}, linjär tillväxt; "
        f"bästa väggtiden av {rounds}) – målet {'nås' if growth <= LINEAR_TARGET else 'nås inte'}"
    )
    lines.append(
        f"{OURS} samma kvot i processorns tid (mindre känslig för annat arbete på datorn): "
        f"{cpu_growth:.2f}"
    )
    lines.append(
        f"{OURS} 200 handlingar: {at200:.2f} s (mål < {SECONDS_TARGET:g} s) – "
        f"målet {'nås' if at200 < SECONDS_TARGET else 'nås inte'}"
    )
    return lines


# --- part 0: the corpus ------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xml(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import zipfile

    from lxml import etree

    return etree.fromstring(zipfile.ZipFile(BytesIO(data)).read(name))


def _rels(data: bytes, part: str) -> dict[str, tuple[str, str, bool]]:
    """A part's relationships: id → (type, target, external)."""
    folder, name = part.rsplit("/", 1)
    try:
        root = _xml(data, f"{folder}/_rels/{name}.rels")
    except KeyError:
        return {}
    return {
        str(r.get("Id")): (
            str(r.get("Type")),
            str(r.get("Target")),
            r.get("TargetMode") == "External",
        )
        for r in root
    }


def _heading(data: bytes) -> list[bytes]:
    from lxml import etree

    styles = _xml(data, "word/styles.xml")
    return [
        etree.tostring(s, method="c14n")
        for s in styles.iter(f"{W}style")
        if (n := s.find(f"{W}name")) is not None and (n.get(f"{W}val") or "").lower() == "heading 1"
    ]


def _list_ids(data: bytes, text: str) -> list[str]:
    """The numId counting each paragraph `text` (its own or its style's)."""
    document, styles = _xml(data, "word/document.xml"), _xml(data, "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    out = []
    for p in document.iter(f"{W}p"):
        if "".join(t.text or "" for t in p.iter(f"{W}t")) != text:
            continue
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        style = p.find(f"{W}pPr/{W}pStyle")
        if num is None and style is not None and style.get(f"{W}val") in by_id:
            num = by_id[style.get(f"{W}val")].find(f"{W}pPr/{W}numPr/{W}numId")
        out.append("" if num is None else str(num.get(f"{W}val")))
    return out


def intact(merged: bytes, expect, base_heading: list[bytes]) -> list[str]:  # type: ignore[no-untyped-def]
    """What of the twice-merged attachment is lost or broken (empty: intact)."""
    from tests.structure import findings

    lost = [f"struktur: {f}" for f in findings(merged)[:2]]
    document = _xml(merged, "word/document.xml")
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    lost += [f"text: {t}" for t in expect.texts if t not in text and t != "Slutnotens text"]
    rels = _rels(merged, "word/document.xml")
    urls = {
        rels.get(str(h.get(f"{R}id")), ("", "", False))[1] for h in document.iter(f"{W}hyperlink")
    }
    lost += [f"länk: {u}" for u in expect.links if u not in urls]
    blips = [
        b.get(f"{R}embed")
        for b in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    ]
    found = sum(1 for b in blips if b in rels and not rels[b][2])
    if found < 2 * expect.images:
        lost.append(f"bilder: {found} av {2 * expect.images}")
    if expect.list_start:
        ids = _list_ids(merged, expect.list_start)
        if len(ids) != 2 or len(set(ids)) != 2 or "" in ids:
            lost.append(f"listan räknar vidare ({ids})")
    if _heading(merged) != base_heading:
        lost.append("paketets rubrik 1 ändrad eller dubblerad")
    return lost


def part0() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tests.corpus.build import CORPUS

    base = (ROOT / "templates" / "handlingar.docx").read_bytes()
    heading = _heading(base)
    rows, kept = [], {OURS: 0, THEIRS: 0}
    for name, make in CORPUS.items():
        data, expect = make()
        row = [name]
        for tool, compose in ((OURS, _compose_ours), (THEIRS, _compose_docxcompose)):
            try:
                lost = intact(compose(base, [data], 2), expect, heading)
            except Exception as err:
                lost = [f"fel: {type(err).__name__}: {str(err)[:60]}"]
            kept[tool] += not lost
            row.append("hel" if not lost else "; ".join(lost)[:70])
        rows.append(row)
    width = max(len(r[0]) for r in rows)
    lines = [
        f"Del 0 – testkorpusen ({len(CORPUS)} bilagor, var och en sammanfogad två gånger)",
        f"{'fil':<{width}}  {OURS:<12}  {THEIRS}",
        "-" * (width + 40),
    ]
    lines += [f"{r[0]:<{width}}  {r[1]:<12}  {r[2]}" for r in rows]
    lines.append(
        f"hela: {OURS} {kept[OURS]} av {len(CORPUS)}, {THEIRS} {kept[THEIRS]} av {len(CORPUS)}"
    )
    return lines


# --- part 2 -----------------------------------------------------------------------------


def _pages(pdfs: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(p).pages) for p in pdfs)


def _beslutsdoc_command() -> list[str]:
    found = shutil.which("beslutsdoc")
    return [found] if found else [sys.executable, "-m", "beslutsdoc"]


def part2() -> list[str]:
    from beslutsdoc.export.pdf import convert
    from beslutsdoc.load.paper import load_paper
    from beslutsdoc.render import render

    lines = ["Del 2 – PDF med LibreOffice: Botkyrkapaketets Word-delar"]
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        folder = Path(tmp)
        parts_dir = folder / "delar"
        parts_dir.mkdir()
        parts: list[Path] = []
        rendered = attached = 0
        for item in sorted(d for d in MEETING_DIR.iterdir() if d.is_dir()):
            for kind in PAPER_KINDS:
                source = item / kind
                if source.is_file():
                    target = parts_dir / f"{item.name}-{source.stem}.docx"
                    target.write_bytes(render(load_paper(source)))
                    parts.append(target)
                    rendered += 1
            for attachment in sorted(item.glob("*.docx")):
                target = parts_dir / f"{item.name}-{attachment.name}"
                shutil.copyfile(attachment, target)
                parts.append(target)
                attached += 1

        _log("LibreOffice: uppvärmning (en fil, räknas inte) …")
        warm = folder / "uppvärmning"
        warm.mkdir()
        convert([parts[0]], warm)

        _log(f"LibreOffice: (a) {len(parts)} filer i en körning …")
        one_dir = folder / "en-körning"
        one_dir.mkdir()
        start = time.perf_counter()
        one_pdfs = convert(parts, one_dir)
        one_run = time.perf_counter() - start

        _log(f"LibreOffice: (b) {len(parts)} filer, en körning per fil …")
        each_dir = folder / "en-per-fil"
        each_dir.mkdir()
        each_pdfs: list[Path] = []
        start = time.perf_counter()
        for part in parts:
            each_pdfs += convert([part], each_dir)
        per_part = time.perf_counter() - start
        pages_one, pages_each = _pages(one_pdfs), _pages(each_pdfs)

        _log("beslutsdoc packet, hela vägen …")
        out_dir = folder / "paket"
        command = [*_beslutsdoc_command(), "packet", str(MEETING), "-o", str(out_dir)]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        packet_seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"beslutsdoc packet misslyckades:\n{result.stderr}")
        summary = (result.stdout.strip().splitlines() or ["(ingen utskrift)"])[-1]

    lines.append(
        f"{len(parts)} Word-filer: {rendered} renderade handlingar och {attached} "
        f"Word-bilagor ur {_rel(MEETING_DIR)}/*/"
    )
    lines.append("")
    label_a = "(a) alla i en LibreOffice-körning"
    label_b = f"(b) en LibreOffice-körning per fil ({len(parts)})"
    width = max(len(label_a), len(label_b))
    lines.append(f"{'sätt':<{width}} {'sekunder':>9} {'sidor':>6}")
    lines.append("-" * (width + 17))
    lines.append(f"{label_a:<{width}} {one_run:>9.1f} {pages_one:>6}")
    lines.append(f"{label_b:<{width}} {per_part:>9.1f} {pages_each:>6}")
    lines.append(f"kvot (b)/(a): {per_part / one_run:.1f}×")
    lines.append("")
    lines.append(f"beslutsdoc packet {_rel(MEETING)} -o TMPDIR: {packet_seconds:.1f} s (väggtid)")
    lines.append(f"  kommandots egen rad: {summary}")
    return lines


# --- part 3: the packet as whole commands ----------------------------------------------

PACKET_SIZES = (200, 800)
PACKET_TARGET = 10.0  # docxtpl + docxcompose / beslutsdoc packet, 200 items


def make_meeting(folder: Path, count: int) -> Path:
    """A meeting of `count` items, one paper each: Botkyrka's papers in rotation (their
    attachments left out, each with its own Dnr), with Botkyrka's profile and template."""
    import yaml

    shutil.copyfile(EXAMPLES / "beslutsdoc.yaml", folder / "beslutsdoc.yaml")
    shutil.copytree(EXAMPLES / "mallar", folder / "mallar")
    meeting = folder / "möte"
    meeting.mkdir()
    sources = sorted(MEETING_DIR.glob("*/tjänsteutlåtande.yaml"))
    items = []
    for index in range(1, count + 1):
        data = yaml.safe_load(sources[(index - 1) % len(sources)].read_text(encoding="utf-8"))
        data.pop("bilagor", None)
        data["diarienummer"] = f"SN 2030:{index}"
        name = f"{index:03d}.yaml"
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (meeting / name).write_text(dumped, encoding="utf-8")
        items.append({"handlingar": [name], "beslut": ["Nämnden godkänner förslaget."]})
    original = yaml.safe_load(MEETING.read_text(encoding="utf-8"))
    keys = ("typ", "datum", "tid", "plats", "ordförande", "sekreterare")
    top = {k: original[k] for k in keys if k in original} | {"ärenden": items}
    path = meeting / "sammanträde.yaml"
    path.write_text(yaml.safe_dump(top, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _notice_template(path: Path) -> None:
    """docxtpl: the notice with its numbered agenda."""
    import docx

    document = docx.Document()
    document.add_paragraph("{{ kommun }}")
    document.add_heading("Kallelse {{ nämnd }}", level=1)
    document.add_paragraph("Tid {{ datum }} kl. {{ tid }}")
    document.add_paragraph("Plats {{ plats }}")
    document.add_heading("Föredragningslista", level=2)
    document.add_paragraph("{%p for ärende in ärenden %}")
    document.add_paragraph("{{ ärende.nummer }} {{ ärende.rubrik }} ({{ ärende.dnr }})")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ ordförande }}, ordförande")
    document.save(str(path))


def _item_template(path: Path) -> None:
    """docxtpl: an item's page, as the packet has one before each paper."""
    import docx

    document = docx.Document()
    document.add_heading("{{ nummer }} {{ rubrik }}", level=1)
    document.add_paragraph("Dnr {{ dnr }}")
    document.add_heading("Förslag till beslut", level=2)
    document.add_paragraph("{%p for punkt in förslag %}")
    document.add_paragraph("{{ punkt }}", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("Sammanfattning", level=2)
    document.add_paragraph("{%p for stycke in sammanfattning %}")
    document.add_paragraph("{{ stycke }}")
    document.add_paragraph("{%p endfor %}")
    document.save(str(path))


def _bench_render():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_render

    return bench_render


def docxtpl_packet(meeting: Path, templates: Path, out: Path) -> int:
    """The docxtpl + docxcompose side as one command: read the meeting and its papers'
    YAML, fill the notice, each item's page and each paper, merge them in order."""
    import yaml
    from docx import Document
    from docxcompose.composer import Composer as DocxComposer

    br = _bench_render()
    profile = meeting.parent.parent / "beslutsdoc.yaml"
    data = yaml.safe_load(meeting.read_text(encoding="utf-8"))
    papers = [
        br.read_paper(meeting.parent / item["handlingar"][0], profile) for item in data["ärenden"]
    ]
    agenda = [
        {"nummer": i, "rubrik": p["titel"], "dnr": p["diarienummer"]}
        for i, p in enumerate(papers, 1)
    ]
    notice_context = papers[0] | data | {"ärenden": agenda, "datum": str(data["datum"])}
    notice = br.render_docxtpl((templates / "kallelse.docx").read_bytes(), notice_context)
    (out / "kallelse.docx").write_bytes(notice)
    composer = DocxComposer(Document(BytesIO(notice)))
    item_page = (templates / "ärende.docx").read_bytes()
    paper_page = (templates / "tjänsteutlåtande.docx").read_bytes()
    for entry, paper in zip(agenda, papers, strict=True):
        summary = br._blocks(paper.get("sammanfattning") or "")
        item = entry | {
            "förslag": paper.get("förslag_till_beslut") or [],
            "sammanfattning": [b["text"] for b in summary],
        }
        composer.append(Document(BytesIO(br.render_docxtpl(item_page, item))))
        filled = br.render_docxtpl(paper_page, br.docxtpl_context(paper))
        composer.append(Document(BytesIO(filled)))
    composer.save(str(out / "handlingar.docx"))
    return 0


def _packet_titles(path: Path, count: int) -> int:
    """How many of the meeting's paper titles the merged document holds (python-docx)."""
    import docx
    import yaml

    texts = {p.text for p in docx.Document(str(path)).paragraphs}
    titles = []
    for index in range(1, count + 1):
        source = path.parent.parent / "möte" / f"{index:03d}.yaml"
        titles.append(yaml.safe_load(source.read_text(encoding="utf-8"))["titel"])
    return sum(1 for t in titles if t in texts)


def part3(rounds: int = ROUNDS) -> list[str]:
    """`beslutsdoc packet --no-pdf` of a meeting of 200 (and 800) items against a docxtpl
    + docxcompose script making the same notice and packet, each a whole command."""
    from bench_render import wall  # the same timer as the render benchmark's commands

    ours: dict[int, list[float]] = {}
    checks = []
    for count in PACKET_SIZES:
        with tempfile.TemporaryDirectory(prefix="bench-paket-") as tmp:
            folder = Path(tmp)
            meeting = make_meeting(folder, count)
            out = folder / "ut"
            command = [*_beslutsdoc_command(), "packet", str(meeting), "-o", str(out), "--no-pdf"]
            _log(f"beslutsdoc packet, {count} ärenden, bäst av {rounds} …")
            ours[count] = [wall(command) for _ in range(rounds)]
            found = _packet_titles(out / "handlingar.docx", count)
            checks.append(f"{OURS} {count} ärenden: {found} av {count} handlingars rubriker")
            if count != PACKET_SIZES[0]:
                continue
            templates = folder / "docxtpl-mallar"
            templates.mkdir()
            _bench_render().build_docxtpl_template(templates / "tjänsteutlåtande.docx")
            _notice_template(templates / "kallelse.docx")
            _item_template(templates / "ärende.docx")
            theirs_out = folder / "docxtpl-ut"
            theirs_out.mkdir()
            script = [sys.executable, str(Path(__file__).resolve()), "--_docxtpl-paket"]
            script += [str(meeting), str(templates), str(theirs_out)]
            _log(f"docxtpl + docxcompose, {count} ärenden (en körning) …")
            theirs = wall(script)
            found = _packet_titles(theirs_out / "handlingar.docx", count)
            checks.append(f"docxtpl + docxcompose {count} ärenden: {found} av {count} rubriker")
    small, large = PACKET_SIZES
    best = {n: min(t) for n, t in ours.items()}
    ratio = theirs / best[small]
    growth = best[large] / best[small]
    runs = {n: ", ".join(f"{t:.2f}" for t in ts) for n, ts in ours.items()}
    return [
        "Del 3 – paketet som hela kommandon, bara Word (ett ärende = ärendesida + handling, "
        "Botkyrkas handlingar i rotation utan bilagor)",
        f"beslutsdoc packet --no-pdf, {small} ärenden: {best[small]:6.2f} s "
        f"(bäst av {rounds}: {runs[small]})",
        f"beslutsdoc packet --no-pdf, {large} ärenden: {best[large]:6.2f} s "
        f"(bäst av {rounds}: {runs[large]})",
        f"docxtpl + docxcompose, {small} ärenden:       {theirs:6.2f} s (en körning)",
        f"kvot docxtpl+docxcompose/beslutsdoc ({small}): {ratio:.1f}× (mål ≥ "
        f"{PACKET_TARGET:g}×) – målet {'nås' if ratio >= PACKET_TARGET else 'nås inte'}",
        f"beslutsdoc t({large})/t({small}): {growth:.2f} (mål ≤ {LINEAR_TARGET:g}) – "
        f"målet {'nås' if growth <= LINEAR_TARGET else 'nås inte'}",
        "kontroll (python-docx, rubrikstycken i handlingar.docx): " + "; ".join(checks),
    ]


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from installed import compile_package  # beside this script

    compile_package()
    parser = argparse.ArgumentParser(
        description="Jämför sammanfogning (beslutsdoc mot docxcompose) och PDF-konvertering."
    )
    parser.add_argument(
        "--alla", action="store_true", help="kör docxcompose även för 800 handlingar (tar länge)"
    )
    parser.add_argument("--utan-pdf", action="store_true", help="hoppa över del 2 (PDF)")
    parser.add_argument(
        "--delar",
        default="0,1,2,3",
        metavar="LISTA",
        help="vilka delar som körs, t.ex. 1,3 (standard alla: 0,1,2,3)",
    )
    parser.add_argument("--_barn", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--_docxtpl-paket", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._barn:
        tool, n, papers, output = args._barn
        return child(tool, int(n), Path(papers), output)
    if args._docxtpl_paket:
        meeting, templates, out = args._docxtpl_paket
        return docxtpl_packet(Path(meeting), Path(templates), Path(out))

    started = time.perf_counter()
    chosen = {part.strip() for part in args.delar.split(",")}
    if args.utan_pdf:
        chosen.discard("2")
    lines: list[str] = []
    for name, run in (
        ("0", part0),
        ("1", lambda: part1(args.alla)),
        ("2", part2),
        ("3", part3),
    ):
        if name in chosen:
            lines += [*([""] if lines else []), *run()]
    print("\n".join(lines))
    print()
    print(f"Hela körningen tog {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
