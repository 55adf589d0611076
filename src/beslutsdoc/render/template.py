"""Word templates: a .docx a municipality edits in Word, with Jinja tags as its fields.

What a template may hold, anywhere in the body, headers and footers:
- `{{ titel }}`, `{{ handläggare.namn }}`, `{{ datum | långt_datum }}`: inline values,
  keeping the formatting of the run they stand in.
- `{% if undertitel %}...{% endif %}` inside one paragraph.
- A paragraph holding only `{{ sammanfattning }}` (a block variable): replaced by the
  text's paragraphs, lists, tables and footnotes in the template's styles; plain
  paragraphs take that placeholder paragraph's own style.
- A paragraph whose template code renders to nothing is removed, and so is a table row
  whose cells all end up empty that way.

Only template text is Jinja source. User values are inserted as data after rendering,
so `{{ }}` or `<` in a paper is printed as written.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from beslutsdoc.document.builder import Content, blocks_of
from beslutsdoc.document.text import kronor, long_date, number
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.notes import ensure_notes_part
from beslutsdoc.ooxml.package import (
    CONTENT_TYPES,
    R_NUMBERING,
    R_STYLES,
    Package,
    parse,
    rels_name,
)
from beslutsdoc.ooxml.styles import style_ids, styles_by_name
from beslutsdoc.ooxml.wordml import VAL, el, sub, w
from beslutsdoc.problems import TemplateError
from beslutsdoc.render.layout import apply_orientation, build_contents
from beslutsdoc.render.word import Resources, Writer

R_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
R_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
if not TEMPLATES.is_dir():  # running from a source checkout: templates/ at the top
    TEMPLATES = Path(__file__).resolve().parents[3] / "templates"

# Between two runs in a paragraph's template source; lets the rendered text go back into
# the runs it came from, each with its own formatting.
_SEAM = "\ue000"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_BLOCK = re.compile(r"^\s*\{\{\s*(\w+)\s*\}\}\s*$")

#: Styles the block writer uses, by their built-in (English) names.
USED_STYLES = [
    "normal",
    "heading 1",
    "heading 2",
    "heading 3",
    "heading 4",
    "heading 5",
    "heading 6",
    "list bullet",
    "list number",
    "list paragraph",
    "quote",
    "footnote text",
    "footnote reference",
    "hyperlink",
    "table grid",
    "title",
    "subtitle",
    "toc 1",
    "toc 2",
]


def _finalize(value: Any) -> str:
    if value is None or value is False:
        return ""
    return str(value).replace(_SEAM, "")


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update({"långt_datum": long_date, "tal": number, "kronor": kronor})
    return env


ENV = _environment()


@dataclass
class Variables:
    """The variables a paper type offers its templates, with what each is."""

    inline: Mapping[str, str]  # name → description
    block: Mapping[str, str]

    def names(self) -> set[str]:
        return set(self.inline) | set(self.block)


@dataclass
class _Inline:
    template: jinja2.Template
    source: str
    runs: list[int]  # the index, among the paragraph's text runs, that starts each seam part


@dataclass
class _Slot:
    ordinal: int  # the paragraph's index among all w:p in its part
    text: str  # the template text, for messages
    block: str | None = None
    inline: _Inline | None = None


@dataclass
class CompiledTemplate:
    path: Path
    package: Package
    main: str
    parts: dict[str, etree._Element]  # parts with template code → their parsed XML
    slots: dict[str, list[_Slot]]
    styles: dict[str, str]
    numbering_part: str
    bullet_num: str
    decimal_abstract: str
    next_num: int
    footnotes_part: str
    text_width: int
    landscape_width: int

    def render(
        self,
        values: Mapping[str, Any],
        blocks: Mapping[str, Content],
        *,
        finish: bool = True,
    ) -> tuple[Package, Resources]:
        """Fill a copy of the template. The caller finishes the package and writes it.
        Without `finish`, the table of contents and sections are left for whoever
        composes this document with others."""
        package = self.package.copy()
        numbering = copy.deepcopy(self._cached_xml(self.numbering_part))
        package.xml[self.numbering_part] = numbering
        footnotes = copy.deepcopy(self._cached_xml(self.footnotes_part))
        package.xml[self.footnotes_part] = footnotes
        resources = Resources(
            package=package,
            main=self.main,
            styles=self.styles,
            bullet_num=self.bullet_num,
            decimal_abstract=self.decimal_abstract,
            text_width=self.text_width,
            landscape_width=self.landscape_width,
            numbering=numbering,
            footnotes=footnotes,
            next_num=self.next_num,
            next_footnote=_max_footnote_id(footnotes),
            footnotes_part=self.footnotes_part,
        )
        # A block's name also works in an inline test: `{% if ersättare %}`.
        context = {**blocks, **values}
        for name, original in self.parts.items():
            root = copy.deepcopy(original)
            package.xml[name] = root
            self._fill(name, root, context, blocks, resources)
            if name == self.main and finish:
                body = root.find(w("body"))
                assert body is not None
                build_contents(body, resources)
                apply_orientation(body, resources)
        return package, resources

    def _cached_xml(self, name: str) -> etree._Element:
        cached = self.package.xml.get(name)
        return cached if cached is not None else parse(self.package.parts[name])

    def _fill(
        self,
        part: str,
        root: etree._Element,
        values: Mapping[str, Any],
        blocks: Mapping[str, Content],
        resources: Resources,
    ) -> None:
        paragraphs = list(root.iter(wml.P))
        emptied: list[etree._Element] = []
        for slot in self.slots[part]:
            p = paragraphs[slot.ordinal]
            if slot.block is not None:
                _replace_with_block(p, blocks.get(slot.block), resources)
                continue
            assert slot.inline is not None
            try:
                text = slot.inline.template.render(values)
            except jinja2.TemplateError as err:
                raise TemplateError(
                    f"{self.path}: stycket ”{slot.text}” kan inte fyllas i: {_swedish(str(err.message or err), slot.text)}"
                ) from None
            except Exception as err:  # a filter given a value it cannot format
                # Our filters say it in Swedish (ValueError); anything else is explained.
                why = str(err) if isinstance(err, ValueError) else _swedish(str(err), slot.text)
                raise TemplateError(
                    f"{self.path}: stycket ”{slot.text}” kan inte fyllas i: {why}"
                ) from None
            _put_text(p, text, slot.inline.runs)
            if not text.replace(_SEAM, "").strip() and _only_text(p):
                emptied.append(p)
        _remove_empty(emptied)


def _swedish(message: str, source: str) -> str:
    """A template's runtime error, told in Swedish."""
    found = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", message)
    if found and found[2]:
        owner = re.search(rf"([\w.]+)\.{re.escape(found[2])}\b", source)
        return f"”{owner[1] if owner else found[1]}” har ingen uppgift ”{found[2]}”"
    if found:
        return f"variabeln ”{found[1]}” finns inte"
    element = re.search(r"has no element (\S+)", message)
    if element:
        return f"listan har ingen post {element[1]}"
    if "no loader" in message:
        return "en mall kan inte hämta in andra mallar (include, import, extends)"
    if "unsafe" in message or "access to attribute" in message:
        return "mallkoden får inte nå Pythons inre delar"
    return f"mallkoden kan inte köras ({message})"


