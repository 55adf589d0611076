"""Structure trees across PDFs: a tagged PDF's pages go into another with their tags.

A tagged PDF (ISO 32000-1, 14.7–14.8) says what its content is in a tree of structure
elements; each page's marked content is numbered (MCID) and found again through the
page's /StructParents key in the tree's ParentTree, each annotation's through its
/StructParent. Pages copied into another PDF lose all that unless the tree goes with
them. `Structure` edits one writer's tree:

    tree = Structure(writer)
    part = tree.element("/Part", tree.document, title="Bilaga 1")
    tree.graft(reader, {0: writer_page}, part, annotations=pairs)
    tree.finish()

`graft` copies the source's elements under a parent of ours: role map merged (a
conflicting custom type is written as the standard type it stands for), MCIDs kept per
page, /Pg pointing at our pages, new ParentTree keys for the pages and annotations, /ID
entries in our IDTree. `figure` gives an untagged page one /Figure with a text
alternative, so that it is not silently missing for assistive technology.
`forget_pages` removes what pages that are being replaced contributed. `append_tagged`
does it all for a whole PDF appended at the end of a writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from beslutsdoc.export.pdfobjects import STANDARD, entry, name_tree, number_tree

__all__ = ["Structure", "append_tagged", "is_tagged", "pair_annotations"]

#: An element's entries that are copied as they are (names, strings, attribute objects).
_COPIED = {"/ID", "/A", "/C", "/R", "/T", "/Lang", "/Alt", "/E", "/ActualText"}
#: Annotations a structure tree leaves out (ISO 14289-1, 7.18.1).
_UNTAGGED_ANNOTATIONS = {"/Popup", "/PrinterMark"}


def is_tagged(reader: PdfReader) -> bool:
    """The PDF has a structure tree with elements in it."""
    tree = entry(reader.trailer["/Root"], "/StructTreeRoot")
    return isinstance(tree, DictionaryObject) and bool(_kids(tree))


def pair_annotations(source: PageObject, copy: PageObject) -> dict[int, IndirectObject]:
    """Each annotation of `source` (by object number) and its copy on `copy`, a page
    just copied from it (before anything is removed from the copy)."""
    mine = entry(source, "/Annots")
    theirs = entry(copy, "/Annots")
    if not isinstance(mine, ArrayObject) or not isinstance(theirs, ArrayObject):
        return {}
    return {
        a.idnum: b
        for a, b in zip(mine, theirs, strict=False)
        if isinstance(a, IndirectObject) and isinstance(b, IndirectObject)
    }


class Structure:
    """The structure tree of `writer`, edited; `finish` writes it back."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        root = writer.root_object
        tree = entry(root, "/StructTreeRoot")
        if not isinstance(tree, DictionaryObject):
            tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
            root[NameObject("/StructTreeRoot")] = writer._add_object(tree)
            root[NameObject("/MarkInfo")] = DictionaryObject(
                {NameObject("/Marked"): BooleanObject(True)}
            )
        self.root = tree
        self.ref = root.raw_get("/StructTreeRoot")
        roles = entry(tree, "/RoleMap")
        self.roles: DictionaryObject = (
            DictionaryObject(roles) if isinstance(roles, DictionaryObject) else DictionaryObject()
        )
        self.parents: dict[int, PdfObject] = dict(number_tree(entry(tree, "/ParentTree")))
        declared = entry(tree, "/ParentTreeNextKey")
        self.next_key = max([*(k + 1 for k in self.parents), int(declared or 0)])
        self.ids: dict[str, PdfObject] = dict(name_tree(entry(tree, "/IDTree")))
        self.document = self._document()
        #: The pages (object numbers) each element's content is on, read once: forgetting
        #: a page then visits only the elements on it, not the whole tree per attachment.
        self._pages_of: dict[int, frozenset[int]] | None = None

    def _document(self) -> DictionaryObject:
        """The one /Document element at the top, made when there is none."""
        kids = _kids(self.root)
        if len(kids) == 1:
            top = kids[0].get_object()
            if isinstance(top, DictionaryObject) and self._standard(top.get("/S")) == "/Document":
                return top
        document = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Document"),
                NameObject("/P"): self.ref,
                NameObject("/K"): ArrayObject(kids),
            }
        )
        ref = self.writer._add_object(document)
        for kid in kids:
            element = kid.get_object()
            if isinstance(element, DictionaryObject) and "/S" in element:
                element[NameObject("/P")] = ref
        self.root[NameObject("/K")] = ArrayObject([ref])
        return document

    def _standard(self, kind: Any, roles: Mapping[Any, Any] | None = None) -> str:
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
        parent: DictionaryObject,
        index: int | None = None,
        *,
        title: str | None = None,
        lang: str | None = None,
        alt: str | None = None,
    ) -> DictionaryObject:
        """A new, empty structure element under `parent` (at `index`, else last)."""
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject(kind),
                NameObject("/K"): ArrayObject(),
            }
        )
        for key, value in (("/T", title), ("/Lang", lang), ("/Alt", alt)):
            if value:
                element[NameObject(key)] = TextStringObject(value)
        self._attach(element, parent, index)
        return element

    def _attach(
        self, element: DictionaryObject, parent: DictionaryObject, index: int | None
    ) -> IndirectObject:
        ref = self.writer._add_object(element)
        parent_ref = parent.indirect_reference
        element[NameObject("/P")] = parent_ref if parent_ref is not None else self.ref
        kids = _kids(parent)
        kids.insert(len(kids) if index is None else index, ref)
        parent[NameObject("/K")] = kids
        return ref

    def forget_pages(
        self, replaced: Sequence[tuple[PageObject, IndirectObject]]
    ) -> tuple[DictionaryObject, int] | None:
        """Remove what pages being replaced contributed (`replaced`: each old page with
        the page taking its place): their marked content, the elements left empty by
        that, their ParentTree entries; /Pg entries go to the new page. Returns the
        parent and position of the first element removed, where a replacement goes."""
        pages: dict[int, IndirectObject] = {}
        for old, new in replaced:
            if old.indirect_reference is not None:
                pages[old.indirect_reference.idnum] = new
            key = old.get("/StructParents")
            if isinstance(key, int):
                self.parents.pop(int(key), None)
        found: list[tuple[DictionaryObject, int]] = []
        if self._pages_of is None:
            self._pages_of = {}
            self._index(self.root, None, set())
        self._forget(self.root, pages, None, found, set())
        return found[0] if found else None

    def _index(self, node: DictionaryObject, inherited: Any, seen: set[int]) -> frozenset[int]:
        """Note the pages under `node` and each element beneath it (`_pages_of`)."""
        own = node.raw_get("/Pg") if "/Pg" in node else inherited
        pages = {own.idnum} if isinstance(own, IndirectObject) else set()
        for kid in _kids(node):
            item = kid.get_object()
            if isinstance(item, DictionaryObject) and "/S" in item:
                if id(item) not in seen:
                    seen.add(id(item))
                    pages |= self._index(item, own, seen)
            elif isinstance(item, DictionaryObject):  # a marked-content or object reference
                where = item.raw_get("/Pg") if "/Pg" in item else own
                if isinstance(where, IndirectObject):
                    pages.add(where.idnum)
        assert self._pages_of is not None
        self._pages_of[id(node)] = found = frozenset(pages)
        return found

    def _forget(
        self,
        node: DictionaryObject,
        replaced: Mapping[int, IndirectObject],
        inherited: Any,
        found: list[tuple[DictionaryObject, int]],
        seen: set[int],
    ) -> bool:
        """Drop the replaced pages' content under `node`; True if `node` had content
        and has none left (then its parent drops it)."""
        own = node.raw_get("/Pg") if "/Pg" in node else inherited
        on_page = isinstance(own, IndirectObject) and own.idnum in replaced
        kept = ArrayObject()
        had = False
        for kid in _kids(node):
            item = kid.get_object()
            if isinstance(item, int):
                had = True
                if not on_page:
                    kept.append(kid)
            elif isinstance(item, DictionaryObject) and "/S" in item:
                if id(item) in seen:
                    continue
                under = self._pages_of.get(id(item)) if self._pages_of else None
                if under is not None and under.isdisjoint(replaced):
                    kept.append(kid)  # nothing of it is on the pages being replaced
                    continue
                seen.add(id(item))
                start = len(found)
                if self._forget(item, replaced, own, found, seen):
                    del found[start:]  # places inside it go with it
                    found.append((node, len(kept)))
                    had = True
                    continue
                kept.append(kid)
            elif isinstance(item, DictionaryObject):
                had = True
                where = item.raw_get("/Pg") if "/Pg" in item else own
                if not (isinstance(where, IndirectObject) and where.idnum in replaced):
                    kept.append(kid)
            else:
                kept.append(kid)
        if on_page and "/Pg" in node:
            node[NameObject("/Pg")] = replaced[own.idnum]
        node[NameObject("/K")] = kept
        return had and not kept and node is not self.root and node is not self.document

    def graft(
        self,
        source: PdfReader,
        pages: Mapping[int, PageObject],
        parent: DictionaryObject,
        index: int | None = None,
        *,
        annotations: Mapping[int, IndirectObject] | None = None,
    ) -> None:
        """The structure of `source` for its pages in `pages` (source page index → our
        copy of it) under `parent` (from `index`, else last). `annotations`: each source
        annotation's copy (`pair_annotations`); one no longer on its page is left out.
        The source's top /Document element is not copied, only what it holds."""
        tree = entry(source.trailer["/Root"], "/StructTreeRoot")
        if not isinstance(tree, DictionaryObject):
            return
        page_of = {
            source.pages[number].indirect_reference.idnum: copy  # type: ignore[union-attr]
            for number, copy in pages.items()
        }
        kept_annotations = {
            ref.idnum for copy in pages.values() for ref in _refs(entry(copy, "/Annots"))
        }
        classes = entry(tree, "/ClassMap")
        if isinstance(classes, DictionaryObject):  # attribute classes the elements name
            mine = entry(self.root, "/ClassMap")
            merged = (
                DictionaryObject(mine) if isinstance(mine, DictionaryObject) else DictionaryObject()
            )
            for name, value in classes.items():
                if name not in merged:
                    merged[NameObject(name)] = value.clone(self.writer)
            self.root[NameObject("/ClassMap")] = merged
        graft = _Graft(
            self,
            _roles(tree),
            page_of,
            {k: v for k, v in (annotations or {}).items() if v.idnum in kept_annotations},
        )
        tops = _kids(tree)
        if len(tops) == 1:
            top = tops[0].get_object()
            if isinstance(top, DictionaryObject) and graft.standard(top.get("/S")) == "/Document":
                tops = _kids(top)
        at = len(_kids(parent)) if index is None else index
        for kid in tops:
            element = kid.get_object()
            is_element = isinstance(element, DictionaryObject) and "/S" in element
            if is_element and graft.copy(element, parent, at, None):
                at += 1
        graft.register()
        for page in pages.values():  # annotations the source left out of its structure
            self.tag_annotations(page, parent, graft.tagged)

    def figure(self, page: PageObject, parent: DictionaryObject, alt: str) -> DictionaryObject:
        """The page's whole content as one /Figure with `alt` as its text alternative, and
        its annotations as /Link or /Annot elements beside it."""
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"/Figure <</MCID 0>> BDC\n")
        after.set_data(b"\nEMC\n")
        contents = ArrayObject([self.writer._add_object(before)])
        own = page.raw_get("/Contents") if "/Contents" in page else None
        if own is not None:
            resolved = own.get_object()
            contents.extend(resolved if isinstance(resolved, ArrayObject) else [own])
        contents.append(self.writer._add_object(after))
        page[NameObject("/Contents")] = contents
        figure = self.element("/Figure", parent, alt=alt)
        figure[NameObject("/Pg")] = page.indirect_reference
        figure[NameObject("/K")] = NumberObject(0)
        key = self._key(ArrayObject([figure.indirect_reference]))
        page[NameObject("/StructParents")] = NumberObject(key)
        self.tag_annotations(page, parent)
        return figure

    def tag_annotations(
        self, page: PageObject, parent: DictionaryObject, tagged: Iterable[int] = ()
    ) -> None:
        """Each annotation of `page` not among `tagged` (object numbers) as a /Link,
        /Form (a widget) or /Annot element under `parent`, with a description when it
        has none (ISO 14289-1, 7.18); pop-ups and printer marks are left out."""
        done = set(tagged)
        for ref in _refs(entry(page, "/Annots")):
            annotation = ref.get_object()
            if not isinstance(annotation, DictionaryObject) or ref.idnum in done:
                continue
            kind = annotation.get("/Subtype")
            if kind in _UNTAGGED_ANNOTATIONS:
                continue
            tag = {"/Link": "/Link", "/Widget": "/Form"}.get(str(kind), "/Annot")
            element = self.element(tag, parent)
            element[NameObject("/Pg")] = page.indirect_reference
            element[NameObject("/K")] = _objr(ref, page.indirect_reference)
            annotation[NameObject("/StructParent")] = NumberObject(
                self._key(element.indirect_reference)
            )
            if "/Contents" not in annotation:
                target = entry(entry(annotation, "/A"), "/URI")
                if kind != "/Link":
                    said = "Fält eller anteckning i bilagan"
                else:
                    said = f"Länk till {target}" if target else "Länk i bilagan"
                annotation[NameObject("/Contents")] = TextStringObject(said)
        if entry(page, "/Annots"):
            page[NameObject("/Tabs")] = NameObject("/S")

    def _rename(self, node: DictionaryObject, names: Mapping[str, str], seen: set[int]) -> None:
        stack = [node]
        while stack:
            element = stack.pop()
            if id(element) in seen:
                continue
            seen.add(id(element))
            kind = element.get("/S")
            if kind is not None and str(kind) in names:
                element[NameObject("/S")] = NameObject(names[str(kind)])
            for kid in _kids(element):
                item = kid.get_object()
                if isinstance(item, DictionaryObject) and "/S" in item:
                    stack.append(item)

    def _key(self, value: PdfObject | None) -> int:
        key = self.next_key
        self.next_key += 1
        if value is not None:
            self.parents[key] = value
        return key

    def finish(self) -> None:
        """Write the ParentTree, its next key, the role map and the IDTree back. A
        standard type the role map remaps (LibreOffice maps a paragraph style named
        ”Quote” to /P) is written as what it is mapped to: PDF/UA (ISO 14289-1, 7.1)
        does not let a standard type be remapped."""
        remapped = {
            name: self._standard(self.roles[name]) for name in self.roles if name in STANDARD
        }
        if remapped:
            for name in remapped:
                del self.roles[NameObject(name)]
            self._rename(self.root, remapped, set())
        nums = ArrayObject()
        for key in sorted(self.parents):
            nums += [NumberObject(key), self.parents[key]]
        tree = DictionaryObject({NameObject("/Nums"): nums})
        self.root[NameObject("/ParentTree")] = self.writer._add_object(tree)
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        if self.roles:
            self.root[NameObject("/RoleMap")] = self.roles
        if self.ids:
            names = ArrayObject()
            for name in sorted(self.ids):
                names += [TextStringObject(name), self.ids[name]]
            self.root[NameObject("/IDTree")] = self.writer._add_object(
                DictionaryObject({NameObject("/Names"): names})
            )


