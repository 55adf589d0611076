"""The packet's header and footer on an attachment's pages (`export/frame.py`): the
placeholder's artifacts only, each line once for a reader and where it belongs on the
page as displayed, marked as an artifact, whatever the page's size or rotation."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from beslutsdoc.export.frame import FRAME, FRAME_LOWER, draw_frame, frame_of

from .conftest import need_poppler

#: A placeholder as LibreOffice draws it: header and footer as artifacts, the page's own
#: text as structure content (dropped from the frame).
_PLACEHOLDER = b"""\
/Artifact BMC q BT /F1 10 Tf 72 800 Td (Sidhuvud) Tj ET Q EMC
/P <</MCID 0>> BDC BT /F1 12 Tf 72 400 Td (Platshallare) Tj ET EMC
/Artifact BMC q BT /F1 10 Tf 72 30 Td (Sidfot) Tj ET Q EMC
"""


def _font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
    font.BaseFont = pikepdf.Name.Helvetica
    return pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))


def _page(
    pdf: pikepdf.Pdf, size: tuple[float, float], content: bytes, **entries: object
) -> pikepdf.Page:
    pdf.add_blank_page(page_size=size)
    page = pdf.pages[-1]
    page.obj.Resources = _font(pdf)
    page.obj.Contents = pdf.make_stream(content)
    for key, value in entries.items():
        page.obj[f"/{key}"] = value
    return page


def _framed(tmp_path: Path, size: tuple[float, float], **entries: object) -> tuple[Path, bytes]:
    """A page of `size` (and `entries`) with its own line of text, framed by the
    placeholder's header and footer; the saved PDF (the page alone) and the page's last
    content stream."""
    pdf = pikepdf.new()
    frame = frame_of(pdf, _page(pdf, (595, 842), _PLACEHOLDER))
    page = _page(pdf, size, b"BT /F1 12 Tf 100 300 Td (Bilagetext) Tj ET", **entries)
    draw_frame(pdf, page, frame)
    last = page.obj.Contents[-1].read_bytes()
    del pdf.pages[0]
    out = tmp_path / "ram.pdf"
    pdf.save(out)
    return out, last


def _words(pdf: Path) -> list[tuple[str, float, float]]:
    """Each word pdftotext finds, with its height from the top as displayed (0–1) and
    its count."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    [page] = re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    height = float(page[1])
    return [
        (word, float(y_min) / height, float(y_max) / height)
        for y_min, y_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


@pytest.mark.parametrize(
    ("size", "rotate"),
    [((595, 842), 0), ((842, 595), 0), ((595, 842), 90), ((612, 792), 270), ((400, 600), 180)],
)
def test_each_line_of_the_frame_is_there_once_where_it_belongs(
    tmp_path: Path, size: tuple[float, float], rotate: int
) -> None:
    need_poppler("pdftotext")
    out, _ = _framed(tmp_path, size, Rotate=rotate)
    words = _words(out)
    assert sorted(w for w, _, _ in words) == ["Bilagetext", "Sidfot", "Sidhuvud"]
    place = {w: (top, bottom) for w, top, bottom in words}
    assert place["Sidhuvud"][1] < 0.5 < place["Sidfot"][0]  # upright: header on top
    assert pypdf.PdfReader(out).pages[0].extract_text().count("Sidfot") == 1


def test_on_the_placeholders_size_the_whole_frame_is_drawn_once(tmp_path: Path) -> None:
    _, last = _framed(tmp_path, (595, 842))
    assert last.count(b" Do") == 1 and b"/BeslutsdocRamNedre" not in last


def test_on_another_size_each_half_is_drawn_clipped(tmp_path: Path) -> None:
    _, last = _framed(tmp_path, (842, 595))
    assert last.count(b" re W n ") == 2
    assert b"/BeslutsdocRam Do" in last and b"/BeslutsdocRamNedre Do" in last


def test_the_frame_is_an_artifact_around_the_page_left_as_it_was(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    frame = frame_of(pdf, _page(pdf, (595, 842), _PLACEHOLDER))
    own = b"BT /F1 12 Tf 100 300 Td (Bilagetext) Tj ET"
    page = _page(pdf, (595, 842), own)
    draw_frame(pdf, page, frame)
    first, middle, last = (s.read_bytes() for s in page.obj.Contents)
    assert first == b"q\n" and middle == own  # wrapped, never rewritten
    assert last.startswith(b"Q\n/Artifact BMC\n") and last.endswith(b"EMC\n")
    form = pikepdf.parse_content_stream(frame.whole)
    operators = [str(op.operator) for op in form]
    assert operators.count("BMC") == 2 and "BDC" not in operators  # only the artifacts
    assert b"Platshallare" not in frame.whole.read_bytes()
    assert b"Sidfot" not in frame.top.read_bytes() and b"Sidhuvud" in frame.top.read_bytes()
    assert b"Sidhuvud" not in frame.bottom.read_bytes() and b"Sidfot" in frame.bottom.read_bytes()


def test_pages_sharing_resources_get_their_own_frame() -> None:
    pdf = pikepdf.new()
    placeholder = _page(pdf, (595, 842), _PLACEHOLDER)
    big = _page(pdf, (842, 595), b"")
    small = _page(pdf, (595, 842), b"")
    small.obj.Resources = big.obj.Resources = pdf.make_indirect(_font(pdf))
    draw_frame(pdf, big, frame_of(pdf, placeholder))
    assert "/XObject" not in small.obj.Resources
    assert {str(k) for k in big.obj.Resources.XObject} == {str(FRAME), str(FRAME_LOWER)}
    assert "/F1" in big.obj.Resources.Font


def test_the_placeholders_inherited_resources_go_with_the_frame() -> None:
    pdf = pikepdf.new()
    placeholder = _page(pdf, (595, 842), _PLACEHOLDER)
    pdf.Root.Pages.Resources = placeholder.obj.Resources
    del placeholder.obj["/Resources"]
    frame = frame_of(pdf, placeholder)
    assert "/F1" in frame.whole.Resources.Font
    out = io.BytesIO()
    pdf.save(out)  # a valid PDF with it
