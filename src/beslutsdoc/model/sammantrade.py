"""Sammanträde: a meeting. Before it, the notice and packet; after it, the minutes."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from beslutsdoc.model.beslut import Beslutsgång, Justering
from beslutsdoc.model.common import (
    Datum,
    Handlingsfil,
    JaNej,
    Klockslag,
    LedamotText,
    Markdown,
    Modell,
    Person,
    PositivtHeltal,
    Text,
)
from beslutsdoc.model.profil import Handling


class Beslutande(Modell):
    """A member taking part in the decisions: with a role, or replacing another."""

    description_sv: ClassVar[str] = (
        "En beslutande ledamot: med roll, som ersättare för någon, eller för några paragrafer."
    )

    ledamot: LedamotText = Field(description="Ledamoten: ”Namn (Parti)”.")
    roll: Text | None = Field(
        None, description="Till exempel ”ordförande” eller ”vice ordförande”."
    )
    ersätter: LedamotText | None = Field(None, description="Den ordinarie ledamot som ersätts.")
    från_paragraf: PositivtHeltal | None = Field(
        None, description="Deltog från och med denna paragraf (kom senare): till exempel 3."
    )
    till_paragraf: PositivtHeltal | None = Field(
        None, description="Deltog till och med denna paragraf (gick tidigare): till exempel 7."
    )

    def serves(self, number: int) -> bool:
        """True when the member took part in § `number`."""
        after = self.från_paragraf is None or number >= self.från_paragraf
        return after and (self.till_paragraf is None or number <= self.till_paragraf)


def _member(value: Any) -> Any:
    return {"ledamot": value} if isinstance(value, str) else value


class Närvarande(Modell):
    """Who was at the meeting."""

    description_sv: ClassVar[str] = "Vilka som var med vid sammanträdet."

    beslutande: list[
        Annotated[
            Beslutande, BeforeValidator(_member, json_schema_input_type=LedamotText | Beslutande)
        ]
    ] = Field(
        default_factory=list,
        description="Beslutande ledamöter: ”Namn (Parti)”, eller {ledamot, roll, ersätter}.",
    )
    ersättare: list[LedamotText] = Field(
        default_factory=list,
        description="Närvarande ersättare som inte tjänstgör (den som tjänstgör står bland beslutande med `ersätter`).",
    )
    övriga: list[Text] = Field(
        default_factory=list,
        description="Övriga närvarande, till exempel ”Fredrik Falk, sekreterare”.",
    )

    @field_validator("övriga", mode="before")
    @classmethod
    def _roles_stay_with_names(cls, value: Any) -> Any:
        """`[Fredrik Falk, sekreterare]` is one person with a role, but YAML reads two
        items. A role (all lower case) after a name is that mistake; saying so, rather
        than joining them, keeps what beslutsdoc reads what editors and schemas read."""
        if not isinstance(value, list):
            return value
        for index, (before, item) in enumerate(pairwise(value), start=1):
            role = isinstance(item, str) and item[:1].islower() and item == item.lower()
            if role and isinstance(before, str):
                raise PydanticCustomError(
                    "text",
                    "”{roll}” är skilt från ”{namn}” av kommatecknet i […];"
                    ' sätt hela posten inom citattecken: "{hela}"',
                    {"post": index, "roll": item, "namn": before, "hela": f"{before}, {item}"},
                )
        return value


class Anslag(Modell):
    """The announcement of the checked minutes on the notice board."""

    description_sv: ClassVar[str] = "Anslaget om justeringen på kommunens anslagstavla."

    datum: Datum | None = Field(
        None,
        description="Dagen anslaget sätts upp; senast andra dagen efter justeringen. Annars justeringsdagen.",
    )
    förvaringsplats: Text | None = Field(
        None, description="Var protokollet förvaras; annars förvaltningen."
    )


class Ärende(Beslutsgång):
    """An item on the agenda. Title and Dnr come from its tjänsteutlåtande, if it has one."""

    description_sv: ClassVar[str] = (
        "Ett ärende på föredragningslistan; rubrik och diarienummer hämtas från dess tjänsteutlåtande. Efter sammanträdet också vad som beslutades."
    )

    handlingar: list[Text | Handlingsfil] = Field(
        default_factory=list,
        description="Ärendets handlingar: YAML-filer (tjänsteutlåtande, ...) och bilagor (.pdf,"
        " .docx), relativt sammanträdesfilen; en bilaga med sekretess skrivs {fil, sekretess}.",
    )
    titel: Text | None = Field(None, description="Rubrik för ett ärende utan tjänsteutlåtande.")
    diarienummer: Text | None = Field(
        None, description="Diarienummer för ett ärende utan tjänsteutlåtande."
    )
    information: JaNej = Field(
        False, description="Muntlig information: inget diarienummer, inga handlingar."
    )
    paragraf: PositivtHeltal | None = Field(
        None, description="Paragrafnummer, om det inte ska följa på föregående ärendes."
    )
    sammanfattning: Markdown | None = Field(
        None,
        description="Sammanfattning för protokollet, om den inte kommer från tjänsteutlåtandet.",
    )
    förslag_till_beslut: list[Text] = Field(
        default_factory=list,
        description="Förslag till beslut för ett ärende utan tjänsteutlåtande, till exempel ”Socialnämnden har tagit del av informationen.”.",
    )
    diarienummer_skäl: Text | None = Field(
        None,
        description="Varför ärendet har samma diarienummer som ett tidigare ärende på dagordningen.",
    )


class Sammanträde(Handling):
    """A meeting of the board, with its items; after it, also its minutes."""

    description_sv: ClassVar[str] = (
        "Ett sammanträde med nämnden och dess ärenden: före sammanträdet kallelse och handlingar, efter det protokollet."
    )

    typ: Literal["sammanträde"] = Field(description="Dokumenttypen.")
    kommun: Text = Field(description="Kommunens namn (oftast från profilen).")
    nämnd: Text = Field(description="Nämnden (oftast från profilen).")
    datum: Datum = Field(description="Sammanträdets datum, ÅÅÅÅ-MM-DD.")
    tid: Klockslag = Field(description="Klockslag, till exempel ”18.00”.")
    sluttid: Klockslag | None = Field(
        None, description="När sammanträdet slutade, till exempel ”20.15”."
    )
    plats: Text = Field(description="Var sammanträdet hålls.")
    ordförande: Text = Field(description="Ordförandens namn.")
    sekreterare: Person = Field(description="Sekreteraren: namn, telefon, e-post.")
    ärenden: list[Ärende] = Field(min_length=1, description="Ärendena i föredragningsordning.")
    första_paragraf: PositivtHeltal | None = Field(
        None, description="Första paragrafens nummer i protokollet."
    )
    närvarande: Närvarande | None = Field(None, description="Närvarande vid sammanträdet.")
    justering: Justering | None = Field(None, description="Justerare, justeringens dag och plats.")
    anslag: Anslag | None = Field(None, description="Anslaget om justeringen.")


def paragraph_numbers(meeting: Sammanträde) -> list[int]:
    """The § of each item: from första_paragraf on, or an item's own number, counting on."""
    numbers = []
    next_number = meeting.första_paragraf or 1
    for item in meeting.ärenden:
        number = item.paragraf or next_number
        numbers.append(number)
        next_number = number + 1
    return numbers


def chair(meeting: Sammanträde) -> Beslutande | None:
    """The member chairing: the one with roll: ordförande, else the one named as the
    meeting's ordförande."""
    present = meeting.närvarande.beslutande if meeting.närvarande else []
    for member in present:
        if member.roll and member.roll.strip().lower() == "ordförande":
            return member
    for member in present:
        if member.ledamot.namn == meeting.ordförande.strip():
            return member
    return None