def _text_runs(p: etree._Element) -> list[etree._Element]:
    runs = []
    for r in p.iter(wml.R):
        kinds = {etree.QName(c).localname for c in r if c.tag != wml.RPR}
        if kinds and kinds <= {"t", "tab", "br", "cr", "lastRenderedPageBreak"}:
            runs.append(r)
    return runs


def _run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        if child.tag == wml.T:
            out.append(child.text or "")
        elif child.tag == wml.TAB:
            out.append("\t")
        elif child.tag in (wml.BR, w("cr")):
            out.append("\n")
    return "".join(out)


def _put_text(p: etree._Element, text: str, starts: list[int]) -> None:
    runs = _text_runs(p)
    pieces = text.split(_SEAM)
    assigned = [""] * len(runs)
    if len(pieces) == len(starts):
        for index, piece in zip(starts, pieces, strict=True):
            assigned[index] = piece
    elif runs:  # a loop or a branch changed the seams: all text in the first run
        assigned[0] = "".join(pieces)
    for r, piece in zip(runs, assigned, strict=True):
        for child in list(r):
            if child.tag != wml.RPR:
                r.remove(child)
        if piece:
            wml.add_text(r, piece)
        else:
            r.getparent().remove(r)  # type: ignore[union-attr]


_KEEP = {"pPr", "r", "bookmarkStart", "bookmarkEnd", "proofErr", "hyperlink"}