class _Graft:
    """One source's elements copied into a Structure."""

    def __init__(
        self,
        tree: Structure,
        roles: DictionaryObject,
        pages: Mapping[int, PageObject],
        annotations: Mapping[int, IndirectObject],
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
                tree.roles[NameObject(name)] = NameObject(self.standard(name))
            elif tree._standard(name) != self.standard(name):
                self.renamed[name] = self.standard(name)
        self.marked: dict[int, dict[int, IndirectObject]] = {}  # our page → MCID → element
        self.tagged: set[int] = set()  # annotations given their element

    def standard(self, kind: Any) -> str:
        return self.tree._standard(kind, self.roles)

    def copy(
        self, element: DictionaryObject, parent: DictionaryObject, index: int | None, inherited: Any
    ) -> bool:
        """Copy `element` and what it holds under `parent` (at `index`, else last);
        False (nothing copied) when it had content but none on the pages taken."""
        own = element.raw_get("/Pg") if "/Pg" in element else inherited
        page = self.pages.get(own.idnum) if isinstance(own, IndirectObject) else None
        new = DictionaryObject({NameObject("/Type"): NameObject("/StructElem")})
        kind = str(element.get("/S"))
        new[NameObject("/S")] = NameObject(self.renamed.get(kind, kind))
        for key in _COPIED & set(element):
            new[NameObject(key)] = element.raw_get(key).clone(self.tree.writer)
        ref = self.tree._attach(new, parent, index)
        if page is not None:
            new[NameObject("/Pg")] = page.indirect_reference
        had = False
        for kid in _kids(element):
            item = kid.get_object()
            if isinstance(item, int):
                had = True
                if page is not None:
                    _push(new, NumberObject(int(item)))
                    self._mark(page, int(item), ref)
            elif isinstance(item, DictionaryObject) and "/S" in item:
                if not self.copy(item, new, None, own):
                    had = True
            elif isinstance(item, DictionaryObject):
                had = True
                where = item.raw_get("/Pg") if "/Pg" in item else own
                target = self.pages.get(where.idnum) if isinstance(where, IndirectObject) else None
                if target is None:
                    continue
                if item.get("/Type") == "/OBJR":
                    made = self._objr(item, target, ref)
                    if made is not None:
                        _push(new, made)
                elif "/MCID" in item and "/Stm" not in item:
                    mcid = int(str(item["/MCID"]))
                    _push(
                        new,
                        DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/MCR"),
                                NameObject("/Pg"): target.indirect_reference,
                                NameObject("/MCID"): NumberObject(mcid),
                            }
                        ),
                    )
                    self._mark(target, mcid, ref)
        if had and not _kids(new):
            _remove(parent, ref)
            return False
        if "/ID" in new:
            self._identify(new, ref)
        return True

    def _objr(
        self, item: DictionaryObject, page: PageObject, element: IndirectObject
    ) -> DictionaryObject | None:
        obj = item.raw_get("/Obj") if "/Obj" in item else None
        copy = self.annotations.get(obj.idnum) if isinstance(obj, IndirectObject) else None
        if copy is None:
            return None
        annotation = copy.get_object()
        assert isinstance(annotation, DictionaryObject)
        annotation[NameObject("/StructParent")] = NumberObject(self.tree._key(element))
        self.tagged.add(copy.idnum)
        return _objr(copy, page.indirect_reference)

    def _mark(self, page: PageObject, mcid: int, element: IndirectObject) -> None:
        self.marked.setdefault(page.indirect_reference.idnum, {})[mcid] = element  # type: ignore[union-attr]

    def _identify(self, element: DictionaryObject, ref: IndirectObject) -> None:
        name = str(element["/ID"])
        unique, number = name, 1
        while unique in self.tree.ids:
            number += 1
            unique = f"{name}-{number}"
        element[NameObject("/ID")] = TextStringObject(unique)
        self.tree.ids[unique] = ref

    def register(self) -> None:
        """Each page's marked content in the ParentTree, under a new key."""
        for page in self.pages.values():
            marked = self.marked.get(page.indirect_reference.idnum, {})  # type: ignore[union-attr]
            if not marked:
                continue
            array = ArrayObject(marked.get(mcid, NullObject()) for mcid in range(max(marked) + 1))
            page[NameObject("/StructParents")] = NumberObject(self.tree._key(array))
            if entry(page, "/Annots"):
                page[NameObject("/Tabs")] = NameObject("/S")


