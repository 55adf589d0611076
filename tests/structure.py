"""A structural checker for the .docx files the tests produce.

Word "repairs" (or refuses) a file whose relationships point nowhere, whose ids clash,
or whose children come out of schema order; LibreOffice mostly shows it anyway, so a
visual check does not catch these. `findings(data)` lists every such problem:
- every part has a content type, every internal relationship target exists;
- every relationship id a part uses is defined in its .rels, with a type that fits the
  element (an image for r:embed, a hyperlink for w:hyperlink, a header for a header
  reference);
- ids are unique per kind: bookmarks (id and name), drawing objects, notes, nsids,
  VML shapes, w14:paraId; footnote/endnote references, numId, abstractNumId and style
  references resolve;
- child order of every element whose sequence ooxml/schema.py knows;
- no macros, no external attached template, no unsafe member names.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter
from collections.abc import Iterator

from lxml import etree

from beslutsdoc.ooxml import schema
from beslutsdoc.ooxml.guard import normalise_target, safe_name

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
V = "urn:schemas-microsoft-com:vml"

#: (element, attribute) → the relationship type (last path segment) it needs.
_NEEDS = {
    (f"{{{A}}}blip", f"{{{R}}}embed"): "image",
    (f"{{{W}}}hyperlink", f"{{{R}}}id"): "hyperlink",
    (f"{{{W}}}headerReference", f"{{{R}}}id"): "header",
    (f"{{{W}}}footerReference", f"{{{R}}}id"): "footer",
    (f"{{{V}}}imagedata", f"{{{R}}}id"): "image",
}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class _Docx:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = [n for n in self.zip.namelist() if not n.endswith("/")]
        self.cache: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self.cache:
            self.cache[name] = etree.fromstring(self.zip.read(name))
        return self.cache[name]

    def rels(self, part: str) -> dict[str, etree._Element]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if name not in self.names:
            return {}
        return {str(r.get("Id")): r for r in self.xml(name)}

    def xml_parts(self) -> Iterator[str]:
        for name in self.names:
            if name.endswith(".xml") and name != "[Content_Types].xml":
                yield name


def findings(data: bytes) -> list[str]:
    """Every structural problem of the .docx `data`, as readable lines (empty: none)."""
    try:
        docx = _Docx(data)
    except zipfile.BadZipFile as err:
        return [f"ingen zip: {err}"]
    out: list[str] = []
    out += _package(docx)
    out += _relationships(docx)
    out += _unique_ids(docx)
    out += _references(docx)
    out += _order(docx)
    return out


def assert_valid_docx(data: bytes, name: str = "dokumentet") -> None:
    """Fail the test with every structural problem of the .docx `data`."""
    found = findings(data)
    assert not found, f"{name}: " + "\n".join(found[:20])


def _package(docx: _Docx) -> list[str]:
    out = []
    if "[Content_Types].xml" not in docx.names:
        return ["[Content_Types].xml saknas"]
    types = docx.xml("[Content_Types].xml")
    overrides = {
        str(o.get("PartName")).lstrip("/"): str(o.get("ContentType"))
        for o in types.iter(f"{{{CT}}}Override")
    }
    defaults = {str(d.get("Extension")).lower() for d in types.iter(f"{{{CT}}}Default")}
    for name in docx.names:
        if not safe_name(name):
            out.append(f"osäkert delnamn {name}")
        if name == "[Content_Types].xml":
            continue
        base = posixpath.basename(name)
        ext = base.rsplit(".", 1)[1].lower() if "." in base else ""
        if name not in overrides and ext not in defaults:
            out.append(f"{name}: ingen innehållstyp")
        if "vbaProject" in name or "macroEnabled" in overrides.get(name, ""):
            out.append(f"{name}: makron")
    for name in overrides:
        if name not in docx.names:
            out.append(f"innehållstyp för {name}, som inte finns")
    return out


def _relationships(docx: _Docx) -> list[str]:
    out = []
    for name in docx.names:
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        rels = list(docx.xml(name))
        counts = Counter(str(r.get("Id")) for r in rels)
        out += [f"{name}: relationen {i} finns {n} gånger" for i, n in counts.items() if n > 1]
        for rel in rels:
            kind = str(rel.get("Type"))
            if kind.endswith("/attachedTemplate") or kind.endswith("/vbaProject"):
                out.append(f"{name}: {kind.rsplit('/', 1)[1]} följer med")
            if rel.get("TargetMode") == "External":
                continue
            target = normalise_target(folder, str(rel.get("Target")))
            if target not in docx.names:
                out.append(f"{name}: {rel.get('Id')} pekar på {target}, som inte finns")
    return out


def _used_ids(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            if str(attr).startswith(f"{{{R}}}") or attr == "relId":
                yield node, str(attr), str(value)


def _references(docx: _Docx) -> list[str]:
    """Relationship ids, notes, numbering and styles that the content names."""
    out = []
    for part in docx.xml_parts():
        rels = docx.rels(part)
        root = docx.xml(part)
        for node, attr, value in _used_ids(root):
            if attr == "relId":  # a diagram's drawing: a relationship of the document
                continue
            rel = rels.get(value)
            if rel is None:
                out.append(
                    f"{part}: {etree.QName(node).localname}/@{etree.QName(attr).localname}={value} är inte definierad"
                )
                continue
            need = _NEEDS.get((str(node.tag), attr))
            if need and not str(rel.get("Type")).endswith("/" + need):
                out.append(f"{part}: {value} är {rel.get('Type')}, {need} behövs")
    out += _notes_and_lists(docx)
    return out


def _part_of(docx: _Docx, main: str, kind: str) -> etree._Element | None:
    for rel in docx.rels(main).values():
        if str(rel.get("Type")).endswith("/" + kind) and rel.get("TargetMode") != "External":
            name = normalise_target(posixpath.dirname(main), str(rel.get("Target")))
            if name in docx.names:
                return docx.xml(name)
    return None


def _main(docx: _Docx) -> str:
    for rel in docx.xml("_rels/.rels"):
        if str(rel.get("Type")).endswith("/officeDocument"):
            return normalise_target("", str(rel.get("Target")))
    return "word/document.xml"


def _notes_and_lists(docx: _Docx) -> list[str]:
    out = []
    main = _main(docx)
    roots = [docx.xml(p) for p in docx.xml_parts() if p.startswith("word/")]
    for kind in ("footnote", "endnote"):
        notes = _part_of(docx, main, kind + "s")
        defined = set() if notes is None else {n.get(_w("id")) for n in notes.iter(_w(kind))}
        for root in roots:
            for ref in root.iter(_w(f"{kind}Reference")):
                if ref.get(_w("id")) not in defined:
                    out.append(f"{kind}Reference {ref.get(_w('id'))} har ingen not")
    numbering = _part_of(docx, main, "numbering")
    nums = {} if numbering is None else {n.get(_w("numId")): n for n in numbering.iter(_w("num"))}
    abstracts = (
        set()
        if numbering is None
        else {a.get(_w("abstractNumId")) for a in numbering.iter(_w("abstractNum"))}
    )
    for num_id, num in nums.items():
        ref = num.find(_w("abstractNumId"))
        if ref is None or ref.get(_w("val")) not in abstracts:
            out.append(f"numId {num_id}: abstractNum saknas")
    styles = _part_of(docx, main, "styles")
    style_ids = (
        set() if styles is None else {s.get(_w("styleId")) for s in styles.iter(_w("style"))}
    )
    for root in roots:
        for node in root.iter(_w("numId")):
            value = node.get(_w("val"))
            if value != "0" and value not in nums:  # 0: "no numbering"
                out.append(f"numId {value} finns inte i numbering.xml")
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for node in root.iter(_w(tag)):
                if styles is not None and node.get(_w("val")) not in style_ids:
                    out.append(f"{tag} {node.get(_w('val'))} finns inte bland formatmallarna")
    return out


def _unique_ids(docx: _Docx) -> list[str]:
    out = []
    main = _main(docx)
    story = [
        docx.xml(p)
        for p in docx.xml_parts()
        if p.startswith("word/") and ("header" in p or "footer" in p or p == main)
    ]
    kinds = {
        "bokmärkes-id": [
            b.get(_w("id")) for r in [docx.xml(main)] for b in r.iter(_w("bookmarkStart"))
        ],
        "bokmärkesnamn": [b.get(_w("name")) for b in docx.xml(main).iter(_w("bookmarkStart"))],
        "wp:docPr-id": [d.get("id") for r in story for d in r.iter(f"{{{WP}}}docPr")],
        "w14:paraId": [
            p.get(f"{{{W14}}}paraId")
            for r in story
            for p in r.iter(_w("p"))
            if p.get(f"{{{W14}}}paraId")
        ],
        "VML-form-id": [s.get("id") for r in story for s in r.iter(f"{{{V}}}shape") if s.get("id")],
    }
    for kind in ("footnote", "endnote"):
        notes = _part_of(docx, main, kind + "s")
        if notes is not None:
            kinds[kind + "-id"] = [n.get(_w("id")) for n in notes.iter(_w(kind))]
    numbering = _part_of(docx, main, "numbering")
    if numbering is not None:
        kinds["nsid"] = [n.get(_w("val")) for n in numbering.iter(_w("nsid"))]
        kinds["numId"] = [n.get(_w("numId")) for n in numbering.iter(_w("num"))]
        kinds["abstractNumId"] = [
            n.get(_w("abstractNumId")) for n in numbering.iter(_w("abstractNum"))
        ]
    styles = _part_of(docx, main, "styles")
    if styles is not None:
        kinds["styleId"] = [s.get(_w("styleId")) for s in styles.iter(_w("style"))]
        names = [s.find(_w("name")) for s in styles.iter(_w("style"))]
        kinds["formatmallsnamn"] = [
            (n.get(_w("val")) or "").lower() for n in names if n is not None
        ]
    for kind, values in kinds.items():
        for value, count in Counter(values).items():
            if count > 1:
                out.append(f"{kind} {value} finns {count} gånger")
    return out


def _order(docx: _Docx) -> list[str]:
    out = []
    for part in docx.xml_parts():
        if not part.startswith("word/"):
            continue
        for node in docx.xml(part).iter(*(_w(t) for t in schema.ORDER)):
            problem = schema.out_of_order(node)
            if problem:
                out.append(f"{part}: i w:{etree.QName(node).localname} står {problem}")
                if len(out) > 50:
                    return out
    return out
