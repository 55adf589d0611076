"""What a board decided on one matter, and how: the record kommunallagen asks for.

Used by a protokollsutdrag, by each paragraph of a protocol, and by a meeting's items
after the meeting.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from beslutsdoc.model.common import (
    Datum,
    JaNej,
    Klockslag,
    Ledamot,
    LedamotText,
    Markdown,
    Modell,
    PositivtHeltal,
    Sekretess,
    Text,
)

#: What a yrkande asks for. Återremiss and bordläggning are procedural: decided first.
Yrkandetyp = Literal[
    "bifall", "avslag", "ändring", "tillägg", "återremiss", "bordläggning", "minoritetsåterremiss"
]
PROCEDURAL = ("minoritetsåterremiss", "återremiss", "bordläggning")
_RETURN = re.compile(r"\batt\s+ärendet\s+(?:ska\s+)?återremitter", re.I)
_TABLE = re.compile(r"\batt\s+ärendet\s+(?:ska\s+)?bordl[äa]gg", re.I)


class Yrkande(Modell):
    """A proposal: bifall to a proposal, own att-satser, or free text."""

    description_sv: ClassVar[str] = (
        "Ett yrkande: bifall till ett förslag, egna att-satser eller egna ord; återremiss, bordläggning och avslag kan anges med typ."
    )

    av: list[LedamotText] = Field(min_length=1, description="Vilka som yrkade: ”Namn (Parti)”.")
    typ: Yrkandetyp | None = Field(
        None,
        description="Vad yrkandet gäller: bifall, avslag, ändring, tillägg, återremiss,"
        " bordläggning eller minoritetsåterremiss. Utan typ förstås det av texten: en att-sats"
        " ”att ärendet återremitteras …” är ett yrkande om återremiss.",
    )
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

    @property
    def kind(self) -> str:
        """What the yrkande asks for, as written or as its words say."""
        if self.typ:
            return self.typ
        words = " ".join([*self.att_satser, self.text or "", self.bifall_till or ""])
        if _RETURN.search(words):
            return "återremiss"
        if _TABLE.search(words):
            return "bordläggning"
        if self.bifall_till:
            return "avslag" if self.bifall_till.strip().lower().startswith("avslag") else "bifall"
        return "ändring"

    @property
    def procedural(self) -> bool:
        return self.kind in PROCEDURAL

    @model_validator(mode="after")
    def _one_kind(self) -> Yrkande:
        kinds = [bool(self.bifall_till), bool(self.att_satser), bool(self.text)]
        if sum(kinds) == 0 and self.typ in (*PROCEDURAL, "avslag"):
            return self  # ”återremiss” or ”avslag” says it all; a motivering may follow
        if sum(kinds) != 1:
            raise PydanticCustomError(
                "regel",
                "ett yrkande har antingen bifall_till, att_satser eller text (precis en av dem);"
                " ett yrkande om återremiss, bordläggning eller avslag kan ha bara typ",
            )
        return self


class Röstetal(Modell):
    """The counts of a sluten omröstning, where no one's vote is recorded."""

    description_sv: ClassVar[str] = (
        "Röstetalen vid en sluten omröstning, där ingens röst redovisas."
    )

    ja: int = Field(ge=0, description="Antal ja-röster.")
    nej: int = Field(ge=0, description="Antal nej-röster.")
    avstår: int = Field(0, ge=0, description="Antal som avstod.")


class Omröstning(Modell):
    """A vote: who voted ja, nej, or abstained, and what ja and nej meant."""

    description_sv: ClassVar[str] = (
        "En omröstning: vad ja och nej innebar, vilka som röstade ja, nej eller avstod (eller röstetalen vid sluten omröstning) och vad omröstningen avgjorde."
    )

    fråga: Literal["huvudfråga", "återremiss", "bordläggning", "motförslag"] = Field(
        "huvudfråga",
        description="Vad omröstningen avgjorde: huvudfrågan (ärendet i sak), om ärendet ska"
        " återremitteras eller bordläggas, eller vilket förslag som blir motförslag i"
        " huvudvoteringen (kontrapropositionsvotering).",
    )
    ja_innebär: Text = Field(description="Vad ja betyder, till exempel ”förvaltningens förslag”.")
    nej_innebär: Text = Field(description="Vad nej betyder, till exempel ”C, L och M:s yrkande”.")
    ja: list[LedamotText] = Field(default_factory=list, description="De som röstade ja.")
    nej: list[LedamotText] = Field(default_factory=list, description="De som röstade nej.")
    avstår: list[LedamotText] = Field(default_factory=list, description="De som avstod.")
    resultat: Literal["ja", "nej"] | None = Field(
        None, description="Utfallet om det skrivs ut; måste stämma med rösterna."
    )
    sluten: JaNej = Field(
        False, description="Sluten omröstning (val): bara antalet röster redovisas, under antal."
    )
    antal: Röstetal | None = Field(
        None, description="Röstetalen vid sluten omröstning: {ja, nej, avstår}."
    )

    @model_validator(mode="after")
    def _named_or_counted(self) -> Omröstning:
        named = bool(self.ja or self.nej or self.avstår)
        if self.sluten and (named or self.antal is None):
            raise PydanticCustomError(
                "regel",
                "en sluten omröstning redovisar bara antal: {ja, nej, avstår}, inte vem som röstade hur",
            )
        if not self.sluten and self.antal is not None:
            raise PydanticCustomError(
                "regel",
                "antal hör till en sluten omröstning; skriv sluten: ja eller namnen under ja/nej/avstår",
            )
        return self

    def counts(self) -> tuple[int, int, int]:
        """How many voted ja, nej and abstained."""
        if self.antal is not None:
            return self.antal.ja, self.antal.nej, self.antal.avstår
        return len(self.ja), len(self.nej), len(self.avstår)


