"""Tjänsteutlåtande: the officials' report and proposal on one matter."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from beslutsdoc.model.common import (
    Avsnitt,
    Bilaga,
    Datum,
    Markdown,
    Person,
    Sekretess,
    Text,
    Underskrift,
)
from beslutsdoc.model.profil import Handling


class Tjänsteutlåtande(Handling):
    """A tjänsteutlåtande (tjänsteskrivelse). Profile keys may stand here too and win."""

    description_sv: ClassVar[str] = (
        "Ett tjänsteutlåtande (tjänsteskrivelse): förvaltningens utredning och förslag i ett ärende."
    )

    typ: Literal["tjänsteutlåtande"] = Field(description="Dokumenttypen.")
    kommun: Text = Field(
        description="Kommunens namn (oftast från profilen).",
    )
    nämnd: Text = Field(
        description="Nämnden som ärendet går till (oftast från profilen).",
    )
    diarienummer: Text = Field(
        description="Ärendets diarienummer, till exempel ”SOF 2023/553”; följer profilens mönster."
    )
    datum: Datum = Field(description="Tjänsteutlåtandets datum, ÅÅÅÅ-MM-DD.")
    sammanträde: Datum | None = Field(
        None, description="Datum för sammanträdet som ärendet går till, ÅÅÅÅ-MM-DD."
    )
    avdelning: Text | None = Field(None, description="Avdelningen inom förvaltningen.")
    sekretess: Sekretess | None = Field(
        None,
        description="Hela handlingen omfattas av sekretess: lagrummet, till exempel ”26 kap. 1 §"
        " OSL”. Den offentliga versionen behåller etikett, diarienummer, datum och rubrik och"
        " visar lagrummet i stället för innehållet.",
    )
    handläggare: Person = Field(description="Handläggaren: namn, titel, telefon, e-post.")
    titel: Text = Field(description="Ärendets rubrik.")
    undertitel: Text | None = Field(
        None, description="Underrubrik, till exempel ”Redovisning av budgetuppdrag 2023”."
    )
    förslag_till_beslut: list[Text] = Field(
        min_length=1, description="Beslutspunkterna, formulerade som det nämnden beslutar."
    )
    sammanfattning: Markdown | None = Field(None, description="Sammanfattning av ärendet.")
    avsnitt: list[Avsnitt] = Field(
        default_factory=list, description="Övriga avsnitt i ordning: Bakgrund, Ärendet, ..."
    )
    underskrifter: list[Underskrift] = Field(
        default_factory=list, description="Noll till tre som undertecknar, i ordning."
    )
    bilagor: list[Bilaga] = Field(default_factory=list, description="Bilagor, med titel och fil.")
    expedieras_till: list[Text] = Field(default_factory=list, description="Dit beslutet skickas.")
