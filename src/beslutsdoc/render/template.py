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
import difflib
import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from lxml import etree

from beslutsdoc.document.builder import Content, blocks_of
from beslutsdoc.document.public import public_copy
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.notes import ensure_notes_part
from beslutsdoc.ooxml.package import R_FOOTER, R_HEADER, Package, rels_name
from beslutsdoc.ooxml.wordml import el, w
from beslutsdoc.problems import TemplateError
from beslutsdoc.render.layout import apply_orientation, build_contents
from beslutsdoc.render.repair import ensure_numbering, ensure_styles, set_language
from beslutsdoc.render.runs import only_text, put_text, remove_empty, run_text, seamed, text_runs
from beslutsdoc.render.sandbox import (
    ENV,
    SEAM,
    TEXT_LIMIT,
    TemplateLimit,
    plain,
    swedish,
    syntax,
    time_limit,
)
from beslutsdoc.render.word import Resources, Writer

_BLOCK = re.compile(r"^\s*\{\{\s*(\w+)\s*\}\}\s*$")


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
    #: The variables the slot's template code reads.
    names: frozenset[str] = frozenset()


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
    #: The variables any of the template's inline code reads.
    used: frozenset[str] = frozenset()

    def render(
        self,
        values: Mapping[str, Any],
        blocks: Mapping[str, Content],
        *,
        finish: bool = True,
        public: bool = False,
    ) -> tuple[Package, Resources]:
        """Fill a copy of the template. The caller finishes the package and writes it.
        Without `finish`, the table of contents and sections are left for whoever
        composes this document with others."""
        package = self.package.copy()
        numbering = self.package.fresh_element(self.numbering_part)
        package.set_element(self.numbering_part, numbering)
        footnotes = self.package.fresh_element(self.footnotes_part)
        package.set_element(self.footnotes_part, footnotes)
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
        # Only what the template reads is made template data: an item's page reads the
        # meeting's date, not its every item, and a packet renders one page per item.
        used = self.used
        context: dict[str, Any] = {
            k: plain(v) for k, v in values.items() if k in used and k not in blocks
        }
        # A block's name also works in an inline test: `{% if ersättare %}`.
        context.update({k: _shown(v, public) for k, v in blocks.items() if k in used})
        try:
            with time_limit():
                for name, original in self.parts.items():
                    root = copy.deepcopy(original)
                    package.set_element(name, root)
                    self._fill(name, root, context, blocks, resources, public)
        except TemplateLimit as err:
            raise TemplateError(f"{self.path}: {err}") from None
        for name in self.parts:
            if name == self.main and finish:
                body = package.element(name).find(w("body"))
                assert body is not None
                build_contents(body, resources)
                apply_orientation(body, resources)
        return package, resources

    def _fill(
        self,
        part: str,
        root: etree._Element,
        values: Mapping[str, Any],
        blocks: Mapping[str, Content],
        resources: Resources,
        public: bool,
    ) -> None:
        paragraphs = list(root.iter(wml.P))
        emptied: list[etree._Element] = []
        for slot in self.slots[part]:
            p = paragraphs[slot.ordinal]
            if slot.block is not None:
                _replace_with_block(p, blocks.get(slot.block), resources, public)
                continue
            assert slot.inline is not None
            try:
                text = slot.inline.template.render(values)
                if len(text) > TEXT_LIMIT:
                    raise TemplateLimit("mallkoden gör för lång text")
            except TemplateLimit as err:
                raise TemplateError(
                    f"{self.path}: stycket ”{slot.text}” kan inte fyllas i: {err}"
                ) from None
            except jinja2.TemplateError as err:
                raise TemplateError(
                    f"{self.path}: stycket ”{slot.text}” kan inte fyllas i: {swedish(str(err.message or err), slot.text)}"
                ) from None
            except Exception as err:  # a filter given a value it cannot format
                # Our filters say it in Swedish (ValueError); anything else is explained.
                why = str(err) if isinstance(err, ValueError) else swedish(str(err), slot.text)
                raise TemplateError(
                    f"{self.path}: stycket ”{slot.text}” kan inte fyllas i: {why}"
                ) from None
            put_text(p, text, slot.inline.runs)
            if not text.replace(SEAM, "").strip() and only_text(p):
                emptied.append(p)
        remove_empty(emptied)


