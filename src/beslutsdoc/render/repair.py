"""Making any template fit for rendering: the styles the writer uses (copied from the
standard template when a template made from scratch lacks them), our list
definitions, the notes part, and Swedish as the document language.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from pathlib import Path

from lxml import etree

from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import CONTENT_TYPES, R_NUMBERING, R_STYLES, Package
from beslutsdoc.ooxml.styles import style_ids, styles_by_name
from beslutsdoc.ooxml.wordml import VAL, el, sub, w
from beslutsdoc.problems import TemplateError

#: The standard templates: installed in the package, or templates/ in a source checkout.
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
if not TEMPLATES.is_dir():
    TEMPLATES = Path(__file__).resolve().parents[3] / "templates"

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


def part_for(package: Package, main: str, rel_type: str) -> str | None:
    found = package.related(main, rel_type)
    return found[0] if found else None


@cache
def _default_template_package() -> Package:
    return Package.read((TEMPLATES / "tjänsteutlåtande.docx").read_bytes())


def ensure_styles(package: Package, main: str) -> dict[str, str]:
    """Style ids by lower-case name; styles the writer needs and the template lacks are
    copied from the standard template, so a template made from scratch in Word works."""
    name = part_for(package, main, R_STYLES)
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


def ensure_numbering(package: Package, main: str) -> tuple[str, str, str, int]:
    """Add our bullet and decimal list definitions; return (part, bullet numId,
    decimal abstractNumId, highest numId in use)."""
    name = part_for(package, main, R_NUMBERING)
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


def set_language(package: Package, main: str) -> None:
    """The papers are Swedish: sv-SE as the document's default language."""
    name = part_for(package, main, R_STYLES)
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
