"""PDF attachments are untrusted: active content never reaches the packet PDF, links do,
and a decompression bomb is a Swedish error naming the attachment. Hostile files are made
here, at test time."""

from __future__ import annotations

import base64
import io
import random
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import PIL.Image
import pypdf
import pytest
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from beslutsdoc.export.frame import draw_frame, frame_of
from beslutsdoc.load import sanitise
from beslutsdoc.load.sanitise import check_attachment, clean_page
from beslutsdoc.problems import InputError

from .conftest import need_libreoffice, need_poppler
from .test_meeting import MEETING
from .test_meeting import PAPER as ITEM_PAPER

LINK = "https://www.botkyrka.se/"


def _name(text: str) -> NameObject:
    return NameObject(text)


def _action(kind: str, **fields: Any) -> DictionaryObject:
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in fields.items():
        action[_name("/" + key)] = value
    return action


def _annotation(subtype: str, **fields: Any) -> DictionaryObject:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name(subtype),
            _name("/Rect"): ArrayObject([FloatObject(v) for v in (100, 100, 300, 130)]),
        }
    )
    for key, value in fields.items():
        annotation[_name("/" + key)] = value
    return annotation


def hostile_pdf() -> bytes:
    """Two pages full of active content, and one good link."""
    writer = pypdf.PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    script = _action("/JavaScript", JS=TextStringObject("app.alert('bilagan kör kod')"))
    named = _action("/JavaScript", JS=TextStringObject("app.alert('dokumentet kör kod');"))
    scripts = ArrayObject([TextStringObject("start"), writer._add_object(named)])
    writer.root_object[_name("/Names")] = DictionaryObject(
        {_name("/JavaScript"): DictionaryObject({_name("/Names"): scripts})}
    )
    writer.add_attachment("skript.sh", b"#!/bin/sh\nrm -rf ~\n")
    writer.root_object[_name("/OpenAction")] = script
    writer.root_object[_name("/AA")] = DictionaryObject({_name("/WC"): script})
    page = writer.pages[0]
    page[_name("/AA")] = DictionaryObject({_name("/O"): script})
    launch = _action("/Launch", F=TextStringObject("/bin/sh"))
    good = _action("/URI", URI=TextStringObject(LINK))
    chained = _action("/URI", URI=TextStringObject(LINK + "kedja"), Next=script)
    annotations = [
        _annotation("/Link", A=launch),
        _annotation("/Link", A=good),
        _annotation("/Link", A=chained),
        _annotation("/Link", A=_action("/URI", URI=TextStringObject("javascript:alert(1)"))),
        _annotation("/Link", A=_action("/GoToR", F=TextStringObject("/etc/passwd"))),
        _annotation("/Link", A=_action("/SubmitForm", F=TextStringObject("http://x.invalid"))),
        _annotation("/FileAttachment", FS=TextStringObject("skript.sh")),
        _annotation("/Widget", AA=DictionaryObject({_name("/K"): script}), A=script),
        _annotation("/Screen", A=_action("/Rendition")),
    ]
    page[_name("/Annots")] = ArrayObject(writer._add_object(a) for a in annotations)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb_pdf(megabytes: int = 400, *, twice: bool = False) -> bytes:
    """One page whose content stream unpacks to `megabytes` of zeros (about 0.4 MB packed);
    `twice`: packed again, so that only the second unpacking makes it big."""
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream._data = zlib.compress(packed) if twice else packed
    flate = _name("/FlateDecode")
    stream[_name("/Filter")] = ArrayObject([flate, flate]) if twice else flate
    stream[_name("/Length")] = NumberObject(len(packed))
    page[_name("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _everything(reader: pypdf.PdfReader) -> tuple[set[str], set[str]]:
    """Every name and every string reachable from the trailer."""
    names: set[str] = set()
    strings: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            names.update(str(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject):
            names.add(str(item))
        elif isinstance(item, str):
            strings.add(str(item))
    return names, strings


@pytest.fixture
def meeting(folder: Path) -> Path:
    (folder / "ombud").mkdir()
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(ITEM_PAPER, encoding="utf-8")
    (folder / "ombud" / "blankett.pdf").write_bytes(hostile_pdf())
    path = folder / "sammanträde.yaml"
    path.write_text(MEETING, encoding="utf-8")
    return path


def test_active_content_is_removed_and_links_kept(cli, meeting: Path, tmp_path: Path) -> None:
    need_libreoffice()
    names, strings = _everything(pypdf.PdfReader(meeting.parent / "ombud" / "blankett.pdf"))
    assert {"/JavaScript", "/Launch", "/EmbeddedFiles", "/AA"} <= names  # hostile indeed
    out = tmp_path / "ut"
    run = cli("packet", meeting, "-o", out)
    assert run.code == 0, run.err
    reader = pypdf.PdfReader(out / "handlingar.pdf")
    names, strings = _everything(reader)
    for active in ("/JavaScript", "/JS", "/Launch", "/AA", "/EmbeddedFiles", "/EmbeddedFile"):
        assert active not in names, active
    for active in ("/GoToR", "/SubmitForm", "/FileAttachment", "/Screen", "/Rendition"):
        assert active not in names, active
    assert not any("/bin/sh" in s or "javascript:" in s or "app.alert" in s for s in strings)
    assert "/OpenAction" not in reader.trailer["/Root"] or not isinstance(
        reader.trailer["/Root"]["/OpenAction"], DictionaryObject
    )
    assert LINK in strings and LINK + "kedja" in strings  # links kept, the chain cut
    # The attachment's pages have the packet's header and footer like any other page.
    texts = [page.extract_text() for page in reader.pages]
    attachment = next(
        i
        for i, page in enumerate(reader.pages)
        if "/Annots" in page
        and any(a.get_object().get("/A", {}).get("/URI") == LINK for a in page["/Annots"])
    )
    header = texts[0].splitlines()[0]
    assert header and header in texts[attachment]
    assert f"Sida {attachment + 1} av {len(reader.pages)}" in texts[attachment]
    assert "Bilaga:" not in texts[attachment]  # the placeholder's own text is gone


def test_a_400_mb_stream_is_a_swedish_error(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(400))
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(InputError) as caught:
        check_attachment(bomb)
    message = str(caught.value)
    assert message.startswith(f"{bomb}: PDF-bilagan har en packad ström som blir större än 150 MB")


def test_a_bomb_packed_twice_is_found(tmp_path: Path) -> None:
    """qpdf unpacks a stream through all its general filters when it saves the packet."""
    bomb = tmp_path / "dubbel.pdf"
    bomb.write_bytes(bomb_pdf(200, twice=True))
    with pytest.raises(InputError, match="packad ström som blir större än 150 MB"):
        check_attachment(bomb)


def test_an_unchanged_attachment_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read when the meeting is loaded and again when the packet is put together: the
    streams are unpacked the first time only; each call gives a PDF of its own to edit."""
    checks: list[Path] = []
    check = sanitise._opened_and_checked

    def counted(path: Path, *, repair: bool) -> pikepdf.Pdf:
        checks.append(path)
        return check(path, repair=repair)

    monkeypatch.setattr(sanitise, "_opened_and_checked", counted)
    path = tmp_path / "bilaga.pdf"
    path.write_bytes(bomb_pdf(1))
    first, second = sanitise.open_attachment(path), sanitise.open_attachment(path)
    assert checks == [path] and first is not second
    path.write_bytes(bomb_pdf(2))  # changed: checked again
    sanitise.open_attachment(path)
    assert checks == [path, path]


def test_a_locked_or_broken_attachment_is_a_swedish_error(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("hemligt")
    locked = tmp_path / "låst.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    with pytest.raises(InputError, match="PDF-bilagan är krypterad eller lösenordsskyddad"):
        check_attachment(locked)
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.4 trasig")
    with pytest.raises(InputError, match="PDF-bilagan är en trasig PDF som inte kan läsas"):
        check_attachment(broken)


def _run_length(data: bytes) -> bytes:
    """RunLengthDecode's input for `data`: literal runs, and one repeated run."""
    runs = b"".join(
        bytes([len(c) - 1]) + c for c in (data[i : i + 128] for i in range(0, len(data), 128))
    )
    return runs + bytes([257 - 100]) + b"x" + b"\x80"


def _lzw(data: bytes) -> bytes:
    """LZWDecode's input for `data`, by Pillow's TIFF writer (the same LZW)."""
    image = PIL.Image.frombytes("L", (len(data), 1), data)
    out = io.BytesIO()
    image.save(out, "TIFF", compression="tiff_lzw")
    tiff = PIL.Image.open(io.BytesIO(out.getvalue()))
    start, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    return out.getvalue()[start : start + length]


PACKED = {
    "Flate": (["/FlateDecode"], zlib.compress),
    "Flate två gånger": (
        ["/FlateDecode", "/FlateDecode"],
        lambda d: zlib.compress(zlib.compress(d)),
    ),
    "ASCIIHex": (["/AHx"], lambda d: d.hex().encode() + b">"),
    "ASCII85 och Flate": (
        ["/A85", "/Fl"],
        lambda d: base64.a85encode(zlib.compress(d), wrapcol=70) + b"~>",
    ),
    "RunLength": (["/RunLengthDecode"], _run_length),
    "LZW": (["/LZWDecode"], _lzw),
}


@pytest.mark.parametrize("packing", list(PACKED))
def test_the_bounded_decoders_unpack_as_qpdf_does(packing: str) -> None:
    filters, pack = PACKED[packing]
    data = bytes(random.Random(packing).randrange(6) for _ in range(100_000)) + b"\0" * 5000
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, pack(data))
    stream[pikepdf.Name.Filter] = pikepdf.Array([pikepdf.Name(f) for f in filters])
    expected = stream.read_bytes(decode_level=pikepdf.StreamDecodeLevel.specialized)
    assert sanitise.unpacked(stream, len(expected)) == expected
    assert sanitise.unpacked(stream, len(expected) - 1) is None
    assert sanitise._at_most(stream) >= len(expected)


def test_a_small_attachment_is_not_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its streams cannot unpack beyond the limits however they are packed: not one is
    unpacked. The bound holds for the best packing zlib does."""

    def unpacked(*_: object) -> int:
        raise AssertionError("unpacked")

    small = tmp_path / "liten.pdf"
    small.write_bytes(bomb_pdf(20))  # 20 KB packed: 20 MB at most, unpacked
    monkeypatch.setattr(sanitise, "_unpacked_size", unpacked)
    check_attachment(small)
    with pikepdf.open(small) as pdf:
        assert sanitise._at_most(pdf.pages[0].obj.Contents) >= 20 << 20


def test_a_damaged_attachment_is_repaired_only_when_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong cross-reference table is rebuilt by a scan of the file, as readers do;
    the scan costs by the object, so a big damaged file is refused instead."""
    damaged = tmp_path / "skadad.pdf"
    damaged.write_bytes(bomb_pdf(1).replace(b"startxref", b"startxre"))
    with sanitise.open_attachment(damaged) as pdf:
        assert len(pdf.pages) == 1
    again = tmp_path / "skadad-igen.pdf"
    again.write_bytes(damaged.read_bytes())
    monkeypatch.setattr(sanitise, "REPAIR_LIMIT", 100)
    with pytest.raises(InputError, match="PDF-bilagan är en trasig PDF som inte kan läsas"):
        check_attachment(again)


def test_all_streams_together_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sanitise, "TOTAL_LIMIT", 5_000_000)
    many = tmp_path / "många.pdf"
    many.write_bytes(bomb_pdf(6))
    with pytest.raises(InputError, match="packas upp till mer än 5 MB"):
        check_attachment(many)


def test_the_packet_names_the_bomb(cli, meeting: Path, tmp_path: Path) -> None:
    need_libreoffice()
    (meeting.parent / "ombud" / "blankett.pdf").write_bytes(bomb_pdf(200))
    run = cli("packet", meeting, "-o", tmp_path / "ut")
    assert run.code == 1
    assert "”ombud/blankett.pdf”: PDF-bilagan har en packad ström" in run.err
    assert not (tmp_path / "ut").exists()


def _blue_corner(pdf: Path) -> str:
    """Where, on the page as a viewer shows it, the blue mark is: 'nedre vänstra' etc."""
    ppm = subprocess.run(["pdftoppm", "-r", "10", str(pdf)], capture_output=True, check=True).stdout
    header, width, height, _, pixels = ppm.split(maxsplit=4)
    assert header == b"P6"
    w, h = int(width), int(height)
    blue = [
        (i % w, i // w) for i in range(w * h) if pixels[3 * i] < 100 and pixels[3 * i + 2] > 200
    ]
    assert blue, "no mark drawn"
    x = sum(p[0] for p in blue) / len(blue)
    y = sum(p[1] for p in blue) / len(blue)
    return ("övre" if y < h / 2 else "nedre") + (" vänstra" if x < w / 2 else " högra")


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_frame_is_upright_on_rotated_and_shifted_pages(tmp_path: Path, rotate: int) -> None:
    """The frame follows /Rotate and an offset crop box: its footer mark (lower left on
    the placeholder) lands lower left on the page as displayed."""
    need_poppler("pdftoppm")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    placeholder = pdf.pages[0]
    mark = b"/Artifact BMC 0 0 1 rg 20 20 150 150 re f EMC"  # a footer mark
    placeholder.obj[pikepdf.Name.Contents] = pdf.make_indirect(pikepdf.Stream(pdf, mark))
    frame = frame_of(pdf, placeholder)
    width, height = (595, 842) if rotate in (0, 180) else (842, 595)
    pdf.add_blank_page(page_size=(width + 100, height + 100))
    page = pdf.pages[1]
    page.obj[pikepdf.Name.CropBox] = pikepdf.Array([50, 50, 50 + width, 50 + height])
    page.obj[pikepdf.Name.Rotate] = rotate
    draw_frame(pdf, page, frame)
    del pdf.pages[0]
    out = tmp_path / "ram.pdf"
    pdf.save(out)
    assert _blue_corner(out) == "nedre vänstra"


def test_validate_finds_the_bomb_at_its_line(cli, meeting: Path) -> None:
    (meeting.parent / "ombud" / "blankett.pdf").write_bytes(bomb_pdf(200))
    run = cli("validate", meeting)
    assert run.code == 1
    assert "sammanträde.yaml:" in run.err  # the line that lists it
    assert "”ombud/blankett.pdf”: PDF-bilagan har en packad ström" in run.err


def _packet_pdf() -> bytes:
    """A stand-in for LibreOffice's PDF: one placeholder page, found by its bookmark."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_named_destination("bd1x1", 0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_attachment_that_breaks_while_put_in_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qpdf reads objects when they are used, so a damaged one may fail only while the
    pages are put in. qpdf mends what pypdf failed on (a page whose /Annots is a number
    reads as one without annotations), so the failure is made here."""
    from beslutsdoc.compose.packet import Slot
    from beslutsdoc.export import pdf

    def damaged(page: pikepdf.Page) -> None:
        raise pikepdf.PdfError("object 7 0: expected dictionary")

    monkeypatch.setattr(pdf, "clean_page", damaged)
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    broken = tmp_path / "trasig.pdf"
    with broken.open("wb") as out:
        writer.write(out)
    document = pikepdf.open(io.BytesIO(_packet_pdf()))
    with pytest.raises(InputError) as caught:
        pdf.assemble(document, {"bd1x1": 0}, [Slot("bd1x1", broken, 1)], [], "Handlingar")
    assert str(caught.value) == f"{broken}: PDF-bilagan är trasig och kan inte sättas in"


def test_a_pages_own_metadata_does_not_follow_it_into_the_packet() -> None:
    """A page's XMP may name its author; the packet's metadata is the packet's own."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    xmp = pikepdf.Stream(
        pdf, "<x:xmpmeta><dc:creator>Anna Handläggare</dc:creator></x:xmpmeta>".encode()
    )
    page.obj[pikepdf.Name.Metadata] = pdf.make_indirect(xmp)
    page.obj[pikepdf.Name.PieceInfo] = pikepdf.Dictionary()
    clean_page(page)
    assert "/Metadata" not in page.obj and "/PieceInfo" not in page.obj
