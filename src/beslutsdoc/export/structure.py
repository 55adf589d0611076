"""Structure trees across PDFs: a tagged PDF's pages go into another with their tags.

A tagged PDF (ISO 32000-1, 14.7–14.8) says what its content is in a tree of structure
elements; each page's marked content is numbered (MCID) and found again through the
page's /StructParents key in the tree's ParentTree, each annotation's through its
/StructParent. Pages copied into another PDF lose all that unless the tree goes with
them. `Structure` edits one PDF's tree:

    tree = Structure(pdf)
    part = tree.element("/Part", tree.document, title="Bilaga 1")
    tree.graft(source, {0: pdf_page}, part, annotations=pairs)
    tree.finish()

`graft` copies the source's elements under a parent of ours: role map merged (a
conflicting custom type is written as the standard type it stands for), MCIDs kept per
page, /Pg pointing at our pages, new ParentTree keys for the pages and annotations, /ID
entries in our IDTree. `figure` gives an untagged page one /Figure with a text
alternative, so that it is not silently missing for assistive technology.
`forget_pages` removes what pages that are being replaced contributed.

Objects are pikepdf's: each read gives a new wrapper, so an object's identity is its
`objgen` (direct objects, (0, 0), have none and are walked each time, never cached).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from beslutsdoc.pdfobjects import (
    STANDARD,
    entry,
    is_dictionary,
    meant_type,
    name_tree,
    number_tree,
)

__all__ = ["Structure", "is_tagged", "pair_annotations"]

#: An object's identity in its PDF: object and generation number.
ObjGen = tuple[int, int]

#: An element's entries that are copied as they are (names, strings, attribute objects).
_COPIED = {"/ID", "/A", "/C", "/R", "/T", "/Lang", "/Alt", "/E", "/ActualText"}
#: More kids than this and an element is visited kid by kid when pages are forgotten.
_MANY = 32
#: Annotations a structure tree leaves out (ISO 14289-1, 7.18.1).
_UNTAGGED_ANNOTATIONS = {"/Popup", "/PrinterMark"}


def is_tagged(pdf: pikepdf.Pdf) -> bool:
    """The PDF has a structure tree with elements in it."""
    tree = entry(pdf.Root, "/StructTreeRoot")
    return isinstance(tree, Dictionary) and bool(_kids(tree))


def pair_annotations(source: pikepdf.Page, copy: pikepdf.Page) -> dict[ObjGen, pikepdf.Object]:
    """Each annotation of `source` (by objgen) and its copy on `copy`, a page just
    copied from it (before anything is removed from the copy)."""
    mine = entry(source.obj, "/Annots")
    theirs = entry(copy.obj, "/Annots")
    if not isinstance(mine, Array) or not isinstance(theirs, Array):
        return {}
    return {
        a.objgen: b for a, b in zip(mine, theirs, strict=False) if _indirect(a) and _indirect(b)
    }


class Structure:
    """The structure tree of `pdf`, edited; `finish` writes it back."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        root = pdf.Root
        tree = entry(root, "/StructTreeRoot")
        if not isinstance(tree, Dictionary):
            root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
            root.MarkInfo = Dictionary(Marked=True)
        elif not tree.is_indirect:  # elements' /P must be able to point at it
            root.StructTreeRoot = pdf.make_indirect(tree)
        self.root: pikepdf.Object = root.StructTreeRoot
        roles = entry(self.root, "/RoleMap")
        self.roles: dict[str, Any] = dict(roles.items()) if isinstance(roles, Dictionary) else {}
        self.parents: dict[int, Any] = dict(number_tree(entry(self.root, "/ParentTree")))
        declared = entry(self.root, "/ParentTreeNextKey")
        self.next_key = max([*(k + 1 for k in self.parents), int(declared or 0)])
        self.ids: dict[str, Any] = dict(name_tree(entry(self.root, "/IDTree")))
        self.document = self._document()
        #: The tree as first read, for forgetting pages (read when first needed).
        self._index: _Index | None = None

    def _document(self) -> pikepdf.Object:
        """The one /Document element at the top, made when there is none."""
        kids = _kids(self.root)
        if len(kids) == 1:
            top = kids[0]
            if isinstance(top, Dictionary) and self._standard(top.get("/S")) == "/Document":
                if not top.is_indirect:  # new elements' /P point at it
                    top = self.pdf.make_indirect(top)
                    self.root.K = Array([top])
                return top
        document = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array(kids))
        )
        for element in kids:
            if isinstance(element, Dictionary) and "/S" in element:
                element.P = document
        self.root.K = Array([document])
        return document

    def _standard(self, kind: Any, roles: Mapping[str, Any] | None = None) -> str:
        """The standard type a (custom) structure type stands for, through the role map."""
        roles = self.roles if roles is None else roles
        seen = set()
        name = str(kind)
        while name not in STANDARD and name in roles and name not in seen:
            seen.add(name)
            name = str(roles[name])
        return name

    def element(
        self,
        kind: str,
        parent: pikepdf.Object,
        index: int | None = None,
        *,
        title: str | None = None,
        lang: str | None = None,
        alt: str | None = None,
    ) -> pikepdf.Object:
        """A new, empty structure element under `parent` (at `index`, else last)."""
        element = Dictionary(Type=Name.StructElem, S=Name(kind), K=Array())
        for key, value in (("/T", title), ("/Lang", lang), ("/Alt", alt)):
            if value:
                element[key] = pikepdf.String(value)
        return self._attach(element, parent, index)

    def _attach(
        self, element: pikepdf.Object, parent: pikepdf.Object, index: int | None
    ) -> pikepdf.Object:
        """`element` made indirect, under `parent`; the indirect object."""
        made = self.pdf.make_indirect(element)
        made.P = parent if parent.is_indirect else self.root
        if self._index is not None:
            self._index.made.add(made.objgen)
        kids = parent.get("/K")
        if isinstance(kids, Array) and not kids.is_indirect:  # in place: no copy per kid
            kids.insert(len(kids) if index is None else index, made)
            return made
        listed = _kids(parent)
        listed.insert(len(listed) if index is None else index, made)
        parent.K = Array(listed)
        return made

    def forget_pages(
        self, replaced: Sequence[tuple[pikepdf.Page, pikepdf.Page]]
    ) -> tuple[pikepdf.Object, int] | None:
        """Remove what pages being replaced contributed (`replaced`: each old page with
        the page taking its place): their marked content, the elements left empty by
        that, their ParentTree entries; /Pg entries go to the new page. Returns the
        parent and position of the first element removed, where a replacement goes."""
        pages: dict[ObjGen, pikepdf.Object] = {}
        for old, new in replaced:
            pages[old.obj.objgen] = new.obj
            key = old.obj.get("/StructParents")
            if isinstance(key, int):
                self.parents.pop(int(key), None)
        if self._index is None or not self._index.new_pages.isdisjoint(pages):
            self._index = _Index(self.root)  # the elements made since may be on them
        found: list[tuple[pikepdf.Object, int]] = []
        self._forget(self.root, pages, None, found, set())
        return found[0] if found else None

    def _forget(
        self,
        node: pikepdf.Object,
        replaced: Mapping[ObjGen, pikepdf.Object],
        inherited: Any,
        found: list[tuple[pikepdf.Object, int]],
        seen: set[ObjGen],
    ) -> bool:
        """Drop the replaced pages' content under `node`; True if `node` had content
        and has none left, or is an empty element of those pages (then its parent
        drops it)."""
        assert self._index is not None
        own: Any = node.get("/Pg") if "/Pg" in node else inherited
        on_page = _indirect(own) and own.objgen in replaced
        kids = node.get("/K")
        if not on_page and self._index.sparse(node, kids, replaced):
            return self._forget_some(node, kids, replaced, own, found, seen)
        items = _kids(node)
        if on_page and not items and "/Pg" in node:
            # Nothing in it but its place on the page (LibreOffice tags an empty
            # paragraph so): it goes with the page.
            return not _same(node, self.root) and not _same(node, self.document)
        kept: list[Any] = []
        had = False
        for item in items:
            key = _key_of(item)
            if key is not None and self._index.apart(key, replaced):
                kept.append(item)  # nothing of it is on the pages being replaced
            elif _is_mcid(item):
                had = True
                if not on_page:
                    kept.append(item)
            elif isinstance(item, Dictionary) and "/S" in item:
                if key is not None and key in seen:
                    continue
                if key is not None:
                    seen.add(key)
                start = len(found)
                if self._forget(item, replaced, own, found, seen):
                    del found[start:]  # places inside it go with it
                    found.append((node, len(kept)))
                    had = True
                    continue
                kept.append(item)
            elif is_dictionary(item):
                had = True
                where: Any = item.get("/Pg") if "/Pg" in item else own
                if not (_indirect(where) and where.objgen in replaced):
                    kept.append(item)
            else:
                kept.append(item)
        if on_page and "/Pg" in node:
            node.Pg = replaced[own.objgen]
        if len(kept) != len(items):
            node.K = Array(kept)
        return had and not kept and not _same(node, self.root) and not _same(node, self.document)

    def _forget_some(
        self,
        node: pikepdf.Object,
        kids: Any,
        replaced: Mapping[ObjGen, pikepdf.Object],
        own: Any,
        found: list[tuple[pikepdf.Object, int]],
        seen: set[ObjGen],
    ) -> bool:
        """`_forget` for an element with many kids, none of its own content on the pages:
        only the kids that have some are found (where they were, or near) and visited."""
        assert self._index is not None
        removed: list[int] = []
        for kid in self._index.touching(node.objgen, replaced):
            at = self._index.find(kids, kid)
            if at is None or kid in seen:  # removed since, or visited
                continue
            seen.add(kid)
            start = len(found)
            if self._forget(kids[at], replaced, own, found, seen):
                del found[start:]  # places inside it go with it
                found.append((node, at - len(removed)))
                removed.append(at)
        for at in reversed(removed):
            del kids[at]
        emptied = bool(removed) and not len(kids)
        return emptied and not _same(node, self.root) and not _same(node, self.document)

    def graft(
        self,
        source: pikepdf.Pdf,
        pages: Mapping[int, pikepdf.Page],
        parent: pikepdf.Object,
        index: int | None = None,
        *,
        annotations: Mapping[ObjGen, pikepdf.Object] | None = None,
    ) -> None:
        """The structure of `source` for its pages in `pages` (source page index → our
        copy of it) under `parent` (from `index`, else last). `annotations`: each source
        annotation's copy (`pair_annotations`); one no longer on its page is left out.
        The source's top /Document element is not copied, only what it holds."""
        tree = entry(source.Root, "/StructTreeRoot")
        if not isinstance(tree, Dictionary):
            return
        self._given(pages.values())
        page_of = {source.pages[number].obj.objgen: copy for number, copy in pages.items()}
        kept_annotations = {
            ref.objgen for copy in pages.values() for ref in _refs(entry(copy.obj, "/Annots"))
        }
        self._merge_classes(entry(tree, "/ClassMap"))
        graft = _Graft(
            self,
            _roles(tree),
            page_of,
            {k: v for k, v in (annotations or {}).items() if v.objgen in kept_annotations},
        )
        tops = _kids(tree)
        if len(tops) == 1:
            top = tops[0]
            if isinstance(top, Dictionary) and graft.standard(top.get("/S")) == "/Document":
                tops = _kids(top)
        at = len(_kids(parent)) if index is None else index
        for element in tops:
            is_element = isinstance(element, Dictionary) and "/S" in element
            if is_element and graft.copy(element, parent, at, None):
                at += 1
        graft.register()
        for page in pages.values():  # annotations the source left out of its structure
            self.tag_annotations(page, parent, graft.tagged)

    def _merge_classes(self, classes: Any) -> None:
        """The attribute classes a source's elements name, beside ours."""
        if not isinstance(classes, Dictionary):
            return
        mine = entry(self.root, "/ClassMap")
        merged = dict(mine.items()) if isinstance(mine, Dictionary) else {}
        for name, value in classes.items():
            if name not in merged:
                merged[name] = _foreign(self.pdf, value)
        self.root.ClassMap = Dictionary(merged)

    def figure(self, page: pikepdf.Page, parent: pikepdf.Object, alt: str) -> pikepdf.Object:
        """The page's whole content as one /Figure with `alt` as its text alternative, and
        its annotations as /Link or /Annot elements beside it."""
        self._given([page])
        before = self.pdf.make_indirect(pikepdf.Stream(self.pdf, b"/Figure <</MCID 0>> BDC\n"))
        after = self.pdf.make_indirect(pikepdf.Stream(self.pdf, b"\nEMC\n"))
        page.obj.Contents = Array([before, *_contents(page), after])
        figure = self.element("/Figure", parent, alt=alt)
        figure.Pg = page.obj
        figure.K = 0
        page.obj.StructParents = self._key(Array([figure]))
        self.tag_annotations(page, parent)
        return figure

    def tag_annotations(
        self, page: pikepdf.Page, parent: pikepdf.Object, tagged: Iterable[ObjGen] = ()
    ) -> None:
        """Each annotation of `page` not among `tagged` (objgens) as a /Link, /Form (a
        widget) or /Annot element under `parent`, with a description when it has none
        (ISO 14289-1, 7.18); pop-ups and printer marks are left out."""
        self._given([page])
        done = set(tagged)
        for annotation in _refs(entry(page.obj, "/Annots")):
            if not isinstance(annotation, Dictionary) or annotation.objgen in done:
                continue
            kind = str(annotation.get("/Subtype"))
            if kind in _UNTAGGED_ANNOTATIONS:
                continue
            tag = {"/Link": "/Link", "/Widget": "/Form"}.get(kind, "/Annot")
            element = self.element(tag, parent)
            element.Pg = page.obj
            element.K = _objr(annotation, page.obj)
            annotation.StructParent = self._key(element)
            if "/Contents" not in annotation:
                target = entry(entry(annotation, "/A"), "/URI")
                if kind != "/Link":
                    said = "Fält eller anteckning i bilagan"
                else:
                    said = f"Länk till {_text(target)}" if target else "Länk i bilagan"
                annotation.Contents = pikepdf.String(said)
            # Its element holds no text of its own: what the annotation says is its text
            # alternative (ISO 14289-1, 7.18.1).
            element.Alt = pikepdf.String(_text(annotation.Contents))
        if _has_annotations(page):
            page.obj.Tabs = Name.S

    def _given(self, pages: Iterable[pikepdf.Page]) -> None:
        """Pages the tree's new elements may have content on (see `_Index`)."""
        if self._index is not None:
            self._index.new_pages.update(page.obj.objgen for page in pages)

    def _rename(self, node: pikepdf.Object, names: Mapping[str, str]) -> None:
        stack = [node]
        seen: set[ObjGen] = set()
        while stack:
            element = stack.pop()
            key = _key_of(element)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            kind = element.get("/S")
            if kind is not None and str(kind) in names:
                element.S = Name(meant_type(element, str(kind), names[str(kind)]))
            stack.extend(
                item for item in _kids(element) if isinstance(item, Dictionary) and "/S" in item
            )

    def attach(
        self, annotation: pikepdf.Object, page: pikepdf.Page, element: pikepdf.Object
    ) -> None:
        """`annotation` (on `page`) as the last content of `element`, an element the
        tree has already, such as the link text it belongs to."""
        kids = element.get("/K")
        listed = list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]
        element.K = Array([*listed, _objr(annotation, page.obj)])
        annotation.StructParent = self._key(element)
        page.obj.Tabs = Name.S

    def _key(self, value: Any) -> int:
        key = self.next_key
        self.next_key += 1
        if value is not None:
            self.parents[key] = value
        return key

    def finish(self) -> None:
        """Write the ParentTree, its next key, the role map and the IDTree back. A
        standard type the role map remaps (LibreOffice maps a paragraph style named
        ”Quote” to /P) is written as what it stands for (`meant_type`): PDF/UA (ISO
        14289-1, 7.1) does not let a standard type be remapped."""
        remapped = {
            name: self._standard(self.roles[name]) for name in self.roles if name in STANDARD
        }
        if remapped:
            for name in remapped:
                del self.roles[name]
            self._rename(self.root, remapped)
        nums: list[Any] = []
        for key in sorted(self.parents):
            nums += [key, self.parents[key]]
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        self.root.ParentTreeNextKey = self.next_key
        if self.roles:
            self.root.RoleMap = Dictionary(self.roles)
        if self.ids:
            names: list[Any] = []
            for name in sorted(self.ids):
                names += [pikepdf.String(name), self.ids[name]]
            self.root.IDTree = self.pdf.make_indirect(Dictionary(Names=Array(names)))


