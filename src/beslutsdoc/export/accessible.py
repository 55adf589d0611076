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
- The first page's footer read as content (7.1, 7.8). LibreOffice marks everything in
  a header or footer as an artifact. The first page's footer holds the board's contact
  details (address, telephone, e-mail, web, organisation number): information, not
  pagination, and on that page only. Its lines that do not recur on the later pages
  and are no page number (”Sida 1 av 3”) become a /P each run of them, at the end of
  the document; the page number and the running footer stay artifacts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from beslutsdoc.export.pdfobjects import STANDARD, name_tree

_TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}
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
    # pypdf writes its own 1.3 otherwise; PDF/A-2 and PDF/UA-1 build on 1.7.
    writer.pdf_header = max(reader.pdf_header, "%PDF-1.7")
    if not make_accessible(writer):
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_accessible(writer: PdfWriter) -> bool:
    """What `accessible` does, in a writer that goes on to other work (the packet's);
    whether anything changed."""
    tree = writer.root_object.get("/StructTreeRoot")
    tree = tree.get_object() if tree is not None else None
    if not isinstance(tree, DictionaryObject):
        return False
    changes = [
        _tables(tree),
        _role_map(tree),
        _note_links(writer, tree),
        _note_ids(writer, tree),
        _tab_order(writer),
        _first_footer(writer, tree),
    ]
    return any(changes)


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
    nums = _parent_nums(tree)
    if nums is None:
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
    ids = dict(name_tree(tree.get("/IDTree")))
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


# -- the first page's footer ----------------------------------------------------------

#: Words a page number is written with besides its numbers: ”Sida 1 av 3”, ”1 (3)”.
_PAGINATION_WORDS = {"sida", "sid", "s", "blad", "av", "page", "of", "p"}
#: How many of the later pages are read for the running header and footer, which
#: recur on each of them.
_LATER_PAGES = 3
#: How far apart (in points) two pieces of text may stand and still be on one line.
_SAME_LINE = 1.0
#: How far apart (in font sizes) the baselines of two lines of one paragraph are at most.
_PARAGRAPH = 1.6
#: The tokens of a content stream (ISO 32000-1, 7.2): white space and comments, the
#: delimiters, names, literal strings (their end found apart: they nest) and the rest,
#: which is numbers, keywords and operators.
_TOKEN = re.compile(
    rb"(?P<space>[\x00\t\n\x0c\r ]+|%[^\r\n]*)|(?P<string>\()|<<|>>|<[^>]*>|[\[\]{}]"
    rb"|/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*|(?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
)
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_MCID = re.compile(rb"/MCID\s+(\d+)")
#: The operators that place text with numbers (the graphics state's matrix, the text's).
_PLACING = {b"cm", b"Tm", b"Td", b"TD", b"TL"}


@dataclass
class _Section:
    """Marked content at the top level of a page's content stream: its tag, where its
    opening (tag, properties and operator) begins and ends in the stream and where its
    end does, and the text it paints (an artifact's), each piece with its baseline's
    height on the page and its font size."""

    tag: str
    start: int
    end: int
    stop: int = -1  # where its EMC ends
    text: list[tuple[float, float, str]] = field(default_factory=list)

    def baseline(self) -> float | None:
        seen = [y for y, _, piece in self.text if piece.strip()]
        return seen[0] if seen else None

    def size(self) -> float:
        return max((size for _, size, piece in self.text if piece.strip()), default=0.0)

    def words(self) -> str:
        return "".join(piece for _, _, piece in self.text)


