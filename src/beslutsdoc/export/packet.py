"""The packet as PDF: the notice and the whole packet with its attachments, bookmarks
and the PDF's page numbers in the Word file's contents.

Importing this module loads nothing heavy (the library's `PacketPdf` is defined here);
the work imports what it needs when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from beslutsdoc.compose.packet import Packet as Built


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
    from beslutsdoc.export.layout_input import for_layout
    from beslutsdoc.export.pdf import assemble, bookmark_pages, to_pdf
    from beslutsdoc.render.layout import fill_page_numbers

    kallelse_pdf, handlingar_pdf = Path("kallelse.pdf"), Path("handlingar.pdf")
    documents = {
        kallelse_pdf.with_suffix(".docx"): built.kallelse,
        # The same pages, laid out faster (layout_input.py).
        handlingar_pdf.with_suffix(".docx"): for_layout(built.handlingar),
    }
    _give_back_memory()  # LibreOffice is about to take its share
    pdfs = to_pdf(documents, unfinished={handlingar_pdf})  # assemble finishes it
    kallelse, handlingar = pdfs[kallelse_pdf], pdfs[handlingar_pdf]
    assembled, pages = assemble(handlingar, built.slots, built.outline, built.title)
    # Placeholders and attachments have the same pages: the Word file's contents can
    # show the PDF's page numbers.
    docx = fill_page_numbers(built.handlingar, bookmark_pages(handlingar))
    return PacketPdf(kallelse, assembled, docx, pages)


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
