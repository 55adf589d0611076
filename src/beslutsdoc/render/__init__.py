"""Render: a validated paper → a Word document through its template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beslutsdoc.load.paper import Loaded
from beslutsdoc.render.properties import set_core_properties
from beslutsdoc.render.protokoll import UTDRAG
from beslutsdoc.render.template import TEMPLATES, load_template
from beslutsdoc.render.tjansteutlatande import PAPER as TJÄNSTEUTLÅTANDE
from beslutsdoc.render.variables import Paper

PAPERS: dict[str, Paper] = {"tjänsteutlåtande": TJÄNSTEUTLÅTANDE, "protokollsutdrag": UTDRAG}


def template_path(loaded: Loaded[Any], kind: str) -> Path:
    """The board's own template for `kind` (profile `mallar:`), else the standard one."""
    mallar = getattr(loaded.model, "mallar", None)
    own = getattr(mallar, kind, None) if mallar else None
    if own:
        source, _ = loaded.source_for(("mallar", kind))
        return (source.file.parent / str(own)).resolve()
    return TEMPLATES / PAPERS[kind].template


def render(loaded: Loaded[Any]) -> bytes:
    """The paper as .docx bytes. Raises TemplateError for a broken template."""
    kind = loaded.model.typ
    paper = PAPERS[kind]
    template = load_template(template_path(loaded, kind), paper.variables)
    package, _ = template.render(paper.values(loaded.model), paper.blocks(loaded.model))
    set_core_properties(package, **paper.properties(loaded.model))
    return package.to_bytes()
