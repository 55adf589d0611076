"""Reading a PDF's object graph safely: entries looked up only in dictionaries, the
trees of ISO 32000-1 (7.9.6 name trees, 7.9.7 number trees) walked with a depth limit,
and the standard structure types. Shared by the structure, accessibility and PDF/A
steps.

PDFs are pikepdf objects (qpdf reads and writes them: a packet of thousands of pages in
seconds and a fraction of the memory a pure-Python reader takes). pikepdf resolves
indirect objects when they are read; an object's identity is its `objgen`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

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

#: Standard types of inline elements whose block-placed elements stand for a block type
#: (LibreOffice maps a paragraph style named "Quote" to /P: such a paragraph is a quote).
_BLOCK_TYPE = {"/Quote": "/BlockQuote"}

#: Deeper trees than this are no real PDF's: a loop or a bomb.
_DEPTH = 32


def is_dictionary(node: Any) -> bool:
    """A dictionary, or a stream's dictionary."""
    return isinstance(node, (pikepdf.Dictionary, pikepdf.Stream))


def entry(node: Any, key: str) -> Any:
    """`node[key]`; None when `node` is no dictionary (or stream) or has no such entry."""
    if not is_dictionary(node):
        return None
    return node.get(key)


def key_of(node: Any) -> tuple[int, int] | None:
    """The object's identity in its PDF (object and generation number), or None when it
    is a direct object."""
    if isinstance(node, pikepdf.Object) and node.is_indirect:
        return node.objgen
    return None


def number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """The entries of a number tree, in order."""
    for key, value in _tree(node, "/Nums", 0):
        yield int(key), value


def name_tree(node: Any) -> Iterator[tuple[str, Any]]:
    """The entries of a name tree, in order (keys as text)."""
    for key, value in _tree(node, "/Names", 0):
        yield _text(key), value


def _text(key: Any) -> str:
    if isinstance(key, pikepdf.String):
        try:
            return str(key)
        except UnicodeDecodeError:  # a name tree's key is bytes, not always text
            return bytes(key).decode("latin-1")
    return str(key)


def _tree(node: Any, leaves: str, depth: int) -> Iterator[tuple[Any, Any]]:
    if not isinstance(node, pikepdf.Dictionary) or depth > _DEPTH:
        return
    pairs = node.get(leaves)
    if isinstance(pairs, pikepdf.Array):
        for i in range(0, len(pairs) - 1, 2):
            yield pairs[i], pairs[i + 1]
    kids = node.get("/Kids")
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            yield from _tree(kid, leaves, depth + 1)


def meant_type(element: Any, kind: str, mapped: str) -> str:
    """What an element of the standard type `kind` stands for when a role map remaps
    `kind` to `mapped` (which PDF/UA does not allow, ISO 14289-1 7.1): `mapped`, unless
    the element is placed as a block of a type that has a block twin."""
    if kind in _BLOCK_TYPE and _placement(element) == "/Block":
        return _BLOCK_TYPE[kind]
    return mapped


def _placement(element: Any) -> str | None:
    attributes = entry(element, "/A")
    for item in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if is_dictionary(item) and "/Placement" in item:
            return str(item["/Placement"])
    return None
