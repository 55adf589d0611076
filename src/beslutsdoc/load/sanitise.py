"""PDF attachments are untrusted: checked for decompression bombs, and cleaned of active
content before their pages go into the packet.

Removed: JavaScript, additional actions (/AA), /Launch, remote and embedded go-to's,
form submission and import, sound, movie and rich-media actions and annotations, file
attachments; the document-level /OpenAction, /AA, JavaScript and embedded files of the
packet itself. Kept: web and e-mail links (/URI with http, https or mailto), go-to's
inside the document, named actions (next page and the like).

The bomb check unpacks every stream itself, bounded, from its stored bytes: qpdf
unpacks without limits, and on saving it unpacks every stream whose filters it calls
general (Flate, LZW, ASCIIHex, ASCII85, chained) to pack it again. RunLength, which a
reader unpacks as well, is counted the same way.
"""

from __future__ import annotations

import base64
import binascii
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pikepdf

from beslutsdoc.pdfobjects import key_of
from beslutsdoc.problems import InputError, Problem

#: A PDF attachment's file size: well above a long scanned report (about 50 MB).
FILE_LIMIT = 300_000_000
#: One stream, unpacked: an A4 page scanned at 600 dpi in colour is about 105 MB.
STREAM_LIMIT = 150_000_000
#: All streams of one attachment's pages, unpacked.
TOTAL_LIMIT = 1_000_000_000
_CHUNK = 1 << 20
#: qpdf decodes no stream with more filters than this (its max_stream_filters).
_FILTERS = 25

SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: Annotations that play, open or carry something; dropped whole.
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
#: What an object may hold that leads further (numbers, names and strings do not).
_CONTAINERS = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)

#: A damaged file is repaired (its objects found by a scan of it all) only up to this
#: size: qpdf's repair takes time and memory by the object (1 million: 14 s, 750 MB),
#: and a hostile file can have millions. A sound file is never scanned.
REPAIR_LIMIT = 30_000_000

#: What is said of an attachment that cannot be read.
BROKEN = "är en trasig PDF som inte kan läsas"
LOCKED = "är krypterad eller lösenordsskyddad; spara den utan skydd"

#: Files whose check passed in this process, (path, size, mtime, limits), with whether
#: they had to be repaired. A meeting's attachments are read when it is loaded and
#: again when the packet is put together.
_checked: dict[tuple[str, int, int, int, int], bool] = {}


def _problem(path: Path, message: str) -> InputError:
    return InputError([Problem(f"PDF-bilagan {message}", file=path)])


def open_untrusted(path: Path, *, repair: bool = False) -> pikepdf.Pdf:
    """`path` opened as a PDF nobody vouches for, not checked (`open_attachment`
    checks). Read through a file handle, not mapped into memory: a file shortened
    while it is open is then an error, not a crash (SIGBUS). qpdf keeps its warnings
    to itself; `repair`: a damaged cross-reference table is rebuilt by a scan of the
    file, as pypdf did."""
    return pikepdf.open(
        path,
        access_mode=pikepdf.AccessMode.stream,
        suppress_warnings=True,
        attempt_recovery=repair,
    )


def open_attachment(path: Path) -> pikepdf.Pdf:
    """The attachment, read and checked: no stream unpacks beyond the limits. A new
    `pikepdf.Pdf` each call (callers edit it); the streams are unpacked once per process
    for an unchanged file."""
    try:
        status = path.stat()
        if status.st_size > FILE_LIMIT:
            raise _problem(
                path,
                f"är {status.st_size / 1e6:.0f} MB; högst {FILE_LIMIT / 1e6:.0f} MB går in"
                " i handlingarna",
            )
        key = (
            os.fspath(path.resolve()),
            status.st_size,
            status.st_mtime_ns,
            STREAM_LIMIT,
            TOTAL_LIMIT,
        )
        repair = _checked.get(key)
        if repair is not None:
            return open_untrusted(path, repair=repair)
        try:
            pdf = _opened_and_checked(path, repair=False)
            _checked[key] = False
        except pikepdf.PdfError:
            if status.st_size > REPAIR_LIMIT:
                raise
            pdf = _opened_and_checked(path, repair=True)
            _checked[key] = True
        return pdf
    except pikepdf.PasswordError:
        raise _problem(path, LOCKED) from None
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _problem(path, BROKEN) from None


def _opened_and_checked(path: Path, *, repair: bool) -> pikepdf.Pdf:
    pdf = open_untrusted(path, repair=repair)
    try:
        _check(path, pdf)
    except BaseException:
        pdf.close()
        raise
    return pdf


def _check(path: Path, pdf: pikepdf.Pdf) -> None:
    """Raise InputError if a stream of `pdf`'s pages unpacks beyond the limits. Most
    attachments are too small to: then nothing is unpacked."""
    seen: set[tuple[int, int]] = set()
    streams = [stream for page in pdf.pages for stream in _streams(page.obj, seen)]
    most = [_at_most(stream) for stream in streams]
    if sum(most) <= TOTAL_LIMIT and max(most, default=0) <= STREAM_LIMIT:
        return
    total = 0
    for stream in streams:
        total += _unpacked_size(path, stream, TOTAL_LIMIT - total)