class _Index:
    """What a tree holds, read once, so that forgetting pages visits only the elements
    on them, not the whole tree per attachment: the pages under each (indirect) element,
    those of its own content, and its element kids with where each was. Elements made
    since (`made`) have content only on pages given to the tree since (`new_pages`)."""

    def __init__(self, root: pikepdf.Object) -> None:
        self.pages: dict[ObjGen, frozenset[ObjGen]] = {}
        self.direct: dict[ObjGen, frozenset[ObjGen]] = {}
        self.kids: dict[ObjGen, list[ObjGen]] = {}
        self.at: dict[ObjGen, int] = {}
        self.made: set[ObjGen] = set()
        self.new_pages: set[ObjGen] = set()
        #: For an element of many kids: per page, its kids with something on it (in
        #: order), so that a page's kids are found without going through all of them.
        self.by_page: dict[ObjGen, dict[ObjGen, list[ObjGen]]] = {}
        self.rank: dict[ObjGen, int] = {}
        self._read(root, None, set())

    def _read(self, node: pikepdf.Object, inherited: Any, seen: set[ObjGen]) -> frozenset[ObjGen]:
        own: Any = node.get("/Pg") if "/Pg" in node else inherited
        pages = {own.objgen} if _indirect(own) else set()
        direct: set[ObjGen] = set()
        kids: list[ObjGen] = []
        for at, item in enumerate(_kids(node)):
            if _is_mcid(item) and _indirect(own):
                direct.add(own.objgen)
            elif isinstance(item, Dictionary) and "/S" in item:
                key = _key_of(item)
                if key is None:  # a direct element: part of this one's own content
                    under = self._read(item, own, seen)
                    pages |= under
                    direct |= under
                elif key not in seen:
                    seen.add(key)
                    pages |= self._read(item, own, seen)
                    kids.append(key)
                    self.at[key] = at
            elif is_dictionary(item):  # a marked-content or object reference
                where: Any = item.get("/Pg") if "/Pg" in item else own
                if _indirect(where):
                    pages.add(where.objgen)
                    direct.add(where.objgen)
        found = frozenset(pages)
        key = _key_of(node)
        if key is not None:
            self.pages[key] = found
            self.direct[key] = frozenset(direct)
            self.kids[key] = kids
            if len(kids) > _MANY:
                self._by_page(key, kids)
        return found

    def _by_page(self, node: ObjGen, kids: list[ObjGen]) -> None:
        index: dict[ObjGen, list[ObjGen]] = {}
        for rank, kid in enumerate(kids):
            self.rank[kid] = rank
            for page in self.pages[kid]:
                index.setdefault(page, []).append(kid)
        self.by_page[node] = index

    def apart(self, element: ObjGen, replaced: Mapping[ObjGen, Any]) -> bool:
        """Nothing under `element` is on the pages being replaced."""
        if element in self.made:
            return True
        under = self.pages.get(element)
        return under is not None and under.isdisjoint(replaced)

    def sparse(self, node: pikepdf.Object, kids: Any, replaced: Mapping[ObjGen, Any]) -> bool:
        """`node` is worth visiting kid by kid: many kids, an array of its own, and
        none of its own content on the pages."""
        key = _key_of(node)
        return (
            key in self.kids
            and isinstance(kids, Array)
            and not kids.is_indirect
            and len(kids) > _MANY
            and self.direct[key].isdisjoint(replaced)
        )

    def touching(self, node: ObjGen, replaced: Mapping[ObjGen, Any]) -> Iterator[ObjGen]:
        """The element kids of `node` that have something on the pages, in order."""
        index = self.by_page.get(node)
        if index is None:
            return (kid for kid in self.kids[node] if not self.pages[kid].isdisjoint(replaced))
        found = {kid for page in replaced for kid in index.get(page, ())}
        return iter(sorted(found, key=self.rank.__getitem__))

    def find(self, kids: pikepdf.Array, kid: ObjGen) -> int | None:
        """Where `kid` is in `kids`: looked for outward from where it was (elements put in
        or taken out before it move it a little), None when it is gone."""
        start, count = self.at.get(kid, 0), len(kids)
        for distance in range(max(start + 1, count - start)):
            for at in {start - distance, start + distance}:
                if 0 <= at < count and _key_of(kids[at]) == kid:
                    self.at[kid] = at
                    return at
        return None


