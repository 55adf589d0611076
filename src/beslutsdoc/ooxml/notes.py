"""Footnotes and endnotes parts."""

from __future__ import annotations

from lxml import etree

from beslutsdoc.ooxml.package import CONTENT_TYPES, R_ENDNOTES, R_FOOTNOTES, Package
from beslutsdoc.ooxml.wordml import el, sub

NOTE_RELATIONSHIPS = {"footnote": R_FOOTNOTES, "endnote": R_ENDNOTES}


def new_notes_root(kind: str) -> etree._Element:
    """An empty footnotes (`kind` "footnote") or endnotes part with the two separators
    Word expects at ids -1 and 0."""
    root = el(f"{kind}s")
    for note_id, note_kind, mark in (
        ("-1", "separator", "separator"),
        ("0", "continuationSeparator", "continuationSeparator"),
    ):
        note = sub(root, kind, type=note_kind, id=note_id)
        sub(sub(sub(note, "p"), "r"), mark)
    return root


def ensure_notes_part(package: Package, main: str, kind: str) -> str:
    """The name of the main part's footnotes or endnotes part, made when missing."""
    rel_type = NOTE_RELATIONSHIPS[kind]
    found = package.related_one(main, rel_type)
    if found is not None:
        return found
    name = f"word/{kind}s.xml"
    package.add_part(name, new_notes_root(kind), CONTENT_TYPES[f"{kind}s"])
    package.add_relationship(main, rel_type, f"{kind}s.xml")
    return name
