"""What a board decided on one matter, and how: the record kommunallagen asks for.

Used by a protokollsutdrag, by each paragraph of a protocol, and by a meeting's items
after the meeting.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from beslutsdoc.model.common import (
    Datum,
    JaNej,
    LedamotText,
    Markdown,
    Modell,
    PositivtHeltal,
    Text,
)


class Yrkande(Modell):
    """A proposal: bifall to a proposal, own att-satser, or free text."""

    av: list[LedamotText] = Field(min_length=1, description="Vilka som yrkade: ”Namn (Parti)”.")
    bifall_till: Text | None = Field(
        None,
        description="Förslaget som yrkandet bifaller, till exempel ”förvaltningens förslag till beslut”.",
    )
    att_satser: list[Text] = Field(
        default_factory=list, description="Egna att-satser, i ordning (”att ...”)."
    )
    motivering: Markdown | None = Field(
        None, description="Skriftlig motivering efter att-satserna."
    )
    text: Markdown | None = Field(
        None, description="Yrkandet med egna ord, i stället för bifall_till eller att_satser."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Yrkande:
        kinds = [bool(self.bifall_till), bool(self.att_satser), bool(self.text)]
        if sum(kinds) != 1:
            raise PydanticCustomError(
                "regel",
                "ett yrkande har antingen bifall_till, att_satser eller text (precis en av dem)",
            )
        return self


class Omröstning(Modell):
    """A vote: who voted ja, nej, or abstained, and what ja and nej meant."""

    ja_innebär: Text = Field(description="Vad ja betyder, till exempel ”förvaltningens förslag”.")
    nej_innebär: Text = Field(description="Vad nej betyder, till exempel ”C, L och M:s yrkande”.")
    ja: list[LedamotText] = Field(default_factory=list, description="De som röstade ja.")
    nej: list[LedamotText] = Field(default_factory=list, description="De som röstade nej.")
    avstår: list[LedamotText] = Field(default_factory=list, description="De som avstod.")
    resultat: Literal["ja", "nej"] | None = Field(
        None, description="Utfallet om det skrivs ut; måste stämma med rösterna."
    )


class Reservation(Modell):
    """Members who reserved themselves against the decision."""

    av: list[LedamotText] = Field(min_length=1, description="Vilka som reserverade sig.")
    till_förmån_för: Text | None = Field(
        None, description="Till förmån för vad, till exempel ”det egna yrkandet”."
    )
    text: Markdown | None = Field(
        None, description="En skriftlig reservation, som bilaga till paragrafen."
    )


class Anteckning(Modell):
    """A protokollsanteckning or särskilt uttalande."""

    av: list[LedamotText] = Field(default_factory=list, description="Vilka som står bakom den.")
    text: Markdown = Field(description="Anteckningens text.")


class Justering(Modell):
    """Who checks the minutes, when and where."""

    justerare: list[LedamotText] = Field(
        min_length=1, description="De som justerar: ”Namn (Parti)”."
    )
    datum: Datum = Field(description="Justeringsdag, ÅÅÅÅ-MM-DD.")
    plats: Text | None = Field(None, description="Var justeringen sker.")


class Utdragsbestyrkande(Modell):
    """The secretary's certification that an extract is true to the minutes."""

    namn: Text = Field(description="Den som bestyrker utdraget.")
    datum: Datum = Field(description="Datum för bestyrkandet, ÅÅÅÅ-MM-DD.")
    titel: Text | None = Field(None, description="Till exempel ”nämndsekreterare”.")


class Ärenderad(Modell):
    """One case in a list: its text, and its Dnr and date if it has them."""

    ärende: Text = Field(description="Ärendet, till exempel ”Padrino Café AB, Carte Blanchen”.")
    diarienummer: Text | None = Field(None, description="Ärendets diarienummer, som det står.")
    datum: Datum | None = Field(None, description="Beslutets datum, ÅÅÅÅ-MM-DD.")
    sekretess: JaNej = Field(
        False, description="Hör till sekretessdelen: listas under ”I sekretessdelen”."
    )