class Reservation(Modell):
    """Members who reserved themselves against the decision."""

    description_sv: ClassVar[str] = (
        "Ledamöter som reserverade sig mot beslutet, och till förmån för vad."
    )

    av: list[LedamotText] = Field(min_length=1, description="Vilka som reserverade sig.")
    till_förmån_för: Text | None = Field(
        None, description="Till förmån för vad, till exempel ”det egna yrkandet”."
    )
    text: Markdown | None = Field(
        None, description="En skriftlig reservation, som bilaga till paragrafen."
    )


class Anteckning(Modell):
    """A protokollsanteckning, särskilt yttrande or särskilt uttalande: a statement in
    the minutes, no dissent."""

    description_sv: ClassVar[str] = (
        "En protokollsanteckning, ett särskilt yttrande eller ett särskilt uttalande: ett uttalande i protokollet, ingen reservation."
    )

    av: list[LedamotText] = Field(default_factory=list, description="Vilka som står bakom den.")
    text: Markdown = Field(description="Anteckningens text.")


class Ajournering(Modell):
    """A pause in the meeting during the paragraph."""

    description_sv: ClassVar[str] = "Ett uppehåll i sammanträdet under paragrafen."

    från: Klockslag = Field(description="När sammanträdet ajournerades, till exempel ”18.40”.")
    till: Klockslag = Field(description="När det återupptogs, till exempel ”18.55”.")
    skäl: Text | None = Field(None, description="Varför, till exempel ”för gruppöverläggningar”.")


class Jäv(Modell):
    """A member who because of jäv took no part in the paragraph, and who served instead."""

    description_sv: ClassVar[str] = (
        "En ledamot som på grund av jäv inte deltog i paragrafen, och ersättaren som trädde in."
    )

    ledamot: LedamotText = Field(description="Den jäviga ledamoten: ”Namn (Parti)”.")
    ersätts_av: LedamotText | None = Field(
        None, description="Ersättaren som tjänstgjorde i den jäviges ställe i paragrafen."
    )


def _conflicted(value: Any) -> Any:
    return {"ledamot": value} if isinstance(value, str | Ledamot) else value


class Justering(Modell):
    """Who checks the minutes, when and where."""

    description_sv: ClassVar[str] = "Vilka som justerar protokollet, när och var."

    justerare: list[LedamotText] = Field(
        min_length=1, description="De som justerar: ”Namn (Parti)”."
    )
    datum: Datum = Field(description="Justeringsdag, ÅÅÅÅ-MM-DD.")
    plats: Text | None = Field(None, description="Var justeringen sker.")


class Utdragsbestyrkande(Modell):
    """The secretary's certification that an extract is true to the minutes."""

    description_sv: ClassVar[str] = "Sekreterarens intyg om att utdraget stämmer med protokollet."

    namn: Text = Field(description="Den som bestyrker utdraget.")
    datum: Datum = Field(description="Datum för bestyrkandet, ÅÅÅÅ-MM-DD.")
    titel: Text | None = Field(None, description="Till exempel ”nämndsekreterare”.")


class Ärenderad(Modell):
    """One case in a list: its text, and its Dnr and date if it has them."""

    description_sv: ClassVar[str] = (
        "Ett ärende i en förteckning: texten, och diarienummer och datum om de finns."
    )

    ärende: Text = Field(description="Ärendet, till exempel ”Padrino Café AB, Carte Blanchen”.")
    diarienummer: Text | None = Field(None, description="Ärendets diarienummer, som det står.")
    datum: Datum | None = Field(None, description="Beslutets datum, ÅÅÅÅ-MM-DD.")
    sekretess: JaNej | Sekretess = Field(
        False,
        description="Hör till sekretessdelen: ja, eller lagrummet (”26 kap. 1 § OSL”); listas"
        " under ”I sekretessdelen” och visas inte i den offentliga versionen.",
    )


