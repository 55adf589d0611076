"""The packet as PDF: the notice and the whole packet with its attachments, bookmarks
and the PDF's page numbers in the Word file's contents.

A long packet is converted in parts (`layout_parts.py`), in LibreOffice processes side
by side, since LibreOffice lays out one long document in time that grows faster than
its pages: first the parts, then, knowing their pages, their numbers documents and the
front part with the true contents numbers; the pages are then put together (`join.py`)
with their page-number lines from the numbers documents (`page_numbers.py`) and the
contents' links (`contents.py`). A packet the parts could not give the same pages for
is converted whole.

Importing this module loads nothing heavy (the library's `PacketPdf` is defined here);
the work imports what it needs when it runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

    from beslutsdoc.compose.packet import Packet as Built
    from beslutsdoc.export.contents import Contents
    from beslutsdoc.export.layout_parts import Part, Parts
    from beslutsdoc.export.pdf import Work

#: Bytes of the packet's Word file (compressed) per part: about 50 items, which
#: LibreOffice lays out in time proportional to their pages, and in little memory.
PART_SIZE = 200_000
#: What messages call the packet's Word file (its parts are pieces of it).
HANDLINGAR = "handlingar.docx"


@dataclass
class PacketPdf:
    """The packet as PDF: the notice, the whole packet with its attachments and
    bookmarks, and the packet's Word file with the PDF's page numbers in its contents."""

    kallelse: bytes
    handlingar: bytes
    handlingar_docx: bytes
    pages: int


def packet_pdf(built: Built) -> PacketPdf:
    """Both documents of a built packet as PDF."""
    from beslutsdoc.export.layout_parts import split
    from beslutsdoc.export.pdf import assemble, work
    from beslutsdoc.render.layout import fill_page_numbers

    count = len(built.handlingar) // PART_SIZE + 1
    parts = split(built.handlingar, count) if count > 1 else None
    _give_back_memory()  # LibreOffice is about to take its share
    with work(Path(HANDLINGAR)) as folder:
        made = _in_parts(folder, built.kallelse, parts) if parts is not None else None
        kallelse, document, pages = made or _whole(folder, built)
        starts = {name: page - 1 for name, page in pages.items()}
        assembled, count = assemble(document, starts, built.slots, built.outline, built.title)
    # Placeholders and attachments have the same pages: the Word file's contents can
    # show the PDF's page numbers.
    docx = fill_page_numbers(built.handlingar, pages)
    return PacketPdf(kallelse, assembled, docx, count)


def _whole(folder: Work, built: Built) -> tuple[bytes, pikepdf.Pdf, dict[str, int]]:
    """The notice and the packet converted as they are (the packet's equal sections
    merged: the same pages, laid out faster; `layout_input.py`)."""
    import pikepdf

    from beslutsdoc.export.accessible import accessible
    from beslutsdoc.export.layout_input import for_layout
    from beslutsdoc.export.pdf import destinations

    made = folder.convert(
        {"kallelse.docx": built.kallelse, HANDLINGAR: for_layout(built.handlingar)}
    )
    document = pikepdf.open(made[HANDLINGAR])
    return accessible(made["kallelse.docx"].read_bytes()), document, destinations(document)


def _in_parts(
    folder: Work, kallelse: bytes, parts: Parts
) -> tuple[bytes, pikepdf.Pdf, dict[str, int]] | None:
    """The notice, and the packet from its parts with the page (from 1) of each Word
    bookmark; None when the parts turn out not to give the whole's pages."""
    import pikepdf

    from beslutsdoc.export.accessible import accessible

    first = {"kallelse.docx": kallelse}
    if parts.front is not None:
        first[_name("början")] = parts.front
    first |= {_name(f"del {k}"): part.docx for k, part in enumerate(parts.body, 1)}
    made = folder.convert(first)
    joined = _joined(folder, parts, made)
    if joined is None:
        return None
    # Written out and read again: the parts' objects, loaded to be copied, are let go
    # before the attachments go in.
    _give_back_memory()
    path, pages = joined
    return accessible(made["kallelse.docx"].read_bytes()), pikepdf.open(path), pages


