"""The shared vocabulary of every paper: text, dates, people, members, attachments."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError


class Modell(BaseModel):
    """Base of every input model: unknown keys are errors, values are kept as written."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    #: What the model is, in Swedish, for those who write the files: its description in
    #: the JSON Schemas and the format reference (the docstring is for programmers).
    description_sv: ClassVar[str] = ""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        own = cls.__dict__.get("description_sv")
        if own:
            handler.resolve_ref_schema(schema)["description"] = own
        return schema

    @model_validator(mode="before")
    @classmethod
    def _empty_means_default(cls, data: Any) -> Any:
        """`kontroller:` with nothing after it means none, not an error."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if not (value is None and key in fields and not fields[key].is_required())
        }


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        kind = "en lista" if isinstance(value, list) else "en mappning"
        raise PydanticCustomError("text", "ska vara text, inte {kind}", {"kind": kind})
    return value


def _nonblank(value: Any) -> Any:
    value = _text(value)
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("tom_text", "får inte vara tomt")
    return value


#: A short text on one line or a few (a title, a name).
Text = Annotated[str, BeforeValidator(_nonblank)]

#: Long text in the Markdown subset (paragraphs, ### sub-headings, lists, **fet**,
#: *kursiv*, links, footnotes, tables, block quotes). It becomes real Word structure.
Markdown = Annotated[
    str,
    BeforeValidator(_nonblank),
    WithJsonSchema({"type": "string", "x-beslutsdoc-text": "markdown"}),
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "datum",
        "”{value}” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-07",
        {"value": value if not isinstance(value, list | dict) else "en lista eller mappning"},
    )


#: A date written ISO 8601: 2023-11-07.
Datum = Annotated[
    date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def _positive_int(value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, int) and not isinstance(text, bool) and text > 0:
        return text
    if isinstance(text, str) and text.isdigit() and int(text) > 0:
        return int(text)
    raise PydanticCustomError(
        "positivt_heltal", "”{value}” är inget positivt heltal", {"value": value}
    )


#: A whole number above zero (a § number, a year).
PositivtHeltal = Annotated[
    int,
    BeforeValidator(_positive_int),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^\d+$"}]}
    ),
]

_TRUE = {"true", "ja", "yes"}
_FALSE = {"false", "nej", "no"}


def _yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise PydanticCustomError(
        "ja_nej", "”{value}” är inget ja eller nej; skriv true eller false", {"value": value}
    )


#: Yes or no: `true`/`false` (also `ja`/`nej`).
JaNej = Annotated[
    bool,
    BeforeValidator(_yes_no),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": ["ja", "nej"]}]}),
]


_TIME = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?")


def _time(value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else str(value)
    match = _TIME.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise PydanticCustomError(
            "klockslag", "”{value}” är inget klockslag; skriv till exempel 18.00", {"value": value}
        )
    return f"{int(match[1]):02d}.{match[2] or '00'}"


#: A time of day, printed the Swedish way: ”18.00” (also read from 18, 18:00).
Klockslag = Annotated[
    str,
    BeforeValidator(_time),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}([.:]\d{2})?$", "examples": ["18.00"]}),
]


def _ground(value: Any) -> Any:
    # "sekretess: nej" reads as "not secret" to its writer, but as text it would be a
    # ground ("Sekretess enligt nej"): neither reading may be guessed.
    if isinstance(value, bool) or (
        isinstance(value, str) and value.strip().lower() in {"ja", "nej", "true", "false"}
    ):
        raise PydanticCustomError(
            "sekretessgrund",
            "”{value}” är inget lagrum: skriv lagrummet som sekretessen grundas på, till"
            " exempel ”26 kap. 1 § OSL”; en del utan sekretess har ingen sekretess-nyckel",
            {"value": str(value).strip()},
        )
    return _nonblank(value)


#: A legal ground for secrecy, as the law cites it: ”26 kap. 1 § OSL”.
Sekretess = Annotated[str, BeforeValidator(_ground), Field(examples=["26 kap. 1 § OSL"])]


class Person(Modell):
    """A person with contact details, such as the handläggare."""

    description_sv: ClassVar[str] = "En person med kontaktuppgifter, till exempel handläggaren."

    namn: Text = Field(description="För- och efternamn.")
    titel: Text | None = Field(None, description="Befattning, till exempel ”utredare”.")
    telefon: Text | None = Field(None, description="Telefonnummer, som det ska stå.")
    epost: Text | None = Field(None, description="E-postadress.")


class Underskrift(Modell):
    """One who signs the paper, usually the head of the administration."""

    description_sv: ClassVar[str] = "En som skriver under handlingen, oftast förvaltningschefen."

    namn: Text = Field(description="Namnet under underskriften.")
    titel: Text | None = Field(None, description="Befattning, till exempel ”Socialdirektör”.")
    roll: Text | None = Field(
        None, description="En andra rad om rollen, till exempel ”Lex Sarah-ansvarig”."
    )


class Bilaga(Modell):
    """An attachment, by title; the file is optional (a packet merges it)."""

    description_sv: ClassVar[str] = "En bilaga med titel; filen är valfri (paketet fogar in den)."

    titel: Text = Field(description="Bilagans titel som den står i bilageförteckningen.")
    fil: Text | None = Field(
        None, description="Sökväg till bilagans fil (.pdf eller .docx), relativt pappret."
    )
    sekretess: Sekretess | None = Field(
        None,
        description="Bilagan omfattas av sekretess: lagrummet, till exempel ”26 kap. 1 § OSL”.",
    )


class Avsnitt(Modell):
    """A section of the paper: a heading and its text."""

    description_sv: ClassVar[str] = "Ett avsnitt i handlingen: en rubrik och dess text."

    rubrik: Text = Field(description="Avsnittets rubrik, till exempel ”Bakgrund”.")
    text: Markdown = Field(description="Avsnittets text (textformatet i docs/format.md).")
    sekretess: Sekretess | None = Field(
        None,
        description="Avsnittet omfattas av sekretess: lagrummet, till exempel ”26 kap. 1 § OSL”;"
        " den offentliga versionen visar lagrummet i stället för texten.",
    )


class Handlingsfil(Modell):
    """A document of a meeting item given with more than its path: secret, say."""

    description_sv: ClassVar[str] = (
        "En handling i ett ärende med mer än sökvägen, till exempel en bilaga med sekretess."
    )

    fil: Text = Field(description="Sökväg till filen, relativt sammanträdesfilen.")
    sekretess: Sekretess | None = Field(
        None,
        description="Handlingen omfattas av sekretess: lagrummet, till exempel ”26 kap. 1 § OSL”.",
    )


_LEDAMOT = re.compile(r"^(?P<namn>[^()]+?)(?P<mfl>\s+m\.\s?fl\.)?\s*\((?P<parti>[^()]+)\)$")


class Ledamot(Modell):
    """A member of the board, written `Namn (Parti)` or `Namn m.fl. (Parti)`."""

    description_sv: ClassVar[str] = "En ledamot, skriven ”Namn (Parti)” eller ”Namn m.fl. (Parti)”."

    namn: str
    parti: str
    med_flera: bool = False

    def __str__(self) -> str:
        return f"{self.namn}{' m.fl.' if self.med_flera else ''} ({self.parti})"

    @classmethod
    def parse(cls, value: Any) -> Any:
        if isinstance(value, Ledamot | dict):
            return value
        match = _LEDAMOT.match(value.strip()) if isinstance(value, str) else None
        if not match:
            raise PydanticCustomError(
                "ledamot",
                "”{value}” är ingen ledamot; skriv ”Namn (Parti)” eller ”Namn m.fl. (Parti)”",
                {"value": value},
            )
        return cls(
            namn=match["namn"].strip(),
            parti=match["parti"].strip(),
            med_flera=bool(match["mfl"]),
        )


#: A member in a paper: parsed from `Namn (Parti)`, printed the same way.
LedamotText = Annotated[
    Ledamot,
    BeforeValidator(Ledamot.parse),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[^()]+\([^()]+\)$", "examples": ["Anna Andersson (S)"]}
    ),
]
