"""PDF attachments are untrusted: checked for decompression bombs, and cleaned of active
content before their pages go into the packet.

Removed: JavaScript, additional actions (/AA), /Launch, remote and embedded go-to's,
form submission and import, sound, movie and rich-media actions and annotations, file
attachments; the document-level /OpenAction, /AA, JavaScript and embedded files of the
packet itself. Kept: web and e-mail links (/URI with http, https or mailto), go-to's
inside the document, named actions (next page and the like).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from beslutsdoc.problems import InputError, Problem

#: A PDF attachment's file size: well above a long scanned report (about 50 MB).
FILE_LIMIT = 300_000_000
#: One stream, unpacked: an A4 page scanned at 600 dpi in colour is about 105 MB.
STREAM_LIMIT = 150_000_000
#: All streams of one attachment's pages, unpacked.
TOTAL_LIMIT = 1_000_000_000
_CHUNK = 1 << 20

SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: Annotations that play, open or carry something; dropped whole.
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
#: Keys that lead from a page to other pages or the document, not to what it draws.
_NOT_DRAWN = {"/Parent", "/P", "/Dest", "/D", "/A", "/AA", "/Next", "/StructParents", "/B"}


def _problem(path: Path, message: str) -> InputError:
    return InputError([Problem(f"PDF-bilagan {message}", file=path)])


def open_attachment(path: Path) -> PdfReader:
    """The attachment, read and checked: no stream unpacks beyond the limits."""
    try:
        size = path.stat().st_size
        if size > FILE_LIMIT:
            raise _problem(
                path,
                f"är {size / 1e6:.0f} MB; högst {FILE_LIMIT / 1e6:.0f} MB går in i handlingarna",
            )
        reader = PdfReader(path)
        total = 0
        for page in reader.pages:
            for stream in _streams(page, set()):
                total += _unpacked_size(path, stream, TOTAL_LIMIT - total)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _problem(path, "är en trasig PDF som inte kan läsas") from None
    return reader


def check_attachment(path: Path) -> None:
    """Raise InputError naming `path` if it could not go into a packet PDF."""
    open_attachment(path)


def _streams(node: Any, seen: set[tuple[int, int]]) -> Iterator[StreamObject]:
    """Every stream a page draws with: contents, resources, appearances, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, StreamObject):
            yield item
        if isinstance(item, DictionaryObject):
            stack.extend(v for k, v in item.items() if k not in _NOT_DRAWN)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _unpacked_size(path: Path, stream: StreamObject, room: int) -> int:
    """How big a Flate stream unpacks, counted without keeping it; an error beyond the
    limits. Other filters are left to pypdf's own limits."""
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    raw = stream._data  # the stored bytes, not decoded
    if first not in ("/FlateDecode", "/Fl") or not isinstance(raw, bytes):
        return len(raw) if isinstance(raw, bytes) else 0
    limit = min(STREAM_LIMIT, room)
    inflater = zlib.decompressobj()
    size = 0
    data = raw
    try:
        while data:
            size += len(inflater.decompress(data, _CHUNK))
            data = inflater.unconsumed_tail
            if size > limit:
                break
    except zlib.error:
        return size  # damaged data: readers show what unpacks, as pypdf does
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


def clean_page(page: PageObject) -> None:
    """Remove the page's active content in place (the packet writer's copy), and its
    own metadata, which may name its author and has no place in the packet's."""
    for key in ("/AA", "/PieceInfo", "/Metadata"):
        if key in page:
            del page[NameObject(key)]
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for ref in annotations.get_object():
        annotation = ref.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
            continue
        if "/AA" in annotation:
            del annotation[NameObject("/AA")]
        if "/A" in annotation:
            action = _safe_action(annotation["/A"])
            if action is None:
                if annotation.get("/Subtype") == "/Link":
                    continue  # a link that would run something: no link at all
                del annotation[NameObject("/A")]
            else:
                annotation[NameObject("/A")] = action
        if annotation.get("/Subtype") == "/Widget" and "/Parent" in annotation:
            # A form field's parent may carry scripts; the packet has no form, the
            # widget's appearance is what shows.
            del annotation[NameObject("/Parent")]
        kept.append(ref)
    page[NameObject("/Annots")] = kept


def _safe_action(action: Any, depth: int = 0) -> Any:
    """The action with every unsafe step of its /Next chain removed, or None."""
    node = action.get_object() if isinstance(action, IndirectObject) else action
    if isinstance(node, ArrayObject):  # /Next may be a list of actions
        safe = [a for a in (_safe_action(item, depth + 1) for item in node) if a is not None]
        return ArrayObject(safe) if safe else None
    if not isinstance(node, DictionaryObject) or depth > 20:
        return None
    if node.get("/S") not in SAFE_ACTIONS:
        return None
    if node.get("/S") == "/URI":
        uri = str(node.get("/URI", "")).strip().lower()
        if not uri.startswith(SAFE_SCHEMES):
            return None
    if "/Next" in node:
        following = _safe_action(node["/Next"], depth + 1)
        if following is None:
            del node[NameObject("/Next")]
        else:
            node[NameObject("/Next")] = following
    return action


def clean_document(writer: PdfWriter) -> None:
    """The packet's own document-level active content: none but a safe opening action."""
    root = writer.root_object
    opening = root.get("/OpenAction")
    if isinstance(opening, DictionaryObject) and _safe_action(root["/OpenAction"]) is None:
        del root[NameObject("/OpenAction")]
    for key in ("/AA", "/AcroForm"):
        if key in root:
            del root[NameObject(key)]
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations"):
            if key in names:
                del names[NameObject(key)]
