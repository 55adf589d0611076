"""What a paper type gives its templates, derived from its model."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from beslutsdoc.document.builder import Content
from beslutsdoc.document.text import NBSP, keep_legal_together
from beslutsdoc.model.profil import Kontakt
from beslutsdoc.render.template import Variables


@dataclass(frozen=True)
class Paper:
    """How one paper type renders: its model, standard template and variables."""

    model: type[BaseModel]
    template: str
    variables: Variables
    values: Callable[[Any], dict[str, Any]]
    blocks: Callable[[Any], Mapping[str, Content]]
    properties: Callable[[Any], dict[str, Any]]


#: Variables every paper type has besides its model's fields.
COMMON = {"kontaktrad": "Kontaktuppgifterna på en rad, åtskilda med ” · ”."}


def field_variables(
    model: type[BaseModel], blocks: Mapping[str, str], derived: Mapping[str, str]
) -> Variables:
    """Every model field is a variable (its description from the model); block fields,
    the common ones and derived values as given."""
    inline = {
        name: info.description or ""
        for name, info in model.model_fields.items()
        if name not in blocks
    }
    inline.update(COMMON)
    inline.update(derived)
    return Variables(inline=inline, block=dict(blocks))


def model_values(model: Any) -> dict[str, Any]:
    """A model's fields as template values, with the common ones."""
    out: dict[str, Any] = {name: getattr(model, name) for name in type(model).model_fields}
    out["kontaktrad"] = contact_line(getattr(model, "kontakt", None))
    return out


def contact_line(kontakt: Kontakt | None) -> str:
    if kontakt is None:
        return ""
    parts = [
        kontakt.postadress,
        f"Besöksadress: {kontakt.besöksadress}" if kontakt.besöksadress else None,
        f"Telefon: {kontakt.telefon}" if kontakt.telefon else None,
        kontakt.epost,
        f"Org.nr: {kontakt.organisationsnummer}" if kontakt.organisationsnummer else None,
        f"Bankgiro: {kontakt.bankgiro}" if kontakt.bankgiro else None,
        kontakt.webb,
    ]
    # Each fact stays on one line (”Org.nr: 212000-2882”); the line breaks between them,
    # never before the dot.
    return "\u00a0· ".join(keep_legal_together(p).replace(" ", NBSP) for p in parts if p)