def _first_footer(writer: PdfWriter, tree: DictionaryObject) -> bool:
    """The first page's footer lines that are neither page number nor running footer,
    tagged as content: a /P for each run of them, at the end of the document.

    At the end, not after the first page's last element: that element (a paragraph, a
    list, a table) may go on to the next page, and the contact details of the sender
    end a letter. Only the marked-content operators change; the page looks the same."""
    if not writer.pages:
        return False
    page = writer.pages[0]
    page_ref = page.indirect_reference
    stream = page.get("/Contents")
    stream = stream.get_object() if stream is not None else None
    marked = page.get("/StructParents")
    nums = _parent_nums(tree)
    marks = _lookup(nums, marked) if nums is not None and isinstance(marked, int) else None
    parent = _document(tree)
    if (
        page_ref is None
        or parent is None
        or not isinstance(stream, StreamObject)
        or not isinstance(marks, ArrayObject)
        or int(page.get("/Rotate", 0)) % 360
    ):
        return False
    data = stream.get_data()
    read = _sections(data) if b"/Artifact" in data else None
    if read is None or read[1] is None or not _read(page, data, read[0]):
        return False
    sections, lowest = read[0], read[1]
    paragraphs = _contact(sections, lowest, page, len(writer.pages), set())
    if paragraphs:  # the later pages read only when there may be something to tag
        running = _running(writer.pages[1 : 1 + _LATER_PAGES])
        paragraphs = _contact(sections, lowest, page, len(writer.pages), running)
    if not paragraphs:
        return False
    mcid = max([len(marks) - 1, *(int(m) for m in _MCID.findall(data))]) + 1
    out, at, made = [], 0, []
    for paragraph in paragraphs:
        mcids = []
        for section in paragraph:
            out += [data[at : section.start], b"/P <</MCID %d>> BDC" % mcid]
            at = section.end
            mcids.append(mcid)
            mcid += 1
        made.append(mcids)
    out.append(data[at:])
    try:
        stream.set_data(b"".join(out))
    except (PdfReadError, TypeError):  # a filter pypdf cannot write: left as it is
        return False
    while len(marks) < mcid:
        marks.append(NullObject())
    _add_paragraphs(writer, parent, page_ref, marks, made)
    return True


def _add_paragraphs(
    writer: PdfWriter,
    parent: DictionaryObject,
    page: IndirectObject,
    marks: ArrayObject,
    paragraphs: list[list[int]],
) -> None:
    """A /P for each list of marked-content ids on `page`, last among `parent`'s kids,
    each id's entry in the page's `marks` (its ParentTree array) pointing at it."""
    kids = _kid_list(parent)
    for mcids in paragraphs:
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/P"),
                NameObject("/P"): parent.indirect_reference,
                NameObject("/Pg"): page,
                NameObject("/K"): ArrayObject(NumberObject(m) for m in mcids),
            }
        )
        ref = writer._add_object(element)
        for m in mcids:
            marks[m] = ref
        kids.append(ref)
    parent[NameObject("/K")] = ArrayObject(kids)


def _document(tree: DictionaryObject) -> DictionaryObject | None:
    """Where the document's elements are: its one top element (LibreOffice's
    /Document), else the tree's root; None when that is no object of its own."""
    kids = _kid_list(tree)
    top = kids[0].get_object() if len(kids) == 1 else None
    element = top if isinstance(top, DictionaryObject) and "/S" in top else tree
    return element if element.indirect_reference is not None else None


def _sections(data: bytes) -> tuple[list[_Section], float | None] | None:
    """The top-level marked content of a content stream, in order, and the lowest
    baseline of text in structure content (None without any); None when the stream is
    not one this can change safely (unbalanced, or marked content that begins or ends
    inside a text object)."""
    sections: list[_Section] = []
    depth, in_text, lowest = 0, False, None
    place = _TextPlace()
    try:
        for operator, operands, end in _operators(data):
            if operator == b"BT":
                in_text = True
            elif operator == b"ET":
                in_text = False
            elif operator in (b"BMC", b"BDC"):
                if depth == 0:
                    tag = _NAME.match(data, operands)
                    if tag is None or in_text:
                        return None
                    sections.append(_Section(_name(tag.group(1)), operands, end))
                depth += 1
            elif operator == b"EMC":
                depth -= 1
                if depth < 0 or (depth == 0 and in_text):
                    return None
                if depth == 0:
                    sections[-1].stop = end
            y = place.follow(operator, data[operands : end - len(operator)])
            if y is not None and depth > 0 and sections[-1].tag != "/Artifact":
                lowest = y if lowest is None else min(lowest, y)
    except (ValueError, IndexError):
        return None
    return (sections, lowest) if depth == 0 else None


