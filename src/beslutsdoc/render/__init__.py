"""Render: a validated paper → a Word document through its template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beslutsdoc.model.loaded import Loaded
from beslutsdoc.problems import InputError
from beslutsdoc.render.internkontroll import FOLLOW_UP, PLAN, FollowUp
from beslutsdoc.render.kallelse import HANDLINGAR, KALLELSE, ÄRENDE
from beslutsdoc.render.properties import set_core_properties
from beslutsdoc.render.protokoll import PROTOKOLL, UTDRAG
from beslutsdoc.render.template import TEMPLATES, load_template
from beslutsdoc.render.tjansteutlatande import PAPER as TJÄNSTEUTLÅTANDE
from beslutsdoc.render.variables import Paper

#: How each kind of document renders, by its template kind (`mallar:` key).
PAPERS: dict[str, Paper] = {
    "tjänsteutlåtande": TJÄNSTEUTLÅTANDE,
    "protokollsutdrag": UTDRAG,
    "protokoll": PROTOKOLL,
    "internkontrollplan": PLAN,
    "internkontrolluppföljning": FOLLOW_UP,
    "kallelse": KALLELSE,
    "ärende": ÄRENDE,
    "handlingar": HANDLINGAR,
}


def template_path(loaded: Loaded[Any], kind: str) -> Path:
    """The board's own template for `kind` (profile `mallar:`), else the standard one."""
    mallar = getattr(loaded.model, "mallar", None)
    own = getattr(mallar, kind, None) if mallar else None
    if own:
        source, _ = loaded.source_for(("mallar", kind))
        path = (source.file.parent / str(own)).resolve()
        if not path.is_file():
            raise InputError([loaded.problem(("mallar", kind), f"mallen ”{own}” finns inte")])
        return path
    return TEMPLATES / PAPERS[kind].template


def render_document(kind: str, document: Any, template: Path, *, finish: bool = True) -> bytes:
    """`document` (a model, or what a kind renders from) as .docx bytes through
    `template`. Raises TemplateError for a broken template."""
    paper = PAPERS[kind]
    compiled = load_template(template, paper.variables)
    package, _ = compiled.render(paper.values(document), paper.blocks(document), finish=finish)
    set_core_properties(package, **paper.properties(document))
    return package.to_bytes()


def document_of(loaded: Loaded[Any]) -> Any:
    """What a paper renders from: its model, with the papers it links to."""
    if loaded.model.typ == "internkontrolluppföljning":
        return FollowUp(loaded.model, loaded.linked["plan"].model)
    return loaded.model


def render(loaded: Loaded[Any]) -> bytes:
    """A paper as .docx bytes, in its board's template."""
    kind = loaded.model.typ
    if kind not in PAPERS:
        raise InputError(
            [
                loaded.problem(
                    ("typ",),
                    "ett sammanträde blir protokoll med ”beslutsdoc protokoll”"
                    " och kallelse och handlingar med ”beslutsdoc packet”",
                )
            ]
        )
    return render_document(kind, document_of(loaded), template_path(loaded, kind))
