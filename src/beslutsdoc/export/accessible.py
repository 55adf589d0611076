"""The PDF as a screen reader needs it: LibreOffice's tagged PDF, made right where it
falls short of PDF/UA-1 (ISO 14289-1).

- Tables that say what their cells mean (7.5). LibreOffice tags a Word table as a
  /Table whatever it is for. The papers' label–value grids (”Plats och tid | …”, the
  anslag box) are tables of row headers, and a letterhead laid out with a table is no
  table at all: the first get /TH /Scope /Row, the second is not tagged as a table. A
  table that already has header cells is left as it is.
- Every link annotation inside a /Link element (7.18.5). LibreOffice links a footnote's
  number back to where the note is referred to, and leaves that link out of the
  structure tree: it becomes the note's label, a /Lbl holding a /Link of the number
  and the annotation, with the annotation's /StructParent in the ParentTree.
- Every /Note with a unique /ID (7.9), collected in the tree's IDTree.
- Pages with annotations in structure order, /Tabs /S (7.18.3): LibreOffice writes it
  as a string, which is not the name the standard asks for.
- No standard structure type remapped in the RoleMap (7.1): a Word style named like one
  (”Quote”) is mapped to /P by LibreOffice. Its elements get the type they stand for
  (a quoted paragraph is a /BlockQuote) and the entry goes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

_TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}
#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): never remapped.
STANDARD = {
    "/Document", "/Part", "/Art", "/Sect", "/Div", "/BlockQuote", "/Caption", "/TOC",
    "/TOCI", "/Index", "/NonStruct", "/Private", "/P", "/H", "/H1", "/H2", "/H3", "/H4",
    "/H5", "/H6", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD", "/THead",
    "/TBody", "/TFoot", "/Span", "/Quote", "/Note", "/Reference", "/BibEntry", "/Code",
    "/Link", "/Annot", "/Ruby", "/RB", "/RT", "/RP", "/Warichu", "/WT", "/WP", "/Figure",
    "/Formula", "/Form",
}  # fmt: skip
#: What an element of a remapped standard type is, by its placement: a block quote is
#: a quoted paragraph, an inline one a quotation within a sentence.
_BLOCK_TYPE = {"/Quote": "/BlockQuote"}
#: Marked content found in the tree: the element holding it, its page, the content item
#: itself (an MCID, or a marked-content reference).
_Content = tuple[DictionaryObject, IndirectObject, int | DictionaryObject]
#: How a note's /ID begins; a number follows.
NOTE_ID = "not-"


def accessible(pdf: bytes) -> bytes:
    """`pdf` with its structure made to say what it is (see the module's text); the
    same bytes when there is nothing to make right."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"].get_object()
    tree = root.get("/StructTreeRoot") if isinstance(root, DictionaryObject) else None
    if tree is None:
        return pdf
    writer = PdfWriter(clone_from=reader)
    writer_tree = writer.root_object["/StructTreeRoot"].get_object()
    assert isinstance(writer_tree, DictionaryObject)
    changes = [
        _tables(writer_tree),
        _role_map(writer_tree),
        _note_links(writer, writer_tree),
        _note_ids(writer, writer_tree),
        _tab_order(writer),
    ]
    if not any(changes):
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- tables ---------------------------------------------------------------------------


def _tables(tree: DictionaryObject) -> bool:
    changed = False
    for table in [e for e in _elements(tree) if e.get("/S") == "/Table"]:
        if not any(e.get("/S") == "/TH" for e in _elements(table)):
            _retag(table)
            changed = True
    return changed


def _rows(table: DictionaryObject) -> list[list[DictionaryObject]]:
    rows = [e for e in _elements(table) if e.get("/S") == "/TR"]
    return [[c for c in _children(row) if c.get("/S") in ("/TD", "/TH")] for row in rows]


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


# -- role map -------------------------------------------------------------------------


def _role_map(tree: DictionaryObject) -> bool:
    """Standard types out of the role map; their elements typed as they were meant."""
    role_map = tree.get("/RoleMap")
    role_map = role_map.get_object() if role_map is not None else None
    if not isinstance(role_map, DictionaryObject):
        return False
    remapped = [key for key in role_map if key in STANDARD]
    if not remapped:
        return False
    meant = {key: _resolve(role_map, key) for key in remapped}
    for element in _elements(tree):
        kind = str(element.get("/S"))
        if kind in meant:
            block = kind in _BLOCK_TYPE and _placement(element) == "/Block"
            element[NameObject("/S")] = NameObject(_BLOCK_TYPE[kind] if block else meant[kind])
    for key in remapped:
        del role_map[key]
    return True


