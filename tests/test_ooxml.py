"""The package layer: the guarded reader (issue 9) and schema child order (issue 8)."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from beslutsdoc.compose.composer import Composer
from beslutsdoc.ooxml import guard, schema
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import el, w
from beslutsdoc.problems import InputError
from tests.corpus import build
from tests.structure import assert_valid_docx, findings

ROOT = Path(__file__).resolve().parents[1]
HANDLINGAR = (ROOT / "templates" / "handlingar.docx").read_bytes()
SOURCE = Path("bilagor/rapport.docx")


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def problem(data: bytes) -> str:
    """The one Swedish problem reading and merging `data` gives, naming SOURCE."""
    with pytest.raises(InputError) as caught:
        Composer(Package.read(HANDLINGAR)).append(Package.read(data, SOURCE))
    (found,) = caught.value.problems
    assert found.file == SOURCE
    return found.message


def word(**changes: bytes) -> bytes:
    parts = members(build.word_like()[0])
    parts.update(changes)
    return zip_of(parts)


def test_a_part_that_expands_too_far_is_refused() -> None:
    message = problem(word(**{"word/document.xml": b" " * (guard.RATIO_FLOOR + 1024)}))
    assert "word/document.xml" in message and "zip-bomb" in message


def test_too_many_entries_are_refused() -> None:
    parts = members(build.word_like()[0])
    parts.update({f"word/media/x{i}.png": b"" for i in range(guard.MAX_ENTRIES)})
    assert "delar" in problem(zip_of(parts, zipfile.ZIP_STORED))


def test_a_dtd_is_refused_and_nothing_expands() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="' + build.W.encode() + b'"><w:body><w:p><w:r><w:t>&lol2;</w:t>'
        b"</w:r></w:p></w:body></w:document>"
    )
    assert "DTD" in problem(word(**{"word/document.xml": laughs}))


def test_too_deep_xml_is_refused() -> None:
    deep = (
        b'<w:document xmlns:w="'
        + build.W.encode()
        + b'"><w:body>'
        + b"<w:p>" * 300
        + b"</w:p>" * 300
        + b"</w:body></w:document>"
    )
    assert "nästlad" in problem(word(**{"word/document.xml": deep}))


def test_broken_xml_names_the_part() -> None:
    message = problem(word(**{"word/styles.xml": b"<w:styles"}))
    assert "word/styles.xml" in message and "giltig XML" in message


def test_an_encrypted_entry_is_refused() -> None:
    data = bytearray(build.word_like()[0])
    # Set the "encrypted" flag of every entry in the central directory.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        flags = struct.unpack_from("<H", data, start + 8)[0]
        struct.pack_into("<H", data, start + 8, flags | 1)
        start += 4
    assert "krypterad" in problem(bytes(data))


def test_an_ole_file_is_called_encrypted_or_old() -> None:
    assert "krypterad" in problem(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_a_crc_error_names_the_part() -> None:
    data = bytearray(zip_of(members(build.word_like()[0]), zipfile.ZIP_STORED))
    at = data.find(b"Rapport")
    data[at] = ord("X")
    message = problem(bytes(data))
    assert "word/document.xml" in message and "skadad" in message


def test_missing_content_types_is_no_word_file() -> None:
    parts = members(build.word_like()[0])
    del parts["[Content_Types].xml"]
    assert "[Content_Types].xml saknas" in problem(zip_of(parts))


def test_member_names_outside_the_package_never_reach_the_output() -> None:
    """An image relationship to ../../../tmp/x.png: not copied, and no such name written."""
    parts = members(build.absolute_targets()[0])
    parts["../../../tmp/x.png"] = build.png()
    parts["/tmp/y.png"] = build.png()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"/word/media/image1.png", b"../../../tmp/x.png"
    )
    composer = Composer(Package.read(HANDLINGAR))
    composer.append(Package.read(zip_of(parts)))
    merged = composer.finish()
    assert_valid_docx(merged)
    assert all(guard.safe_name(name) for name in members(merged))


def test_macros_and_an_external_template_are_not_carried() -> None:
    parts = members(HANDLINGAR)
    types = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    parts["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["word/vbaProject.bin"] = b"macro"
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    parts["word/_rels/settings.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///etc/passwd" TargetMode="External"/></Relationships>'
    )
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(
        b"</w:settings>", b'<w:attachedTemplate r:id="rId1"/></w:settings>'
    )
    written = Package.read(zip_of(parts)).to_bytes()
    out = members(written)
    assert "word/vbaProject.bin" not in out
    assert b"macroEnabled" not in out["[Content_Types].xml"]
    assert b"vbaProject" not in out["word/_rels/document.xml.rels"]
    assert b"attachedTemplate" not in out["word/_rels/settings.xml.rels"]
    assert b"attachedTemplate" not in out["word/settings.xml"]
    assert findings(written) == []


def test_a_bomb_whose_header_lies_stops_at_the_limit_in_little_memory(tmp_path: Path) -> None:
    """A part that claims to be small but inflates to 200 MB: read no further than the
    limit, with peak memory far below 500 MB."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    stream = b"".join(compressor.compress(chunk) for _ in range(200)) + compressor.flush()
    parts = members(build.word_like()[0])
    parts["word/document.xml"] = b"<x/>"  # a placeholder, replaced below
    data = zip_of(parts, zipfile.ZIP_STORED)
    bomb = _replace_stored(data, "word/document.xml", stream, claimed=4)
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from beslutsdoc.ooxml.package import Package\n"
        "from beslutsdoc.problems import InputError\n"
        "try:\n"
        f"    Package.open(Path({str(path)!r})).check_word()\n"
        "except InputError as err:\n"
        "    print(err)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    message, peak_kb = run.stdout.strip().rsplit("\n", 1)
    assert "word/document.xml" in message and ("för stort" in message or "skadad" in message)
    assert int(peak_kb) < 500 * 1024


