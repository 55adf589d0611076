"""Internkontrollplan: the board's yearly risk analysis, controls and activities
(kommunallagen 6 kap. 6 §), and its follow-up."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from beslutsdoc.model.common import Datum, JaNej, Markdown, Modell, PositivtHeltal, Text
from beslutsdoc.model.profil import Handling, Skalor


class Motivering(Modell):
    """Why the risk was rated so: ”Sannolikheten bedöms som ... eftersom ...”."""

    description_sv: ClassVar[str] = (
        "Varför risken bedömdes så: ”Sannolikheten bedöms som … eftersom …”."
    )

    sannolikhet: Text = Field(description="Skälet för sannolikheten, det som följer på ”eftersom”.")
    konsekvens: Text = Field(description="Skälet för konsekvensen, det som följer på ”eftersom”.")


class Risk(Modell):
    """One risk in the net list."""

    description_sv: ClassVar[str] = (
        "En risk i nettolistan, med sannolikhet och konsekvens på nämndens skalor."
    )

    id: Text = Field(
        description="Riskens id, till exempel ”R1”; kontroller och aktiviteter hänvisar till det."
    )
    område: Text = Field(
        description="Området risken hör till, till exempel ”Kommunens organisation”."
    )
    risk: Text = Field(description="Risken med egna ord.")
    sannolikhet: PositivtHeltal = Field(description="Nivå på sannolikhetsskalan.")
    konsekvens: PositivtHeltal = Field(description="Nivå på konsekvensskalan.")
    riskvärde: PositivtHeltal | None = Field(
        None, description="Räknas ut (sannolikhet × konsekvens); skrivs det ut måste det stämma."
    )
    motivering: Motivering | None = Field(None, description="Motiveringen i två delar.")
    kommunövergripande: JaNej = Field(False, description="Risken gäller hela kommunen.")
    utan_kontroll: Text | None = Field(
        None,
        description="Varför en risk över tröskeln ändå inte får någon kontroll i år.",
    )

    @property
    def value(self) -> int:
        return self.sannolikhet * self.konsekvens


class Kontroll(Modell):
    """A planned control of a risk."""

    description_sv: ClassVar[str] = "En planerad kontroll av en risk."

    id: Text | None = Field(
        None, description="Kontrollens id, till exempel ”K1”; annars K och ordningsnumret."
    )
    risk: Text = Field(description="Id för risken som kontrolleras.")
    kontroll: Text = Field(description="Vad som kontrolleras.")
    beskrivning: Markdown | None = Field(None, description="Metod, urval och frekvens.")
    frekvens: Text | None = Field(
        None, description="Hur ofta, till exempel ”Två gånger per år (mars och september)”."
    )
    ansvarig: Text | None = Field(None, description="Kontrollansvarig.")
    rapporteras_till: Text | None = Field(None, description="Vem resultatet rapporteras till.")


class Aktivitet(Modell):
    """A planned activity to lower a risk."""

    description_sv: ClassVar[str] = "En planerad aktivitet som ska minska en risk."

    risk: Text = Field(description="Id för risken aktiviteten gäller.")
    aktivitet: Text = Field(description="Vad som ska göras.")
    ansvarig: Text | None = Field(None, description="Vem som ansvarar.")


class Internkontrollplan(Handling):
    """The board's internal control plan for one year."""

    description_sv: ClassVar[str] = (
        "Nämndens internkontrollplan för ett år (6 kap. 6 § kommunallagen)."
    )

    typ: Literal["internkontrollplan"] = Field(description="Dokumenttypen.")
    kommun: Text = Field(description="Kommunens namn (oftast från profilen).")
    nämnd: Text = Field(description="Nämnden (oftast från profilen).")
    år: PositivtHeltal = Field(description="Året planen gäller.")
    diarienummer: Text = Field(description="Ärendets diarienummer.")
    datum: Datum = Field(description="Planens datum, ÅÅÅÅ-MM-DD.")
    inledning: Markdown | None = Field(
        None, description="Egen inledning; annars standardtexten om intern kontroll."
    )
    nämndens_arbete: Markdown = Field(description="Avsnittet Nämndens internkontrollarbete.")
    skalor: Skalor | None = Field(
        None, description="Skalorna för sannolikhet och konsekvens; annars profilens, annars 4 × 4."
    )
    risker: list[Risk] = Field(min_length=1, description="Nettolistan med risker.")
    kontroller: list[Kontroll] = Field(
        default_factory=list, description="Årets planerade kontroller."
    )
    aktiviteter: list[Aktivitet] = Field(
        default_factory=list, description="Årets planerade aktiviteter."
    )

    def control_ids(self) -> list[str]:
        return [k.id or f"K{index + 1}" for index, k in enumerate(self.kontroller)]


Status = Literal["grön", "gul", "röd"]


class Resultat(Modell):
    """What one control found."""

    description_sv: ClassVar[str] = "Vad en kontroll visade vid uppföljningen."

    kontroll: Text = Field(description="Kontrollens id i planen, till exempel ”K1”.")
    status: Status = Field(
        description="grön (inga brister), gul (mindre brister) eller röd (allvarliga brister)."
    )
    resultat: Markdown = Field(description="Vad kontrollen visade.")
    åtgärd: Markdown | None = Field(None, description="Vad som görs åt bristerna.")

    @field_validator("status", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() not in {"grön", "gul", "röd"}:
            raise PydanticCustomError(
                "regel", "”{value}” är ingen status; skriv grön, gul eller röd", {"value": value}
            )
        return value.strip().lower() if isinstance(value, str) else value


class Internkontrolluppföljning(Handling):
    """The follow-up of a plan: per control, what was found."""

    description_sv: ClassVar[str] = (
        "Uppföljningen av en internkontrollplan: för varje kontroll vad den visade."
    )

    typ: Literal["internkontrolluppföljning"] = Field(description="Dokumenttypen.")
    kommun: Text = Field(description="Kommunens namn (oftast från profilen).")
    nämnd: Text = Field(description="Nämnden (oftast från profilen).")
    plan: Text = Field(description="Sökväg till planens YAML-fil, relativt den här filen.")
    diarienummer: Text | None = Field(None, description="Uppföljningens diarienummer.")
    datum: Datum = Field(description="Uppföljningens datum, ÅÅÅÅ-MM-DD.")
    sammanfattning: Markdown | None = Field(None, description="Nämndens sammanfattning av året.")
    resultat: list[Resultat] = Field(min_length=1, description="Resultatet per kontroll.")