def _resolve(role_map: DictionaryObject, key: str) -> str:
    """The standard type a remapped `key` ends at (/P when the chain leads nowhere)."""
    seen = {key}
    kind = str(role_map[key])
    while kind not in STANDARD and kind in role_map and kind not in seen:
        seen.add(kind)
        kind = str(role_map[kind])
    return kind if kind in STANDARD else "/P"


def _placement(element: DictionaryObject) -> str | None:
    attributes = element.get("/A")
    attributes = attributes.get_object() if attributes is not None else None
    for item in attributes if isinstance(attributes, ArrayObject) else [attributes]:
        item = item.get_object() if item is not None else None
        if isinstance(item, DictionaryObject) and "/Placement" in item:
            return str(item["/Placement"])
    return None


# -- notes ----------------------------------------------------------------------------


def _note_links(writer: PdfWriter, tree: DictionaryObject) -> bool:
    """Each footnote's link back to its reference, as a /Link of the note's number.

    LibreOffice writes, per page, one such link annotation for each note that begins on
    that page, in the order of the notes, and tags none of them; an internal link
    annotation the structure does not know of is one of these. The notes are matched
    to them in order, page by page, and only when the numbers agree."""
    parent_tree = tree.get("/ParentTree")
    parent_tree = parent_tree.get_object() if parent_tree is not None else None
    if not isinstance(parent_tree, DictionaryObject):
        return False
    nums = parent_tree.get("/Nums")
    nums = nums.get_object() if nums is not None else None
    if not isinstance(nums, ArrayObject) or "/Kids" in parent_tree:
        return False
    pages = {page.indirect_reference.idnum: page for page in writer.pages}  # type: ignore[union-attr]
    notes: dict[int, list[tuple[DictionaryObject, _Content]]] = {}
    for note in (e for e in _elements(tree) if e.get("/S") == "/Note"):
        first = _first_content(note)
        if first is not None and first[1].idnum in pages:
            notes.setdefault(first[1].idnum, []).append((note, first))
    changed = False
    next_key = _next_key(tree, nums)
    for number, page in pages.items():
        untagged = [
            ref
            for ref in page.get("/Annots", ArrayObject()).get_object()
            if isinstance(ref, IndirectObject) and _back_link(ref.get_object())
        ]
        on_page = notes.get(number, [])
        if not untagged or len(untagged) != len(on_page):
            continue
        if any(
            e.indirect_reference is None for note, (holder, _, _) in on_page for e in (note, holder)
        ):
            continue
        marked = page.get("/StructParents")
        marks = _lookup(nums, marked) if isinstance(marked, int) else None
        for annotation, (note, (holder, page_ref, content)) in zip(untagged, on_page, strict=True):
            link = _wrap(writer, note, holder, page_ref, content, annotation)
            mcid = content if isinstance(content, int) else content.get("/MCID")
            if isinstance(marks, ArrayObject) and isinstance(mcid, int) and mcid < len(marks):
                marks[mcid] = link
            target = annotation.get_object()
            assert isinstance(target, DictionaryObject)  # _back_link said so
            target[NameObject("/StructParent")] = NumberObject(next_key)
            nums.extend([NumberObject(next_key), link])
            next_key += 1
            changed = True
    if changed:
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
    return changed


def _back_link(annotation: Any) -> bool:
    """An internal link annotation the structure tree has no element for."""
    return (
        isinstance(annotation, DictionaryObject)
        and annotation.get("/Subtype") == "/Link"
        and "/StructParent" not in annotation
        and "/Dest" in annotation
    )


def _first_content(
    element: DictionaryObject, page: IndirectObject | None = None
) -> _Content | None:
    """The element holding the first marked content under `element`, its page, and the
    content item itself (an MCID, or a marked-content reference)."""
    page_ref = element.get("/Pg", page)
    for kid in _kid_list(element):
        item = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(item, int) and isinstance(page_ref, IndirectObject):
            return element, page_ref, kid
        if isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            on = item.get("/Pg", page_ref)
            if isinstance(on, IndirectObject):
                return element, on, item
        elif isinstance(item, DictionaryObject) and "/S" in item:
            found = _first_content(item, page_ref)
            if found is not None:
                return found
    return None


