"""The page-number lines of a packet converted in parts, drawn from numbers documents.

A part of the packet is laid out alone (`layout_parts.py`), so its "Sida X av Y" counts
from its own first page. Its page-number lines are written in a marker colour: the
text's own colour with the lowest bit of blue flipped, which no reader can see and no
other text uses. LibreOffice writes a fill colour before each text portion, so the lines
can be told apart in its PDF. Each part's numbers document has the same pages, empty
but for the header and footer, numbered as in the whole packet. Here the marked text is
taken out of the part's pages and the numbers document's marked text drawn in its place,
as an artifact (ISO 14289-1, 7.1), like the rest of the header and footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pikepdf

from beslutsdoc.export.frame import draw_over

#: A fill colour in DeviceRGB, as LibreOffice writes it before a text portion.
_RGB = re.compile(rb"(?<![\w.])([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+rg\b")
#: A text object; LibreOffice writes text as hex strings, so no "ET" hides in one.
_TEXT_OBJECT = re.compile(rb"\bBT\b.*?\bET\b", re.DOTALL)
#: Where a text object's first text is put (Td, or a Tm's translation), and its size.
_NUMBER = rb"(-?[\d.]+)"
_PLACE = re.compile(rb"\b%s\s+%s\s+T[dD]\b|\b(?:-?[\d.]+\s+){4}%s\s+%s\s+Tm\b" % ((_NUMBER,) * 4))
_SIZE = re.compile(rb"/\S+\s+([\d.]+)\s+Tf\b")
#: Where a fill colour stops applying: another one, or the graphics state restored.
_COLOUR_END = re.compile(rb"\b(?:rg|g|k|sc|scn|cs|Q)\b")
#: How far a written colour may be from the marker (LibreOffice writes ten decimals).
_CLOSE = 0.5 / 255

_SHOW = {"Tj", "TJ", "'", '"'}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
_UNPAINTED = {"sh", "Do", "INLINE IMAGE", "BI", "ID", "EI"}
#: Marked content: the form is one artifact as a whole (`draw_numbers`), so its own
#: marks (the empty paragraphs' MCIDs among them) go.
_MARKS = {"BMC", "BDC", "EMC", "MP", "DP"}

NUMBERS = pikepdf.Name("/BeslutsdocSidnummer")

Colour = tuple[int, int, int]


def _is_marker(values: Sequence[float], marker: Colour) -> bool:
    return all(abs(v - m / 255) <= _CLOSE for v, m in zip(values, marker, strict=True))


def _page_content(page: pikepdf.Page) -> bytes:
    own = page.obj.get("/Contents")
    if isinstance(own, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in own)
    return own.read_bytes() if isinstance(own, pikepdf.Stream) else b""


def _marked(data: bytes, marker: Colour) -> Iterator[re.Match[bytes]]:
    """The text objects in `data` drawn in the marker colour (each from the colour to
    where another is set or the graphics state is restored)."""
    at = 0
    for colour in _RGB.finditer(data):
        if colour.start() < at:
            continue
        try:
            values = [float(v) for v in colour.groups()]
        except ValueError:
            continue
        if not _is_marker(values, marker):
            continue
        end = _COLOUR_END.search(data, colour.end())
        at = end.start() if end is not None else len(data)
        yield from _TEXT_OBJECT.finditer(data, colour.end(), at)


def drop_numbers(document: pikepdf.Pdf, page: pikepdf.Page, marker: Colour) -> int:
    """Remove from `page` the text drawn in the marker colour; returns how many text
    objects went. The rest of the page is left byte for byte."""
    data = _page_content(page)
    pieces: list[bytes] = []
    at = 0
    for text in _marked(data, marker):
        pieces.append(data[at : text.start()])
        at = text.end()
    if not pieces:
        return 0
    pieces.append(data[at:])
    page.obj.Contents = document.make_stream(b"".join(pieces))
    return len(pieces) - 1


def marked_positions(page: pikepdf.Page, marker: Colour) -> list[tuple[float, float, float]]:
    """Where each text object drawn in the marker colour starts: (x, baseline, font
    size), in the page's default coordinates, in the order they are drawn."""
    found = []
    for text in _marked(_page_content(page), marker):
        place = _PLACE.search(text.group())
        size = _SIZE.search(text.group())
        if place is not None:
            x, y = float(place[1] or place[3]), float(place[2] or place[4])
            found.append((x, y, float(size[1]) if size is not None else 0.0))
    return found


def numbers_form(document: pikepdf.Pdf, source: pikepdf.Page, marker: Colour) -> pikepdf.Object:
    """A form XObject in `document` that draws only the marker-coloured text of
    `source` (a page of a numbers document, another PDF)."""
    kept: list[pikepdf.ContentStreamInstruction] = []
    fill: list[float] | None = None
    saved: list[list[float] | None] = []
    for instruction in pikepdf.parse_content_stream(source):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator == "q":
            saved.append(fill)
        elif operator == "Q":
            fill = saved.pop() if saved else None
        elif operator == "rg" and len(operands) == 3:
            fill = [float(v) for v in operands]
        elif operator in ("g", "k", "sc", "scn", "cs"):
            fill = None
        if operator in _SHOW and not (fill is not None and _is_marker(fill, marker)):
            continue
        if operator in _UNPAINTED or operator in _MARKS:
            continue
        if operator in _PAINT:  # the path ends unpainted: only the marked text is drawn
            instruction = pikepdf.ContentStreamInstruction([], pikepdf.Operator("n"))
        kept.append(instruction)
    form = pikepdf.Stream(document, pikepdf.unparse_content_stream(kept))
    form[pikepdf.Name.Type] = pikepdf.Name.XObject
    form[pikepdf.Name.Subtype] = pikepdf.Name.Form
    form[pikepdf.Name.BBox] = pikepdf.Array([float(v) for v in source.mediabox])
    resources = source.obj.get("/Resources")
    if resources is not None:
        form[pikepdf.Name.Resources] = document.copy_foreign(resources)
    return document.make_indirect(form)


def draw_numbers(document: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """Draw `form` over `page` as an artifact, in the page's default coordinates."""
    draw_over(document, page, f"q {NUMBERS} Do Q\n", {NUMBERS: form})
