"""The packet's header and footer on a PDF attachment's pages.

LibreOffice draws each placeholder page with the packet's own header and footer, which
its tagged PDF marks as artifacts (`/Artifact BMC ... EMC`); the page's own text is
marked structure content. The frame is the placeholder page without that text: drawn
over the attachment's page, it gives the page the same header and footer (with the
right page number) as every other page. The attachment's own content is wrapped, never
read or decoded.
"""

from __future__ import annotations

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

#: What draws; dropped in the placeholder's own (non-artifact) content. State operators
#: (q, Q, cm, colours, fonts) stay so that the graphics and text state keep their balance.
_DRAWING = {
    b"BT", b"ET", b"Tj", b"TJ", b"'", b'"', b"Td", b"TD", b"Tm", b"T*",
    b"m", b"l", b"c", b"v", b"y", b"h", b"re", b"S",
    b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n", b"W", b"W*", b"Do", b"sh",
    b"INLINE IMAGE", b"d0", b"d1",
}  # fmt: skip
_BEGIN = {b"BMC", b"BDC"}


def frame_of(writer: PdfWriter, placeholder: PageObject) -> IndirectObject:
    """The placeholder page's header and footer as a form XObject in `writer`."""
    content = placeholder.get_contents()
    if content is None:
        content = ContentStream(None, writer)
    kept = []
    stack: list[bool] = []  # per open marked-content sequence: is it the page's own text?
    for operands, operator in content.operations:
        if operator in _BEGIN:
            own = (bool(operands) and operands[0] != "/Artifact") or any(stack)
            stack.append(own)
            if not own:
                kept.append((operands, operator))
            continue
        if operator == b"EMC":
            own = stack.pop() if stack else False
            if not own:
                kept.append((operands, operator))
            continue
        if any(stack) and operator in _DRAWING:
            continue
        kept.append((operands, operator))
    content.operations = kept
    form = DecodedStreamObject()
    form.set_data(content.get_data())
    box = placeholder.mediabox
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(list(box)),
            NameObject("/Resources"): placeholder.get("/Resources", DictionaryObject()),
        }
    )
    return writer._add_object(form.flate_encode())


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


def draw_frame(writer: PdfWriter, page: PageObject, frame: IndirectObject) -> None:
    """Draw `frame` over `page`: its upper half at the top of the page as displayed, its
    lower half at the bottom, scaled to the page's width if the sizes differ."""
    box = frame.get_object()["/BBox"]  # type: ignore[index]
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
    else:
        halves = (
            f"q {rotation} cm {scale:.4f} 0 0 {scale:.4f} 0 {top:.4f} cm"
            f" 0 {half:.4f} {fw:.4f} {half:.4f} re W n {FRAME} Do Q\n"
            f"q {rotation} cm {scale:.4f} 0 0 {scale:.4f} 0 0 cm"
            f" 0 0 {fw:.4f} {half:.4f} re W n {FRAME} Do Q\n"
        )
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
    xobjects[FRAME] = frame
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