def append_tagged(
    writer: PdfWriter,
    source: PdfReader,
    *,
    parent: DictionaryObject | None = None,
    kind: str = "/Part",
    title: str | None = None,
    tree: Structure | None = None,
) -> DictionaryObject:
    """Append every page of `source` to `writer`, its structure grafted under a new
    `kind` element under `parent` (else the writer's /Document element). Pass one
    `tree` for many sources and call its `finish` after the last; without it, the
    writer's tree is finished here."""
    structure = tree or Structure(writer)
    lang = entry(source.trailer["/Root"], "/Lang")
    part = structure.element(
        kind, parent or structure.document, title=title, lang=str(lang) if lang else None
    )
    pages: dict[int, PageObject] = {}
    pairs: dict[int, IndirectObject] = {}
    for number, page in enumerate(source.pages):
        copy = writer.add_page(page)
        pairs.update(pair_annotations(page, copy))
        pages[number] = copy
    if is_tagged(source):
        structure.graft(source, pages, part, annotations=pairs)
    if tree is None:
        structure.finish()
    return part


def _objr(annotation: IndirectObject, page: Any) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): annotation,
            NameObject("/Pg"): page,
        }
    )


def _push(element: DictionaryObject, item: PdfObject) -> None:
    kids = _kids(element)
    kids.append(item)
    element[NameObject("/K")] = kids


def _remove(parent: DictionaryObject, ref: IndirectObject) -> None:
    parent[NameObject("/K")] = ArrayObject(
        k for k in _kids(parent) if not (isinstance(k, IndirectObject) and k.idnum == ref.idnum)
    )


def _roles(tree: DictionaryObject) -> DictionaryObject:
    roles = entry(tree, "/RoleMap")
    return roles if isinstance(roles, DictionaryObject) else DictionaryObject()


def _kids(node: DictionaryObject) -> ArrayObject:
    """The /K entry as a (new) array."""
    kids = entry(node, "/K")
    if kids is None:
        return ArrayObject()
    if isinstance(kids, ArrayObject):
        return ArrayObject(kids)
    raw = node.raw_get("/K")
    return ArrayObject([raw])


def _refs(value: Any) -> Iterator[IndirectObject]:
    if isinstance(value, ArrayObject):
        yield from (v for v in value if isinstance(v, IndirectObject))