def _only_text(p: etree._Element) -> bool:
    """True when the paragraph holds nothing but (now empty) text runs."""
    for child in p:
        name = etree.QName(child).localname
        if name not in _KEEP:
            return False
        if name == "r" and any(
            etree.QName(c).localname not in {"rPr", "t", "tab", "br"} for c in child
        ):
            return False
    return not wml.paragraph_text(p).strip()


def _remove_empty(emptied: list[etree._Element]) -> None:
    rows = []
    for p in emptied:
        parent = p.getparent()
        if parent is None:
            continue
        if parent.tag == wml.TC:
            row = parent.getparent()
            if row is not None and row not in rows:
                rows.append(row)
            if len(parent.findall(wml.P)) > 1:
                parent.remove(p)
            continue
        parent.remove(p)
    for row in rows:
        if not "".join(t.text or "" for t in row.iter(wml.T)).strip():
            table = row.getparent()
            if table is None:
                continue
            table.remove(row)
            if table.find(wml.TR) is None and table.getparent() is not None:
                table.getparent().remove(table)  # type: ignore[union-attr]


def _replace_with_block(p: etree._Element, content: Content | None, res: Resources) -> None:
    parent = p.getparent()
    assert parent is not None
    elements = Writer(res, p.find(wml.PPR)).write(blocks_of(content)) if content else []
    index = parent.index(p)
    for offset, element in enumerate(elements):
        parent.insert(index + offset, element)
    parent.remove(p)
    if parent.tag == wml.TC and parent.find(wml.P) is None and parent.find(wml.TBL) is None:
        parent.append(el("p"))


def _max_footnote_id(footnotes: etree._Element) -> int:
    return max((int(n.get(w("id"), "0")) for n in footnotes), default=0)


# -- compiling ------------------------------------------------------------------------


def load_template(path: Path, variables: Variables) -> CompiledTemplate:
    """The template at `path`, compiled once per file version."""
    try:
        stat = path.stat()
    except OSError:
        raise TemplateError(f"{path}: mallen finns inte") from None
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, _frozen(variables))


def _frozen(
    variables: Variables,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    return tuple(variables.inline.items()), tuple(variables.block.items())


@cache
def _load(
    path: Path,
    mtime: int,
    size: int,
    frozen: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]],
) -> CompiledTemplate:
    variables = Variables(dict(frozen[0]), dict(frozen[1]))
    try:
        package = Package.read(path.read_bytes())
        main = package.main_part()
        if package.element(main).tag != w("document"):
            raise ValueError(main)
    except Exception:
        raise TemplateError(f"{path}: mallen är ingen läsbar Word-fil (.docx)") from None
    try:
        return _compile(path, package, main, variables)
    except TemplateError as err:
        message = str(err)
        raise TemplateError(
            message if message.startswith(str(path)) else f"{path}: {message}"
        ) from None
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, etree.LxmlError):
        raise TemplateError(
            f"{path}: mallen är skadad (en del saknas eller har fel innehåll);"
            " spara om den i Word eller utgå från standardmallen"
        ) from None


