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
from decimal import Decimal
from typing import Any, TypeGuard

import pikepdf
from pikepdf import Array, Dictionary, Name

from beslutsdoc.pdfobjects import STANDARD, is_dictionary, key_of, meant_type, name_tree

_TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}
#: What an element of a remapped standard type is, by its placement: a block quote is
#: a quoted paragraph, an inline one a quotation within a sentence.
#: Marked content found in the tree: the element holding it, its page, the content item
#: itself (an MCID, or a marked-content reference).
_Content = tuple[Dictionary, Dictionary, int | Dictionary]
#: How a note's /ID begins; a number follows.
NOTE_ID = "not-"


def accessible(pdf: bytes) -> bytes:
    """`pdf` with its structure made to say what it is (see the module's text); the
    same bytes when there is nothing to make right."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if not make_accessible(document):
            return pdf
        out = io.BytesIO()
        # PDF/A-2 and PDF/UA-1 build on 1.7: never written as an older version. The XMP
        # as LibreOffice wrote it (pikepdf would rewrite it for its version field). The
        # file's new /ID from its content, not the time: the same PDF in, the same out.
        document.save(out, min_version="1.7", fix_metadata_version=False, deterministic_id=True)
        return out.getvalue()


def make_accessible(pdf: pikepdf.Pdf) -> bool:
    """What `accessible` does, in a PDF that goes on to other work (the packet's);
    whether anything changed."""
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, Dictionary):
        return False
    # The tree read once: the steps change elements' types and add elements, never
    # remove one, and the ones they look for (tables, notes) are all in this list.
    elements = list(_elements(tree))
    changes = [
        _tables(elements),
        _role_map(tree, elements),
        _note_links(pdf, tree, elements),
        _note_ids(pdf, tree, elements),
        _tab_order(pdf),
        _first_footer(pdf, tree),
    ]
    return any(changes)


# -- tables ---------------------------------------------------------------------------


def _tables(elements: list[Dictionary]) -> bool:
    changed = False
    for table in [e for e in elements if e.get("/S") == "/Table"]:
        if not any(e.get("/S") == "/TH" for e in _elements(table)):
            _retag(table)
            changed = True
    return changed


def _rows(table: Dictionary) -> list[list[Dictionary]]:
    rows = [e for e in _elements(table) if e.get("/S") == "/TR"]
    return [[c for c in _children(row) if c.get("/S") in ("/TD", "/TH")] for row in rows]


def _retag(table: Dictionary) -> None:
    rows = _rows(table)
    if len(rows) >= 2 and all(len(cells) == 2 for cells in rows):
        for label, _ in rows:  # label | value: each row's first cell is its header
            label[Name.S] = Name.TH
            label[Name.A] = Dictionary({"/O": Name.Table, "/Scope": Name.Row})
        return
    for element in [table, *_elements(table)]:  # laid out as a table, read as text
        if element.get("/S") in _TABLE_PARTS:
            element[Name.S] = Name.Div


# -- role map -------------------------------------------------------------------------


def _role_map(tree: Dictionary, elements: list[Dictionary]) -> bool:
    """Standard types out of the role map; their elements typed as they were meant."""
    role_map = tree.get("/RoleMap")
    if not isinstance(role_map, Dictionary):
        return False
    keys: list[str] = list(role_map.keys())
    remapped = [key for key in keys if key in STANDARD]
    if not remapped:
        return False
    meant = {key: _resolve(role_map, key) for key in remapped}
    for element in elements:
        kind = str(element.get("/S"))
        if kind in meant:
            element[Name.S] = Name(meant_type(element, kind, meant[kind]))
    for key in remapped:
        del role_map[key]
    return True


def _resolve(role_map: Dictionary, key: str) -> str:
    """The standard type a remapped `key` ends at (/P when the chain leads nowhere)."""
    seen = {key}
    kind = str(role_map[key])
    while kind not in STANDARD and kind in role_map and kind not in seen:
        seen.add(kind)
        kind = str(role_map[kind])
    return kind if kind in STANDARD else "/P"


# -- notes ----------------------------------------------------------------------------


def _note_links(pdf: pikepdf.Pdf, tree: Dictionary, elements: list[Dictionary]) -> bool:
    """Each footnote's link back to its reference, as a /Link of the note's number.

    LibreOffice writes, per page, one such link annotation for each note that begins on
    that page, in the order of the notes, and tags none of them; an internal link
    annotation the structure does not know of is one of these. The notes are matched
    to them in order, page by page, and only when the numbers agree."""
    nums = _parent_nums(tree)
    notes: dict[tuple[int, int], list[tuple[Dictionary, _Content]]] = {}
    for note in (e for e in elements if e.get("/S") == "/Note"):
        first = _first_content(note)
        if first is not None:
            notes.setdefault(first[1].objgen, []).append((note, first))
    if nums is None or not notes:
        return False
    marks_of = _number_index(nums)
    added: list[Any] = []  # the ParentTree's new entries, added at once (see _note_ids)
    next_key = _next_key(tree, nums)
    for page in pdf.pages:
        on_page = notes.get(page.obj.objgen, [])
        annotations = page.obj.get("/Annots")
        if not on_page or not isinstance(annotations, Array):
            continue
        untagged = [a for a in annotations if _back_link(a) and a.is_indirect]
        if not untagged or len(untagged) != len(on_page):
            continue
        if not all(e.is_indirect for note, (holder, _, _) in on_page for e in (note, holder)):
            continue
        marked = page.obj.get("/StructParents")
        marks = marks_of.get(marked) if isinstance(marked, int) else None
        for annotation, (note, (holder, page_ref, content)) in zip(untagged, on_page, strict=True):
            link = _wrap(pdf, note, holder, page_ref, content, annotation)
            mcid = content if isinstance(content, int) else content.get("/MCID")
            if isinstance(marks, Array) and isinstance(mcid, int) and mcid < len(marks):
                marks[mcid] = link
            annotation[Name.StructParent] = next_key
            added += [next_key, link]
            next_key += 1
    if added:
        nums.extend(Array(added))
        tree[Name.ParentTreeNextKey] = next_key
    return bool(added)


def _back_link(annotation: Any) -> TypeGuard[Dictionary]:
    """An internal link annotation the structure tree has no element for."""
    return (
        isinstance(annotation, Dictionary)
        and annotation.get("/Subtype") == "/Link"
        and "/StructParent" not in annotation
        and "/Dest" in annotation
    )


def _first_content(element: Dictionary, page: Any = None) -> _Content | None:
    """The element holding the first marked content under `element`, its page, and the
    content item itself (an MCID, or a marked-content reference)."""
    page_ref = element.get("/Pg", page)
    for kid in _kid_list(element):
        if _mcid(kid) and _is_page(page_ref):
            return element, page_ref, kid
        if isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
            on = kid.get("/Pg", page_ref)
            if _is_page(on):
                return element, on, kid
        elif isinstance(kid, Dictionary) and "/S" in kid:
            found = _first_content(kid, page_ref)
            if found is not None:
                return found
    return None


def _mcid(kid: Any) -> TypeGuard[int]:
    return isinstance(kid, int) and not isinstance(kid, bool)


def _is_page(node: Any) -> TypeGuard[Dictionary]:
    """A page's dictionary, as an object of its own (what a /Pg refers to)."""
    return isinstance(node, Dictionary) and node.is_indirect


def _same(kid: Any, content: int | Dictionary) -> bool:
    if isinstance(content, int):
        return _mcid(kid) and kid == content
    if content.is_indirect:
        return key_of(kid) == content.objgen
    return isinstance(kid, Dictionary) and not kid.is_indirect and kid == content


def _wrap(
    pdf: pikepdf.Pdf,
    note: Dictionary,
    holder: Dictionary,
    page: Dictionary,
    content: int | Dictionary,
    annotation: Dictionary,
) -> Dictionary:
    """A /Link for the note's number: that content (the first in `holder`) and the
    annotation. When the number is content of its own at the start of the note's first
    paragraph, the link goes in a /Lbl of the note before that paragraph (the note's
    label, as for a list item); otherwise the link goes in `holder`, around the number
    when more follows it there, else after it, so that the link is never the note's
    whole text."""
    kids = _kid_list(holder)
    place = next(i for i, kid in enumerate(kids) if _same(kid, content))
    objr = Dictionary({"/Type": Name.OBJR, "/Obj": annotation, "/Pg": page})
    number = [content] if len(kids) > 1 else []
    note_kids = _kid_list(note)
    first = note_kids[0] if note_kids else None
    as_label = bool(number) and place == 0 and key_of(first) == holder.objgen
    link = pdf.make_indirect(
        Dictionary(
            {
                "/Type": Name.StructElem,
                "/S": Name.Link,
                "/P": note if as_label else holder,  # the label's, set below
                "/Pg": page,
                "/K": Array([*number, objr]),
            }
        )
    )
    if as_label:
        label = pdf.make_indirect(
            Dictionary(
                {
                    "/Type": Name.StructElem,
                    "/S": Name.Lbl,
                    "/P": note,
                    "/Pg": page,
                    "/K": Array([link]),
                }
            )
        )
        link[Name.P] = label
        note[Name.K] = Array([label, *note_kids])
        holder[Name.K] = Array(kids[1:])
        return link
    if number:
        kids[place] = link
    else:
        kids.insert(place + 1, link)
    holder[Name.K] = Array(kids)
    return link


def _note_ids(pdf: pikepdf.Pdf, tree: Dictionary, elements: list[Dictionary]) -> bool:
    """A unique /ID on every /Note, and the IDTree that finds them."""
    missing = [e for e in elements if e.get("/S") == "/Note" and "/ID" not in e]
    if not missing:
        return False
    ids = dict(name_tree(tree.get("/IDTree")))
    number = 0
    for note in missing:
        number += 1
        while f"{NOTE_ID}{number}" in ids:
            number += 1
        name = f"{NOTE_ID}{number}"
        note[Name.ID] = pikepdf.String(name)
        assert note.is_indirect  # LibreOffice writes every element as an object of its own
        ids[name] = note
    names: list[Any] = []  # one Array made of them: extending one is linear per call
    for name in sorted(ids):
        names += [pikepdf.String(name), ids[name]]
    tree[Name.IDTree] = pdf.make_indirect(Dictionary({"/Names": Array(names)}))
    return True


# -- pages ----------------------------------------------------------------------------


def _tab_order(pdf: pikepdf.Pdf) -> bool:
    changed = False
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is not None and len(annotations) > 0:
            tabs = page.obj.get("/Tabs")
            if not (isinstance(tabs, Name) and tabs == "/S"):
                page.obj[Name.Tabs] = Name.S
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


def _first_footer(pdf: pikepdf.Pdf, tree: Dictionary) -> bool:
    """The first page's footer lines that are neither page number nor running footer,
    tagged as content: a /P for each run of them, at the end of the document.

    At the end, not after the first page's last element: that element (a paragraph, a
    list, a table) may go on to the next page, and the contact details of the sender
    end a letter. Only the marked-content operators change; the page looks the same."""
    if len(pdf.pages) == 0:
        return False
    page = pdf.pages[0]
    stream = page.obj.get("/Contents")
    marked = page.obj.get("/StructParents")
    nums = _parent_nums(tree)
    marks = _number_index(nums).get(marked) if nums is not None and _mcid(marked) else None
    parent = _document(tree)
    if (
        parent is None
        or not isinstance(stream, pikepdf.Stream)
        or not isinstance(marks, Array)
        or int(page.obj.get("/Rotate", 0)) % 360
    ):
        return False
    data = _data(stream)
    read = _sections(data) if b"/Artifact" in data else None
    if read is None or read[1] is None or not _read(page, data, read[0]):
        return False
    sections, lowest = read[0], read[1]
    paragraphs = _contact(sections, lowest, page, len(pdf.pages), set())
    if paragraphs:  # the later pages read only when there may be something to tag
        running = _running(pdf.pages[1 : 1 + _LATER_PAGES])
        paragraphs = _contact(sections, lowest, page, len(pdf.pages), running)
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
    # Written unfiltered: saving compresses it again (qpdf compresses what is not).
    stream.write(b"".join(out))
    while len(marks) < mcid:
        marks.append(None)
    _add_paragraphs(pdf, parent, page.obj, marks, made)
    return True


def _data(stream: Any) -> bytes:
    """A content stream's data, decoded; none when it is no stream or its filter is
    one qpdf cannot decode."""
    if not isinstance(stream, pikepdf.Stream):
        return b""
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return b""


def _add_paragraphs(
    pdf: pikepdf.Pdf,
    parent: Dictionary,
    page: Dictionary,
    marks: Array,
    paragraphs: list[list[int]],
) -> None:
    """A /P for each list of marked-content ids on `page`, last among `parent`'s kids,
    each id's entry in the page's `marks` (its ParentTree array) pointing at it."""
    kids = _kid_list(parent)
    for mcids in paragraphs:
        element = pdf.make_indirect(
            Dictionary(
                {
                    "/Type": Name.StructElem,
                    "/S": Name.P,
                    "/P": parent,
                    "/Pg": page,
                    "/K": Array(mcids),
                }
            )
        )
        for m in mcids:
            marks[m] = element
        kids.append(element)
    parent[Name.K] = Array(kids)


def _document(tree: Dictionary) -> Dictionary | None:
    """Where the document's elements are: its one top element (LibreOffice's
    /Document), else the tree's root; None when that is no object of its own."""
    kids = _kid_list(tree)
    top = kids[0] if len(kids) == 1 else None
    element = top if isinstance(top, Dictionary) and "/S" in top else tree
    return element if element.is_indirect else None


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
            raw = data[operands : end - len(operator)] if operator in _PLACING else b""
            y = place.follow(operator, [float(n) for n in _NUMBER.findall(raw)])
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

    def follow(self, operator: bytes, numbers: list[float]) -> float | None:
        """The height of the baseline `operator` shows text on, if it shows text (its
        `numbers`: the operands of an operator that places text)."""
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
    """A name as PDF readers read it (qpdf, pypdf): /List#20Number is /List Number."""
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


def _read(page: pikepdf.Page, data: bytes, sections: list[_Section]) -> bool:
    """The text of each artifact in `sections`, with where it stands; False when qpdf
    does not find the same marked content. Read from the stream without its structure
    content, which is most of the text on a page and not needed here."""
    kept, at = [], 0
    for section in sections:
        if section.tag != "/Artifact":
            kept.append(data[at : section.start])
            at = section.stop
    kept.append(data[at:])
    artifacts = [s for s in sections if s.tag == "/Artifact"]
    resources = page.obj.get("/Resources")
    if not is_dictionary(resources):
        return False
    reader = _TextReader(artifacts)
    try:
        with pikepdf.new() as scratch:
            content = pikepdf.Stream(scratch, b"".join(kept))
            reader.read(pikepdf.parse_content_stream(content), resources, 0)
    except (pikepdf.PdfError, ValueError, TypeError, IndexError, ArithmeticError):
        return False  # whatever cannot be read here is left as it is
    return reader.found == [s.tag for s in artifacts]


#: Form XObjects inside form XObjects deeper than this are no real footer's.
_FORM_DEPTH = 8


class _TextReader:
    """The text each artifact paints, as a text extraction reads it (pypdf's, which
    this replaces): each piece a text operator shows, decoded by its font's /ToUnicode,
    with its baseline's height on the page and its font size. Marked content is counted
    at the top level of the page's stream only; text in a form XObject is the
    artifact's that draws it."""

    def __init__(self, artifacts: list[_Section]) -> None:
        self.artifacts = artifacts
        self.found: list[str] = []  # the tag of each top-level marked content
        self.depth = 0
        self.place = _TextPlace()
        self.font: _Font | None = None
        self.size = 0.0
        self.saved: list[tuple[_Font | None, float]] = []
        self.fonts: dict[Any, _Font] = {}
        #: Whether the text read so far ends in the break an XObject makes (or there
        #: is none yet): then another adds none.
        self.broke = True

    def read(self, instructions: list[Any], resources: Any, forms: int) -> None:
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            if forms == 0 and operator in ("BMC", "BDC"):
                if self.depth == 0:
                    self.found.append(str(operands[0]) if operands else "")
                self.depth += 1
            elif forms == 0 and operator == "EMC":
                self.depth -= 1
            elif operator == "q":
                self.saved.append((self.font, self.size))
            elif operator == "Q" and self.saved:
                self.font, self.size = self.saved.pop()
            elif operator == "Tf" and len(operands) == 2:
                self.font = self._font(resources, operands[0])
                self.size = float(operands[1])
            elif operator == "Do" and operands:
                self._form(resources, operands[0], forms)
            numbers = [float(n) for n in operands if _number(n)] if operator in _OPERATORS else []
            y = self.place.follow(operator.encode(), numbers)
            if y is not None:
                shown = self._shown(operator, operands)
                self._piece(y, shown)
                self.broke = self.broke and not shown

    def _shown(self, operator: str, operands: list[Any]) -> str:
        """The text a text-showing operator shows: its strings, and a space for a gap in
        a TJ array as wide as a word gap."""
        font = self.font or _Font()
        if operator != "TJ":
            shown = operands[-1] if operands else None
            return font.decode(bytes(shown)) if isinstance(shown, pikepdf.String) else ""
        text = ""
        for item in operands[0] if operands and isinstance(operands[0], Array) else []:
            if isinstance(item, pikepdf.String):
                text += font.decode(bytes(item))
            elif _number(item) and -float(item) >= font.gap and text and text[-1] not in " \n":
                text += " "
        return text

    def _piece(self, y: float, text: str) -> None:
        if text and self.depth > 0 and len(self.found) <= len(self.artifacts):
            scale = abs(self.place.tm[3] * self.place.ctm[3]) or 1.0
            self.artifacts[len(self.found) - 1].text.append((y, self.size * scale, text))

    def _form(self, resources: Any, name: Any, forms: int) -> None:
        """An XObject drawn: a break in the text (as between lines), and a form's text."""
        if not self.broke:  # not twice in a row, nor before any text
            self._piece(self.place.ctm[5], "\n")
            self.broke = True
        xobject = _resource(resources, "/XObject", name)
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
            return
        if forms >= _FORM_DEPTH:
            return
        matrix = xobject.get("/Matrix")
        numbers = [float(n) for n in matrix] if isinstance(matrix, Array) else []
        saved = self.place.ctm
        if len(numbers) == 6:
            self.place.ctm = _times(numbers, saved)
        inner = xobject.get("/Resources")
        self.read(
            pikepdf.parse_content_stream(xobject),
            inner if inner is not None else resources,
            forms + 1,
        )
        self.place.ctm = saved

    def _font(self, resources: Any, name: Any) -> _Font:
        font = _resource(resources, "/Font", name)
        # A font of its own is one wherever it is named; a direct one is its resources'.
        key = key_of(font) or (key_of(resources), str(name))
        if key not in self.fonts:
            self.fonts[key] = _Font.of(font)
        return self.fonts[key]


#: The operators whose numbers place text (see _TextPlace).
_OPERATORS = {"cm", "Tm", "Td", "TD", "TL"}


def _number(value: Any) -> TypeGuard[int | float | Decimal]:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _resource(resources: Any, kind: str, name: Any) -> Any:
    """The resource of that kind and name; None when there is none."""
    entries = resources.get(kind) if is_dictionary(resources) else None
    return entries.get(str(name)) if isinstance(entries, Dictionary) else None


#: A word gap in a TJ array, in thousandths of the font size, when the font does not
#: say how wide its space is: 0.95 of half of 200 (pypdf's measure).
_GAP = 95.0


@dataclass
class _Font:
    """How a font's codes are text: their length in bytes, their text (from the font's
    /ToUnicode), and the TJ offset that is a gap between words (half its space, less
    5 %, in thousandths of the font size)."""

    width: int = 1
    unicode: dict[bytes, str] = field(default_factory=dict)
    gap: float = _GAP

    @classmethod
    def of(cls, font: Any) -> _Font:
        if not is_dictionary(font):
            return cls()
        width = 2 if font.get("/Subtype") == "/Type0" else 1
        cmap = font.get("/ToUnicode")
        unicode: dict[bytes, str] = {}
        if isinstance(cmap, pikepdf.Stream):
            width, unicode = _to_unicode(cmap.read_bytes(), width)
        space = next((code for code, text in unicode.items() if text == " "), b" ")
        return cls(width, unicode, _gap(font, space))

    def decode(self, raw: bytes) -> str:
        size = self.width
        codes = (raw[i : i + size] for i in range(0, len(raw), size))
        return "".join(self.unicode.get(code) or _fallback(code) for code in codes)


def _fallback(code: bytes) -> str:
    """A code the font gives no text for: a byte read as Windows-1252 (the encoding
    of simple fonts), a longer code as unknown."""
    return code.decode("cp1252", "replace") if len(code) == 1 else "\ufffd"


def _gap(font: Dictionary, space: bytes) -> float:
    """The word gap of a simple font, from its space's width in /Widths."""
    widths, first = font.get("/Widths"), font.get("/FirstChar")
    if len(space) != 1 or not isinstance(widths, Array) or not _number(first):
        return _GAP
    at = space[0] - int(first)
    width = float(widths[at]) if 0 <= at < len(widths) and _number(widths[at]) else 0.0
    return 0.95 * width / 2 if width else _GAP


_CODESPACE = re.compile(rb"begincodespacerange(.*?)endcodespacerange", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]")
#: Codes in one bfrange at most: more is no font's.
_RANGE = 0x10000


def _to_unicode(data: bytes, width: int) -> tuple[int, dict[bytes, str]]:
    """A ToUnicode CMap (ISO 32000-1, 9.10.3): the length of its codes, and the text
    of each code."""
    spaces = [_hex(t) for m in _CODESPACE.finditer(data) for t in _CMAP_TOKEN.findall(m[1])]
    width = len(spaces[0]) if spaces and spaces[0] else width
    unicode: dict[bytes, str] = {}
    for block in _BFCHAR.finditer(data):
        tokens = [_hex(t) for t in _CMAP_TOKEN.findall(block[1])]
        for code, text in zip(tokens[::2], tokens[1::2], strict=False):
            unicode[code] = _utf16(text)
    for block in _BFRANGE.finditer(data):
        _ranges(list(_CMAP_TOKEN.finditer(block[1])), unicode)
    return width, unicode


def _ranges(tokens: list[re.Match[bytes]], unicode: dict[bytes, str]) -> None:
    """The codes of a bfrange block: low, high, and the first code's text (counted up
    from) or an array of each code's text."""
    at = 0
    while at + 2 < len(tokens):
        low, high = _hex(tokens[at][1]), _hex(tokens[at + 1][1])
        first, last = int.from_bytes(low, "big"), int.from_bytes(high, "big")
        count = min(last - first + 1, _RANGE)
        if tokens[at + 2][0] == b"[":
            end = next((i for i in range(at + 3, len(tokens)) if tokens[i][0] == b"]"), len(tokens))
            texts = [_utf16(_hex(t[1])) for t in tokens[at + 3 : end]]
            for offset, text in enumerate(texts[:count]):
                unicode[(first + offset).to_bytes(len(low), "big")] = text
            at = end + 1
            continue
        start = _hex(tokens[at + 2][1])
        base = int.from_bytes(start, "big")
        for offset in range(max(count, 0)):
            units = (base + offset).to_bytes(len(start), "big") if start else b""
            unicode[(first + offset).to_bytes(len(low), "big")] = _utf16(units)
        at += 3


def _hex(token: bytes | None) -> bytes:
    digits = re.sub(rb"\s", b"", token or b"")
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _utf16(data: bytes) -> str:
    return data.decode("utf-16-be", "replace")


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


def _running(pages: list[pikepdf.Page]) -> set[str]:
    """The running header and footer on `pages`: their lines, and each part of them."""
    keys: set[str] = set()
    for page in pages:
        data = _data(page.obj.get("/Contents"))
        read = _sections(data) if b"/Artifact" in data else None
        if read is None or not _read(page, data, read[0]):
            continue
        for line in _lines(read[0]):
            keys.add(_key("".join(s.words() for s in line)))
            keys.update(_key(s.words()) for s in line)
    return keys - {""}


def _contact(
    sections: list[_Section], lowest: float, page: pikepdf.Page, pages: int, running: set[str]
) -> list[list[_Section]]:
    """The first page's footer lines that are information: below all its content, in
    the lower half of the page, with words in them, neither page number nor running
    footer. In runs of lines, each run a paragraph: a line that is not, a drawing, or a
    gap wider than between lines ends one."""
    box = [float(n) for n in page.mediabox]  # its corners: x and y, x and y
    middle = (box[1] + box[3]) / 2
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

#: What `_elements` takes from an exhausted list of kids.
_END = object()


def _elements(node: Any) -> Iterator[Dictionary]:
    """Every structure element under `node`, depth first; each once (by its object
    number: pikepdf makes a new Python object on each access), so that a tree which
    loops back on itself ends. Without recursion: a deep tree is no error."""
    seen: set[tuple[int, int]] = set()
    stack = [iter(_kid_list(node))]
    while stack:
        kid = next(stack[-1], _END)
        if kid is _END:
            stack.pop()
            continue
        if not _element(kid):
            continue
        key = kid.objgen
        if key != (0, 0):  # an object of its own (a direct one cannot recur)
            if key in seen:
                continue
            seen.add(key)
        yield kid
        stack.append(iter(_kid_list(kid)))


def _element(kid: Any) -> TypeGuard[Dictionary]:
    """A structure element: a dictionary with a type, not an MCID nor a reference to
    marked content or an object. (The fastest test: pikepdf answers `get` on any of
    its objects, with None when it is no dictionary; its type tests take longer.)"""
    return isinstance(kid, pikepdf.Object) and kid.get("/S") is not None


def _children(node: Dictionary) -> list[Dictionary]:
    return [kid for kid in _kid_list(node) if _element(kid)]


def _kid_list(node: Any) -> list[Any]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids.as_list()) if isinstance(kids, Array) else [kids]


def _parent_nums(tree: Dictionary) -> Array | None:
    """The ParentTree's numbers and values, when it is one flat array (as LibreOffice
    writes it)."""
    parent_tree = tree.get("/ParentTree")
    if not isinstance(parent_tree, Dictionary) or "/Kids" in parent_tree:
        return None
    nums = parent_tree.get("/Nums")
    return nums if isinstance(nums, Array) else None


def _number_index(nums: Array) -> dict[int, Any]:
    """The ParentTree's values by their numbers (the first, where a number recurs)."""
    items = list(nums)
    index: dict[int, Any] = {}
    for key, value in zip(items[::2], items[1::2], strict=False):
        if _mcid(key):
            index.setdefault(key, value)
    return index


def _next_key(tree: Dictionary, nums: Array) -> int:
    items = list(nums)
    keys = (int(items[i]) for i in range(0, len(items) - 1, 2) if _number(items[i]))
    following = max(keys, default=-1) + 1
    stated = tree.get("/ParentTreeNextKey")
    return max(following, int(stated)) if _mcid(stated) else following
