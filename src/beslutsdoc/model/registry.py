"""The paper types: each declared once, here, and every stage derived from it.

A paper type names its model, its checks, the documents it renders as (each with its
own template and builder), the papers it links to and the label users read. The
loader, the checks, the renderers, the profile's `mallar:`, the JSON Schemas, the
template variables' page and the standard templates all read this table.

The declaration sits at the bottom layer, so every stage may read it, and names the
callables of the stages above as `"module:attribute"` (as entry points do); a stage
resolves only the names that are its own (the checks theirs, the renderers theirs), so
nothing imports upwards, and nothing is imported before it is used.
`tests/test_registry.py` resolves every name, so a misspelt or forgotten one fails there.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

#: A callable or object of another stage, as `"package.module:attribute"`, or the
#: object itself (a test's own paper type).
Ref = Any


def resolve(ref: Ref) -> Any:
    """The object `ref` names (imported now, on first use), or `ref` itself."""
    if not isinstance(ref, str):
        return ref
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class Document:
    """A kind of Word document with its own template: a `mallar:` key in the profile."""

    kind: str
    #: What the `mallar:` key is for, in Swedish (the profile schema shows it).
    description: str
    #: The render stage's builder (a `beslutsdoc.render.variables.Paper`): standard
    #: template, template variables and what the variables are filled with.
    builder: Ref
    #: The render stage's `(Loaded) -> what the builder renders from`, when that is
    #: not the paper's model alone (a follow-up is read with its plan).
    source: Ref = None

    @property
    def paper(self) -> Any:
        return resolve(self.builder)


@dataclass(frozen=True)
class PaperType:
    """One `typ:` of input file."""

    typ: str
    #: How documents name it, in Swedish: ”Tjänsteutlåtande”.
    label: str
    model: Ref
    #: The check stage's rules for it: `(Loaded) -> list[Problem]`.
    checks: Ref
    #: The documents it renders as; `render` makes the first.
    documents: tuple[Document, ...] = ()
    #: A key whose value is the path of another paper, loaded with it → that paper's typ.
    links: Mapping[str, str] = field(default_factory=dict)
    #: When `render` makes nothing of it: what to do instead (Swedish).
    rendered_by: str | None = None
    #: The JSON Schema's file name, without `.schema.json`.
    schema: str = ""

    @property
    def schema_name(self) -> str:
        return self.schema or self.typ

    @property
    def model_class(self) -> Any:
        return resolve(self.model)

    @property
    def document(self) -> Document | None:
        """What `render` makes of a paper of this type, if anything."""
        return None if self.rendered_by else (self.documents[0] if self.documents else None)


class Registry:
    """Paper types by their `typ:` value, and their documents by template kind."""

    def __init__(self, types: Iterable[PaperType]) -> None:
        self.types: dict[str, PaperType] = {}
        for paper_type in types:
            if paper_type.typ in self.types:
                raise ValueError(f"paper type {paper_type.typ!r} is declared twice")
            self.types[paper_type.typ] = paper_type
        self.documents: dict[str, Document] = {}
        for paper_type in self.types.values():
            for document in paper_type.documents:
                known = self.documents.setdefault(document.kind, document)
                if known is not document:
                    raise ValueError(f"document kind {document.kind!r} is declared twice")

    def __iter__(self) -> Iterator[PaperType]:
        return iter(self.types.values())

    def __getitem__(self, typ: str) -> PaperType:
        return self.types[typ]

    def get(self, typ: object) -> PaperType | None:
        return self.types.get(typ) if isinstance(typ, str) else None

    def of(self, model: Any) -> PaperType:
        """The type of a validated paper."""
        return self.types[model.typ]

    def with_types(self, *types: PaperType) -> Registry:
        """This registry and `types` (a tool's own paper types)."""
        return Registry([*self.types.values(), *types])

    @cached_property
    def models(self) -> dict[str, Any]:
        return {t.typ: t.model_class for t in self}


_UTDRAG = Document(
    "protokollsutdrag",
    "Mall för protokollsutdrag (.docx).",
    "beslutsdoc.render.protokoll:UTDRAG",
)

#: Every paper type beslutsdoc knows.
PAPERS = Registry(
    [
        PaperType(
            "tjänsteutlåtande",
            "Tjänsteutlåtande",
            "beslutsdoc.model.tjansteutlatande:Tjänsteutlåtande",
            "beslutsdoc.check.rules:check_tjänsteutlåtande",
            documents=(
                Document(
                    "tjänsteutlåtande",
                    "Mall för tjänsteutlåtanden (.docx).",
                    "beslutsdoc.render.tjansteutlatande:PAPER",
                ),
            ),
        ),
        PaperType(
            "protokollsutdrag",
            "Protokollsutdrag",
            "beslutsdoc.model.protokollsutdrag:Protokollsutdrag",
            "beslutsdoc.check.protokoll:check_protokollsutdrag",
            documents=(_UTDRAG,),
        ),
        PaperType(
            "sammanträde",
            "Sammanträde",
            "beslutsdoc.model.sammantrade:Sammanträde",
            "beslutsdoc.check.protokoll:check_sammanträde",
            documents=(
                Document(
                    "protokoll",
                    "Mall för protokoll (.docx).",
                    "beslutsdoc.render.protokoll:PROTOKOLL",
                ),
                _UTDRAG,
                Document(
                    "kallelse",
                    "Mall för kallelser (.docx).",
                    "beslutsdoc.render.kallelse:KALLELSE",
                ),
                Document(
                    "ärende",
                    "Mall för ärendesidorna i handlingarna (.docx).",
                    "beslutsdoc.render.kallelse:ÄRENDE",
                ),
                Document(
                    "handlingar",
                    "Mall för handlingarna: sidhuvud, sidfot och innehållsförteckning (.docx).",
                    "beslutsdoc.render.kallelse:HANDLINGAR",
                ),
            ),
            rendered_by="ett sammanträde blir protokoll med ”beslutsdoc protokoll”"
            " och kallelse och handlingar med ”beslutsdoc packet”",
        ),
        PaperType(
            "internkontrollplan",
            "Internkontrollplan",
            "beslutsdoc.model.internkontroll:Internkontrollplan",
            "beslutsdoc.check.internkontroll:check_internkontrollplan",
            documents=(
                Document(
                    "internkontrollplan",
                    "Mall för internkontrollplaner (.docx).",
                    "beslutsdoc.render.internkontroll:PLAN",
                ),
            ),
        ),
        PaperType(
            "internkontrolluppföljning",
            "Uppföljning av internkontrollplan",
            "beslutsdoc.model.internkontroll:Internkontrolluppföljning",
            "beslutsdoc.check.internkontroll:check_internkontrolluppföljning",
            documents=(
                Document(
                    "internkontrolluppföljning",
                    "Mall för uppföljningar av internkontrollplaner (.docx).",
                    "beslutsdoc.render.internkontroll:FOLLOW_UP",
                    source="beslutsdoc.render:follow_up",
                ),
            ),
            links={"plan": "internkontrollplan"},
        ),
    ]
)
