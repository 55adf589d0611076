"""Styles: looking them up by name, the way Word's user interface names them."""

from __future__ import annotations

from lxml import etree

from beslutsdoc.ooxml.wordml import VAL, w


def style_name(style: etree._Element) -> str | None:
    """The style's name in lower case (Word matches names without case), or None."""
    name = style.find(w("name"))
    return None if name is None else (name.get(VAL) or "").lower()


def style_ids(styles: etree._Element) -> dict[str, str]:
    """Style ids of a styles part by lower-case name."""
    out = {}
    for style in styles.iter(w("style")):
        name = style_name(style)
        if name is not None:
            out[name] = str(style.get(w("styleId")))
    return out


def styles_by_name(styles: etree._Element) -> dict[str, etree._Element]:
    """The w:style elements of a styles part by lower-case name."""
    return {
        name: style for style in styles.iter(w("style")) if (name := style_name(style)) is not None
    }
