"""The PDF step's speed-ups keep its promises: the prepared LibreOffice profile is reused,
and made again when it is broken; parallel LibreOffice processes fail as one run.

A fake soffice (BESLUTSDOC_SOFFICE) stands in for LibreOffice where its behaviour must
be chosen: like LibreOffice it fills an empty profile folder on its first start, and it
logs whether it found a profile there already."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from beslutsdoc.api import packet
from beslutsdoc.export import pdf, soffice
from beslutsdoc.export.layout_input import for_layout, merge_sections
from beslutsdoc.export.pdf import bookmark_pages, convert, to_pdf
from beslutsdoc.problems import ToolError
from tests.conftest import EXAMPLES, need_libreoffice
from tests.test_meeting import write_meeting
from tests.test_supervisor import install_fake

ROOT = Path(__file__).resolve().parents[1]

FAKE = """\
#!{python}
import os, signal, subprocess, sys, time
args = sys.argv[1:]
out = args[args.index("--outdir") + 1]
docs = args[args.index("--outdir") + 2:]
profile = [a for a in args if a.startswith("-env:UserInstallation=file://")][0]
profile = profile[len("-env:UserInstallation=file://"):]
settings = os.path.join(profile, "user", "registrymodifications.xcu")
found = os.path.isfile(settings)
with open(os.environ["FAKE_LOG"], "a") as f:
    f.write(("copied" if found else "new") + " " + " ".join(map(os.path.basename, docs)) + "\\n")
if not found:
    os.makedirs(os.path.dirname(settings), exist_ok=True)
    with open(settings, "w") as f:
        f.write("<?xml version='1.0'?><oor:items xmlns:oor='http://openoffice.org/2001/registry'/>")
    with open(os.path.join(profile, ".lock"), "w") as f:
        f.write("live")
names = [os.path.basename(d) for d in docs]
if os.environ.get("FAKE_FAIL") in names:
    if os.environ.get("FAKE_WAIT"):  # let the other process get going first
        time.sleep(float(os.environ["FAKE_WAIT"]))
    os.kill(os.getpid(), signal.SIGKILL)
if os.environ.get("FAKE_HANG") in names:
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with open(os.environ["FAKE_PIDS"], "a") as f:
        f.write(f"{{os.getpid()}}\\n{{helper.pid}}\\n")
    time.sleep(600)
pdf = open(os.environ["FAKE_PDF"], "rb").read()
for doc in docs:
    with open(os.path.join(out, os.path.splitext(os.path.basename(doc))[0] + ".pdf"), "wb") as f:
        f.write(pdf)