def _compile(path: Path, package: Package, main: str, variables: Variables) -> CompiledTemplate:
    problems: list[str] = []
    parts: dict[str, etree._Element] = {}
    slots: dict[str, list[_Slot]] = {}
    for part in [main, *package.related(main, R_HEADER), *package.related(main, R_FOOTER)]:
        root = package.element(part)
        part_slots = _compile_part(part, root, part == main, variables, problems)
        if part_slots:
            parts[part] = root
            slots[part] = part_slots
    if problems:
        raise TemplateError("\n".join(f"{path}: {p}" for p in problems))

    styles = _ensure_styles(package, main)
    numbering_part, bullet, decimal, next_num = _ensure_numbering(package, main)
    footnotes_part = ensure_notes_part(package, main, "footnote")
    _set_language(package, main)
    # Parts we keep parsed must not also be served from the cached bytes.
    for name in list(package.xml):
        if name not in parts and name not in (numbering_part, footnotes_part):
            package.parts[name] = etree.tostring(
                package.xml.pop(name), xml_declaration=True, encoding="UTF-8", standalone=True
            )
    changing = {
        *parts,
        numbering_part,
        footnotes_part,
        "[Content_Types].xml",
        "_rels/.rels",
        rels_name(main),
        "docProps/core.xml",
    }
    package.freeze(set(package.parts) - changing)
    return CompiledTemplate(
        path=path,
        package=package,
        main=main,
        parts=parts,
        slots=slots,
        styles=styles,
        numbering_part=numbering_part,
        bullet_num=bullet,
        decimal_abstract=decimal,
        next_num=next_num,
        footnotes_part=footnotes_part,
        text_width=wml.text_width(package.element(main).find(f"{w('body')}/{w('sectPr')}")),
        landscape_width=wml.text_width(
            package.element(main).find(f"{w('body')}/{w('sectPr')}"), landscape=True
        ),
    )


def _compile_part(
    part: str,
    root: etree._Element,
    is_main: bool,
    variables: Variables,
    problems: list[str],
) -> list[_Slot]:
    slots = []
    for ordinal, p in enumerate(root.iter(wml.P)):
        runs = _text_runs(p)
        texts = [_run_text(r) for r in runs]
        joined = "".join(texts)
        if "{{" not in joined and "{%" not in joined and "{#" not in joined:
            continue
        shown = joined.strip()
        block = _BLOCK.match(joined)
        if block and block[1] in variables.block:
            if not is_main or p.getparent() is None or p.getparent().tag not in (w("body"), wml.TC):  # type: ignore[union-attr]
                problems.append(
                    f"blockvariabeln ”{block[1]}” kan bara stå i dokumentets brödtext eller i en tabellcell"
                )
                continue
            slots.append(_Slot(ordinal, shown, block=block[1]))
            continue
        source, starts = _seamed(texts)
        try:
            parsed = ENV.parse(source)
            unknown = meta.find_undeclared_variables(parsed) - variables.names()
            template = ENV.from_string(parsed)
        except jinja2.TemplateSyntaxError as err:
            problems.append(f"trasig mallkod i stycket ”{shown}”: {_syntax(err)}")
            continue
        for name in sorted(unknown):
            close = _close(name, variables.names())
            problems.append(f"stycket ”{shown}” använder den okända variabeln ”{name}”{close}")
        for output in parsed.find_all(nodes.Output):
            for child in output.nodes:
                if isinstance(child, nodes.Name) and child.name in variables.block:
                    problems.append(
                        f"blockvariabeln ”{child.name}” måste stå ensam i ett eget stycke"
                        f" (stycket ”{shown}”)"
                    )
        slots.append(_Slot(ordinal, shown, inline=_Inline(template, source, starts)))
    return slots


def _names(parsed: nodes.Template) -> set[str]:
    return {n.name for n in parsed.find_all(nodes.Name)}


def _close(name: str, known: set[str]) -> str:
    import difflib

    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; menade du ”{found[0]}”?" if found else ""


def _syntax(err: jinja2.TemplateSyntaxError) -> str:
    message = err.message or ""
    if "unexpected end of template" in message.lower():
        return "en tagg avslutas inte (saknas {% endif %} eller }}?)"
    if "Encountered unknown tag" in message:
        tag = re.search(r"unknown tag '([^']+)'", message)
        return f"okänd tagg ”{tag[1] if tag else '?'}”"
    if "unexpected '}'" in message or "unexpected '%'" in message:
        return "en tagg är felaktigt avslutad"
    return f"mallkoden kan inte tolkas ({message})"