class Delegationsbeslut(Modell):
    """Decisions one delegat made of one kind, reported to the board."""

    delegat: Text = Field(description="Vem som beslutade, till exempel ”Socialdirektör”.")
    slag: Text | None = Field(
        None, description="Slag av beslut, till exempel ”Beslut om serveringstillstånd”."
    )
    beslut: list[Ärenderad] = Field(min_length=1, description="Ett ärende per rad.")


class Beslutsgång(Modell):
    """The decision record: decision points, proposals, order, vote, reservations."""

    beslut: list[Text] = Field(
        default_factory=list, description="Beslutspunkterna: det nämnden beslutade."
    )
    yrkanden: list[Yrkande] = Field(default_factory=list, description="Yrkanden, i ordning.")
    propositionsordning: Text | None = Field(
        None,
        description="Propositionsordningen med egna ord; annars skrivs den av beslutat_enligt.",
    )
    beslutat_enligt: Text | None = Field(
        None,
        description="Förslaget nämnden beslutade enligt, till exempel ”förvaltningens förslag”; ger propositionsordningens mening.",
    )
    omröstning: Omröstning | None = Field(None, description="Omröstning, när en begärdes.")
    reservationer: list[Reservation] = Field(default_factory=list, description="Reservationer.")
    protokollsanteckningar: list[Anteckning] = Field(
        default_factory=list, description="Protokollsanteckningar."
    )
    särskilda_uttalanden: list[Anteckning] = Field(
        default_factory=list, description="Särskilda uttalanden."
    )
    omedelbart_justerad: JaNej = Field(
        False, description="Paragrafen justerades omedelbart, vid sammanträdet."
    )
    jäv: list[LedamotText] = Field(
        default_factory=list, description="Ledamöter som på grund av jäv inte deltog i ärendet."
    )
    expedieras_till: list[Text] = Field(default_factory=list, description="Dit beslutet skickas.")
    delegationsbeslut: list[Delegationsbeslut] = Field(
        default_factory=list,
        description="Anmälda delegationsbeslut, per delegat och slag av beslut.",
    )
    anmälningsärenden: list[Ärenderad] = Field(
        default_factory=list,
        description="Anmälningsärenden; de med sekretess: true listas under ”I sekretessdelen”.",
    )


class Paragraf(Beslutsgång):
    """One paragraph (§) of the minutes: the matter and its decision record."""

    paragraf: PositivtHeltal = Field(description="Paragrafnumret (§).")
    beslut: list[Text] = Field(min_length=1, description="Beslutspunkterna: det nämnden beslutade.")
    titel: Text = Field(description="Ärendets rubrik.")
    undertitel: Text | None = Field(None, description="Underrubrik.")
    diarienummer: Text | None = Field(None, description="Ärendets diarienummer.")
    sammanfattning: Markdown | None = Field(None, description="Sammanfattning av ärendet.")
    handlingar: list[Text] = Field(
        default_factory=list,
        description="Handlingar i ärendet, till exempel ”SOF 2023/553-1 Tjänsteutlåtande”.",
    )
    ordförande: LedamotText | None = Field(
        None, description="Ordföranden, vars röst avgör vid lika röstetal: ”Namn (Parti)”."
    )
    information: JaNej = Field(False, description="Ett informationsärende utan beslut i sak.")


def vote_winner(vote: Omröstning, chair: str | None) -> Literal["ja", "nej"] | None:
    """Which side won: the majority, or on a tie the side the chair voted for
    (ordförandens utslagsröst). None when a tie has no chair who voted."""
    ja, nej = len(vote.ja), len(vote.nej)
    if ja != nej:
        return "ja" if ja > nej else "nej"
    if chair is None:
        return None
    if any(member.namn == chair for member in vote.ja):
        return "ja"
    if any(member.namn == chair for member in vote.nej):
        return "nej"
    return None