"""


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return install_fake(tmp_path, monkeypatch, FAKE)


def _calls(fake: Path) -> list[str]:
    return (fake / "calls.log").read_text().splitlines()


def _docs(fake: Path, count: int) -> dict[Path, bytes]:
    return {fake / "ut" / f"handling-{n}.docx": b"PK fake docx" for n in range(count)}


def test_the_first_profile_is_kept_and_copied_by_later_runs(fake: Path) -> None:
    to_pdf(_docs(fake, 1))
    cached = soffice.cached_profile(str(fake / "fake-soffice"))
    assert cached is not None
    assert cached.parent == fake / "cache" / "beslutsdoc"
    assert (cached / "user" / "registrymodifications.xcu").is_file()
    assert not (cached / ".lock").exists()  # a live run's lock is never kept
    assert not (cached / "tmp").exists()  # nor LibreOffice's scratch folder
    to_pdf(_docs(fake, 1))
    to_pdf(_docs(fake, 1))
    assert [c.split()[0] for c in _calls(fake)] == ["new", "copied", "copied"]
    # Each run copied it into a folder of its own, now removed; the cache stays whole.
    assert not list((fake / "tmp").iterdir())
    assert (cached / "user" / "registrymodifications.xcu").is_file()


@pytest.mark.parametrize("damage", ["settings", "mark", "missing"])
def test_a_broken_cached_profile_is_made_again(fake: Path, damage: str) -> None:
    to_pdf(_docs(fake, 1))
    cached = soffice.cached_profile(str(fake / "fake-soffice"))
    assert cached is not None
    if damage == "settings":  # cut short: no longer XML
        (cached / "user" / "registrymodifications.xcu").write_text("<?xml version='1.0'?><oor")
    elif damage == "mark":  # made by another LibreOffice installation
        (cached / "beslutsdoc-profil").write_text("/opt/annan/soffice")
    else:
        (cached / "user" / "registrymodifications.xcu").unlink()
    to_pdf(_docs(fake, 1))
    to_pdf(_docs(fake, 1))
    assert [c.split()[0] for c in _calls(fake)] == ["new", "new", "copied"]
    assert soffice._valid(cached, str(fake / "fake-soffice"))


def test_a_profile_libreoffice_failed_with_is_dropped(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_pdf(_docs(fake, 1))
    cached = soffice.cached_profile(str(fake / "fake-soffice"))
    assert cached is not None
    monkeypatch.setenv("FAKE_FAIL", "0000.docx")
    with pytest.raises(ToolError, match=r"handling-0\.docx"):
        to_pdf(_docs(fake, 1))
    assert not cached.exists()
    assert not [p for p in cached.parent.iterdir() if p.name.startswith(".")]  # no leftovers
    monkeypatch.delenv("FAKE_FAIL")
    to_pdf(_docs(fake, 1))
    assert [c.split()[0] for c in _calls(fake)] == ["new", "copied", "new"]


def test_copies_that_killed_runs_left_beside_the_cache_are_removed(fake: Path) -> None:
    cached = soffice.cached_profile(str(fake / "fake-soffice"))
    assert cached is not None
    cached.parent.mkdir(parents=True)
    old, new = cached.parent / f".{cached.name}-gammal", cached.parent / f".{cached.name}-ny"
    for leftover in (old, new):
        (leftover / "user").mkdir(parents=True)
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    to_pdf(_docs(fake, 1))
    assert not old.exists()
    assert new.exists()  # perhaps a run at work this moment
    assert cached.is_dir()


def test_the_kept_profile_spares_libreoffice_its_graphics_self_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice runs its graphics self-test (and writes its log) at every headless
    start in a profile that does not say which version last ran in it; the kept one says."""
    need_libreoffice()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Prov")
    document.save(buffer)
    to_pdf({tmp_path / "första" / "prov.docx": buffer.getvalue()})
    program = soffice.find_soffice()
    cached = soffice.cached_profile(program)
    assert cached is not None
    # The first start, in a new profile, ran the self-test: its log was kept with it.
    assert (cached / "user" / "GraphicsRenderTests.log").is_file()
    version = soffice._version(program)
    assert version is not None and re.fullmatch(r"\d+\.\d+", version)
    settings = (cached / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert f'"ooSetupLastVersion" oor:op="fuse"><value>{version}</value>' in settings
    profile, out = tmp_path / "profil", tmp_path / "ut"
    profile.mkdir()
    out.mkdir()
    assert soffice.prepare(profile, program)
    log = profile / "user" / "GraphicsRenderTests.log"
    log.unlink()
    source = tmp_path / "prov.docx"
    source.write_bytes(buffer.getvalue())
    soffice.run(soffice.command(program, profile, out, [source]), timeout=120)
    assert (out / "prov.pdf").is_file()
    assert not log.exists()


def test_a_profile_whose_settings_cannot_be_read_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeping the profile never fails a run: settings that are not UTF-8 text (no
    LibreOffice writes them) leave the cache empty, as any other failure does."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(soffice, "_version", lambda program: "7.4")
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_bytes(b"<oor:items>\xff\xfe</oor:items>")
    program = str(tmp_path / "soffice")
    soffice.keep(profile, program)
    cached = soffice.cached_profile(program)
    assert cached is not None and not cached.exists()
    assert not [p for p in cached.parent.iterdir() if p.name.startswith(".")]  # no leftovers


def test_without_a_writable_cache_runs_still_convert(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (fake / "cache").write_text("a file where the cache folder would be")
    assert len(to_pdf(_docs(fake, 1))) == 1
    assert len(to_pdf(_docs(fake, 1))) == 1
    assert [c.split()[0] for c in _calls(fake)] == ["new", "new"]


def test_documents_convert_in_one_process_per_core_at_once(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(soffice, "workers", lambda documents: 2)
    pdfs = to_pdf(_docs(fake, 4))
    assert sorted(p.name for p in pdfs) == [f"handling-{n}.pdf" for n in range(4)]
    calls = _calls(fake)
    assert len(calls) == 2  # two processes, two documents each
    assert sorted(name for c in calls for name in c.split()[1:]) == [
        f"{n:04d}.docx" for n in range(4)
    ]


def test_a_small_document_beside_a_big_one_needs_no_process_of_its_own(
    tmp_path: Path,
) -> None:
    sizes = {"kallelse": 40_000, "handlingar": 2_000_000, "a": 500_000, "b": 400_000}
    for name, size in sizes.items():
        (tmp_path / f"{name}.docx").write_bytes(b"x" * size)
    paths = [tmp_path / f"{name}.docx" for name in sizes]
    # The notice beside the packet: one process; a second would only cost its start.
    assert pdf._groups(paths[:2], 2) == [[0, 1]]
    # Shares about equal: one process each, the biggest first to the lightest share.
    assert pdf._groups(paths[1:], 2) == [[0], [1, 2]]
    assert pdf._groups(paths, 1) == [[0, 1, 2, 3]]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def test_a_killed_process_fails_the_run_and_stops_the_other(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(soffice, "workers", lambda documents: 2)
    monkeypatch.setenv("FAKE_HANG", "0000.docx")  # the first hangs …
    monkeypatch.setenv("FAKE_FAIL", "0001.docx")  # … while the second is killed
    monkeypatch.setenv("FAKE_WAIT", "1")
    started = time.monotonic()
    with pytest.raises(ToolError) as caught:
        to_pdf(_docs(fake, 2))
    assert time.monotonic() - started < 60  # not the hung one's timeout
    message = str(caught.value)
    assert "handling-1.docx" in message and "slutstatus 137" in message
    pids = [int(p) for p in (fake / "pids").read_text().split()]
    end = time.monotonic() + 30
    while not all(_gone(p) for p in pids) and time.monotonic() < end:
        time.sleep(0.05)
    assert all(_gone(p) for p in pids)  # the hung one was stopped with its children
    assert not list((fake / "tmp").iterdir())  # no work folders left


def test_a_failing_process_fails_the_packet_and_nothing_is_written(
    fake: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    monkeypatch.setattr(soffice, "workers", lambda documents: 2)
    monkeypatch.setattr(pdf, "BALANCE", 10**9)  # a process each, however unequal
    monkeypatch.setenv("FAKE_FAIL", "0001.docx")  # handlingar's process dies
    meeting = write_meeting(folder)  # folder: fake's own, with a profile
    out = fake / "paket"
    run = cli("packet", meeting, "-o", out)
    assert run.code == 1
    assert "LibreOffice kunde inte göra PDF av ”handlingar.docx” (slutstatus 137)" in run.err
    assert not out.exists() or not list(out.iterdir())


# --- with LibreOffice: the same pages as before ------------------------------------------

BOTKYRKA = EXAMPLES / "botkyrka" / "2021-01-26" / "sammanträde.yaml"


def _bench_meeting(folder: Path, items: int) -> Path:
    """A generated meeting of `items` items, as bench/bench_pdf.py makes them."""
    spec = importlib.util.spec_from_file_location("bench_pdf", ROOT / "bench" / "bench_pdf.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path: Path = bench.write_meeting(folder, items)
    return path


def _sections(docx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml").count(b"<w:sectPr")


def test_the_merged_sections_lay_out_the_same_pages(tmp_path: Path) -> None:
    need_libreoffice()
    built = packet(BOTKYRKA).built
    merged = for_layout(built.handlingar)
    assert _sections(merged) < _sections(built.handlingar) / 2  # there was work to do
    (tmp_path / "som-förut.docx").write_bytes(built.handlingar)
    (tmp_path / "sammanslagen.docx").write_bytes(merged)
    before, after = convert([tmp_path / "som-förut.docx", tmp_path / "sammanslagen.docx"], tmp_path)
    old, new = PdfReader(before), PdfReader(after)
    assert len(new.pages) == len(old.pages) > 40
    assert bookmark_pages(after.read_bytes()) == bookmark_pages(before.read_bytes())
    for number, (one, other) in enumerate(zip(old.pages, new.pages, strict=True), 1):
        assert other.mediabox == one.mediabox, number
        assert other.extract_text() == one.extract_text(), number


def _walk(reader: PdfReader, items: list[Any], depth: int = 0) -> list[tuple[int, str, int]]:
    found = []
    for item in items:
        if isinstance(item, list):
            found += _walk(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return found


def test_a_generated_packet_numbers_every_page_and_its_contents(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    need_libreoffice()
    meeting = _bench_meeting(tmp_path, 9)
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out)
    assert run.code == 0, run.err
    reader = PdfReader(out / "handlingar.pdf")
    total = len(reader.pages)
    assert total > 40
    for number, page in enumerate(reader.pages, 1):
        assert f"Sida {number} av {total}" in page.extract_text(), number
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE" and "/StructTreeRoot" in root
    assert reader.metadata.title == "Handlingar Socialnämnden 2021-01-26"
    outline = _walk(reader, reader.outline)
    items = [(title, page) for depth, title, page in outline if depth == 0]
    assert len([t for t, _ in items if t[:1].isdigit()]) == 9
    assert [page for _, page in items] == sorted(page for _, page in items)
    # The contents (PDF and Word) give each item's and paper's true first page.
    contents_at = dict(items)["Innehåll"]
    contents = "".join(
        reader.pages[i].extract_text() for i in range(contents_at - 1, items[2][1] - 1)
    )
    word = [
        p.text
        for p in docx.Document(out / "handlingar.docx").paragraphs
        if p.style is not None and p.style.name.startswith("toc")
    ]
    # Contents: the notice, then each item and its papers (not the contents itself).
    expected = [page for _, title, page in outline if title != "Innehåll"]
    assert [int(n) for n in re.findall(r"\.{3,}\s*(\d+)", contents)] == expected
    for _, title, page in outline:
        if title != "Innehåll":
            assert f"{title}\t{page}" in word, title
    kallelse = PdfReader(out / "kallelse.pdf").trailer["/Root"]
    assert b"<pdfaid:part>2</pdfaid:part>" in kallelse["/Metadata"].get_object().get_data()


def _body(*children: str) -> etree._Element:
    xml = f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(children)}</w:body></w:document>'
    return etree.fromstring(xml)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A4 = '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:bottom="1247"/>'
LANDSCAPE = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134"/>'


def _holder(setup: str, own: str = "") -> str:
    return f"<w:p><w:pPr><w:sectPr>{own}{setup}</w:sectPr></w:pPr></w:p>"


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_only_breaks_between_equal_page_setups_are_merged() -> None:
    header = '<w:headerReference w:type="default" r:id="rId9" xmlns:r="urn:r"/>'
    document = _body(
        _para("kallelse"),
        _holder(A4, header),  # the first section carries the packet's header
        _para("ärende 1"),
        _holder(A4),
        _para("planen, liggande"),
        _holder(LANDSCAPE),
        _para("ärende 2"),
        _holder(A4),
        "<w:tbl/>",  # a part that begins with a table keeps its break
        _holder(A4),
        _para("sist"),
        f"<w:sectPr>{A4}</w:sectPr>",
    )
    assert merge_sections(document) == 2
    body = document[0]
    texts = ["".join(p.itertext()) or p.tag.split("}")[1] for p in body]
    assert texts == ["kallelse", "ärende 1", "p", "planen, liggande", "p", "ärende 2",
                     "p", "tbl", "sist", "sectPr"]  # fmt: skip
    starts = [p for p in body if p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pageBreakBefore") is not None]
    assert ["".join(p.itertext()) for p in starts] == ["ärende 1", "sist"]
    sections = list(body.iter(f"{{{W_NS}}}sectPr"))
    assert len(sections) == 4
    # The header went on with the section it was merged into.
    assert sections[0].find(f"{{{W_NS}}}headerReference") is not None
    assert sections[1].find(f"{{{W_NS}}}pgSz").get(f"{{{W_NS}}}orient") == "landscape"


def test_a_section_that_ends_inside_a_content_control_is_no_gap() -> None:
    # The paragraph that ends the landscape section (ärende 2 and the plan) sits in a
    # content control: the A4 sections on either side of it are not neighbours.
    control = f"<w:sdt><w:sdtContent>{_para('planen')}{_holder(LANDSCAPE)}</w:sdtContent></w:sdt>"
    document = _body(
        _para("ärende 1"), _holder(A4), _para("ärende 2"), control, f"<w:sectPr>{A4}</w:sectPr>"
    )
    assert merge_sections(document) == 0
    assert len(list(document.iter(f"{{{W_NS}}}sectPr"))) == 3
