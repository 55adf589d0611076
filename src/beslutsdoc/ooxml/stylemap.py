"""Styles of a merged document: each part keeps its own look, and never changes another's.

Styles are matched by name, as Word shows them (ids are localised: `berschrift1`,
`Rubrik1`, or `1` in a LibreOffice conversion, all named "heading 1"). A part's style
that is the same as the packet's (the same definition under the same id, as in papers
rendered from the same templates) is shared. Any other style whose name or id the packet
already has is copied under a new id and a new name, so that neither Word nor
LibreOffice takes it for the packet's: an attachment's "Heading 1" may never restyle or
renumber the notice's headings. A style that carries list numbering which the part's
paragraphs count by is always copied, so that a style-bound list restarts in each part.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml.styles import style_name
from beslutsdoc.ooxml.wordml import PPR, VAL, w

STYLE = w("style")
_LINKS = ("basedOn", "next", "link")
#: Elements in content whose w:val names a style.
STYLE_REFERENCES = (w("pStyle"), w("rStyle"), w("tblStyle"))


def _canonical(style: etree._Element) -> bytes:
    node = copy.deepcopy(style)
    for rsid in node.findall(w("rsid")):
        node.remove(rsid)
    return etree.tostring(node, method="c14n")


class PartStyles:
    """An appended part's styles part, read only: its styles by id, its default
    paragraph style and document defaults, and each style's canonical form once asked
    for. Papers rendered from one template share one styles part, so a packet reads
    it once (see `Composer`), not once per paper."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_id = {str(s.get(w("styleId"))): s for s in root.iter(STYLE)}
        self.default = default_paragraph_style(root)
        self.defaults = root.find(w("docDefaults"))
        self._canonical: dict[str, bytes] = {}

    def canonical(self, style_id: str) -> bytes:
        if style_id not in self._canonical:
            self._canonical[style_id] = _canonical(self.by_id[style_id])
        return self._canonical[style_id]


class StyleMap:
    """The merged document's styles part, and every style name and id in it."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_id = {str(s.get(w("styleId"))): s for s in root.iter(STYLE)}
        self.names = {n for s in root.iter(STYLE) if (n := style_name(s)) is not None}
        self.canonical: dict[str, bytes] = {}
        #: Style ids whose list numbering a part's paragraphs use (see `adopt`).
        self.counting: set[str] = set()

    def _same(self, style_id: str, theirs: PartStyles) -> bool:
        ours = self.by_id.get(style_id)
        if ours is None:
            return False
        if style_id not in self.canonical:
            self.canonical[style_id] = _canonical(ours)
        return self.canonical[style_id] == theirs.canonical(style_id)

    def adopt(
        self,
        theirs: PartStyles,
        wanted: Iterable[str],
        part: int,
        added: list[etree._Element],
    ) -> dict[str, str]:
        """Copy the styles `wanted` (ids in the part's styles `theirs`) and those they
        build on; return the part's style ids mapped to the merged document's. The
        copies made are appended to `added`."""
        available = theirs.by_id
        defaults = theirs.defaults
        closure = _closure(available, wanted)
        mapping: dict[str, str] = {}
        copies = []
        for style_id in closure:
            style = available[style_id]
            name = style_name(style) or style_id.lower()
            # A style whose list numbering the part's paragraphs count by is the part's
            # own, so its list restarts; papers that number each list directly share.
            numbered = style_id in self.counting and style.find(f"{PPR}/{w('numPr')}") is not None
            if not numbered and self._same(style_id, theirs):
                mapping[style_id] = style_id
                continue
            new_id, new_name = style_id, name
            if style_id in self.by_id or name in self.names:
                new_id, new_name = self._free(style_id, name, part)
            mapping[style_id] = new_id
            copies.append((style, new_id, new_name))
        for style, new_id, new_name in copies:
            added.append(self._add(style, new_id, new_name, mapping, defaults))
        return mapping

    def _free(self, style_id: str, name: str, part: int) -> tuple[str, str]:
        number = 0
        while True:
            tail = f"D{part}" + (f"x{number}" if number else "")
            new_id, new_name = (
                f"{style_id}{tail}",
                f"{name} (del {part}{'.' + str(number) if number else ''})",
            )
            if new_id not in self.by_id and new_name not in self.names:
                return new_id, new_name
            number += 1

    def _add(
        self,
        source: etree._Element,
        new_id: str,
        new_name: str,
        mapping: dict[str, str],
        defaults: etree._Element | None,
    ) -> etree._Element:
        style = copy.deepcopy(source)
        style.set(w("styleId"), new_id)
        schema.repair(style)
        if style.get(w("default")) in ("1", "true", "on"):
            del style.attrib[w("default")]  # the packet keeps its own defaults
            if defaults is not None and style.get(w("type")) == "paragraph":
                _fold_defaults(style, defaults)
        if style_name(source) != new_name:
            schema.set_child(style, "name", val=new_name)
        for link in _LINKS:
            node = style.find(w(link))
            if node is not None:
                target = mapping.get(str(node.get(VAL)))
                if target is None:
                    style.remove(node)  # a link to a style the part does not have
                else:
                    node.set(VAL, target)
        self.root.append(style)
        self.by_id[new_id] = style
        self.names.add(new_name)
        return style

    def link_style(self) -> str:
        """A character style with no formatting of its own, for the runs of web links
        that have none: LibreOffice makes no PDF link of a run without a character
        style, and an empty one changes nothing a reader sees."""
        style_id = "BeslutsdocWebblank"
        if style_id not in self.by_id:
            style = etree.SubElement(self.root, STYLE)
            style.set(w("type"), "character")
            style.set(w("styleId"), style_id)
            schema.set_child(style, "name", val="Webblänk i bilaga")
            schema.set_child(style, "uiPriority", val="99")
            self.by_id[style_id] = style
            self.names.add("webblänk i bilaga")
        return style_id


def _closure(available: dict[str, etree._Element], wanted: Iterable[str]) -> list[str]:
    """`wanted` with every style they are based on, link or continue with, in order."""
    seen: dict[str, None] = {}
    stack = sorted(s for s in wanted if s in available)  # a set: the same order every run
    while stack:
        style_id = stack.pop()
        if style_id in seen:
            continue
        seen[style_id] = None
        for link in _LINKS:
            node = available[style_id].find(w(link))
            if node is not None and str(node.get(VAL)) in available:
                stack.append(str(node.get(VAL)))
    return list(seen)


def _fold_defaults(style: etree._Element, defaults: etree._Element) -> None:
    """The part's document defaults (its font and size) into its default paragraph
    style, which its unstyled paragraphs will name, so they keep their look."""
    for kind in ("pPr", "rPr"):
        default = defaults.find(f"{w(kind + 'Default')}/{w(kind)}")
        if default is None:
            continue
        own = schema.get_or_add(style, kind)
        for child in default:
            if isinstance(child.tag, str) and own.find(child.tag) is None:
                schema.insert(own, copy.deepcopy(child))


def default_paragraph_style(styles: etree._Element) -> str | None:
    for style in styles.iter(STYLE):
        if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
            return str(style.get(w("styleId")))
    return None
