"""One PDF of a packet converted in parts: the parts' pages in order, their structure
under one /Document element, their named destinations together, as if LibreOffice had
laid out the whole.

The parts are LibreOffice's PDFs of one document's pieces: the same styles, so the same
role map, and no IDs. Each part's structure tree is then copied whole by qpdf (after its
pages, so that its references to them go to the copies), and only its ParentTree keys are
moved past the ones before; anything else goes through `Structure.graft`, element by
element.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pikepdf

from beslutsdoc.export.structure import Structure, is_tagged, pair_annotations
from beslutsdoc.pdfobjects import entry, number_tree


def join(base: pikepdf.Pdf, others: Iterable[pikepdf.Pdf]) -> pikepdf.Pdf:
    """`base`, with every page of the `others` appended (each one's structure elements
    after the earlier ones', its Word bookmarks beside theirs). Each of the others may be
    closed as soon as the next is asked for: what was copied from it reads its data from
    its file, which qpdf keeps open for the copies."""
    tree = Structure(base)  # makes the structure tree and its /Document if need be
    tree.finish()
    named = base.Root.get("/Dests")
    if not isinstance(named, pikepdf.Dictionary):
        named = base.make_indirect(pikepdf.Dictionary())
        base.Root.Dests = named
    for other in others:
        start = len(base.pages)
        base.pages.extend(other.pages)  # copies of the pages and what they reference
        copies = base.pages[start:]
        if is_tagged(other):
            _structure(base, other, copies)
        own = other.Root.get("/Dests")
        if isinstance(own, pikepdf.Dictionary):
            # One copier per source: the destinations' pages are the copies just made.
            source = own if own.is_indirect else other.make_indirect(own)
            for name, destination in base.copy_foreign(source).items():
                named[name] = destination
    return base


def _structure(base: pikepdf.Pdf, other: pikepdf.Pdf, copies: Sequence[pikepdf.Page]) -> None:
    """`other`'s structure for its pages, now `copies` in `base`, after base's own."""
    mine = base.Root.StructTreeRoot
    theirs = other.Root.StructTreeRoot
    roles = entry(mine, "/RoleMap")
    if not _fits(mine, theirs):
        tree = Structure(base)
        pairs: dict[tuple[int, int], pikepdf.Object] = {}
        for source, copy in zip(other.pages, copies, strict=True):
            pairs.update(pair_annotations(source, copy))
        tree.graft(other, dict(enumerate(copies)), tree.document, annotations=pairs)
        tree.finish()
        return
    entries = dict(number_tree(entry(mine, "/ParentTree")))
    shift = max(entries, default=-1) + 1
    copied = base.copy_foreign(theirs)
    document = _document(mine)
    kids = document.get("/K")
    if not isinstance(kids, pikepdf.Array):
        document.K = kids = pikepdf.Array([] if kids is None else [kids])
    for top in _tops(copied):
        top.P = document
        kids.append(top)
    for key, value in number_tree(entry(copied, "/ParentTree")):
        entries[key + shift] = value
    for page in copies:
        if isinstance(page.obj.get("/StructParents"), int):
            page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots", None) or []:
            if isinstance(annotation, pikepdf.Dictionary) and "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
    their_roles = entry(copied, "/RoleMap")
    if isinstance(their_roles, pikepdf.Dictionary):
        if not isinstance(roles, pikepdf.Dictionary):
            roles = mine.RoleMap = pikepdf.Dictionary()
        for name, value in their_roles.items():
            roles[name] = value
    # Made at once: appending to a pikepdf array one by one copies what it holds.
    nums = pikepdf.Array([item for key in sorted(entries) for item in (key, entries[key])])
    mine.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=nums))
    mine.ParentTreeNextKey = max(entries, default=-1) + 1


def _fits(mine: pikepdf.Object, theirs: pikepdf.Object) -> bool:
    """The tree can be copied whole: no IDs or attribute classes to merge, no role
    mapped otherwise than in ours."""
    if "/IDTree" in theirs or "/ClassMap" in theirs:
        return False
    roles, their_roles = entry(mine, "/RoleMap"), entry(theirs, "/RoleMap")
    if not isinstance(their_roles, pikepdf.Dictionary) or not isinstance(roles, pikepdf.Dictionary):
        return True
    return all(
        str(roles[name]) == str(value) for name, value in their_roles.items() if name in roles
    )


def _document(root: pikepdf.Object) -> pikepdf.Object:
    """The tree's one top /Document element (`Structure` has made sure there is one)."""
    kids = root.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _tops(root: pikepdf.Object) -> list[pikepdf.Object]:
    """The elements at the top of a tree, inside its /Document element if it has one."""
    kids = root.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    if (
        len(items) == 1
        and isinstance(items[0], pikepdf.Dictionary)
        and items[0].get("/S") == "/Document"
    ):
        inner = items[0].get("/K")
        return (
            list(inner)
            if isinstance(inner, pikepdf.Array)
            else [inner]
            if inner is not None
            else []
        )
    return [item for item in items if isinstance(item, pikepdf.Dictionary)]