class _Graft:
    """One source's elements copied into a Structure."""

    def __init__(
        self,
        tree: Structure,
        roles: Mapping[str, Any],
        pages: Mapping[ObjGen, pikepdf.Page],
        annotations: Mapping[ObjGen, pikepdf.Object],
    ) -> None:
        self.tree = tree
        self.roles = roles
        self.pages = pages
        self.annotations = annotations
        self.renamed: dict[str, str] = {}
        for name in roles:
            if name in STANDARD:  # remapped, which PDF/UA does not allow: what it means
                self.renamed[name] = tree._standard(roles[name], roles)
                continue
            if name not in tree.roles:  # mapped straight to what it stands for here
                tree.roles[name] = _name(self.standard(name))
            elif tree._standard(name) != self.standard(name):
                self.renamed[name] = self.standard(name)
        self.marked: dict[ObjGen, dict[int, pikepdf.Object]] = {}  # our page → MCID → element
        self.tagged: set[ObjGen] = set()  # annotations given their element

    def standard(self, kind: Any) -> str:
        return self.tree._standard(kind, self.roles)

    def copy(
        self, element: pikepdf.Object, parent: pikepdf.Object, index: int | None, inherited: Any
    ) -> bool:
        """Copy `element` and what it holds under `parent` (at `index`, else last);
        False (nothing copied) when it had content but none on the pages taken."""
        own: Any = element.get("/Pg") if "/Pg" in element else inherited
        page = self.pages.get(own.objgen) if _indirect(own) else None
        kind = str(element.get("/S"))
        new = Dictionary(Type=Name.StructElem, S=_name(self.renamed.get(kind, kind)), K=Array())
        for key in _COPIED & set(element.keys()):
            new[key] = _foreign(self.tree.pdf, element[key])
        if page is not None:
            new.Pg = page.obj
        ref = self.tree._attach(new, parent, index)
        had = False
        for item in _kids(element):
            if _is_mcid(item):
                had = True
                if page is not None:
                    _push(ref, int(item))
                    self._mark(page, int(item), ref)
            elif isinstance(item, Dictionary) and "/S" in item:
                if not self.copy(item, ref, None, own):
                    had = True
            elif is_dictionary(item):
                had = True
                made = self._reference(item, own, ref)
                if made is not None:
                    _push(ref, made)
        if had and not _kids(ref):
            _remove(parent, ref)
            return False
        if "/ID" in ref:
            self._identify(ref)
        return True

    def _reference(self, item: Any, own: Any, element: pikepdf.Object) -> pikepdf.Object | None:
        """Our copy of a marked-content or object reference, if on a page taken."""
        where: Any = item.get("/Pg") if "/Pg" in item else own
        target = self.pages.get(where.objgen) if _indirect(where) else None
        if target is None:
            return None
        if item.get("/Type") == Name.OBJR:
            return self._objr(item, target, element)
        if "/MCID" in item and "/Stm" not in item:
            mcid = int(str(item["/MCID"]))
            self._mark(target, mcid, element)
            return Dictionary(Type=Name.MCR, Pg=target.obj, MCID=mcid)
        return None

    def _objr(
        self, item: pikepdf.Object, page: pikepdf.Page, element: pikepdf.Object
    ) -> pikepdf.Object | None:
        obj: Any = item.get("/Obj")
        copy = self.annotations.get(obj.objgen) if _indirect(obj) else None
        if copy is None or not is_dictionary(copy):
            return None
        copy.StructParent = self.tree._key(element)
        self.tagged.add(copy.objgen)
        return _objr(copy, page.obj)

    def _mark(self, page: pikepdf.Page, mcid: int, element: pikepdf.Object) -> None:
        self.marked.setdefault(page.obj.objgen, {})[mcid] = element

    def _identify(self, element: pikepdf.Object) -> None:
        name = _text(element["/ID"])
        unique, number = name, 1
        while unique in self.tree.ids:
            number += 1
            unique = f"{name}-{number}"
        element.ID = pikepdf.String(unique)
        self.tree.ids[unique] = element

    def register(self) -> None:
        """Each page's marked content in the ParentTree, under a new key."""
        for page in self.pages.values():
            marked = self.marked.get(page.obj.objgen, {})
            if not marked:
                continue
            array = Array([marked.get(mcid) for mcid in range(max(marked) + 1)])
            page.obj.StructParents = self.tree._key(array)
            if _has_annotations(page):
                page.obj.Tabs = Name.S


