"""The notice with its agenda, each item's page in the packet, and the packet shell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beslutsdoc.document.builder import Builder
from beslutsdoc.document.markdown import Markdown
from beslutsdoc.document.nodes import Span
from beslutsdoc.document.text import keep_legal_together, unbreakable
from beslutsdoc.model.diarienummer import format_diarienummer
from beslutsdoc.model.meeting import Item, Meeting
from beslutsdoc.model.sammantrade import Sammanträde, Ärende
from beslutsdoc.render.content import Points, ReportedLists
from beslutsdoc.render.variables import Paper, field_variables, model_values
from beslutsdoc.render.wording import names

INFORMATION = "muntlig information"


@dataclass(frozen=True)
class Entry:
    """An item as the agenda shows it; title and Dnr from its paper, entered once."""

    number: int
    title: str
    dnr: str | None
    item: Item
    ärende: Ärende

    def line(self, *, printed: bool = False) -> str:
        """The agenda line; `printed`: with a Dnr that never breaks over two lines."""
        if self.ärende.information and not self.dnr:
            return f"{self.title} – {INFORMATION}"
        dnr = unbreakable(self.dnr) if printed and self.dnr else self.dnr
        return f"{self.title} ({dnr})" if dnr else self.title


@dataclass(frozen=True)
class Agenda:
    """A meeting with each item's title and Dnr resolved."""

    meeting: Sammanträde
    entries: list[Entry]


def agenda(meeting: Meeting) -> Agenda:
    m = meeting.model
    entries = []
    for item, ärende in zip(meeting.items, m.ärenden, strict=True):
        paper = item.tjänsteutlåtande
        title = (
            ärende.titel
            or (paper.titel if paper else None)
            or (item.parts[0].title if item.parts else f"Ärende {item.number}")
        )
        if ärende.diarienummer:
            dnr: str | None = format_diarienummer(ärende.diarienummer, m.diarienummermönster)
        elif paper:
            dnr = format_diarienummer(paper.diarienummer, paper.diarienummermönster)
        else:
            dnr = None
        entries.append(Entry(item.number, title, dnr, item, ärende))
    return Agenda(m, entries)


def _t(text: str, **style: bool) -> list[Span]:
    return [
        Span(
            keep_legal_together(text),
            bold=style.get("bold", False),
            italic=style.get("italic", False),
        )
    ]


@dataclass(frozen=True)
class AgendaList:
    """The numbered agenda: ”1 Internkontrollplan 2021 (SN 2020:548)”."""

    entries: list[Entry]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def build(self, out: Builder) -> None:
        out.numbered_list([_t(entry.line(printed=True)) for entry in self.entries])


@dataclass(frozen=True)
class ItemPage:
    """An item's own page in the packet: number and title, what is proposed, the
    summary, standing lists, and the documents that follow."""

    entry: Entry

    def build(self, out: Builder) -> None:
        entry, ärende = self.entry, self.entry.ärende
        paper = entry.item.tjänsteutlåtande
        out.heading(1, f"{entry.number} {entry.title}")
        if entry.dnr:
            out.paragraph(_t(f"Dnr {unbreakable(entry.dnr)}"))
        secret = ärende.sekretess or (paper.sekretess if paper else None)
        if secret:
            out.secret(secret, _ItemContent(self), "ärendets innehåll")
        else:
            self.content(out)
        if entry.item.parts:
            out.heading(2, "Handlingar")
            out.bullet_list([_t(part.label) for part in entry.item.parts])

    def content(self, out: Builder) -> None:
        """What is proposed, the summary and the standing lists."""
        entry, ärende = self.entry, self.entry.ärende
        paper = entry.item.tjänsteutlåtande
        proposal = (paper.förslag_till_beslut if paper else None) or ärende.förslag_till_beslut
        if proposal:
            out.heading(2, "Förslag till beslut")
            Points(proposal).build(out)
        elif ärende.information:
            out.paragraph(_t("Muntlig information vid sammanträdet.", italic=True))
        summary = ärende.sammanfattning or (paper.sammanfattning if paper else None)
        if summary:
            out.heading(2, "Sammanfattning")
            Markdown(summary, notes=False).build(out)  # the notes stand in the paper itself
        ReportedLists(ärende, level=2).build(out)


@dataclass(frozen=True)
class _ItemContent:
    page: ItemPage

    def build(self, out: Builder) -> None:
        self.page.content(out)


def _meeting_values(meeting: Sammanträde) -> dict[str, Any]:
    out = model_values(meeting)
    out["justerare"] = names(meeting.justering.justerare) if meeting.justering else ""
    return out


_DERIVED = {"justerare": "Justerarna, om de är utsedda: ”Anna Andersson (S) och Bo Berglund (V)”."}

KALLELSE = Paper(
    model=Sammanträde,
    template="kallelse.docx",
    variables=field_variables(
        Sammanträde,
        {"föredragningslista": "De numrerade ärendena med rubrik och diarienummer."},
        _DERIVED,
    ),
    values=lambda a: _meeting_values(a.meeting),
    blocks=lambda a: {"föredragningslista": AgendaList(a.entries)},
    properties=lambda a: {
        "title": f"Kallelse {a.meeting.nämnd} {a.meeting.datum}",
        "subject": f"Kallelse och föredragningslista {a.meeting.datum}",
        "creator": a.meeting.nämnd,
        "keywords": "kallelse",
        "created": a.meeting.datum,
    },
)


@dataclass(frozen=True)
class ItemDocument:
    agenda: Agenda
    entry: Entry


ÄRENDE = Paper(
    model=Sammanträde,
    template="ärende.docx",
    variables=field_variables(
        Sammanträde,
        {
            "ärendet": "Ärendets sida: nummer och rubrik, förslag till beslut, sammanfattning, listor och handlingar."
        },
        _DERIVED,
    ),
    values=lambda d: _meeting_values(d.agenda.meeting),
    blocks=lambda d: {"ärendet": ItemPage(d.entry)},
    properties=lambda d: {
        "title": d.entry.title,
        "subject": f"Ärende {d.entry.number}",
        "creator": d.agenda.meeting.nämnd,
        "keywords": d.entry.dnr or "",
        "created": d.agenda.meeting.datum,
    },
)


@dataclass(frozen=True)
class _Contents:
    def build(self, out: Builder) -> None:
        out.contents()


HANDLINGAR = Paper(
    model=Sammanträde,
    template="handlingar.docx",
    variables=field_variables(
        Sammanträde,
        {
            "innehåll": "Innehållsförteckningen: kallelsen, varje ärende och dess handlingar, med sidnummer."
        },
        _DERIVED,
    ),
    values=lambda a: _meeting_values(a.meeting),
    blocks=lambda a: {"innehåll": _Contents()},
    properties=lambda a: {
        "title": f"Handlingar {a.meeting.nämnd} {a.meeting.datum}",
        "subject": f"Kallelse och handlingar till sammanträdet {a.meeting.datum}",
        "creator": a.meeting.nämnd,
        "keywords": "handlingar",
        "created": a.meeting.datum,
    },
)
