"""Every corpus attachment (tests/corpus/build.py) merged into a real packet keeps its
text as LibreOffice renders it (list numbers included, so each list starts from its
own first number), its links, images and sections; and the notice's headings render
as they do on their own. One LibreOffice run converts every file to text."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pypdf
import pytest

from beslutsdoc.api import meeting as load_meeting
from beslutsdoc.compose.packet import build_packet
from beslutsdoc.ooxml.package import Package
from tests.conftest import EXAMPLES, need_libreoffice
from tests.corpus.build import CORPUS, Expect
from tests.structure import assert_valid_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _soffice(files: list[Path], out: Path, target: str, *options: str) -> None:
    """One LibreOffice run converting every file in `files` to `target` in `out`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    profile = out / "profil"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            *options,
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(out)},
    )


#: Files LibreOffice converts to .docx (a filter per kind: one run each), with what
#: the packet must keep of them.
HTML = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Remiss</title>
</head><body><h1>Remissvar från regionen</h1><p>Regionen lämnar synpunkter, se
<a href="https://www.regionstockholm.se/">regionens webbplats</a>.</p>
<ol><li>Första synpunkten</li><li>Andra synpunkten</li></ol>
<table border="1"><tr><td>Kolumn ett</td><td>Kolumn två</td></tr></table></body></html>
"""
FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:h text:outline-level="1">Protokoll från förbundet</text:h>
<text:p>Styrelsen sammanträdde, se <text:a xlink:type="simple"
 xlink:href="https://www.samordning.se/protokoll">protokollet</text:a>.</text:p>
<text:h text:outline-level="2">Beslut i korthet</text:h>
<text:list><text:list-item><text:p>Beslutet om budget</text:p></text:list-item>
<text:list-item><text:p>Beslutet om plan</text:p></text:list-item></text:list>
</office:text></office:body></office:document>
"""
CONVERTED = {
    "lo-html": (
        HTML,
        ".html",
        Expect(
            ["Remissvar från regionen", "Kolumn två"], links=["https://www.regionstockholm.se/"]
        ),
        ("--infilter=HTML (StarWriter)",),
    ),
    "lo-fodt": (
        FODT,
        ".fodt",
        Expect(
            ["Protokoll från förbundet", "Beslutet om plan"],
            links=["https://www.samordning.se/protokoll"],
        ),
        (),
    ),
}


def _converted(folder: Path, expected: dict[str, Expect]) -> None:
    """LibreOffice's .docx of an HTML page and of a flat ODF text, into `folder`."""
    for name, (source, suffix, expect, options) in CONVERTED.items():
        path = folder / f"{name}{suffix}"
        path.write_text(source, encoding="utf-8")
        _soffice([path], folder, "docx:MS Word 2007 XML", *options)
        path.unlink()
        expected[name] = expect