def _at_most(stream: pikepdf.Stream) -> int:
    """The most the stream can unpack to, by how much each of its filters can multiply."""
    size = len(stream.read_raw_bytes())
    filters = _filters(stream)
    for name in filters if len(filters) <= _FILTERS else []:
        factor = _GROWTH.get(str(name))
        if factor is None:
            break
        size = size * factor + 1024
    return size


def check_attachment(path: Path) -> None:
    """Raise InputError naming `path` if it could not go into a packet PDF."""
    open_attachment(path).close()


def _streams(node: Any, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Stream]:
    """Every stream a page's copy in the packet may take along: contents, resources,
    appearances, and what its links and actions reach, depth first (qpdf copies all of
    it but the page tree, /Parent, and unpacks it on saving). Each object once (by
    identity): pages share fonts and images."""
    stack = [node]
    while stack:
        item = stack.pop()
        key = key_of(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        if isinstance(item, pikepdf.Array):
            stack.extend(v for v in item if isinstance(v, _CONTAINERS))
            continue
        if isinstance(item, pikepdf.Stream):
            yield item
        stack.extend(v for k, v in item.items() if k != "/Parent" and isinstance(v, _CONTAINERS))


def _unpacked_size(path: Path, stream: pikepdf.Stream, room: int) -> int:
    """How big a stream unpacks through the filters qpdf would undo, counted without
    keeping it; an error beyond the limits."""
    limit = min(STREAM_LIMIT, room)
    size = 0
    for piece in _unpacked(stream):
        size += len(piece)
        if size > limit:
            break
    if size > STREAM_LIMIT:
        raise _problem(
            path,
            f"har en packad ström som blir större än {STREAM_LIMIT / 1e6:.0f} MB uppackad"
            " (en så kallad dekompressionsbomb eller en felaktigt gjord fil); spara om den,"
            " till exempel genom att skriva ut den till PDF",
        )
    if size > room:
        raise _problem(
            path,
            f"packas upp till mer än {TOTAL_LIMIT / 1e6:.0f} MB; dela upp den eller spara om den"
            " med lägre upplösning",
        )
    return size


def unpacked(stream: pikepdf.Stream, limit: int) -> bytes | None:
    """The stream's data, unpacked by the bounded decoders; None when it would be
    bigger than `limit` or has a filter they do not undo (an image's, say)."""
    filters = _filters(stream)
    if any(str(f) not in _DECODERS for f in filters):
        return None
    out = bytearray()
    for piece in _unpacked(stream):
        out += piece
        if len(out) > limit:
            return None
    return bytes(out)


def _filters(stream: pikepdf.Stream) -> list[Any]:
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        return list(filters)[: _FILTERS + 1]
    return [] if filters is None else [filters]


def _unpacked(stream: pikepdf.Stream) -> Iterator[bytes]:
    """The stream's data in pieces, through each filter in turn up to the first one
    these decoders do not undo (whose input is then what is counted); damaged data ends
    early, as readers show what unpacks."""
    chunks: Iterable[bytes] = [stream.read_raw_bytes()]
    filters = _filters(stream)
    for name in filters if len(filters) <= _FILTERS else []:
        decoder = _DECODERS.get(str(name))
        if decoder is None:
            break
        chunks = decoder(chunks)
    return iter(chunks)


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        for data in chunks:
            while True:
                piece = inflater.decompress(data, _CHUNK)
                yield piece
                data = inflater.unconsumed_tail
                if (not data and len(piece) < _CHUNK) or inflater.eof:
                    break
            if inflater.eof:
                return
    except zlib.error:
        return


_WHITE = b" \t\r\n\f\0"


def _unhex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        data = rest + chunk.translate(None, _WHITE)
        end = data.find(b">")
        if end >= 0:
            data = data[:end] + b"0" * (end % 2)  # an odd last digit is followed by 0
        cut = len(data) - len(data) % 2
        rest = data[cut:]
        try:
            yield binascii.unhexlify(data[:cut])
        except binascii.Error:
            return
        if end >= 0:
            return


def _un85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        data = rest + chunk.translate(None, _WHITE).replace(b"z", b"!!!!!")
        end = data.find(b"~")
        data = data[:end] if end >= 0 else data
        cut = len(data) if end >= 0 else len(data) - len(data) % 5
        rest = data[cut:]
        try:
            yield base64.a85decode(data[:cut])
        except ValueError:
            return
        if end >= 0:
            return
    if rest:
        try:
            yield base64.a85decode(rest)
        except ValueError:
            return


def _unrun(chunks: Iterable[bytes]) -> Iterator[bytes]:
    out = bytearray()
    pending = b""
    for chunk in chunks:
        data, at = pending + chunk, 0
        while at < len(data):
            n = data[at]
            if n == 128:  # end of data
                yield bytes(out)
                return
            step = n + 2 if n < 128 else 2
            if at + step > len(data):
                break
            out += data[at + 1 : at + step] if n < 128 else data[at + 1 : at + 2] * (257 - n)
            at += step
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
        pending = data[at:]
    yield bytes(out)


def _unlzw(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """LZW as PDF has it (ISO 32000-1, 7.4.4): codes of 9 to 12 bits, 256 clears the
    table, 257 ends, the code width grows one code early."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    buffer = count = 0
    bits, previous, out = 9, b"", bytearray()
    for chunk in chunks:
        for byte in chunk:
            buffer, count = (buffer << 8) | byte, count + 8
            while count >= bits:
                count -= bits
                code, buffer = buffer >> count, buffer & ((1 << count) - 1)
                if code == 256:
                    del table[258:]
                    bits, previous = 9, b""
                    continue
                if code == 257 or code > len(table) or (code == len(table) and not previous):
                    yield bytes(out)  # the end, or damaged data
                    return
                word = table[code] if code < len(table) else previous + previous[:1]
                out += word
                if previous and len(table) < 4096:
                    table.append(previous + word[:1])
                previous = word
                if len(table) >= (1 << bits) - 1 and bits < 12:
                    bits += 1
                if len(out) >= _CHUNK:
                    yield bytes(out)
                    out.clear()
    yield bytes(out)


#: How many times bigger each filter's output can be than its input, at most: Flate
#: 1032 (a 258-byte match in 2 bits), LZW (a 9-bit code for up to 4 096 bytes),
#: RunLength 128 from 2 bytes, ASCII85 4 from a "z".
_GROWTH = {
    "/FlateDecode": 1032,
    "/Fl": 1032,
    "/LZWDecode": 3641,
    "/LZW": 3641,
    "/RunLengthDecode": 64,
    "/RL": 64,
    "/ASCIIHexDecode": 1,
    "/AHx": 1,
    "/ASCII85Decode": 4,
    "/A85": 4,
}

_DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "/FlateDecode": _inflate,
    "/Fl": _inflate,
    "/LZWDecode": _unlzw,
    "/LZW": _unlzw,
    "/RunLengthDecode": _unrun,
    "/RL": _unrun,
    "/ASCIIHexDecode": _unhex,
    "/AHx": _unhex,
    "/ASCII85Decode": _un85,
    "/A85": _un85,
}


def clean_page(page: pikepdf.Page) -> None:
    """Remove the page's active content in place (the packet's copy), and its own
    metadata, which may name its author and has no place in the packet's."""
    node = page.obj
    for key in ("/AA", "/PieceInfo", "/Metadata"):
        if key in node:
            del node[key]
    annotations = node.get("/Annots")
    if annotations is None:
        return
    kept = pikepdf.Array()
    for annotation in annotations:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = _name(annotation.get("/Subtype"))
        if subtype in ACTIVE_ANNOTATIONS:
            continue
        if "/AA" in annotation:
            del annotation["/AA"]
        if "/A" in annotation:
            action = _safe_action(annotation["/A"])
            if action is None:
                if subtype == "/Link":
                    continue  # a link that would run something: no link at all
                del annotation["/A"]
            else:
                annotation[pikepdf.Name.A] = action
        if subtype == "/Widget" and "/Parent" in annotation:
            # A form field's parent may carry scripts; the packet has no form, the
            # widget's appearance is what shows.
            del annotation["/Parent"]
        kept.append(annotation)
    node[pikepdf.Name.Annots] = kept


def _safe_action(action: Any, depth: int = 0) -> Any:
    """The action with every unsafe step of its /Next chain removed, or None."""
    if isinstance(action, pikepdf.Array):  # /Next may be a list of actions
        safe = [a for a in (_safe_action(item, depth + 1) for item in action) if a is not None]
        return pikepdf.Array(safe) if safe else None
    if not isinstance(action, pikepdf.Dictionary) or depth > 20:
        return None
    kind = _name(action.get("/S"))
    if kind not in SAFE_ACTIONS:
        return None
    if kind == "/URI":
        uri = str(action.get("/URI", "")).strip().lower()
        if not uri.startswith(SAFE_SCHEMES):
            return None
    if "/Next" in action:
        following = _safe_action(action["/Next"], depth + 1)
        if following is None:
            del action["/Next"]
        else:
            action[pikepdf.Name.Next] = following
    return action


def _name(value: Any) -> str | None:
    """A name as text; None for anything else (which no viewer acts on as one)."""
    return str(value) if isinstance(value, pikepdf.Name) else None


def clean_document(pdf: pikepdf.Pdf) -> None:
    """The packet's own document-level active content: none but a safe opening action."""
    root = pdf.Root
    opening = root.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary) and _safe_action(opening) is None:
        del root["/OpenAction"]
    for key in ("/AA", "/AcroForm"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations"):
            if key in names:
                del names[key]