def _seamed(texts: list[str]) -> tuple[str, list[int]]:
    """Join run texts with seams, except where a tag spans runs (those runs merge)."""
    source = _SEAM.join(texts)
    inside: set[int] = set()
    for match in _TAG.finditer(source):
        inside.update(range(match.start(), match.end()))
    kept = []
    starts = [0]
    run = 0
    for index, char in enumerate(source):
        if char == _SEAM:
            run += 1
            if index in inside:
                continue
            starts.append(run)
        kept.append(char)
    return "".join(kept), starts


# -- making any template fit for rendering ---------------------------------------------


def _part_for(package: Package, main: str, rel_type: str) -> str | None:
    found = package.related(main, rel_type)
    return found[0] if found else None


@cache
def _default_template_package() -> Package:
    return Package.read((TEMPLATES / "tjänsteutlåtande.docx").read_bytes())


def _ensure_styles(package: Package, main: str) -> dict[str, str]:
    """Style ids by lower-case name; styles the writer needs and the template lacks are
    copied from the standard template, so a template made from scratch in Word works."""
    name = _part_for(package, main, R_STYLES)
    if name is None:
        raise TemplateError("mallen saknar formatmallar (styles.xml)")
    styles = package.element(name)
    found = style_ids(styles)
    missing = [s for s in USED_STYLES if s not in found]
    if missing and package is not _default_template_package():
        default = _default_template_package().element("word/styles.xml")
        by_name = styles_by_name(default)
        for style_name in missing:
            if style_name in by_name:
                styles.append(copy.deepcopy(by_name[style_name]))
        found = style_ids(styles)
    return found


_BULLETS = ["•", "–", "▪"]


def _ensure_numbering(package: Package, main: str) -> tuple[str, str, str, int]:
    """Add our bullet and decimal list definitions; return (part, bullet numId,
    decimal abstractNumId, highest numId in use)."""
    name = _part_for(package, main, R_NUMBERING)
    if name is None:
        name = "word/numbering.xml"
        package.add_part(name, el("numbering"), CONTENT_TYPES["numbering"])
        package.add_relationship(main, R_NUMBERING, "numbering.xml")
    numbering = package.element(name)
    abstract_ids = [int(a.get(w("abstractNumId"), "0")) for a in numbering.iter(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"), "0")) for n in numbering.iter(w("num"))]
    bullet_abstract = str(max(abstract_ids, default=-1) + 1)
    decimal_abstract = str(int(bullet_abstract) + 1)
    first_num = numbering.find(w("num"))
    for abstract in (
        _abstract(bullet_abstract, lambda lvl: ("bullet", _BULLETS[lvl % 3])),
        _abstract(decimal_abstract, lambda lvl: ("decimal", f"%{lvl + 1}.")),
    ):
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    bullet_num = str(max(num_ids, default=0) + 1)
    num = sub(numbering, "num", numId=bullet_num)
    sub(num, "abstractNumId", val=bullet_abstract)
    return name, bullet_num, decimal_abstract, int(bullet_num)


def _abstract(abstract_id: str, fmt: Callable[[int], tuple[str, str]]) -> etree._Element:
    abstract = el("abstractNum", {"abstractNumId": abstract_id})
    sub(abstract, "multiLevelType", val="hybridMultilevel")
    for level in range(9):
        kind, text = fmt(level)
        lvl = sub(abstract, "lvl", ilvl=str(level))
        sub(lvl, "start", val="1")
        sub(lvl, "numFmt", val=kind)
        sub(lvl, "lvlText", val=text)
        sub(lvl, "lvlJc", val="left")
        ppr = sub(lvl, "pPr")
        sub(ppr, "ind", left=str(360 * (level + 1)), hanging="360")
    return abstract


def _set_language(package: Package, main: str) -> None:
    """The papers are Swedish: sv-SE as the document's default language."""
    name = _part_for(package, main, R_STYLES)
    styles = package.element(name)  # type: ignore[arg-type]
    defaults = styles.find(w("docDefaults"))
    if defaults is None:
        defaults = el("docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = sub(defaults, "rPrDefault")
    rpr = rpr_default.find(wml.RPR)
    if rpr is None:
        rpr = sub(rpr_default, "rPr")
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = sub(rpr, "lang")
    lang.set(VAL, "sv-SE")