def _joined(
    folder: Work, parts: Parts, made: Mapping[str, Path]
) -> tuple[Path, dict[str, int]] | None:
    """The parts LibreOffice made (`made`) as one PDF in the work folder, with the page
    (from 1) of each Word bookmark; None when they do not give the whole's pages. The
    parts are read for their pages and bookmarks and let go while LibreOffice makes the
    second round, so that it does not run beside them in memory."""
    import pikepdf

    from beslutsdoc.export.pdf import destinations

    local: list[dict[str, int]] = []
    sizes: list[int] = []
    for k, part in enumerate(parts.body, 1):
        with pikepdf.open(made[_name(f"del {k}")]) as body:
            lead = part.lead_pages
            if len(body.pages) <= lead:
                return None
            local.append({name: page - lead for name, page in destinations(body).items()})
            sizes.append(len(body.pages) - lead)
    front_pages, own = 0, {}
    if parts.front is not None:
        with pikepdf.open(made[_name("början")]) as start:
            front_pages, own = len(start.pages), destinations(start)
    # The contents' numbers may, rarely, change how many pages the front part takes.
    for _ in range(2):
        second = _second(folder, parts, sizes, local, own, front_pages)
        if second is None:
            return None
        front, contents, numbered, pages, made_pages = second
        if front is None or made_pages == front_pages:
            break
        front_pages = made_pages
    else:
        return None
    finished = [
        _finish_part(made[_name(f"del {k}")], numbers, part, parts.marker)
        for k, (part, numbers) in enumerate(zip(parts.body, numbered, strict=True), 1)
    ]
    document, pages = _put_together(front, finished, contents, pages)
    path = folder.folder / "handlingar-delar.pdf"
    with document:
        document.save(path)
    return path, pages


def _finish_part(path: Path, numbers: Path, part: Part, marker: tuple[int, int, int]) -> Path:
    """The part LibreOffice made (`path`) without its lead page, each page with its true
    page-number lines from the part's numbers document; written beside it and let go, so
    that only one part at a time is held in memory."""
    import pikepdf

    from beslutsdoc.export.page_numbers import draw_numbers, drop_numbers, numbers_form

    with pikepdf.open(path) as body, pikepdf.open(numbers) as numbered:
        if part.lead_pages:
            _drop_lead(body)
        for page, source in zip(body.pages, numbered.pages, strict=True):
            drop_numbers(body, page, marker)
            draw_numbers(body, page, numbers_form(body, source, marker))
        finished = path.with_name(f"{path.stem}-klar.pdf")
        body.save(finished)
    return finished


def _drop_lead(document: pikepdf.Pdf) -> None:
    """Remove a part's lead page (`layout_parts.Part.lead`) and what its structure has
    on it."""
    from beslutsdoc.export.structure import Structure

    tree = Structure(document)
    tree.forget_pages([(document.pages[0], document.pages[1])])
    tree.finish()
    del document.pages[0]


def _name(what: str) -> str:
    return f"{HANDLINGAR} ({what})"


