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

from typing import Any, NamedTuple

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)

FRAME = NameObject("/BeslutsdocRam")
FRAME_LOWER = NameObject("/BeslutsdocRamNedre")

#: What draws; dropped in the placeholder's own (non-artifact) content. State operators
#: (q, Q, cm, colours, fonts) stay so that the graphics and text state keep their balance.
_DRAWING = {
    b"BT", b"ET", b"Tj", b"TJ", b"'", b'"', b"Td", b"TD", b"Tm", b"T*",
    b"m", b"l", b"c", b"v", b"y", b"h", b"re", b"S",
    b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n", b"W", b"W*", b"Do", b"sh",
    b"INLINE IMAGE", b"d0", b"d1",
}  # fmt: skip
_BEGIN = {b"BMC", b"BDC"}


class Frame(NamedTuple):
    """The placeholder's header and footer as form XObjects: all of it, and its upper
    and lower halves alone (for a page of another size, where each goes on its own)."""

    whole: IndirectObject
    top: IndirectObject
    bottom: IndirectObject


def frame_of(writer: PdfWriter, placeholder: PageObject) -> Frame:
    """The placeholder page's header and footer as form XObjects in `writer`."""
    content = placeholder.get_contents()
    if content is None:
        content = ContentStream(None, writer)
    kept: list[tuple[Any, bytes]] = []
    where: list[int] = []  # per kept operation: its artifact sequence (-1: none)
    place: dict[int, float] = {}  # per artifact sequence: where it is drawn (y)
    sequence = -1
    stack: list[bool] = []  # per open marked-content sequence: is it the page's own text?
    for operands, operator in content.operations:
        if operator in _BEGIN:
            own = (bool(operands) and operands[0] != "/Artifact") or any(stack)
            if not stack and not own:
                sequence += 1
            stack.append(own)
            if not own:
                kept.append((operands, operator))
                where.append(sequence)
            continue
        if operator == b"EMC":
            own = stack.pop() if stack else False
            if not own:
                kept.append((operands, operator))
                where.append(sequence)
            continue
        if any(stack) and operator in _DRAWING:
            continue
        artifact = bool(stack) and not any(stack)
        if artifact and sequence not in place:
            y = _height(operands, operator)
            if y is not None:
                place[sequence] = y
        kept.append((operands, operator))
        where.append(sequence if artifact else -1)
    box = placeholder.mediabox
    middle = float(box.bottom) + float(box.height) / 2

    def form(upper: bool | None) -> IndirectObject:
        """The frame; `upper`: only what is drawn in the upper (else lower) half."""
        operations = [
            (operands, operator)
            for (operands, operator), at in zip(kept, where, strict=True)
            if upper is None
            or operator not in _DRAWING
            or at not in place
            or (place[at] >= middle) == upper
        ]
        content.operations = operations
        stream = DecodedStreamObject()
        stream.set_data(content.get_data())
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): RectangleObject(list(box)),
                NameObject("/Resources"): placeholder.get("/Resources", DictionaryObject()),
            }
        )
        return writer._add_object(stream.flate_encode())

    return Frame(form(None), form(True), form(False))


def _height(operands: Any, operator: bytes) -> float | None:
    """Where a positioning operator puts what follows: its y coordinate."""
    try:
        if operator in (b"Td", b"TD") and len(operands) == 2:
            return float(operands[1])
        if operator in (b"Tm", b"cm") and len(operands) == 6:
            return float(operands[5])
    except (TypeError, ValueError):
        return None
    return None


def _display(page: PageObject) -> tuple[list[float], float, float]:
    """The matrix from the page as displayed (rotation applied, origin lower left) to
    its user space, and the displayed width and height."""
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    if rotate == 90:
        return [0, 1, -1, 0, x0 + w, y0], h, w
    if rotate == 180:
        return [-1, 0, 0, -1, x0 + w, y0 + h], w, h
    if rotate == 270:
        return [0, -1, 1, 0, x0, y0 + h], h, w
    return [1, 0, 0, 1, x0, y0], w, h


def draw_frame(writer: PdfWriter, page: PageObject, frame: Frame) -> None:
    """Draw `frame` over `page`: its upper half at the top of the page as displayed, its
    lower half at the bottom, scaled to the page's width if the sizes differ."""
    box = frame.whole.get_object()["/BBox"]  # type: ignore[index]
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
    drawing = f"Q\n/Artifact BMC\n{halves}EMC\n"
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(drawing.encode("ascii"))
    contents = ArrayObject([writer._add_object(before)])
    own = page.raw_get("/Contents") if "/Contents" in page else None
    if own is not None:
        resolved = own.get_object()
        contents.extend(resolved if isinstance(resolved, ArrayObject) else [own])
    contents.append(writer._add_object(after))
    page[NameObject("/Contents")] = contents
    # Resources may be shared between pages: each page gets its own frame.
    resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[FRAME] = upper
    if lower is not None:
        xobjects[FRAME_LOWER] = lower
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