class _TextPlace:
    """Where text is shown on the page (ISO 32000-1, 8.4.4 and 9.4): the graphics
    state's matrix, the text and text line matrices and the leading, as the operators
    set them."""

    def __init__(self) -> None:
        self.ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.saved: list[list[float]] = []
        self.tm = self.line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.leading = 0.0

    def follow(self, operator: bytes, operands: bytes) -> float | None:
        """The height of the baseline `operator` shows text on, if it shows text."""
        numbers = [float(n) for n in _NUMBER.findall(operands)] if operator in _PLACING else []
        if operator == b"q":
            self.saved.append(self.ctm)
        elif operator == b"Q":
            self.ctm = self.saved.pop() if self.saved else self.ctm
        elif operator == b"cm" and len(numbers) == 6:
            self.ctm = _times(numbers, self.ctm)
        elif operator == b"BT":
            self.tm = self.line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif operator == b"Tm" and len(numbers) == 6:
            self.tm = self.line = numbers
        elif operator in (b"Td", b"TD") and len(numbers) == 2:
            if operator == b"TD":
                self.leading = -numbers[1]
            self._next([1.0, 0.0, 0.0, 1.0, *numbers])
        elif operator == b"TL" and len(numbers) == 1:
            self.leading = numbers[0]
        elif operator in (b"T*", b"'", b'"'):
            self._next([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading])
        if operator in (b"Tj", b"TJ", b"'", b'"'):
            return self.tm[4] * self.ctm[1] + self.tm[5] * self.ctm[3] + self.ctm[5]
        return None

    def _next(self, move: list[float]) -> None:
        self.tm = self.line = _times(move, self.line)


def _times(a: list[float], b: list[float]) -> list[float]:
    """The matrix product a × b of two transformation matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _name(raw: bytes) -> str:
    """A name as pypdf reads it: /List#20Number is /List Number."""
    name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return "/" + name.decode("utf-8")
    except UnicodeDecodeError:
        return "/" + name.decode("latin-1")