def _objr(annotation: pikepdf.Object, page: pikepdf.Object) -> pikepdf.Object:
    return Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page)


def _foreign(pdf: pikepdf.Pdf, value: Any) -> Any:
    """`value`, from another PDF, as an object of `pdf`: indirect objects copied (once per
    source: qpdf remembers its copies), direct containers rebuilt around them."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_foreign(pdf, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _foreign(pdf, item) for key, item in value.items()})
    return value


def _push(element: pikepdf.Object, item: Any) -> None:
    """`item` last in the element's /K (an array of ours: read again each time, since a
    kid's removal may have put a new one in its place)."""
    element.K.append(item)


def _remove(parent: pikepdf.Object, ref: pikepdf.Object) -> None:
    parent.K = Array([k for k in _kids(parent) if not _same(k, ref)])


def _roles(tree: pikepdf.Object) -> dict[str, Any]:
    roles = entry(tree, "/RoleMap")
    return dict(roles.items()) if isinstance(roles, Dictionary) else {}


def _kids(node: pikepdf.Object) -> list[Any]:
    """The /K entry as a (new) list."""
    kids = entry(node, "/K")
    if kids is None:
        return []
    if isinstance(kids, Array):
        return list(kids)
    return [kids]


def _contents(page: pikepdf.Page) -> list[Any]:
    """The page's content streams, in order."""
    own = page.obj.get("/Contents")
    if own is None:
        return []
    return list(own) if isinstance(own, Array) else [own]


def _refs(value: Any) -> Iterator[pikepdf.Object]:
    if isinstance(value, Array):
        yield from (v for v in value if _indirect(v))


def _has_annotations(page: pikepdf.Page) -> bool:
    annotations = entry(page.obj, "/Annots")
    return isinstance(annotations, Array) and len(annotations) > 0


def _is_mcid(item: Any) -> bool:
    return isinstance(item, int) and not isinstance(item, bool)


def _indirect(value: Any) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


def _key_of(value: Any) -> ObjGen | None:
    return value.objgen if _indirect(value) else None


def _same(a: Any, b: Any) -> bool:
    """The same indirect object (direct ones have no identity to compare)."""
    return _indirect(a) and _indirect(b) and a.objgen == b.objgen


def _name(text: str) -> pikepdf.Name:
    return Name(text if text.startswith("/") else f"/{text}")


def _text(value: Any) -> str:
    if isinstance(value, pikepdf.String):
        try:
            return str(value)
        except UnicodeDecodeError:  # a byte string, not text
            return bytes(value).decode("latin-1")
    return str(value)