def _shown(content: Content, public: bool) -> bool:
    """Whether a block variable has anything to show (`{% if sammanfattning %}`): in a
    public copy, a part left out without a line of its own has nothing."""
    if not public or not content:
        return bool(content)
    return bool(public_copy(blocks_of(content)))


def _replace_with_block(
    p: etree._Element, content: Content | None, res: Resources, public: bool
) -> None:
    parent = p.getparent()
    assert parent is not None
    blocks = blocks_of(content) if content else ()
    if public:
        blocks = public_copy(blocks)
    elements = Writer(res, p.find(wml.PPR)).write(blocks)
    index = parent.index(p)
    for offset, element in enumerate(elements):
        parent.insert(index + offset, element)
    parent.remove(p)
    if parent.tag == wml.TC and parent.find(wml.P) is None and parent.find(wml.TBL) is None:
        parent.append(el("p"))


def _max_footnote_id(footnotes: etree._Element) -> int:
    return max((int(n.get(w("id"), "0")) for n in footnotes), default=0)


# -- compiling ------------------------------------------------------------------------


#: A template file larger than this is refused: real templates are well under 5 MB.
TEMPLATE_LIMIT = 50_000_000
#: Compiled templates kept, keyed by content: a run renders many papers of few templates.
_CACHE: OrderedDict[tuple[Path, str, tuple[Any, ...]], CompiledTemplate] = OrderedDict()
_CACHE_SIZE = 16


def load_template(path: Path, variables: Variables) -> CompiledTemplate:
    """The template at `path`, compiled once per content."""
    data = _read(path)
    key = (path.resolve(), hashlib.sha256(data).hexdigest(), _frozen(variables))
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    compiled = _load(key[0], data, variables)
    _CACHE[key] = compiled
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return compiled


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():  # a folder, a FIFO or a device is no template
            raise TemplateError(f"{path}: mallen finns inte eller är ingen vanlig fil")
        if path.stat().st_size > TEMPLATE_LIMIT:
            raise TemplateError(
                f"{path}: mallen är för stor (över {TEMPLATE_LIMIT // 1_000_000} MB)"
            )
        return path.read_bytes()
    except OSError as err:
        raise TemplateError(f"{path}: mallen kan inte läsas ({err.strerror})") from None


def _frozen(variables: Variables) -> tuple[Any, ...]:
    return tuple(variables.inline.items()), tuple(variables.block.items())


def _load(path: Path, data: bytes, variables: Variables) -> CompiledTemplate:
    try:
        package = Package.read(data)
        main = package.main_part()
        if package.element(main).tag != w("document"):
            raise ValueError(main)
    except TemplateError:
        raise
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

    styles = ensure_styles(package, main)
    numbering_part, bullet, decimal, next_num = ensure_numbering(package, main)
    footnotes_part = ensure_notes_part(package, main, "footnote")
    set_language(package, main)
    # Parts we keep parsed must not also be served from the cached bytes.
    package.settle(keep={*parts, numbering_part, footnotes_part})
    changing = {
        *parts,
        numbering_part,
        footnotes_part,
        "[Content_Types].xml",
        "_rels/.rels",
        rels_name(main),
        "docProps/core.xml",
    }
    package.freeze(set(package.names()) - changing)
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
        used=frozenset().union(*(s.names for part in slots.values() for s in part)),
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
        runs = text_runs(p)
        texts = [run_text(r) for r in runs]
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
        source, starts = seamed(texts)
        try:
            parsed = ENV.parse(source)
            unknown = set(meta.find_undeclared_variables(parsed)) - variables.names()
            template = ENV.from_string(parsed)
        except jinja2.TemplateSyntaxError as err:
            problems.append(f"trasig mallkod i stycket ”{shown}”: {syntax(err)}")
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
        used = frozenset(meta.find_undeclared_variables(parsed))
        slots.append(_Slot(ordinal, shown, inline=_Inline(template, source, starts), names=used))
    return slots


def _names(parsed: nodes.Template) -> set[str]:
    return {n.name for n in parsed.find_all(nodes.Name)}


def _close(name: str, known: set[str]) -> str:

    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; menade du ”{found[0]}”?" if found else ""
