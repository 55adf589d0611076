"""Protokollsutdrag: one paragraph of the minutes, as sent to those it concerns."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from beslutsdoc.model.beslut import Justering, Paragraf, Utdragsbestyrkande
from beslutsdoc.model.common import Datum, Text
from beslutsdoc.model.profil import Handling


class Protokollsutdrag(Handling, Paragraf):
    """An extract of the minutes: one §, its decision record, justering and certification."""

    description_sv: ClassVar[str] = (
        "Ett protokollsutdrag: en paragraf med beslutsgång, justering och utdragsbestyrkande."
    )

    typ: Literal["protokollsutdrag"] = Field(description="Dokumenttypen.")
    kommun: Text = Field(description="Kommunens namn (oftast från profilen).")
    nämnd: Text = Field(description="Nämnden (oftast från profilen).")
    sammanträde: Datum = Field(description="Sammanträdets datum, ÅÅÅÅ-MM-DD.")
    justering: Justering = Field(description="Justerare och justeringsdag.")
    utdragsbestyrkande: Utdragsbestyrkande | None = Field(
        None, description="Vem som bestyrker utdraget, och när."
    )
