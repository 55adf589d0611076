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
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from beslutsdoc.export import soffice
from beslutsdoc.export.accessible import accessible, make_accessible
from beslutsdoc.export.frame import draw_frame, frame_of
from beslutsdoc.export.pdfa import (
    output_components,
    pdfa_obstacles,
    rewrite_metadata,
    unembedded_fonts,
)
from beslutsdoc.export.soffice import find_soffice
from beslutsdoc.export.structure import Structure, is_tagged, pair_annotations
from beslutsdoc.load.sanitise import clean_document, clean_page, open_attachment
from beslutsdoc.output import os_reason, process_alive
from beslutsdoc.pdfobjects import entry, key_of, name_tree
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
        with pikepdf.open(pdf) as document:
            pages = len(document.pages)
    except (pikepdf.PdfError, ValueError, KeyError, OSError, RecursionError):
        pages = 0
    if pages == 0:
        raise ToolError(
            f"LibreOffice gav ingen läsbar PDF av ”{name}”{status}: filen är trasig eller"
            f" saknar sidor{tail}"
        )


def to_pdf(documents: Mapping[Path, bytes]) -> dict[Path, bytes]:
    """PDFs for Word documents given as {target .docx: bytes}: {target .pdf: bytes},
    made `accessible`."""
    with work(next(iter(documents), Path("dokumentet"))) as folder:
        made = folder.convert({str(target): data for target, data in documents.items()})
        return {
            target.with_suffix(".pdf"): accessible(pdf.read_bytes())
            for target, pdf in zip(documents, made.values(), strict=True)
        }


