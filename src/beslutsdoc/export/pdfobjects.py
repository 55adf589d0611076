"""Reading a PDF's object graph safely: entries resolved, the trees of ISO 32000-1
(7.9.6 name trees, 7.9.7 number trees) walked with a depth limit, and the standard
structure types. Shared by the structure, accessibility and PDF/A steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): never remapped; others
#: need a role map.
STANDARD = {
    "/Document", "/Part", "/Art", "/Sect", "/Div", "/BlockQuote", "/Caption", "/TOC",
    "/TOCI", "/Index", "/NonStruct", "/Private", "/P", "/H", "/H1", "/H2", "/H3", "/H4",
    "/H5", "/H6", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD", "/THead",
    "/TBody", "/TFoot", "/Span", "/Quote", "/Note", "/Reference", "/BibEntry", "/Code",
    "/Link", "/Annot", "/Ruby", "/RB", "/RT", "/RP", "/Warichu", "/WT", "/WP", "/Figure",
    "/Formula", "/Form",
}  # fmt: skip

#: Deeper trees than this are no real PDF's: a loop or a bomb.
_DEPTH = 32


def entry(node: Any, key: str) -> Any:
    """`node[key]`, resolved; None when `node` is no dictionary or has no such entry."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if not isinstance(node, DictionaryObject):
        return None
    value = node.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def number_tree(node: Any) -> Iterator[tuple[int, PdfObject]]:
    """The entries of a number tree, in order."""
    for key, value in _tree(node, "/Nums", 0):
        yield int(key), value


def name_tree(node: Any) -> Iterator[tuple[str, PdfObject]]:
    """The entries of a name tree, in order."""
    for key, value in _tree(node, "/Names", 0):
        yield str(key), value


def _tree(node: Any, leaves: str, depth: int) -> Iterator[tuple[Any, PdfObject]]:
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if not isinstance(node, DictionaryObject) or depth > _DEPTH:
        return
    pairs = entry(node, leaves)
    if isinstance(pairs, ArrayObject):
        for i in range(0, len(pairs) - 1, 2):
            yield pairs[i], pairs[i + 1]
    kids = entry(node, "/Kids")
    if isinstance(kids, ArrayObject):
        for kid in kids:
            yield from _tree(kid, leaves, depth + 1)
