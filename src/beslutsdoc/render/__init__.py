"""Render: a validated paper → a Word document through its template.

Which builder renders which document kind is declared in the registry
(`beslutsdoc.model.registry`); a builder is imported when a paper of its kind is
rendered, not before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.registry import PAPERS, Registry, resolve
from beslutsdoc.problems import InputError

if TYPE_CHECKING:
    from beslutsdoc.ooxml.package import Package
    from beslutsdoc.render.internkontroll import FollowUp
    from beslutsdoc.render.variables import Paper


def builder(kind: str, registry: Registry = PAPERS) -> Paper:
    """The builder of document kind `kind` (a `mallar:` key)."""
    paper: Paper = resolve(registry.documents[kind].builder)
    return paper


def standard_template(kind: str, registry: Registry = PAPERS) -> Path:
    """The template `kind` renders through when the board has none of its own."""
    from beslutsdoc.render.repair import TEMPLATES

    return TEMPLATES / builder(kind, registry).template


def template_path(loaded: Loaded[Any], kind: str, registry: Registry = PAPERS) -> Path:
    """The board's own template for `kind` (profile `mallar:`), else the standard one."""
    mallar = getattr(loaded.model, "mallar", None)
    own = getattr(mallar, kind, None) if mallar else None
    if own:
        source, _ = loaded.source_for(("mallar", kind))
        path = (source.file.parent / str(own)).resolve()
        if not path.is_file():
            raise InputError([loaded.problem(("mallar", kind), f"mallen ”{own}” finns inte")])
        return path
    return standard_template(kind, registry)


def render_document(
    kind: str,
    document: Any,
    template: Path,
    *,
    finish: bool = True,
    registry: Registry = PAPERS,
    public: bool = False,
) -> bytes:
    """`document` (a model, or what a kind renders from) as .docx bytes through
    `template`; `public`: the public copy, every secret part replaced by its ground.
    Raises TemplateError for a broken template."""
    package = document_package(
        kind, document, template, finish=finish, registry=registry, public=public
    )
    return package.to_bytes()


def document_package(
    kind: str,
    document: Any,
    template: Path,
    *,
    finish: bool = True,
    registry: Registry = PAPERS,
    public: bool = False,
) -> Package:
    """`render_document`'s document as a package, not yet written: what a packet merges
    is never zipped and read back."""
    from beslutsdoc.render.properties import set_core_properties
    from beslutsdoc.render.template import load_template

    paper = builder(kind, registry)
    compiled = load_template(template, paper.variables)
    package, _ = compiled.render(
        paper.values(document), paper.blocks(document), finish=finish, public=public
    )
    properties = paper.properties(document)
    if public:  # the metadata names no person in any case: the board is the creator
        properties["title"] = f"{properties['title']} (offentlig version)"
    set_core_properties(package, **properties)
    return package


def follow_up(loaded: Loaded[Any]) -> FollowUp:
    """A follow-up renders read with its plan."""
    from beslutsdoc.render.internkontroll import FollowUp

    return FollowUp(loaded.model, loaded.linked["plan"].model)


def document_of(loaded: Loaded[Any], registry: Registry = PAPERS) -> Any:
    """What a paper renders from: its model, or what its document kind's `source`
    makes of it and the papers it links to."""
    document = registry.of(loaded.model).document
    source = resolve(document.source) if document and document.source else None
    return source(loaded) if source else loaded.model


def render(loaded: Loaded[Any], registry: Registry = PAPERS, *, public: bool = False) -> bytes:
    """A paper as .docx bytes, in its board's template (`public`: its public copy)."""
    return paper_package(loaded, registry, public=public).to_bytes()


def paper_package(
    loaded: Loaded[Any], registry: Registry = PAPERS, *, public: bool = False
) -> Package:
    """`render`'s paper as a package, not yet written (see `document_package`)."""
    paper_type = registry.of(loaded.model)
    document = paper_type.document
    if document is None:
        message = (
            paper_type.rendered_by or f"en handling av typen {paper_type.typ} blir inget dokument"
        )
        raise InputError([loaded.problem(("typ",), message)])
    return document_package(
        document.kind,
        document_of(loaded, registry),
        template_path(loaded, document.kind, registry),
        registry=registry,
        public=public,
    )