class Work:
    """A run's work folder, where Word documents are converted (`work`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._count = 0

    def convert(
        self, documents: Mapping[str, bytes], *, workers: int | None = None
    ) -> dict[str, Path]:
        """PDFs of Word documents given as {name in messages: bytes}, in parallel
        LibreOffice processes (`workers`, else one per core): {name: the PDF in the work
        folder}."""
        staged = []
        for data in documents.values():
            # Numbered names: two inputs may share a file name in different folders.
            path = self.folder / f"{self._count:04d}.docx"
            self._count += 1
            path.write_bytes(data)
            staged.append(path)
        pdfs = convert(
            staged, self.folder, names=list(documents), cleanup=[self.folder], workers=workers
        )
        return dict(zip(documents, pdfs, strict=True))


@contextlib.contextmanager
def work(target: Path) -> Iterator[Work]:
    """A work folder $TMPDIR/beslutsdoc-PID-*, removed afterwards, also when beslutsdoc
    is killed meanwhile (by the guard), or else by the next run. `target`: the user's
    file that messages name when the folder cannot be written."""
    clean_stale_work()
    try:
        with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as folder:
            yield Work(Path(folder))
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
    document: pikepdf.Pdf,
    starts: Mapping[str, int],
    slots: Sequence[Slot],
    outline: Sequence[Node],
    title: str,
) -> tuple[bytes, int]:
    """The packet PDF: each PDF attachment in place of its placeholder pages, a bookmark
    tree (item → paper → attachment), the title, and the reader opening on bookmarks.
    Each attachment's structure goes into the packet's (an untagged one's pages as
    figures with a text alternative); the PDF/A claim stays only when every attachment
    is PDF/A as far as can be checked (`pdfa.py`), the PDF/UA claim only when every
    attachment embeds its fonts. `document`: LibreOffice's PDF of the packet, edited
    in place; `starts`: the page (from 0) of each Word bookmark in it. Returns the PDF
    and its page count."""
    # LibreOffice's PDF as it came: made accessible here, in the one copy.
    make_accessible(document)
    tree = Structure(document)
    titles = _titles(outline)
    moved: dict[tuple[int, int], pikepdf.Object] = {}
    pdfa = pdfua = True
    components = output_components(document)
    for slot in slots:
        start = starts.get(slot.bookmark)
        if start is None:
            raise ToolError(f"bilagan ”{slot.path.name}” hittades inte i PDF:en från LibreOffice")
        attachment = open_attachment(slot.path)
        try:
            pdfa = pdfa and not pdfa_obstacles(attachment, components)
            pdfua = pdfua and not unembedded_fonts(attachment)
            name = titles.get(slot.bookmark, slot.path.stem)
            moved.update(_put_in(document, tree, attachment, slot, start, name))
        except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            problem = Problem("PDF-bilagan är trasig och kan inte sättas in", file=slot.path)
            raise InputError([problem]) from None
    _retarget(document, moved)
    tree.finish()
    for page in document.pages:
        if page.obj.get("/Annots"):  # tab order follows the structure (ISO 14289-1, 7.18.3)
            page.obj[pikepdf.Name.Tabs] = pikepdf.Name.S
    clean_document(document)
    _bookmarks(document, outline, starts)
    rewrite_metadata(document, title, pdfa=pdfa, pdfua=pdfua)
    document.Root[pikepdf.Name.PageMode] = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    # What it uses (structure, /Lang, /Tabs, output intents) is PDF 1.7, the base of
    # PDF/A-2 and PDF/UA-1. The XMP as `rewrite_metadata` wrote it; the same packet gives
    # the same bytes.
    document.save(out, min_version="1.7", fix_metadata_version=False, deterministic_id=True)
    return out.getvalue(), len(document.pages)


def _bookmarks(document: pikepdf.Pdf, outline: Sequence[Node], starts: Mapping[str, int]) -> None:
    """The packet's bookmark tree in place of LibreOffice's (item → paper → attachment)."""
    if pikepdf.Name.Outlines in document.Root:
        del document.Root[pikepdf.Name.Outlines]

    def items(nodes: Sequence[Node]) -> list[pikepdf.OutlineItem]:
        made = []
        for node in nodes:
            page = starts.get(node.bookmark)
            if page is None:
                continue
            item = pikepdf.OutlineItem(node.title, page)
            item.children.extend(items(node.children))
            made.append(item)
        return made

    with document.open_outline() as tree:
        tree.root.extend(items(outline))


def _titles(outline: Sequence[Node]) -> dict[str, str]:
    """Each bookmark's title without the ”Bilaga: ” the packet's lists put first."""
    found: dict[str, str] = {}
    for node in outline:
        found[node.bookmark] = node.title.removeprefix("Bilaga: ")
        found.update(_titles(node.children))
    return found


def _put_in(
    document: pikepdf.Pdf,
    tree: Structure,
    attachment: pikepdf.Pdf,
    slot: Slot,
    start: int,
    name: str,
) -> dict[tuple[int, int], pikepdf.Object]:
    """The attachment's pages, cleaned of active content, in place of the placeholder
    pages, each in the placeholder's header and footer, its structure in place of the
    placeholder's. Returns each placeholder page's identity with the page that took
    its place."""
    if len(attachment.pages) < slot.pages:
        raise InputError(
            [Problem("PDF-bilagan har ändrats medan handlingarna gjordes", file=slot.path)]
        )
    placeholders = [document.pages[start + offset] for offset in range(slot.pages)]
    frames = [frame_of(document, page) for page in placeholders]
    tagged = is_tagged(attachment)
    lang = attachment.Root.get("/Lang")
    moved: dict[tuple[int, int], pikepdf.Object] = {}
    replaced: list[tuple[pikepdf.Page, pikepdf.Page]] = []
    pages: dict[int, pikepdf.Page] = {}
    pairs: dict[tuple[int, int], pikepdf.Object] = {}
    for offset, placeholder in enumerate(placeholders):
        source = attachment.pages[offset]
        document.pages.insert(start + offset, source)  # a copy, before its placeholder
        page = document.pages[start + offset]
        moved[placeholder.obj.objgen] = page.obj
        replaced.append((placeholder, page))
        pairs.update(pair_annotations(source, page))
        clean_page(page)
        pages[offset] = page
    place = tree.forget_pages(replaced)
    for _ in placeholders:  # now after the attachment's pages
        del document.pages[start + len(pages)]
    parent, index = place or (tree.document, None)
    part = tree.element(
        "/Sect",
        parent,
        index,
        title=f"Bilaga: {name}",
        lang=str(lang) if tagged and lang else None,
    )
    for offset, page in pages.items():
        if not tagged or "/StructParents" not in attachment.pages[offset].obj:
            tree.figure(page, part, _alternative(name, slot, offset, tagged=tagged))
        draw_frame(document, page, frames[offset])
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


def _retarget(document: pikepdf.Pdf, moved: Mapping[tuple[int, int], pikepdf.Object]) -> None:
    """Links and named destinations to a replaced placeholder page go to the page that
    took its place."""
    if not moved:
        return

    def fix(destination: Any) -> None:
        if isinstance(destination, pikepdf.Dictionary):
            destination = destination.get("/D")
        if isinstance(destination, pikepdf.Array) and len(destination):
            key = key_of(destination[0])
            if key is not None and key in moved:
                destination[0] = moved[key]

    for page in document.pages:
        for annotation in page.obj.get("/Annots", None) or []:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            if "/Dest" in annotation:
                fix(annotation.Dest)
            action = entry(annotation, "/A")
            if entry(action, "/S") == "/GoTo":
                fix(action.get("/D"))
    old = entry(document.Root, "/Dests")  # PDF 1.1's destinations
    for value in old.values() if isinstance(old, pikepdf.Dictionary) else []:
        fix(value)
    for _, value in name_tree(entry(entry(document.Root, "/Names"), "/Dests")):
        fix(value)


def bookmark_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each Word bookmark, from the PDF's named destinations."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return destinations(document)


def destinations(document: pikepdf.Pdf) -> dict[str, int]:
    """The page (from 1) of each named destination (LibreOffice writes Word bookmarks
    as PDF 1.1 /Dests; a name tree is read too)."""
    index = {page.obj.objgen: number for number, page in enumerate(document.pages, 1)}
    named: list[tuple[str, Any]] = list(name_tree(entry(entry(document.Root, "/Names"), "/Dests")))
    old = entry(document.Root, "/Dests")
    if isinstance(old, pikepdf.Dictionary):
        named += [(str(key), value) for key, value in old.items()]
    pages = {}
    for name, destination in named:
        target = (
            destination.get("/D") if isinstance(destination, pikepdf.Dictionary) else destination
        )
        if isinstance(target, pikepdf.Array) and len(target):
            number = index.get(key_of(target[0]))  # type: ignore[arg-type]
            if number is not None:
                pages[name.lstrip("/")] = number
    return pages