class Delegationsbeslut(Modell):
    """Decisions one delegat made of one kind, reported to the board."""

    description_sv: ClassVar[str] = (
        "Beslut som en delegat fattat av ett slag, anmälda till nämnden."
    )

    delegat: Text = Field(description="Vem som beslutade, till exempel ”Socialdirektör”.")
    slag: Text | None = Field(
        None, description="Slag av beslut, till exempel ”Beslut om serveringstillstånd”."
    )
    period: Text | None = Field(
        None, description="När besluten fattades, till exempel ”2020-12-01–2020-12-31”."
    )
    beslut: list[Ärenderad] = Field(min_length=1, description="Ett ärende per rad.")


class Beslutsgång(Modell):
    """The decision record: decision points, proposals, order, vote, reservations."""

    description_sv: ClassVar[str] = (
        "Beslutsgången: beslutspunkter, yrkanden, propositionsordning, omröstningar och reservationer."
    )

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
    omröstningar: list[Omröstning] = Field(
        default_factory=list,
        description="Flera omröstningar i den ordning de hölls (till exempel först om"
        " återremiss, sedan i sak); i stället för omröstning.",
    )
    reservationer: list[Reservation] = Field(default_factory=list, description="Reservationer.")
    protokollsanteckningar: list[Anteckning] = Field(
        default_factory=list, description="Protokollsanteckningar."
    )
    särskilda_uttalanden: list[Anteckning] = Field(
        default_factory=list, description="Särskilda uttalanden."
    )
    särskilda_yttranden: list[Anteckning] = Field(
        default_factory=list,
        description="Särskilda yttranden: en ledamots förklaring till beslutet, utan reservation.",
    )
    ajourneringar: list[Ajournering] = Field(
        default_factory=list, description="Ajourneringar under paragrafen."
    )
    överklagande: Literal["laglighetsprövning", "förvaltningsbesvär"] = Field(
        "laglighetsprövning",
        description="Hur beslutet överklagas: laglighetsprövning (13 kap. kommunallagen) eller"
        " förvaltningsbesvär (beslut som gäller en enskild; utdraget får då en"
        " överklagandehänvisning).",
    )
    omedelbart_justerad: JaNej = Field(
        False, description="Paragrafen justerades omedelbart, vid sammanträdet."
    )
    jäv: list[
        Annotated[Jäv, BeforeValidator(_conflicted, json_schema_input_type=LedamotText | Jäv)]
    ] = Field(
        default_factory=list,
        description="Ledamöter som på grund av jäv inte deltog i ärendet: ”Namn (Parti)”,"
        " eller {ledamot, ersätts_av} när en ersättare trädde in.",
    )
    expedieras_till: list[Text] = Field(default_factory=list, description="Dit beslutet skickas.")
    sekretess: Sekretess | None = Field(
        None,
        description="Ärendet omfattas av sekretess: lagrummet, till exempel ”26 kap. 1 § OSL”."
        " Paragrafen och ärendets handlingar visar i den offentliga versionen lagrummet i"
        " stället för innehållet; paragrafens nummer, rubrik och diarienummer står kvar.",
    )
    offentligt_beslut: JaNej = Field(
        False,
        description="Beslutet i ett ärende med sekretess får visas i den offentliga versionen"
        " (det röjer inget som sekretessen skyddar).",
    )
    delegationsbeslut: list[Delegationsbeslut] = Field(
        default_factory=list,
        description="Anmälda delegationsbeslut, per delegat och slag av beslut.",
    )
    anmälningsärenden: list[Ärenderad] = Field(
        default_factory=list,
        description="Anmälningsärenden; de med sekretess: true listas under ”I sekretessdelen”.",
    )


def votes(record: Beslutsgång) -> list[Omröstning]:
    """The paragraph's votes in the order they were held."""
    return (
        [record.omröstning, *record.omröstningar]
        if record.omröstning
        else list(record.omröstningar)
    )


def main_vote(record: Beslutsgång) -> Omröstning | None:
    """The vote that decided the matter itself, if there was one."""
    found = [v for v in votes(record) if v.fråga == "huvudfråga"]
    return found[-1] if found else None


class Paragraf(Beslutsgång):
    """One paragraph (§) of the minutes: the matter and its decision record."""

    description_sv: ClassVar[str] = "En paragraf (§) i protokollet: ärendet och dess beslutsgång."

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
    (ordförandens utslagsröst). None when a tie has no chair who voted (or, in a
    sluten omröstning, when the counts tie: then the lot decides)."""
    ja, nej, _ = vote.counts()
    if ja != nej:
        return "ja" if ja > nej else "nej"
    if vote.sluten:  # no one's vote is known: the lot decided, as resultat says
        return vote.resultat
    if chair is None:
        return None
    if any(member.namn == chair for member in vote.ja):
        return "ja"
    if any(member.namn == chair for member in vote.nej):
        return "nej"
    return None
