"""The packet's table of contents when the packet is converted in parts.

The contents (in the front part) list pages of other parts: LibreOffice can neither
count them (a PAGEREF to a bookmark it does not have prints an error) nor link to them
(it only links PAGEREF fields, and only to bookmarks it has). So the part LibreOffice
lays out has each PAGEREF as its result in plain text (the composer's estimate first,
then the true page), with a bookmark of ours just before it; the bookmark's named
destination says where the number stands, and `link` puts a link there to the page the
PAGEREF named, as LibreOffice would have, tagged in the contents entry it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pikepdf
from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import el, w

#: Our bookmarks before each number: letters and digits, kept as they are in the PDF.
PREFIX = "bdlank"
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")
_BOOKMARK_ID = 2_100_000_000
#: The link's height above the line's top, in points: a contents line of 10-12 pt type.
_LINE = 13.0
_TWIP = 20.0


@dataclass(frozen=True)
class Contents:
    """The front part as LibreOffice gets it: `docx`; `targets[k]` is the bookmark the
    k-th contents number stands for (our bookmark PREFIX{k} is before it); `right`: the
    text area's right edge in points, where the numbers end."""

    docx: bytes
    targets: tuple[str, ...]
    right: float


def literal(docx: bytes) -> Contents:
    """`docx` with each PAGEREF field in its body as its result, in plain text."""
    package = Package.read(docx)
    root = package.element(package.main_part())
    targets: list[str] = []
    for instr in list(root.iter(w("instrText"))):
        found = _PAGEREF.match(instr.text or "")
        run = instr.getparent()
        if found is None or run is None or run.getparent() is None:
            continue
        if _unfield(run, len(targets)):
            targets.append(found[1])
    for field in list(root.iter(w("fldSimple"))):
        found = _PAGEREF.match(field.get(w("instr")) or "")
        if found is not None:
            for mark in _bookmark(len(targets)):
                field.addprevious(mark)
            targets.append(found[1])
            for child in list(field):
                field.addprevious(child)
            field.getparent().remove(field)  # type: ignore[union-attr]
    return Contents(package.to_bytes(), tuple(targets), _right(root))


def _unfield(instruction: etree._Element, number: int) -> bool:
    """Take the complex field whose instruction run is `instruction` apart: its result
    runs stay, after our bookmark; the field characters and instruction go."""
    begin = instruction.getprevious()
    if begin is None or _kind(begin) != "begin":
        return False
    parts = [begin, instruction]
    node = instruction.getnext()
    while node is not None and _kind(node) != "separate":
        parts.append(node)
        node = node.getnext()
    if node is None:
        return False
    parts.append(node)
    result: list[etree._Element] = []
    node = node.getnext()
    while node is not None and _kind(node) != "end":
        result.append(node)
        node = node.getnext()
    if node is None:
        return False
    parts.append(node)
    for mark in _bookmark(number):
        begin.addprevious(mark)
    for part in parts:
        part.getparent().remove(part)  # type: ignore[union-attr]
    return True


def _kind(run: etree._Element) -> str | None:
    char = run.find(w("fldChar")) if run.tag == wml.R else None
    return None if char is None else char.get(w("fldCharType"))


def _bookmark(number: int) -> tuple[etree._Element, etree._Element]:
    """An empty bookmark PREFIX{number}: its start and its end."""
    ident = str(_BOOKMARK_ID + number)
    return (
        el("bookmarkStart", {"id": ident, "name": f"{PREFIX}{number}"}),
        el("bookmarkEnd", {"id": ident}),
    )


def _right(root: etree._Element) -> float:
    section = root.find(f"{w('body')}/{w('sectPr')}")
    size = section.find(w("pgSz")) if section is not None else None
    margins = section.find(w("pgMar")) if section is not None else None
    width = float(size.get(w("w"), "11906")) if size is not None else 11906.0
    right = float(margins.get(w("right"), "1417")) if margins is not None else 1417.0
    return (width - right) / _TWIP


def link(document: pikepdf.Pdf, contents: Contents, named: Mapping[str, pikepdf.Object]) -> int:
    """A link from each contents number to the page its PAGEREF named, where our
    bookmark says the number stands (`named`: the document's named destinations, ours
    and the targets'), each tagged as a /Link in the contents entry it is on. Returns
    how many were made."""
    from beslutsdoc.export.structure import Structure

    entries = _entries(document)
    numbers = {page.obj.objgen: str(n) for n, page in enumerate(document.pages, 1)}
    tree = Structure(document)
    made = 0
    for number, target in enumerate(contents.targets):
        here, there = named.get(f"/{PREFIX}{number}"), named.get(f"/{target}")
        if not isinstance(here, pikepdf.Array) or not isinstance(there, pikepdf.Array):
            continue
        page, x, top = here[0], float(here[2]), float(here[3])
        annotation = document.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=[x, top - _LINE, max(contents.right, x + 1), top],
                Border=[0, 0, 0],
                F=4,
                Dest=pikepdf.Array(list(there)),
                Contents=pikepdf.String(numbers.get(there[0].objgen, "")),
            )
        )
        annotations = page.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            page.Annots = annotations = pikepdf.Array()
        annotations.append(annotation)
        parent = entries[number] if number < len(entries) else tree.document
        tree.tag_annotations(pikepdf.Page(page), parent, _tagged(page, annotation))
        made += 1
    tree.finish()
    return made


def _tagged(page: pikepdf.Object, new: pikepdf.Object) -> list[tuple[int, int]]:
    """Every annotation on `page` but `new`: those are in the structure already."""
    return [a.objgen for a in page.get("/Annots", []) if a.objgen != new.objgen]


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
