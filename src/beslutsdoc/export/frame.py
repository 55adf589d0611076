"""The packet's header and footer on a PDF attachment's pages.

LibreOffice draws each placeholder page with the packet's own header and footer, which
its tagged PDF marks as artifacts (`/Artifact BMC ... EMC`); the page's own text is
marked structure content. The frame is the placeholder page without that text: drawn
over the attachment's page, it gives the page the same header and footer (with the
right page number) as every other page, itself marked as an artifact. On a page of
another size or turned, the upper and lower halves go on separately, each form with only
the text drawn in its half, so that a reader finds each line once. The attachment's own
content is wrapped, never read or decoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name

FRAME = Name("/BeslutsdocRam")
FRAME_LOWER = Name("/BeslutsdocRamNedre")

#: What draws; dropped in the placeholder's own (non-artifact) content. State operators
#: (q, Q, cm, colours, fonts) stay so that the graphics and text state keep their balance.
_DRAWING = {
    "BT", "ET", "Tj", "TJ", "'", '"', "Td", "TD", "Tm", "T*",
    "m", "l", "c", "v", "y", "h", "re", "S",
    "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W", "W*", "Do", "sh",
    "INLINE IMAGE", "d0", "d1",
}  # fmt: skip
_BEGIN = {"BMC", "BDC"}
#: Deeper page trees than this are no real PDF's: a loop.
_DEPTH = 32

#: One content-stream operation as parsed (operands, operator) or an inline image.
_Operation = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


class Frame(NamedTuple):
    """The placeholder's header and footer as form XObjects: all of it, and its upper
    and lower halves alone (for a page of another size, where each goes on its own)."""

    whole: pikepdf.Object
    top: pikepdf.Object
    bottom: pikepdf.Object


def frame_of(pdf: pikepdf.Pdf, placeholder: pikepdf.Page) -> Frame:
    """The placeholder page's header and footer as form XObjects in `pdf`."""
    content = pikepdf.parse_content_stream(placeholder) if "/Contents" in placeholder.obj else []
    kept: list[_Operation] = []
    where: list[int] = []  # per kept operation: its artifact sequence (-1: none)
    place: dict[int, float] = {}  # per artifact sequence: where it is drawn (y)
    sequence = -1
    stack: list[bool] = []  # per open marked-content sequence: is it the page's own text?
    for operation in content:
        operands, operator = operation.operands, str(operation.operator)
        if operator in _BEGIN:
            own = (bool(operands) and str(operands[0]) != "/Artifact") or any(stack)
            if not stack and not own:
                sequence += 1
            stack.append(own)
            if not own:
                kept.append(operation)
                where.append(sequence)
            continue
        if operator == "EMC":
            own = stack.pop() if stack else False
            if not own:
                kept.append(operation)
                where.append(sequence)
            continue
        if any(stack) and operator in _DRAWING:
            continue
        artifact = bool(stack) and not any(stack)
        if artifact and sequence not in place:
            y = _height(operands, operator)
            if y is not None:
                place[sequence] = y
        kept.append(operation)
        where.append(sequence if artifact else -1)
    mediabox = placeholder.mediabox
    box = [float(v) for v in mediabox]
    bottom, height = min(box[1], box[3]), abs(box[3] - box[1])
    middle = bottom + height / 2
    resources = _inherited(placeholder.obj, "/Resources")

    def form(upper: bool | None) -> pikepdf.Object:
        """The frame; `upper`: only what is drawn in the upper (else lower) half."""
        operations = [
            operation
            for operation, at in zip(kept, where, strict=True)
            if upper is None
            or str(operation.operator) not in _DRAWING
            or at not in place
            or (place[at] >= middle) == upper
        ]
        stream = pikepdf.Stream(pdf, b"")
        stream.write(
            zlib.compress(pikepdf.unparse_content_stream(operations)),
            filter=Name.FlateDecode,
        )
        stream.Type = Name.XObject
        stream.Subtype = Name.Form
        stream.BBox = Array(list(mediabox))
        stream.Resources = resources if resources is not None else Dictionary()
        return pdf.make_indirect(stream)

    return Frame(form(None), form(True), form(False))