def _wrap(
    writer: PdfWriter,
    note: DictionaryObject,
    holder: DictionaryObject,
    page: IndirectObject,
    content: int | DictionaryObject,
    annotation: IndirectObject,
) -> IndirectObject:
    """A /Link for the note's number: that content (the first in `holder`) and the
    annotation. When the number is content of its own at the start of the note's first
    paragraph, the link goes in a /Lbl of the note before that paragraph (the note's
    label, as for a list item); otherwise the link goes in `holder`, around the number
    when more follows it there, else after it, so that the link is never the note's
    whole text."""
    kids = _kid_list(holder)
    place = next(i for i, kid in enumerate(kids) if kid is content or kid == content)
    objr = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): annotation,
            NameObject("/Pg"): page,
        }
    )
    number = [content] if len(kids) > 1 else []
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Link"),
            NameObject("/Pg"): page,
            NameObject("/K"): ArrayObject([*number, objr]),
        }
    )
    ref = writer._add_object(link)
    note_kids = _kid_list(note)
    first = note_kids[0].get_object() if note_kids else None
    if number and place == 0 and first is holder:
        label = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Lbl"),
                NameObject("/P"): note.indirect_reference,
                NameObject("/Pg"): page,
                NameObject("/K"): ArrayObject([ref]),
            }
        )
        link[NameObject("/P")] = writer._add_object(label)
        note[NameObject("/K")] = ArrayObject([link["/P"], *note_kids])
        holder[NameObject("/K")] = ArrayObject(kids[1:])
        return ref
    link[NameObject("/P")] = holder.indirect_reference
    if number:
        kids[place] = ref
    else:
        kids.insert(place + 1, ref)
    holder[NameObject("/K")] = ArrayObject(kids)
    return ref


def _note_ids(writer: PdfWriter, tree: DictionaryObject) -> bool:
    """A unique /ID on every /Note, and the IDTree that finds them."""
    missing = [e for e in _elements(tree) if e.get("/S") == "/Note" and "/ID" not in e]
    if not missing:
        return False
    ids = dict(_name_tree(tree.get("/IDTree")))
    number = 0
    for note in missing:
        number += 1
        while f"{NOTE_ID}{number}" in ids:
            number += 1
        name = f"{NOTE_ID}{number}"
        note[NameObject("/ID")] = TextStringObject(name)
        ref = note.indirect_reference
        assert ref is not None  # LibreOffice writes every element as an object of its own
        ids[name] = ref
    names = ArrayObject()
    for name in sorted(ids):
        names.extend([TextStringObject(name), ids[name]])
    tree[NameObject("/IDTree")] = writer._add_object(
        DictionaryObject({NameObject("/Names"): names})
    )
    return True


def _name_tree(node: Any, depth: int = 0) -> Iterator[tuple[str, PdfObject]]:
    node = node.get_object() if isinstance(node, IndirectObject) else node
    if not isinstance(node, DictionaryObject) or depth > 32:
        return
    names = node.get("/Names")
    if isinstance(names, ArrayObject):
        for i in range(0, len(names) - 1, 2):
            yield str(names[i]), names[i + 1]
    kids = node.get("/Kids")
    for kid in kids.get_object() if kids is not None else []:
        yield from _name_tree(kid, depth + 1)


# -- pages ----------------------------------------------------------------------------


def _tab_order(writer: PdfWriter) -> bool:
    changed = False
    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations is not None and len(annotations.get_object()) > 0:
            tabs = page.get("/Tabs")
            if not (isinstance(tabs, NameObject) and tabs == "/S"):
                page[NameObject("/Tabs")] = NameObject("/S")
                changed = True
    return changed


# -- the tree -------------------------------------------------------------------------


def _elements(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first."""
    for kid in _kid_list(node):
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            yield element
            yield from _elements(element)


def _children(node: DictionaryObject) -> list[DictionaryObject]:
    out = []
    for kid in _kid_list(node):
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            out.append(element)
    return out


def _kid_list(node: Any) -> list[Any]:
    kids = node.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _lookup(nums: ArrayObject, key: int) -> Any:
    for i in range(0, len(nums) - 1, 2):
        if nums[i] == key:
            return nums[i + 1].get_object()
    return None


def _next_key(tree: DictionaryObject, nums: ArrayObject) -> int:
    following = max((int(nums[i]) for i in range(0, len(nums) - 1, 2)), default=-1) + 1
    stated = tree.get("/ParentTreeNextKey")
    return max(following, int(stated)) if isinstance(stated, int) else following
