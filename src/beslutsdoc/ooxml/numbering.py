"""List numbering of a merged document: every appended part's lists count on their own.

Word and LibreOffice continue a list over every paragraph bound to the same w:num (and
Word over every w:abstractNum with the same w:nsid). A part's numberings are therefore
copied under new ids, each with its own copy of its definition and a fresh nsid, the
first time the part uses them, whether a paragraph names the numbering directly or
through its style, and whether the definition is itself a link to a numbering style
(w:numStyleLink / w:styleLink, kept and pointed at the part's own copy of that style).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from lxml import etree

from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml.ids import numeric_ids
from beslutsdoc.ooxml.wordml import VAL, el, w

NUM_ID, ABSTRACT, NUM = w("numId"), w("abstractNum"), w("num")


class Numbering:
    """The merged document's numbering part, with counters kept between appends."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.next_abstract = max(numeric_ids([root], (ABSTRACT,), w("abstractNumId")), default=-1)
        self.next_abstract += 1
        self.next_num = max(numeric_ids([root], (NUM,), w("numId")), default=0) + 1
        self.nsids = {str(n.get(VAL)).upper() for n in root.iter(w("nsid"))}
        self.next_nsid = 0x1B000001
        # The first w:num and the w:numIdMacAtCleanup, remembered: definitions go before
        # every w:num and each w:num before the cleanup mark (the schema's order), and
        # finding them again would cost more with every list.
        self.first_num = root.find(NUM)
        self.cleanup = root.find(w("numIdMacAtCleanup"))

    def _nsid(self) -> str:
        while f"{self.next_nsid:08X}" in self.nsids:
            self.next_nsid += 1
        value = f"{self.next_nsid:08X}"
        self.nsids.add(value)
        self.next_nsid += 1
        return value

    def add_abstract(self, source: etree._Element, styles: Callable[[str], str]) -> str:
        """A copy of the definition `source` with a new id and nsid; its style links
        (and its levels' paragraph styles) renamed by `styles`."""
        abstract = copy.deepcopy(source)
        abstract_id = str(self.next_abstract)
        self.next_abstract += 1
        abstract.set(w("abstractNumId"), abstract_id)
        schema.repair(abstract)
        schema.set_child(abstract, "nsid", val=self._nsid())
        for link in (
            *abstract.iter(w("numStyleLink"), w("styleLink")),
            *abstract.iter(w("pStyle")),
        ):
            link.set(VAL, styles(str(link.get(VAL))))
        if self.first_num is not None:
            self.first_num.addprevious(abstract)
        elif self.cleanup is not None:
            self.cleanup.addprevious(abstract)
        else:
            self.root.append(abstract)
        return abstract_id

    def add_num(self, source: etree._Element, abstract_id: str | None) -> str:
        """A copy of the w:num `source`, pointing at `abstract_id`, under a new id."""
        num = copy.deepcopy(source)
        num_id = str(self.next_num)
        self.next_num += 1
        num.set(NUM_ID, num_id)
        if abstract_id is not None:
            schema.set_child(num, "abstractNumId", val=abstract_id)
            # set_child puts it first: lvlOverride stays after it.
        if self.cleanup is not None:
            self.cleanup.addprevious(num)
        else:
            self.root.append(num)
        if self.first_num is None:
            self.first_num = num
        return num_id

    def new_list(self, abstract_id: str) -> str:
        """A new w:num of `abstract_id` (a list that starts from its first number)."""
        return self.add_num(el("num"), abstract_id)


class PartLists:
    """The numberings of one appended part, copied on first use."""

    def __init__(
        self, numbering: Numbering, theirs: etree._Element | None, styles: Callable[[str], str]
    ) -> None:
        self.numbering = numbering
        root = theirs if theirs is not None else el("numbering")
        self.abstracts = {str(a.get(w("abstractNumId"))): a for a in root.iter(ABSTRACT)}
        self.nums = {str(n.get(NUM_ID)): n for n in root.iter(NUM)}
        self.styles = styles
        self.mapping: dict[str, str] = {}
        self.abstract_mapping: dict[str, str] = {}

    def linked_styles(self, num_ids: Iterable[str]) -> set[str]:
        """Style ids the numberings `num_ids` name (numbering styles, level styles)."""
        out: set[str] = set()
        for num_id in num_ids:
            abstract = self._abstract_of(num_id)
            if abstract is not None:
                for link in abstract.iter(w("numStyleLink"), w("styleLink"), w("pStyle")):
                    out.add(str(link.get(VAL)))
        return out

    def _abstract_of(self, num_id: str) -> etree._Element | None:
        num = self.nums.get(num_id)
        ref = None if num is None else num.find(w("abstractNumId"))
        return None if ref is None else self.abstracts.get(str(ref.get(VAL)))

    def renumber(self, roots: Iterable[etree._Element]) -> None:
        """Point every w:numId under `roots` at this part's own copy."""
        for root in roots:
            for node in root.iter(NUM_ID):
                if node.getparent() is None or node.getparent().tag != w("numPr"):  # type: ignore[union-attr]
                    continue
                old = str(node.get(VAL))
                if old == "0" or old not in self.nums:
                    continue  # 0 means "no numbering"
                if old not in self.mapping:
                    self.mapping[old] = self._copy(old)
                node.set(VAL, self.mapping[old])

    def _copy(self, old: str) -> str:
        num = self.nums[old]
        ref = num.find(w("abstractNumId"))
        abstract_old = None if ref is None else str(ref.get(VAL))
        abstract_new = None
        if abstract_old is not None and abstract_old in self.abstracts:
            abstract_new = self.abstract_mapping.get(abstract_old)
            if abstract_new is None:
                abstract_new = self.numbering.add_abstract(
                    self.abstracts[abstract_old], self.styles
                )
                self.abstract_mapping[abstract_old] = abstract_new
        return self.numbering.add_num(num, abstract_new)


def num_ids_in(roots: Iterable[etree._Element]) -> set[str]:
    """The numberings paragraphs and styles under `roots` are bound to (w:numPr/w:numId)."""
    return {
        str(node.get(VAL))
        for root in roots
        for node in root.iter(NUM_ID)
        if (parent := node.getparent()) is not None and parent.tag == w("numPr")
    }


def pruned(root: etree._Element, num_ids: set[str]) -> etree._Element:
    """A copy of the numbering part `root` with only the numberings `num_ids` and their
    definitions (pictures of bullets and the cleanup mark kept). A part of a packet names
    a tenth of the packet's numberings, and LibreOffice makes a list style of every one
    it reads: its time and memory for a part shrink by a third without the others."""
    kept_nums = [n for n in root.iter(NUM) if str(n.get(NUM_ID)) in num_ids]
    abstracts = {
        str(ref.get(VAL)) for n in kept_nums if (ref := n.find(w("abstractNumId"))) is not None
    }
    copy_root = etree.Element(root.tag, root.attrib, nsmap=root.nsmap)  # type: ignore[arg-type]
    for child in root:
        keep = (
            child.tag not in (ABSTRACT, NUM)
            or (child.tag == ABSTRACT and str(child.get(w("abstractNumId"))) in abstracts)
            or (child.tag == NUM and str(child.get(NUM_ID)) in num_ids)
        )
        if keep:
            copy_root.append(copy.deepcopy(child))
    return copy_root
