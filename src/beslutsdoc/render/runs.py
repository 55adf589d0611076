"""A paragraph's text runs: reading template source out of them, putting the filled-in
text back into the runs it came from (each keeps its own formatting), and removing
what the template emptied.
"""

from __future__ import annotations

import re

from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.wordml import w
from beslutsdoc.render.sandbox import SEAM

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def text_runs(p: etree._Element) -> list[etree._Element]:
    runs = []
    for r in p.iter(wml.R):
        kinds = {etree.QName(c).localname for c in r if c.tag != wml.RPR}
        if kinds and kinds <= {"t", "tab", "br", "cr", "lastRenderedPageBreak"}:
            runs.append(r)
    return runs


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        if child.tag == wml.T:
            out.append(child.text or "")
        elif child.tag == wml.TAB:
            out.append("\t")
        elif child.tag in (wml.BR, w("cr")):
            out.append("\n")
    return "".join(out)


def put_text(p: etree._Element, text: str, starts: list[int]) -> None:
    runs = text_runs(p)
    pieces = text.split(SEAM)
    assigned = [""] * len(runs)
    if len(pieces) == len(starts):
        for index, piece in zip(starts, pieces, strict=True):
            assigned[index] = piece
    elif runs:  # a loop or a branch changed the seams: all text in the first run
        assigned[0] = "".join(pieces)
    for r, piece in zip(runs, assigned, strict=True):
        for child in list(r):
            if child.tag != wml.RPR:
                r.remove(child)
        if piece:
            wml.add_text(r, piece)
        else:
            r.getparent().remove(r)  # type: ignore[union-attr]


_KEEP = {"pPr", "r", "bookmarkStart", "bookmarkEnd", "proofErr", "hyperlink"}


def only_text(p: etree._Element) -> bool:
    """True when the paragraph holds nothing but (now empty) text runs."""
    for child in p:
        name = etree.QName(child).localname
        if name not in _KEEP:
            return False
        if name == "r" and any(
            etree.QName(c).localname not in {"rPr", "t", "tab", "br"} for c in child
        ):
            return False
    return not wml.paragraph_text(p).strip()


def remove_empty(emptied: list[etree._Element]) -> None:
    rows = []
    for p in emptied:
        parent = p.getparent()
        if parent is None:
            continue
        if parent.tag == wml.TC:
            row = parent.getparent()
            if row is not None and row not in rows:
                rows.append(row)
            if len(parent.findall(wml.P)) > 1:
                parent.remove(p)
            continue
        parent.remove(p)
    for row in rows:
        if not "".join(t.text or "" for t in row.iter(wml.T)).strip():
            table = row.getparent()
            if table is None:
                continue
            table.remove(row)
            if table.find(wml.TR) is None and table.getparent() is not None:
                table.getparent().remove(table)  # type: ignore[union-attr]


def seamed(texts: list[str]) -> tuple[str, list[int]]:
    """Join run texts with seams, except where a tag spans runs (those runs merge)."""
    source = SEAM.join(texts)
    inside: set[int] = set()
    for match in _TAG.finditer(source):
        inside.update(range(match.start(), match.end()))
    kept = []
    starts = [0]
    run = 0
    for index, char in enumerate(source):
        if char == SEAM:
            run += 1
            if index in inside:
                continue
            starts.append(run)
        kept.append(char)
    return "".join(kept), starts
