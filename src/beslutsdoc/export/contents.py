"""The packet's table of contents when the packet is converted in parts.

The contents (in the front part) list pages of other parts: LibreOffice can neither
count them (a PAGEREF to a bookmark it does not have prints an error) nor link to them
(it only links PAGEREF fields, and only to bookmarks it has). So the part LibreOffice
lays out has each PAGEREF as its result in plain text (the composer's estimate first,
then the true page), written in a marker colour: the text's own colour with one low bit
flipped, which no reader sees and no other text uses. Where LibreOffice drew text in
that colour is where the numbers stand, in the order of the fields; `link` puts a link
there to the page each PAGEREF named, as LibreOffice would have. (A bookmark beside the
number would say where it stands too, but LibreOffice may break a line at it.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pikepdf
from lxml import etree

from beslutsdoc.export.layout_parts import choose_marker, paint
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import w

_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")
_TWIP = 20.0


@dataclass(frozen=True)
class Contents:
    """The front part as LibreOffice gets it: `docx`; `targets[k]` is the bookmark the
    k-th contents number stands for, written in `marker`; `right`: the text area's
    right edge in points, where the numbers end."""

    docx: bytes
    targets: tuple[str, ...]
    marker: tuple[int, int, int] | None
    right: float


def literal(docx: bytes) -> Contents:
    """`docx` with each PAGEREF field in its body as its result, in plain text in the
    marker colour."""
    package = Package.read(docx)
    root = package.element(package.main_part())
    targets: list[str] = []
    numbers: list[tuple[etree._Element, list[etree._Element]]] = []
    for instr in list(root.iter(w("instrText"))):
        found = _PAGEREF.match(instr.text or "")
        run = instr.getparent()
        if found is None or run is None or run.getparent() is None:
            continue
        shown = _unfield(run)
        if shown is not None:
            targets.append(found[1])
            numbers.append((_paragraph(run), shown))
    for field in list(root.iter(w("fldSimple"))):
        found = _PAGEREF.match(field.get(w("instr")) or "")
        if found is not None:
            shown = [child for child in field if child.tag == wml.R]
            targets.append(found[1])
            numbers.append((_paragraph(field), shown))
            for child in list(field):
                field.addprevious(child)
            field.getparent().remove(field)  # type: ignore[union-attr]
    marker = choose_marker(package, numbers) if numbers else None
    if marker is None:
        targets = []
    else:
        paint(numbers, marker)
    return Contents(package.to_bytes(), tuple(targets), marker, _right(root))


def _paragraph(node: etree._Element) -> etree._Element:
    paragraph = next(node.iterancestors(wml.P), None)
    return node if paragraph is None else paragraph


def _unfield(instruction: etree._Element) -> list[etree._Element] | None:
    """Take the complex field whose instruction run is `instruction` apart: its result
    runs stay (returned); the field characters and instruction go."""
    begin = instruction.getprevious()
    if begin is None or _kind(begin) != "begin":
        return None
    code = _until(instruction, "separate")
    result = _until(code[-1], "end") if code else []
    if not result:
        return None
    for part in [begin, instruction, *code, result[-1]]:
        part.getparent().remove(part)  # type: ignore[union-attr]
    return [run for run in result[:-1] if run.tag == wml.R]


def _until(start: etree._Element, kind: str) -> list[etree._Element]:
    """The siblings after `start` up to and with the field character `kind`; empty
    when there is none."""
    found: list[etree._Element] = []
    node = start.getnext()
    while node is not None:
        found.append(node)
        if _kind(node) == kind:
            return found
        node = node.getnext()
    return []


def _kind(run: etree._Element) -> str | None:
    char = run.find(w("fldChar")) if run.tag == wml.R else None
    return None if char is None else char.get(w("fldCharType"))


def _right(root: etree._Element) -> float:
    section = root.find(f"{w('body')}/{w('sectPr')}")
    size = section.find(w("pgSz")) if section is not None else None
    margins = section.find(w("pgMar")) if section is not None else None
    width = float(size.get(w("w"), "11906")) if size is not None else 11906.0
    right = float(margins.get(w("right"), "1417")) if margins is not None else 1417.0
    return (width - right) / _TWIP


def link(
    document: pikepdf.Pdf, contents: Contents, named: Mapping[str, pikepdf.Object], pages: int
) -> int:
    """A link from each contents number (on the first `pages` pages) to the page its
    PAGEREF named (`named`: the document's named destinations), each tagged as a /Link
    in the contents entry it is on. Returns how many were made: none when the numbers
    found are not as many as the fields."""
    from beslutsdoc.export.page_numbers import marked_positions
    from beslutsdoc.export.structure import Structure

    if contents.marker is None:
        return 0
    found = [
        (document.pages[index], place)
        for index in range(min(pages, len(document.pages)))
        for place in marked_positions(document.pages[index], contents.marker)
    ]
    if len(found) != len(contents.targets):
        return 0
    entries = _entries(document)
    numbers = {page.obj.objgen: str(n) for n, page in enumerate(document.pages, 1)}
    tree = Structure(document)
    made = 0
    for number, (target, (page, (x, baseline, size))) in enumerate(
        zip(contents.targets, found, strict=True)
    ):
        there = named.get(f"/{target}")
        if not isinstance(there, pikepdf.Array) or not len(there):
            continue
        size = size or 11.0
        shown = numbers.get(there[0].objgen, "")
        annotation = document.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=[x, baseline - 0.25 * size, max(contents.right, x + size), baseline + size],
                Border=[0, 0, 0],
                F=4,
                Dest=pikepdf.Array(list(there)),
                Contents=pikepdf.String(shown),  # as LibreOffice says it: the number
            )
        )
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            page.obj.Annots = annotations = pikepdf.Array()
        before = [a.objgen for a in annotations]
        annotations.append(annotation)
        entry = entries[number] if number < len(entries) else None
        text = _last_link(entry) if entry is not None else None
        if text is not None:  # LibreOffice's link element for the entry's text
            tree.attach(annotation, page, text)
        else:
            tree.tag_annotations(page, entry if entry is not None else tree.document, before)
        made += 1
    tree.finish()
    return made


def _last_link(entry: pikepdf.Object) -> pikepdf.Object | None:
    """The entry's last /Link element: LibreOffice tags the entry's text (a Word
    hyperlink) as a link even where it makes no link annotation for it."""
    kids = entry.get("/K")
    found = [
        kid
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Link"
    ]
    return found[-1] if found else None


def _entries(document: pikepdf.Pdf) -> Sequence[pikepdf.Object]:
    """The contents entries' structure elements in order: LibreOffice tags each as a
    paragraph of its contents style (Word's TOC1-9, its "Contents 1-10")."""
    tree = document.Root.get("/StructTreeRoot")
    kids = tree.get("/K") if tree is not None else None
    top = kids[0] if isinstance(kids, pikepdf.Array) and len(kids) == 1 else kids
    elements = top.get("/K") if isinstance(top, pikepdf.Dictionary) else None
    if not isinstance(elements, pikepdf.Array):
        return []
    return [
        e
        for e in elements
        if isinstance(e, pikepdf.Dictionary) and str(e.get("/S", "")).startswith("/Contents ")
    ]
