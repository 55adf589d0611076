"""The profile (`beslutsdoc.yaml`): what is the same for every paper of one board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, create_model
from pydantic_core import PydanticCustomError

from beslutsdoc.model.common import LedamotText, Modell, PositivtHeltal, Text
from beslutsdoc.model.diarienummer import DiarienummerError, DiarienummerMönster
from beslutsdoc.model.registry import PAPERS

if TYPE_CHECKING:
    from beslutsdoc.model.internkontroll import Internkontrollplan

STANDARD_PARTIER = ("S", "M", "SD", "C", "V", "KD", "L", "MP")


class Kontakt(Modell):
    """The board's contact details, printed in the first page's footer."""

    description_sv: ClassVar[str] = "Nämndens kontaktuppgifter, som står i första sidans sidfot."

    postadress: Text | None = Field(
        None, description="Postadress, till exempel ”Botkyrka kommun, 147 85 Tumba”."
    )
    besöksadress: Text | None = Field(None, description="Besöksadress.")
    telefon: Text | None = Field(None, description="Växelns telefonnummer.")
    epost: Text | None = Field(None, description="Funktionsbrevlådans e-postadress.")
    webb: Text | None = Field(None, description="Webbadress, till exempel ”www.botkyrka.se”.")
    organisationsnummer: Text | None = Field(None, description="Kommunens organisationsnummer.")
    bankgiro: Text | None = Field(None, description="Bankgironummer.")


class Nivå(Modell):
    """One level of a scale: its name and what it means."""

    description_sv: ClassVar[str] = "En nivå på en skala: dess namn och vad den betyder."

    namn: Text = Field(description="Nivåns namn, till exempel ”Möjlig”.")
    beskrivning: Text | None = Field(None, description="Vad nivån innebär.")


def _contiguous(value: dict[int, Nivå]) -> dict[int, Nivå]:
    if sorted(value) != list(range(1, len(value) + 1)):
        raise PydanticCustomError(
            "regel",
            "skalans nivåer ska numreras 1, 2, 3 ... utan luckor (nu: {levels})",
            {"levels": ", ".join(str(k) for k in sorted(value))},
        )
    if len(value) < 2:
        raise PydanticCustomError("regel", "en skala behöver minst två nivåer")
    return value


#: A scale: levels 1..N, each with a name.
Skala = Annotated[dict[PositivtHeltal, Nivå], AfterValidator(_contiguous)]


class Skalor(Modell):
    """The two scales a risk is rated on."""

    description_sv: ClassVar[str] = (
        "De två skalor som en risk bedöms på: sannolikhet och konsekvens."
    )

    sannolikhet: Skala = Field(description="Sannolikhetens nivåer, 1 till N.")
    konsekvens: Skala = Field(description="Konsekvensens nivåer, 1 till M.")


def _level(name: str, text: str) -> Nivå:
    return Nivå(namn=name, beskrivning=text)


#: The 4 × 4 scales most boards use (Botkyrkas internkontrollplan 2021).
STANDARD_SKALOR = Skalor(
    sannolikhet={
        1: _level("Osannolik", "Risken att fel ska uppstå är nästan obefintlig"),
        2: _level("Mindre sannolik", "Risken att fel ska uppstå är liten"),
        3: _level("Möjlig", "Det föreligger risk att fel ska uppstå"),
        4: _level("Sannolik", "Hög risk, mycket troligt att fel ska uppstå"),
    },
    konsekvens={
        1: _level("Försumbar", "Konsekvensgraden är obetydlig"),
        2: _level("Lindrig", "Konsekvensgraden uppfattas som liten"),
        3: _level("Kännbar", "Konsekvensgraden uppfattas som besvärande"),
        4: _level("Allvarlig", "Konsekvensgraden är så stor att fel inte får inträffa"),
    },
)


def scales(plan: Internkontrollplan) -> Skalor:
    """The scales a plan's risks are rated on: its own, else the profile's, else the
    standard 4 × 4 (the checks and the renderers must agree on them)."""
    settings = plan.internkontroll
    return plan.skalor or (settings.skalor if settings else None) or STANDARD_SKALOR


class InternkontrollInställningar(Modell):
    """How this board rates risks."""

    description_sv: ClassVar[str] = "Hur nämnden bedömer risker: skalor och tröskel."

    skalor: Skalor | None = Field(None, description="Nämndens skalor; annars 4 × 4.")
    tröskel: PositivtHeltal = Field(
        9,
        description="Risker med minst detta riskvärde måste ha en kontroll, eller ett skäl att sakna en.",
    )


class _Mallar(Modell):
    description_sv: ClassVar[str] = (
        "Nämndens egna Word-mallar, en per slags dokument, relativt profilen."
    )


def _mallar() -> type[Modell]:
    """One optional template path per document kind of the registry."""
    fields: dict[str, Any] = {
        kind: (Text | None, Field(None, description=document.description))
        for kind, document in PAPERS.documents.items()
    }
    return create_model(
        "Mallar",
        __base__=_Mallar,
        __doc__="Nämndens egna Word-mallar, en per slags dokument, relativt profilen.",
        __module__=__name__,
        **fields,
    )


if TYPE_CHECKING:

    class Mallar(Modell):
        """The board's own Word templates (fields: the registry's document kinds)."""

        def __getattr__(self, kind: str) -> str | None: ...

else:
    Mallar = _mallar()


class TjänsteutlåtandeInställningar(Modell):
    """How this board's tjänsteutlåtanden look."""

    description_sv: ClassVar[str] = (
        "Hur nämndens tjänsteutlåtanden ser ut: etikett och obligatoriska avsnitt."
    )

    etikett: Text = Field(
        "Tjänsteutlåtande",
        description="Dokumentets etikett på första sidan, till exempel ”Tjänsteskrivelse”.",
    )
    obligatoriska_avsnitt: list[Text] = Field(
        default_factory=list,
        description="Rubriker som varje tjänsteutlåtande måste ha, till exempel ”Barnkonsekvensanalys”.",
    )