def _lo_text(files: list[Path], out: Path) -> dict[str, list[str]]:
    """Each file's text as LibreOffice exports it, by stem: non-empty lines."""
    _soffice(files, out, "txt:Text (encoded):UTF8")
    return {
        f.stem: [
            line.strip()
            for line in (out / f"{f.stem}.txt").read_text(encoding="utf-8-sig").splitlines()
            if line.strip()
        ]
        for f in files
    }


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    need_libreoffice()
    folder = tmp_path_factory.mktemp("korpus")
    meeting = folder / "botkyrka"
    shutil.copytree(EXAMPLES / "botkyrka", meeting)
    (meeting / "2021-01-26" / "korpus").mkdir()
    expected: dict[str, Expect] = {}
    for name, make in CORPUS.items():
        data, expected[name] = make()
        (meeting / "2021-01-26" / "korpus" / f"{name}.docx").write_bytes(data)
    _converted(meeting / "2021-01-26" / "korpus", expected)
    file = meeting / "2021-01-26" / "sammanträde.yaml"
    listing = "".join(f"      - korpus/{name}.docx\n" for name in expected)
    item = (
        "  - titel: Bilagor från andra myndigheter\n    handlingar:\n"
        + listing
        + "    beslut: [Socialnämnden lägger bilagorna till handlingarna.]\n"
    )
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("ärenden:\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "#", "\n"))
    file.write_text("".join([*lines[:end], item, *lines[end:]]), encoding="utf-8")
    packet = build_packet(load_meeting(file))
    out = folder / "ut"
    out.mkdir()
    (out / "handlingar.docx").write_bytes(packet.handlingar)
    (out / "kallelse.docx").write_bytes(packet.kallelse)
    inputs = [meeting / "2021-01-26" / "korpus" / f"{name}.docx" for name in expected]
    texts = _lo_text([*inputs, out / "handlingar.docx", out / "kallelse.docx"], out)
    _soffice([out / "handlingar.docx"], out, "pdf")
    return {
        "packet": packet.handlingar,
        "texts": texts,
        "expected": expected,
        "pdf": out / "handlingar.pdf",
    }


def test_the_packet_is_structurally_sound(merged: dict[str, object]) -> None:
    assert_valid_docx(merged["packet"], "handlingar.docx")  # type: ignore[arg-type]


def test_every_attachment_keeps_its_text_and_list_numbers(merged: dict[str, object]) -> None:
    texts: dict[str, list[str]] = merged["texts"]  # type: ignore[assignment]
    packet = Counter(texts["handlingar"])
    expected: dict[str, Expect] = merged["expected"]  # type: ignore[assignment]
    missing = {
        name: [line for line, n in Counter(texts[name]).items() if packet[line] < n]
        for name in expected
    }
    assert not any(missing.values()), missing
    for name, expect in expected.items():
        for text in expect.texts:  # what LibreOffice's text export leaves out: notes
            if text != "Slutnotens text":
                assert any(text in line for line in texts["handlingar"]), (name, text)
        if expect.list_start:  # the attachment's own first number, in the packet
            first = next(line for line in texts[name] if expect.list_start in line)
            assert first.split()[0] in ("1.", "a.", "a)"), first
            assert packet[first] >= 1


def test_the_notices_headings_render_as_on_their_own(merged: dict[str, object]) -> None:
    """An attachment's numbered "Heading 1" once made LibreOffice number the notice's
    headings ("1. Socialnämnden", "1.1. Ärenden")."""
    texts: dict[str, list[str]] = merged["texts"]  # type: ignore[assignment]
    packet = Counter(texts["handlingar"])
    assert all(packet[line] >= 1 for line in texts["kallelse"])


def test_web_links_images_and_sections_survive(merged: dict[str, object]) -> None:
    package = Package.read(merged["packet"])  # type: ignore[arg-type]
    main = package.main_part()
    rels = {r.get("Id"): r for r in package.relationships(main)}
    document = package.element(main)
    targets = {
        str(rels[link.get(f"{R}id")].get("Target"))
        for link in document.iter(f"{W}hyperlink")
        if link.get(f"{R}id")
    }
    expected: dict[str, Expect] = merged["expected"]  # type: ignore[assignment]
    wanted = {url for e in expected.values() for url in e.links}
    assert wanted <= targets
    assert all(t.startswith(("http://", "https://", "mailto:")) for t in targets), targets
    images = [b for b in document.iter(f"{A}blip") if package.target(main, str(b.get(f"{R}embed")))]
    assert len(images) >= sum(e.images for e in expected.values())
    orients = [s.get(f"{W}orient") for s in document.iter(f"{W}pgSz")]
    assert "landscape" in orients
    assert "continuous" not in [t.get(f"{W}val") for t in document.iter(f"{W}type")]


def test_every_web_link_in_the_pdf_goes_to_its_address(merged: dict[str, object]) -> None:
    """Links once pointed at file:///tmp/…/word/fontTable.xml and the like."""
    reader = pypdf.PdfReader(merged["pdf"])  # type: ignore[arg-type]
    uris = [
        str(action["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if (action := annotation.get_object().get("/A")) is not None and "/URI" in action
    ]
    expected: dict[str, Expect] = merged["expected"]  # type: ignore[assignment]
    assert {url for e in expected.values() for url in e.links} <= set(uris)
    assert all(u.startswith(("http://", "https://", "mailto:")) for u in uris), uris