def _height(operands: Any, operator: str) -> float | None:
    """Where a positioning operator puts what follows: its y coordinate."""
    try:
        if operator in ("Td", "TD") and len(operands) == 2:
            return float(operands[1])
        if operator in ("Tm", "cm") and len(operands) == 6:
            return float(operands[5])
    except (TypeError, ValueError):
        return None
    return None


def _inherited(page: pikepdf.Object, key: str) -> Any:
    """A page's entry, or the nearest page tree node's (ISO 32000-1, 7.7.3.4)."""
    node: Any = page
    for _ in range(_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _display(page: pikepdf.Page) -> tuple[list[float], float, float]:
    """The matrix from the page as displayed (rotation applied, origin lower left) to
    its user space, and the displayed width and height."""
    box = [float(v) for v in page.cropbox]
    x0, y0 = min(box[0], box[2]), min(box[1], box[3])
    w, h = abs(box[2] - box[0]), abs(box[3] - box[1])
    rotate = int(_inherited(page.obj, "/Rotate") or 0) % 360
    if rotate == 90:
        return [0, 1, -1, 0, x0 + w, y0], h, w
    if rotate == 180:
        return [-1, 0, 0, -1, x0 + w, y0 + h], w, h
    if rotate == 270:
        return [0, -1, 1, 0, x0, y0 + h], h, w
    return [1, 0, 0, 1, x0, y0], w, h


def draw_frame(pdf: pikepdf.Pdf, page: pikepdf.Page, frame: Frame) -> None:
    """Draw `frame` over `page`: its upper half at the top of the page as displayed, its
    lower half at the bottom, scaled to the page's width if the sizes differ."""
    box = frame.whole.BBox
    fw, fh = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    matrix, width, height = _display(page)
    scale = width / fw if fw else 1.0
    rotation = " ".join(f"{v:.4f}" for v in matrix)
    half = fh / 2
    top = height - scale * fh
    if abs(scale - 1) < 0.001 and abs(top) < 1:
        # The placeholder's size: drawn once, so that its text is there once for
        # whatever reads the page's text, not once per half.
        halves = f"q {rotation} cm {FRAME} Do Q\n"
        upper, lower = frame.whole, None
    else:
        # Each half draws only its own text, so that it is there once for a reader too.
        halves = (
            f"q {rotation} cm {scale:.4f} 0 0 {scale:.4f} 0 {top:.4f} cm"
            f" 0 {half:.4f} {fw:.4f} {half:.4f} re W n {FRAME} Do Q\n"
            f"q {rotation} cm {scale:.4f} 0 0 {scale:.4f} 0 0 cm"
            f" 0 0 {fw:.4f} {half:.4f} re W n {FRAME_LOWER} Do Q\n"
        )
        upper, lower = frame.top, frame.bottom
    # An artifact (ISO 14289-1, 7.1): the header and footer are the packet's, not the
    # attachment's content, and are left out of the structure.
    draw_over(
        pdf, page, halves, {FRAME: upper, **({FRAME_LOWER: lower} if lower is not None else {})}
    )


def draw_over(
    pdf: pikepdf.Pdf, page: pikepdf.Page, drawing: str, xobjects: Mapping[Name, pikepdf.Object]
) -> None:
    """Draw `drawing` (operators that draw `xobjects`, by name) over `page` as an
    artifact, in the page's default coordinates: the page's own content goes first,
    in a graphics state of its own."""
    before = pdf.make_indirect(pikepdf.Stream(pdf, b"q\n"))
    after = pdf.make_indirect(
        pikepdf.Stream(pdf, f"Q\n/Artifact BMC\n{drawing}EMC\n".encode("ascii"))
    )
    own = page.obj.get("/Contents")
    contents = [] if own is None else list(own) if isinstance(own, Array) else [own]
    page.obj.Contents = Array([before, *contents, after])
    # Resources may be shared between pages: each page gets its own.
    resources = _copy(_inherited(page.obj, "/Resources"))
    named = _copy(resources.get("/XObject"))
    for name, xobject in xobjects.items():
        named[name] = xobject
    resources.XObject = named
    page.obj.Resources = resources


def _copy(dictionary: Any) -> pikepdf.Dictionary:
    """A new (direct) dictionary with the same entries; empty for none."""
    if not isinstance(dictionary, pikepdf.Dictionary):
        return Dictionary()
    return Dictionary(dict(dictionary.items()))
