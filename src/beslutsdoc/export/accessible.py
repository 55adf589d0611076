"""The PDF as a screen reader needs it: tables that say what their cells mean.

LibreOffice tags a Word table as a /Table whatever it is for. The papers' label–value
grids (”Plats och tid | …”, the anslag box) are tables of row headers, and a letterhead
laid out with a table is no table at all; PDF/UA (ISO 14289-1, 7.5) wants the first
marked with /TH /Scope /Row and the second not tagged as a table. A table that already
has header cells is left as it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

_TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}


def accessible(pdf: bytes) -> bytes:
    """`pdf` with its tables' structure made to say what they are."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"].get_object()
    tree = root.get("/StructTreeRoot") if isinstance(root, DictionaryObject) else None
    if tree is None:
        return pdf
    tables = [e for e in _elements(tree.get_object()) if e.get("/S") == "/Table"]
    fixable = [t for t in tables if not any(e.get("/S") == "/TH" for e in _elements(t))]
    if not fixable:
        return pdf
    writer = PdfWriter(clone_from=reader)
    writer_tree = writer.root_object["/StructTreeRoot"].get_object()
    assert isinstance(writer_tree, DictionaryObject)
    for table in (e for e in _elements(writer_tree) if e.get("/S") == "/Table"):
        if not any(e.get("/S") == "/TH" for e in _elements(table)):
            _retag(table)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _elements(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first."""
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            yield element
            yield from _elements(element)


def _rows(table: DictionaryObject) -> list[list[DictionaryObject]]:
    rows = [e for e in _elements(table) if e.get("/S") == "/TR"]
    return [[c for c in _children(row) if c.get("/S") in ("/TD", "/TH")] for row in rows]


def _children(node: DictionaryObject) -> list[DictionaryObject]:
    kids = node.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    out = []
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            out.append(element)
    return out


def _retag(table: DictionaryObject) -> None:
    rows = _rows(table)
    if len(rows) >= 2 and all(len(cells) == 2 for cells in rows):
        for label, _ in rows:  # label | value: each row's first cell is its header
            label[NameObject("/S")] = NameObject("/TH")
            label[NameObject("/A")] = DictionaryObject(
                {NameObject("/O"): NameObject("/Table"), NameObject("/Scope"): NameObject("/Row")}
            )
        return
    for element in [table, *_elements(table)]:  # laid out as a table, read as text
        if element.get("/S") in _TABLE_PARTS:
            element[NameObject("/S")] = NameObject("/Div")
