"""PDF through LibreOffice: PDF/A-2b, tagged, with the document's title and language.

Many documents convert in one LibreOffice run (starting LibreOffice costs about a
second; converting a paper, a fraction of that). Each run has its own user profile so
runs never share or corrupt one another's settings, and a time limit.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from beslutsdoc.problems import ToolError

if TYPE_CHECKING:
    from beslutsdoc.compose.packet import Node, Slot

PDF_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},  # PDF/A-2b
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    # Word bookmarks as named destinations: how the packet finds where each part begins.
    "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
}


def find_soffice() -> str:
    """The LibreOffice program: $BESLUTSDOC_SOFFICE, else soffice or libreoffice on PATH."""
    configured = os.environ.get("BESLUTSDOC_SOFFICE")
    if configured:
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "LibreOffice saknas, och det behövs för PDF. Installera det (till exempel"
        " ”apt-get install libreoffice-writer-nogui”) eller ange programmet i"
        " miljövariabeln BESLUTSDOC_SOFFICE. Utan --pdf skrivs bara Word-filen."
    )


def convert(documents: Sequence[Path], out_dir: Path, *, timeout: float = 300) -> list[Path]:
    """Convert .docx files to PDF in `out_dir`, in one LibreOffice run.

    Returns the PDFs in the order of `documents`. Input names must be distinct.
    """
    if not documents:
        return []
    program = find_soffice()
    with tempfile.TemporaryDirectory(prefix="beslutsdoc-lo-") as profile:
        command = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "pdf:writer_pdf_Export:" + json.dumps(PDF_OPTIONS, separators=(",", ":")),
            "--outdir",
            str(out_dir),
            *(str(d) for d in documents),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except FileNotFoundError:
            raise ToolError(f"LibreOffice kunde inte startas: ”{program}” finns inte") from None
        except subprocess.TimeoutExpired:
            raise ToolError(
                f"LibreOffice blev inte klart inom {timeout:.0f} sekunder och avbröts"
            ) from None
    pdfs = [out_dir / (d.stem + ".pdf") for d in documents]
    missing = [p.name for p in pdfs if not p.is_file()]
    if result.returncode != 0 or missing:
        detail = (result.stderr or result.stdout).strip().splitlines()
        tail = f": {detail[-1]}" if detail else ""
        raise ToolError(
            f"LibreOffice kunde inte göra PDF av {', '.join(missing) or 'dokumenten'}"
            f" (slutstatus {result.returncode}){tail}"
        )
    return pdfs


def _stamp(page: PageObject, text: str) -> None:
    """Write the packet's page number at the foot of an attachment's page, as the
    packet's own pages have it."""
    width = float(page.mediabox.width)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    overlay = PageObject.create_blank_page(width=width, height=float(page.mediabox.height))
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/Sida"): font})}
    )
    x = width / 2 - len(text) * 1.9  # Helvetica 8 pt: about 3.8 pt a character
    content = ContentStream(None, None)
    content.set_data(f"BT /Sida 8 Tf {x:.1f} 14 Td ({text}) Tj ET".encode("latin-1"))
    overlay.replace_contents(content)
    page.merge_page(overlay)


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
    foreign = False
    for slot in slots:
        start = starts.get(slot.bookmark)
        if start is None:
            raise ToolError(f"bilagan ”{slot.path.name}” hittades inte i PDF:en från LibreOffice")
        attachment = PdfReader(slot.path)
        for offset in range(slot.pages):
            writer.remove_page(start + offset)
            writer.insert_page(attachment.pages[offset], start + offset)
        foreign = True
    total = len(writer.pages)
    for slot in slots:
        start = starts[slot.bookmark]
        for offset in range(slot.pages):
            _stamp(writer.pages[start + offset], f"Sida {start + offset + 1} av {total}")
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


def bookmark_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each Word bookmark, from the PDF's named destinations."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None:
            pages[str(name).lstrip("/")] = number + 1
    return pages