def _operators(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """Each operator of a content stream: its name, where its operands begin and where
    it ends. Raises ValueError where the stream cannot be read."""
    at, size, operands = 0, len(data), -1
    while at < size:
        token = _TOKEN.match(data, at)
        if token is None:
            raise ValueError(f"content stream at {at}")
        if token.lastgroup == "space":
            at = token.end()
            continue
        if operands < 0:
            operands = at
        at = _string_end(data, at) if token.lastgroup == "string" else token.end()
        if token.lastgroup != "word":
            continue
        word = token.group()
        if _NUMBER.fullmatch(word) or word in (b"true", b"false", b"null"):
            continue
        if word == b"ID":  # an inline image's data, up to EI
            found = _INLINE_END.search(data, at + 1)
            if found is None:
                raise ValueError("inline image")
            at, word = found.end(), b"EI"
        yield word, operands, at
        operands = -1


def _string_end(data: bytes, at: int) -> int:
    """Where the literal string that begins at `at` ends."""
    depth = 0
    while at < len(data):
        char = data[at]
        if char == ord("\\"):
            at += 2
            continue
        if char == ord("("):
            depth += 1
        elif char == ord(")"):
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    raise ValueError("literal string")


def _read(page: Any, data: bytes, sections: list[_Section]) -> bool:
    """The text of each artifact in `sections`, with where it stands; False when pypdf
    does not find the same marked content. Read from the stream without its structure
    content, which is most of the text on a page and not needed here."""
    kept, at = [], 0
    for section in sections:
        if section.tag != "/Artifact":
            kept.append(data[at : section.start])
            at = section.stop
    kept.append(data[at:])
    artifacts = [s for s in sections if s.tag == "/Artifact"]
    resources = page.get("/Resources")
    if resources is None:
        return False
    content = DecodedStreamObject()
    content.set_data(b"".join(kept))
    alone = PageObject(page.pdf)
    alone[NameObject("/Resources")] = resources
    alone[NameObject("/Contents")] = content
    found: list[str] = []
    depth, forms = 0, 0

    def before(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        nonlocal depth, forms
        if operator == b"Do":
            forms += 1
        elif forms == 0 and operator in (b"BMC", b"BDC"):
            if depth == 0:
                found.append(str(operands[0]) if operands else "")
            depth += 1
        elif forms == 0 and operator == b"EMC":
            depth -= 1

    def after(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        nonlocal forms
        if operator == b"Do":
            forms -= 1

    def text(piece: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if piece and depth > 0 and len(found) <= len(artifacts):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or 1.0
            artifacts[len(found) - 1].text.append((float(y), float(size or 0) * scale, piece))

    try:
        alone.extract_text(
            visitor_operand_before=before, visitor_operand_after=after, visitor_text=text
        )
    except Exception:  # whatever pypdf cannot read here is left as it is
        return False
    return found == [s.tag for s in artifacts]


def _lines(sections: list[_Section]) -> list[list[_Section]]:
    """Artifacts that paint text, in runs on one baseline each: a line. Blank pieces
    (the spaces between the parts of a line) go with their neighbours. An empty line
    where anything else comes between: a drawing (a box's border), content."""
    lines: list[list[_Section]] = []
    current: list[_Section] = []
    for section in sections:
        y = section.baseline()
        if section.tag != "/Artifact" or not section.text:
            lines += [current, []] if current else [[]]
            current = []
            continue
        first = next((s.baseline() for s in current if s.baseline() is not None), None)
        if current and y is not None and first is not None and abs(y - first) > _SAME_LINE:
            lines.append(current)
            current = []
        current.append(section)
    if current:
        lines.append(current)
    return [line for line in lines if not line or any(s.baseline() is not None for s in line)]


def _key(text: str) -> str:
    """A line as it recurs from page to page: without its numbers, in lower case."""
    return " ".join(re.sub(r"\d+", " ", text.lower()).split())


def _running(pages: Any) -> set[str]:
    """The running header and footer on `pages`: their lines, and each part of them."""
    keys: set[str] = set()
    for page in pages:
        stream = page.get("/Contents")
        stream = stream.get_object() if stream is not None else None
        data = stream.get_data() if isinstance(stream, StreamObject) else b""
        read = _sections(data) if b"/Artifact" in data else None
        if read is None or not _read(page, data, read[0]):
            continue
        for line in _lines(read[0]):
            keys.add(_key("".join(s.words() for s in line)))
            keys.update(_key(s.words()) for s in line)
    return keys - {""}


def _contact(
    sections: list[_Section], lowest: float, page: Any, pages: int, running: set[str]
) -> list[list[_Section]]:
    """The first page's footer lines that are information: below all its content, in
    the lower half of the page, with words in them, neither page number nor running
    footer. In runs of lines, each run a paragraph: a line that is not, a drawing, or a
    gap wider than between lines ends one."""
    box = page.mediabox
    middle = (float(box.bottom) + float(box.top)) / 2
    paragraphs: list[list[_Section]] = [[]]
    above: tuple[float, float] | None = None  # the last line's baseline and font size
    for line in _lines(sections):
        ys = [y for s in line for y, _, piece in s.text if piece.strip()]
        text = "".join(s.words() for s in line)
        footer = bool(ys) and max(ys) < min(lowest - _SAME_LINE, middle)
        if not (footer and _information(text, pages, line, running)):
            paragraphs.append([])
            above = None
            continue
        size = max(s.size() for s in line)
        if above is not None and above[0] - max(ys) > _PARAGRAPH * max(size, above[1]):
            paragraphs.append([])  # further apart than lines of one paragraph
        paragraphs[-1] += line
        above = (min(ys), size)
    return [p for p in paragraphs if p]


def _information(text: str, pages: int, line: list[_Section], running: set[str]) -> bool:
    """Whether a footer line says something: words, and neither a page number nor a
    line (or, each part of it, parts of lines) on the later pages."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return False
    numbers = {int(n) for n in re.findall(r"\d+", text)}
    if 1 in numbers and numbers <= {1, pages} and set(words) <= _PAGINATION_WORDS:
        return False
    parts = [_key(s.words()) for s in line if _key(s.words())]
    return _key(text) not in running and not all(p in running for p in parts)


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


def _parent_nums(tree: DictionaryObject) -> ArrayObject | None:
    """The ParentTree's numbers and values, when it is one flat array (as LibreOffice
    writes it)."""
    parent_tree = tree.get("/ParentTree")
    parent_tree = parent_tree.get_object() if parent_tree is not None else None
    if not isinstance(parent_tree, DictionaryObject) or "/Kids" in parent_tree:
        return None
    nums = parent_tree.get("/Nums")
    nums = nums.get_object() if nums is not None else None
    return nums if isinstance(nums, ArrayObject) else None


def _lookup(nums: ArrayObject, key: int) -> Any:
    for i in range(0, len(nums) - 1, 2):
        if nums[i] == key:
            return nums[i + 1].get_object()
    return None


def _next_key(tree: DictionaryObject, nums: ArrayObject) -> int:
    following = max((int(nums[i]) for i in range(0, len(nums) - 1, 2)), default=-1) + 1
    stated = tree.get("/ParentTreeNextKey")
    return max(following, int(stated)) if isinstance(stated, int) else following
