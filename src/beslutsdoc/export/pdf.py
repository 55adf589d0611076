"""PDF through LibreOffice: PDF/A-2b, tagged, with the document's title and language.

Many documents convert in one LibreOffice call (starting LibreOffice costs about two
seconds; converting a paper, a fraction of that), in batches within what one call
converts. Each run has its own user profile so runs never share or corrupt one another's
settings; each call is supervised (`soffice.py`) and its output checked before use.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from beslutsdoc.export import soffice
from beslutsdoc.export.accessible import accessible
from beslutsdoc.export.frame import draw_frame, frame_of
from beslutsdoc.export.soffice import find_soffice
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
) -> list[Path]:
    """Convert .docx files to PDF in `out_dir`, in as few LibreOffice calls as it allows.

    Returns the PDFs in the order of `documents`, each checked to be a readable PDF with
    pages. `names`: how messages call each document (the user's file, never a temporary
    one). `cleanup`: folders to remove should beslutsdoc be killed meanwhile. Input file
    names must be distinct.
    """
    if not documents:
        return []
    shown = list(names) if names is not None else [d.name for d in documents]
    program = soffice.find_soffice()
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as profile:
        pdfs: list[Path] = []
        for start in range(0, len(documents), soffice.BATCH):
            batch = documents[start : start + soffice.BATCH]
            limit = timeout if timeout is not None else soffice.timeout_for(batch)
            command = soffice.command(program, Path(profile), out_dir, batch)
            result = soffice.run(command, timeout=limit, cleanup=[Path(profile), *cleanup])
            _started(result, program)
            made = [out_dir / (d.stem + ".pdf") for d in batch]
            for index, pdf in enumerate(made):
                _verify(pdf, shown[start + index], result)
            pdfs += made
    return pdfs


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


def to_pdf(documents: Mapping[Path, bytes]) -> dict[Path, bytes]:
    """PDFs for Word documents given as {target .docx: bytes}: {target .pdf: bytes}.

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
            return {
                target.with_suffix(".pdf"): accessible(pdf.read_bytes())
                for (target, _), pdf in zip(staged, pdfs, strict=True)
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
    Returns the PDF and its page count."""
    reader = PdfReader(io.BytesIO(pdf))
    starts = bookmark_pages(pdf)  # from 1
    starts = {name: page - 1 for name, page in starts.items()}
    writer = PdfWriter(clone_from=reader)
    for slot in slots:
        start = starts.get(slot.bookmark)
        if start is None:
            raise ToolError(f"bilagan ”{slot.path.name}” hittades inte i PDF:en från LibreOffice")
        attachment = open_attachment(slot.path)
        try:
            _put_in(writer, attachment, slot, start)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            problem = Problem("PDF-bilagan är trasig och kan inte sättas in", file=slot.path)
            raise InputError([problem]) from None
    clean_document(writer)
    foreign = bool(slots)
    root = writer.root_object
    if NameObject("/Outlines") in root:
        del root[NameObject("/Outlines")]
    if foreign and NameObject("/Metadata") in root:
        # Pages from outside no longer carry LibreOffice's PDF/A promise for the whole file.
        del root[NameObject("/Metadata")]

    def add(nodes: Sequence[Node], parent: Any = None) -> None:
        for node in nodes:
            page = starts.get(node.bookmark)
            if page is None:
                continue
            item = writer.add_outline_item(title=node.title, page_number=page, parent=parent)
            add(node.children, item)

    add(outline)
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _put_in(writer: PdfWriter, attachment: PdfReader, slot: Slot, start: int) -> None:
    """The attachment's pages, cleaned of active content, in place of the placeholder
    pages, each in the placeholder's header and footer."""
    if len(attachment.pages) < slot.pages:
        raise InputError(
            [Problem("PDF-bilagan har ändrats medan handlingarna gjordes", file=slot.path)]
        )
    for offset in range(slot.pages):
        frame = frame_of(writer, writer.pages[start + offset])
        writer.remove_page(start + offset)
        page = writer.insert_page(attachment.pages[offset], start + offset)
        clean_page(page)
        draw_frame(writer, page, frame)


def bookmark_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each Word bookmark, from the PDF's named destinations."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None:
            pages[str(name).lstrip("/")] = number + 1
    return pages