def _pattern_compiles(value: str) -> str:
    try:
        DiarienummerMönster.compile(value)
    except DiarienummerError as err:
        raise PydanticCustomError(
            "dnr_mönster",
            "”{value}” är inget giltigt diarienummermönster: {why}",
            {"value": value, "why": str(err)},
        ) from None
    return value


#: A Dnr pattern with {år} and {nummer} (or {nummer:05}, zero-padded).
Mönster = Annotated[Text, AfterValidator(_pattern_compiles)]

_PATTERN_HELP = (
    "Nämndens diarienummermönster med {år} och {nummer}, till exempel ”SN {år}:{nummer}”;"
    " {nummer:05} fyller ut med nollor till fem siffror."
)


class Nämndinställningar(Modell):
    """The keys a profile and a paper share; a paper's own value wins."""

    description_sv: ClassVar[str] = (
        "Nycklar som profilen och handlingarna delar; handlingens eget värde vinner."
    )

    kommun: Text | None = Field(None, description="Kommunens namn, till exempel ”Botkyrka kommun”.")
    nämnd: Text | None = Field(None, description="Nämndens namn, till exempel ”Socialnämnden”.")
    förvaltning: Text | None = Field(None, description="Förvaltningens namn.")
    kontakt: Kontakt | None = Field(None, description="Kontaktuppgifter för sidfoten.")
    mallar: Mallar | None = Field(None, description="Nämndens egna Word-mallar.")
    tjänsteutlåtande: TjänsteutlåtandeInställningar | None = Field(
        None, description="Inställningar för tjänsteutlåtanden."
    )
    partier: list[Text] = Field(
        default_factory=lambda: list(STANDARD_PARTIER),
        description="Kända partiförkortningar.",
    )
    internkontroll: InternkontrollInställningar | None = Field(
        None, description="Skalor och tröskel för internkontrollplaner."
    )
    ledamöter: list[LedamotText] = Field(
        default_factory=list,
        description="Nämndens ordinarie ledamöter, ”Namn (Parti)”: ger beslutförheten"
        " (mer än hälften ska delta, 6 kap. 27 § kommunallagen).",
    )
    ersättare: list[LedamotText] = Field(
        default_factory=list,
        description="Nämndens ersättare, ”Namn (Parti)”, i den ordning de träder in.",
    )
    bilagemappar: list[Text] = Field(
        default_factory=list,
        description="Mappar utanför sammanträdets mapp som bilagor också får ligga i, relativt"
        " filen där nyckeln står (till exempel ”../gemensamma-bilagor”). Annars måste varje"
        " bilaga ligga i sammanträdets mapp eller en mapp under den.",
    )


class Profil(Nämndinställningar):
    """A board's profile, `beslutsdoc.yaml`, found beside the paper or in a parent folder."""

    description_sv: ClassVar[str] = (
        "Nämndens profil, beslutsdoc.yaml, i handlingens mapp eller en mapp ovanför: det som är lika för alla nämndens handlingar."
    )

    diarienummer: Mönster | None = Field(None, description=_PATTERN_HELP)


class Handling(Nämndinställningar):
    """Base of every paper: the profile's keys, with the Dnr pattern under its own name."""

    description_sv: ClassVar[str] = (
        "Det alla handlingar har: profilens nycklar, med diarienummermönstret under eget namn."
    )

    diarienummermönster: Mönster | None = Field(
        None,
        description=_PATTERN_HELP + " I profilen heter nyckeln ”diarienummer”.",
    )


#: A profile key that a paper carries under another name (the paper's own `diarienummer`
#: is its case number, not the pattern).
PROFILE_RENAMES = {"diarienummer": "diarienummermönster"}