def _second(
    folder: Work,
    parts: Parts,
    sizes: Sequence[int],
    local: Sequence[Mapping[str, int]],
    own: Mapping[str, int],
    front_pages: int,
) -> tuple[Path | None, Contents | None, list[Path], dict[str, int], int] | None:
    """The second round: with the parts' pages known (`sizes`, and `local`: each
    part's bookmarks), the front part with its true contents numbers and each part's
    numbers document. Returns their PDFs, the page of every Word bookmark and the front
    part's pages; None when a part's sections cannot be counted or a numbers document
    has other pages than its part."""
    import pikepdf

    from beslutsdoc.export.contents import literal
    from beslutsdoc.export.layout_parts import front_document, numbers_document
    from beslutsdoc.export.pdf import destinations
    from beslutsdoc.render.layout import fill_page_numbers

    offsets = list(itertools.accumulate(sizes, initial=front_pages))
    total = offsets[-1]
    pages = dict(own)  # the front part's own bookmarks: it starts on page 1
    pages |= {
        name: offsets[k] + page for k, found in enumerate(local) for name, page in found.items()
    }
    documents: dict[str, bytes] = {}
    for k, (part, size) in enumerate(zip(parts.body, sizes, strict=True)):
        counts = _section_pages(part, local[k], size)
        if counts is None:
            return None
        documents[_name(f"sidnummer {k + 1}")] = numbers_document(
            parts, k, counts, offsets[k] + 1, total
        )
    contents = None
    if parts.front is not None:
        # The front part's NUMPAGES as text (no PAGEREF given: those stay fields), the
        # contents' fields given their true numbers, then as text in a marker colour.
        contents = literal(fill_page_numbers(front_document(parts, {}, total), pages))
        documents[_name("början")] = contents.docx
    _give_back_memory()  # what reading the parts took, before LibreOffice takes its share
    # One LibreOffice: these pages are nearly empty and quick to lay out, and a second
    # process would hold as much memory again.
    made = folder.convert(documents, workers=1)
    numbered = [made[_name(f"sidnummer {k}")] for k in range(1, len(sizes) + 1)]
    for path, size in zip(numbered, sizes, strict=True):
        with pikepdf.open(path) as numbers:
            if len(numbers.pages) != size:
                return None
    front = made[_name("början")] if contents is not None else None
    made_pages = 0
    if front is not None:
        with pikepdf.open(front) as front_pdf:
            made_pages = len(front_pdf.pages)
            pages |= destinations(front_pdf)
    return front, contents, numbered, pages, made_pages


def _section_pages(part: Part, found: Mapping[str, int], pages: int) -> list[int] | None:
    """How many pages each section of `part` has, from where its bookmarks are."""
    starts = [found.get(section.bookmark) for section in part.sections]
    if any(start is None for start in starts) or not starts or starts[0] != 1:
        return None
    bounds = [*starts, pages + 1]
    counts = [b - a for a, b in itertools.pairwise(bounds)]  # type: ignore[operator]
    return counts if all(count >= 1 for count in counts) else None


def _put_together(
    front: Path | None,
    finished: Sequence[Path],
    contents: Contents | None,
    pages: dict[str, int],
) -> tuple[pikepdf.Pdf, dict[str, int]]:
    """One PDF of the front part and the finished body parts, the contents linked; the
    parts' section bookmarks are left out of the PDF and the pages returned. Each body
    part is let go once its pages are in (their copies read their data from its file)."""
    import pikepdf

    from beslutsdoc.export.contents import link
    from beslutsdoc.export.join import join
    from beslutsdoc.export.layout_parts import BOOKMARK_PREFIX

    def each(paths: Sequence[Path]) -> Iterator[pikepdf.Pdf]:
        for path in paths:
            with pikepdf.open(path) as part:
                yield part

    first = pikepdf.open(front if front is not None else finished[0])
    front_pages = len(first.pages) if front is not None else 0
    document = join(first, each(finished if front is not None else finished[1:]))
    named = document.Root.Dests
    if contents is not None:
        link(document, contents, {str(k): v for k, v in named.items()}, front_pages)
    for name in list(named.keys()):
        if name.startswith(f"/{BOOKMARK_PREFIX}"):
            del named[name]
    return document, {n: page for n, page in pages.items() if not n.startswith(BOOKMARK_PREFIX)}


def _give_back_memory() -> None:
    """Hand the memory that composing freed back to the system (glibc keeps it for
    later otherwise), so that it is not held while LibreOffice runs beside us."""
    import ctypes
    import gc

    gc.collect()
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        return
    trim(0)