def _replace_stored(data: bytes, name: str, deflated: bytes, claimed: int) -> bytes:
    """Rebuild `data` with member `name` as the raw deflate stream `deflated`, whose
    headers claim `claimed` bytes uncompressed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info.filename))
    entries = out.getvalue()
    # Append the bomb by hand: a local header, the stream, and a rebuilt directory.
    archive_bytes = entries[: entries.find(b"PK\x01\x02")]
    offset = len(archive_bytes)
    encoded = name.encode()
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0, len(deflated), claimed, len(encoded), 0
    )
    archive_bytes += local + encoded + deflated
    directory = entries[entries.find(b"PK\x01\x02") : entries.find(b"PK\x05\x06")]
    central = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0x21,
        0,
        len(deflated),
        claimed,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    directory += central + encoded
    count = len(source.infolist())
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(archive_bytes), 0
    )
    return archive_bytes + directory + end


def test_children_go_where_the_schema_wants_them() -> None:
    tbl_pr = el("tblPr")
    tbl_pr.append(el("tblLook", {"val": "04A0"}))
    schema.set_child(tbl_pr, "tblBorders")
    schema.set_child(tbl_pr, "tblStyle", val="Tabell")
    schema.set_child(tbl_pr, "tblW", w="0", type="auto")
    assert [etree.QName(c).localname for c in tbl_pr] == [
        "tblStyle",
        "tblW",
        "tblBorders",
        "tblLook",
    ]
    rpr = el("rPr")
    for tag in ("lang", "sz", "b", "rStyle", "szCs"):
        schema.set_child(rpr, tag, val="1")
    assert [etree.QName(c).localname for c in rpr] == ["rStyle", "b", "sz", "szCs", "lang"]
    assert schema.out_of_order(rpr) is None
    rpr.append(el("b"))
    assert schema.out_of_order(rpr) == "b efter lang"


def test_sort_children_fixes_an_element() -> None:
    sect = el("sectPr", None, el("pgMar"), el("titlePg"), el("pgSz"), el("headerReference"))
    schema.sort_children(sect)
    assert [etree.QName(c).localname for c in sect] == [
        "headerReference",
        "pgSz",
        "pgMar",
        "titlePg",
    ]
    assert sect.find(w("pgSz")) is not None


@pytest.mark.parametrize("case", ["html-root", "renamed-main", "plain-text"])
def test_a_meeting_names_an_attachment_that_is_not_word(cli, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    """Read through the guarded reader when the meeting is loaded: exit 1, nothing
    written, the attachment named with what is wrong."""
    examples = ROOT / "examples" / "botkyrka"
    meeting = tmp_path / "botkyrka"
    shutil.copytree(examples, meeting)
    attachment = meeting / "2021-01-26" / "04-uppdrag-psykisk-hälsa" / "enkätsvar-till-skr.docx"
    attachment.write_bytes(build.not_word()[case])
    run = cli("packet", meeting / "2021-01-26" / "sammanträde.yaml", "-o", tmp_path / "ut")
    assert run.code == 1
    assert "enkätsvar-till-skr.docx" in run.err and "ingen läsbar Word-fil" in run.err
    assert "ingen Word-fil" in run.err.split("ingen läsbar Word-fil", 1)[1]
    assert not (tmp_path / "ut").exists()


def _hostile_template() -> bytes:
    """The standard template with macros, an external attached template and a member
    named outside the package."""
    parts = members((ROOT / "templates" / "tjänsteutlåtande.docx").read_bytes())
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/word/vbaProject.bin"'
            b' ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
    )
    parts["word/vbaProject.bin"] = b"Sub AutoOpen()"
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    parts["word/_rels/settings.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="file:///etc/passwd" TargetMode="External"/>'
        b"</Relationships>"
    )
    parts["../../../tmp/x.png"] = build.png()
    return zip_of(parts)


def test_a_hostile_templates_macros_never_reach_the_paper(cli, folder: Path, write) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PAPER

    (folder / "mall.docx").write_bytes(_hostile_template())
    paper = write(PAPER + "mallar:\n  tjänsteutlåtande: mall.docx\n")
    assert cli("render", paper).code == 0
    written = paper.with_suffix(".docx").read_bytes()
    out = members(written)
    assert "word/vbaProject.bin" not in out and all(guard.safe_name(n) for n in out)
    assert b"macroEnabled" not in out["[Content_Types].xml"]
    assert b"attachedTemplate" not in out.get("word/_rels/settings.xml.rels", b"")
    assert findings(written) == []


def test_a_template_with_a_dtd_is_refused(cli, folder: Path, write) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PAPER

    parts = members((ROOT / "templates" / "tjänsteutlåtande.docx").read_bytes())
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
    )
    (folder / "mall.docx").write_bytes(zip_of(parts))
    paper = write(PAPER + "mallar:\n  tjänsteutlåtande: mall.docx\n")
    run = cli("render", paper)
    assert run.code == 1 and "mall.docx" in run.err
    assert not paper.with_suffix(".docx").exists()


def test_what_parts_really_inflate_to_counts_not_their_headers(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Parts whose headers claim a few bytes: the total actually read stops the read."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    stream = compressor.compress(b" " * (1 << 20)) + compressor.flush()
    parts = members(build.word_like()[0])
    parts["word/document.xml"] = b"<x/>"
    bomb = _replace_stored(zip_of(parts, zipfile.ZIP_STORED), "word/document.xml", stream, 4)
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", 512 * 1024)
    message = problem(bomb)
    assert "för stort" in message or "skadad" in message
