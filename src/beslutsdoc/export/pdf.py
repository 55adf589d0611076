"""PDF through LibreOffice: PDF/A-2b, tagged, with the document's title and language.

Many documents convert in one LibreOffice call (starting LibreOffice costs about two
seconds; converting a paper, a fraction of that), in batches within what one call
converts. Each run has its own user profile so runs never share or corrupt one another's
settings; each call is supervised (`soffice.py`) and its output checked before use.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from beslutsdoc.export import soffice
from beslutsdoc.export.accessible import accessible, make_accessible
from beslutsdoc.export.frame import draw_frame, frame_of
from beslutsdoc.export.pdfa import (
    output_components,
    pdfa_obstacles,
    rewrite_metadata,
    unembedded_fonts,
)
from beslutsdoc.export.pdfobjects import entry, name_tree
from beslutsdoc.export.soffice import find_soffice
from beslutsdoc.export.structure import Structure, is_tagged, pair_annotations
from beslutsdoc.load.sanitise import clean_document, clean_page, open_attachment
from beslutsdoc.output import os_reason, process_alive
from beslutsdoc.problems import InputError, Problem, ToolError

if TYPE_CHECKING:
    from beslutsdoc.compose.packet import Node, Slot

__all__ = ["assemble", "bookmark_pages", "convert", "find_soffice", "to_pdf"]

#: Work folders in $TMPDIR: the prefix, then the process id, so a later run can tell a
#: killed run's folder from a running one's.
WORK_PREFIX = "beslutsdoc-"


def convert(
    documents: Sequence[Path],
    out_dir: Path,
    *,
    names: Sequence[str] | None = None,
    timeout: float | None = None,
    cleanup: Sequence[Path] = (),
    workers: int | None = None,
) -> list[Path]:
    """Convert .docx files to PDF in `out_dir`, in as few LibreOffice calls as it allows,
    shared among `workers` LibreOffice processes that run at once (standard: one per
    core, as memory allows).

    Returns the PDFs in the order of `documents`, each checked to be a readable PDF with
    pages. `names`: how messages call each document (the user's file, never a temporary
    one). `cleanup`: folders to remove should beslutsdoc be killed meanwhile. Input file
    names must be distinct. When one process fails, the others are stopped and its
    failure is raised (of several that failed on their own, the first process's).
    """
    if not documents:
        return []
    shown = list(names) if names is not None else [d.name for d in documents]
    program = soffice.find_soffice()
    groups = _groups(documents, workers or soffice.workers(len(documents)))
    if len(groups) == 1:
        _convert_group(program, documents, shown, out_dir, timeout, cleanup)
        return [out_dir / (d.stem + ".pdf") for d in documents]
    with concurrent.futures.ThreadPoolExecutor(len(groups)) as pool:
        futures = [
            pool.submit(
                _convert_group,
                program,
                [documents[i] for i in group],
                [shown[i] for i in group],
                out_dir,
                timeout,
                cleanup,
            )
            for group in groups
        ]
        try:
            with soffice.terminate_raises():
                concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_EXCEPTION)
        finally:
            if not all(f.done() and f.exception() is None for f in futures):
                soffice.stop_all()
            concurrent.futures.wait(futures)
    failures = [f.exception() for f in futures if f.exception() is not None]
    real = [e for e in failures if not isinstance(e, soffice.Stopped)]
    if real or failures:
        raise (real or failures)[0]  # type: ignore[misc]
    return [out_dir / (d.stem + ".pdf") for d in documents]


#: Parallel processes only when the lightest share is at least 1/BALANCE of the heaviest.
BALANCE = 4


def _groups(documents: Sequence[Path], workers: int) -> list[list[int]]:
    """The documents' indexes in `workers` groups of about equal size in bytes (the
    biggest first, each to the lightest group), each group in document order; one group
    when the shares cannot be made about equal."""
    count = max(1, min(workers, len(documents)))
    sizes = []
    for index, document in enumerate(documents):
        try:
            sizes.append((document.stat().st_size, index))
        except OSError:
            sizes.append((0, index))
    groups: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for size, index in sorted(sizes, key=lambda s: (-s[0], s[1])):
        lightest = loads.index(min(loads))
        groups[lightest].append(index)
        loads[lightest] += size
    if min(loads) * BALANCE < max(loads):
        # One document outweighs the rest (the notice beside the packet): a second
        # LibreOffice would only add its start and its memory.
        return [list(range(len(documents)))]
    return [sorted(g) for g in groups if g]


def _convert_group(
    program: str,
    documents: Sequence[Path],
    shown: Sequence[str],
    out_dir: Path,
    timeout: float | None,
    cleanup: Sequence[Path],
) -> None:
    """One LibreOffice process's share, batch after batch, with a profile of its own:
    a copy of the prepared one, or a new one that is then kept as the prepared one."""
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as folder:
        profile = Path(folder)
        prepared = soffice.prepare(profile, program)
        try:
            for start in range(0, len(documents), soffice.BATCH):
                batch = documents[start : start + soffice.BATCH]
                limit = timeout if timeout is not None else soffice.timeout_for(batch)
                command = soffice.command(program, profile, out_dir, batch)
                result = soffice.run(command, timeout=limit, cleanup=[profile, *cleanup])
                _started(result, program)
                for index, document in enumerate(batch):
                    _verify(out_dir / (document.stem + ".pdf"), shown[start + index], result)
        except ToolError:
            if prepared:  # it may be the profile's fault: the next run makes a new one
                soffice.drop(program)
            raise
        if not prepared:
            soffice.keep(profile, program)


def _started(result: soffice.Result, program: str) -> None:
    if result.code == soffice.NOT_STARTED and result.stderr.startswith(soffice.GUARD_SAYS):
        number = result.stderr[len(soffice.GUARD_SAYS) :].split(":", 1)[0].strip()
        reason = os_reason(int(number) if number.isdigit() else 0)
        raise ToolError(f"LibreOffice kunde inte startas: ”{program}”: {reason}")


def _verify(pdf: Path, name: str, result: soffice.Result) -> None:
    """A real PDF with pages, or an error naming the user's document and LibreOffice's
    last words."""
    detail = (result.stderr or result.stdout).strip().splitlines()
    tail = f": {detail[-1].strip()}" if detail else ""
    status = f" (slutstatus {result.code})" if result.code else ""
    if not pdf.is_file():
        raise ToolError(f"LibreOffice kunde inte göra PDF av ”{name}”{status}{tail}")
    try:
        with pdf.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                raise ValueError("ingen PDF")
        pages = len(PdfReader(pdf).pages)
    except (PyPdfError, ValueError, KeyError, OSError, RecursionError):
        pages = 0
    if pages == 0:
        raise ToolError(
            f"LibreOffice gav ingen läsbar PDF av ”{name}”{status}: filen är trasig eller"
            f" saknar sidor{tail}"
        )


def to_pdf(
    documents: Mapping[Path, bytes], *, unfinished: Collection[Path] = ()
) -> dict[Path, bytes]:
    """PDFs for Word documents given as {target .docx: bytes}: {target .pdf: bytes},
    made `accessible`, but for the `unfinished` targets (.pdf), which come as LibreOffice
    made them for a caller that goes on with them (`assemble`).

    The work happens in a folder $TMPDIR/beslutsdoc-PID-*, removed afterwards, also when
    beslutsdoc is killed meanwhile (by the guard), or else by the next run."""
    clean_stale_work()
    target = next(iter(documents), Path("dokumentet"))
    try:
        with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as work:
            folder = Path(work)
            staged = []
            for index, (target, data) in enumerate(documents.items()):
                # Numbered names: two inputs may share a file name in different folders.
                path = folder / f"{index:04d}.docx"
                path.write_bytes(data)
                staged.append((target, path))
            names = [str(target) for target, _ in staged]
            pdfs = convert([p for _, p in staged], folder, names=names, cleanup=[folder])
            made = {
                target.with_suffix(".pdf"): pdf.read_bytes()
                for (target, _), pdf in zip(staged, pdfs, strict=True)
            }
            return {
                target: pdf if target in unfinished else accessible(pdf)
                for target, pdf in made.items()
            }
    except OSError as err:  # the work folder, not the user's file, but name the user's
        raise ToolError(
            f"{target.with_suffix('.pdf')}: PDF kan inte göras: arbetsfilerna i"
            f" {tempfile.gettempdir()} kan inte skrivas: {os_reason(err.errno or 0)}"
            " (en annan mapp kan anges med miljövariabeln TMPDIR)"
        ) from None


def clean_stale_work() -> None:
    """Remove work folders of beslutsdoc runs that were killed and no longer run."""
    me = os.getuid()
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*-*"):
        pid = folder.name[len(WORK_PREFIX) :].split("-", 1)[0]
        with contextlib.suppress(OSError):
            if not pid.isdigit() or folder.lstat().st_uid != me or not folder.is_dir():
                continue
            if process_alive(int(pid)):
                continue
            shutil.rmtree(folder, ignore_errors=True)


def assemble(
    pdf: bytes,
    slots: Sequence[Slot],
    outline: Sequence[Node],
    title: str,
) -> tuple[bytes, int]:
    """The packet PDF: each PDF attachment in place of its placeholder pages, a bookmark
    tree (item → paper → attachment), the title, and the reader opening on bookmarks.
    Each attachment's structure goes into the packet's (an untagged one's pages as
    figures with a text alternative); the PDF/A claim stays only when every attachment
    is PDF/A as far as can be checked (`pdfa.py`), the PDF/UA claim only when every
    attachment embeds its fonts. Returns the PDF and its page count."""
    reader = PdfReader(io.BytesIO(pdf))
    starts = bookmark_pages(pdf)  # from 1
    starts = {name: page - 1 for name, page in starts.items()}
    writer = PdfWriter(clone_from=reader)
    # What it uses (structure, /Lang, /Tabs, output intents) is PDF 1.7, the base of
    # PDF/A-2 and PDF/UA-1; pypdf would write 1.3 unless an attachment says more.
    writer.pdf_header = max(writer.pdf_header, reader.pdf_header, "%PDF-1.7")
    # LibreOffice's PDF as it came: made accessible here, in the one copy (copying a
    # long PDF into a writer takes longer than anything done with it).
    make_accessible(writer)
    tree = Structure(writer)
    titles = _titles(outline)
    moved: dict[int, IndirectObject] = {}
    pdfa = pdfua = True
    components = output_components(writer)
    for slot in slots:
        start = starts.get(slot.bookmark)
        if start is None:
            raise ToolError(f"bilagan ”{slot.path.name}” hittades inte i PDF:en från LibreOffice")
        attachment = open_attachment(slot.path)
        try:
            pdfa = pdfa and not pdfa_obstacles(attachment, components)
            pdfua = pdfua and not unembedded_fonts(attachment)
            name = titles.get(slot.bookmark, slot.path.stem)
            moved.update(_put_in(writer, tree, attachment, slot, start, name))
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            problem = Problem("PDF-bilagan är trasig och kan inte sättas in", file=slot.path)
            raise InputError([problem]) from None
    _retarget(writer, moved)
    tree.finish()
    for page in writer.pages:
        if page.get("/Annots"):  # tab order follows the structure (ISO 14289-1, 7.18.3)
            page[NameObject("/Tabs")] = NameObject("/S")
    clean_document(writer)
    root = writer.root_object
    if NameObject("/Outlines") in root:
        del root[NameObject("/Outlines")]

    def add(nodes: Sequence[Node], parent: Any = None) -> None:
        for node in nodes:
            page = starts.get(node.bookmark)
            if page is None:
                continue
            item = writer.add_outline_item(title=node.title, page_number=page, parent=parent)
            add(node.children, item)

    add(outline)
    rewrite_metadata(writer, title, pdfa=pdfa, pdfua=pdfua)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _titles(outline: Sequence[Node]) -> dict[str, str]:
    """Each bookmark's title without the ”Bilaga: ” the packet's lists put first."""
    found: dict[str, str] = {}
    for node in outline:
        found[node.bookmark] = node.title.removeprefix("Bilaga: ")
        found.update(_titles(node.children))
    return found


def _put_in(
    writer: PdfWriter,
    tree: Structure,
    attachment: PdfReader,
    slot: Slot,
    start: int,
    name: str,
) -> dict[int, IndirectObject]:
    """The attachment's pages, cleaned of active content, in place of the placeholder
    pages, each in the placeholder's header and footer, its structure in place of the
    placeholder's. Returns each placeholder page's object number with the page that
    took its place."""
    if len(attachment.pages) < slot.pages:
        raise InputError(
            [Problem("PDF-bilagan har ändrats medan handlingarna gjordes", file=slot.path)]
        )
    placeholders = [writer.pages[start + offset] for offset in range(slot.pages)]
    frames = [frame_of(writer, page) for page in placeholders]
    tagged = is_tagged(attachment)
    lang = attachment.root_object.get("/Lang")
    moved: dict[int, IndirectObject] = {}
    replaced: list[tuple[PageObject, IndirectObject]] = []
    pages: dict[int, PageObject] = {}
    pairs: dict[int, IndirectObject] = {}
    for offset, placeholder in enumerate(placeholders):
        source = attachment.pages[offset]
        page = writer.insert_page(source, start + offset)  # before its placeholder
        assert placeholder.indirect_reference is not None and page.indirect_reference
        moved[placeholder.indirect_reference.idnum] = page.indirect_reference
        replaced.append((placeholder, page.indirect_reference))
        pairs.update(pair_annotations(source, page))
        clean_page(page)
        pages[offset] = page
    place = tree.forget_pages(replaced)
    for _ in placeholders:  # now after the attachment's pages
        writer.remove_page(start + len(pages), clean=True)
    parent, index = place or (tree.document, None)
    part = tree.element(
        "/Sect",
        parent,
        index,
        title=f"Bilaga: {name}",
        lang=str(lang) if tagged and lang else None,
    )
    for offset, page in pages.items():
        if not tagged or "/StructParents" not in attachment.pages[offset]:
            tree.figure(page, part, _alternative(name, slot, offset, tagged=tagged))
        draw_frame(writer, page, frames[offset])
    if tagged:
        tree.graft(attachment, pages, part, annotations=pairs)
    return moved


def _alternative(name: str, slot: Slot, offset: int, *, tagged: bool) -> str:
    """What a screen reader says for a page of an attachment that has no tags on it."""
    what = "Sidan saknar taggar i bilagan" if tagged else "Bilagan är en PDF utan taggar"
    return (
        f"Sida {offset + 1} av {slot.pages} i bilagan ”{name}” ({slot.path.name}). {what},"
        " så texten kan inte läsas upp här. En tillgänglig version kan begäras från"
        " handläggaren av ärendet eller nämndens sekreterare."
    )


def _retarget(writer: PdfWriter, moved: Mapping[int, IndirectObject]) -> None:
    """Links and named destinations to a replaced placeholder page go to the page that
    took its place."""
    if not moved:
        return

    def fix(destination: Any) -> None:
        if isinstance(destination, IndirectObject):
            destination = destination.get_object()
        if isinstance(destination, DictionaryObject):
            destination = entry(destination, "/D")
        if isinstance(destination, ArrayObject) and destination:
            first = destination[0]
            if isinstance(first, IndirectObject) and first.idnum in moved:
                destination[0] = moved[first.idnum]

    for page in writer.pages:
        for ref in page.get("/Annots", None) or []:
            annotation = ref.get_object()
            if isinstance(annotation, DictionaryObject) and "/Dest" in annotation:
                fix(annotation["/Dest"])
            action = entry(annotation, "/A")
            if entry(action, "/S") == "/GoTo":
                fix(action.get("/D"))
    old = entry(writer.root_object, "/Dests")  # PDF 1.1's destinations
    for value in old.values() if isinstance(old, DictionaryObject) else []:
        fix(value)
    for _, value in name_tree(entry(entry(writer.root_object, "/Names"), "/Dests")):
        fix(value)


def bookmark_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each Word bookmark, from the PDF's named destinations."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None:
            pages[str(name).lstrip("/")] = number + 1
    return pages
