"""The minutes: a paragraph's decision record, the protokollsutdrag, the protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beslutsdoc.model.beslut import Anteckning, Paragraf
from beslutsdoc.model.diarienummer import format_diarienummer
from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
from beslutsdoc.render import wording
from beslutsdoc.render.blocks import Block, BlockWriter, Inline
from beslutsdoc.render.content import Lines, Points
from beslutsdoc.render.formatting import NBSP, keep_legal_together
from beslutsdoc.render.markdown import Markdown
from beslutsdoc.render.variables import Paper, contact_line, field_variables


def _text(text: str) -> list[Inline]:
    return [Inline(keep_legal_together(text))]


@dataclass(frozen=True)
class Record:
    """One § as the minutes record it; the protocol and its extract write the same."""

    paragraf: Paragraf
    dnr: str | None
    chair: str | None
    level: int = 1

    def write(self, out: BlockWriter) -> None:
        p = self.paragraf
        sub = self.level + 1
        out.heading(self.level, f"§{NBSP}{p.paragraf} {p.titel}")
        if p.undertitel:
            out.paragraph([Inline(p.undertitel, italic=True)], keep_next=True)
        if self.dnr:
            out.paragraph(_text(f"Dnr {self.dnr}"))
        if p.jäv:
            out.heading(sub, "Jäv")
            out.paragraph(_text(wording.conflict(p.jäv)))
        out.heading(sub, "Beslut")
        Points(p.beslut).write(out)
        if p.sammanfattning:
            out.heading(sub, "Sammanfattning av ärendet")
            Markdown(p.sammanfattning).write(out)
        if p.yrkanden:
            out.heading(sub, "Yrkanden")
            for yrkande in p.yrkanden:
                if yrkande.text:
                    Markdown(yrkande.text).write(out)
                    continue
                out.paragraph(_text(wording.proposal(yrkande)), keep_next=bool(yrkande.att_satser))
                if yrkande.att_satser:
                    out.numbered_list([_text(a) for a in yrkande.att_satser])
                if yrkande.motivering:
                    Markdown(yrkande.motivering).write(out)
        vote = p.omröstning
        order = wording.order(p, wording.winner_text(vote, self.chair))
        if order:
            out.heading(sub, "Propositionsordning")
            out.paragraph(_text(order))
        if vote:
            out.heading(sub, "Omröstning")
            out.paragraph(_text(wording.vote_proposition(vote)))
            rows = [[[Inline("Ledamot")], [Inline("Ja")], [Inline("Nej")], [Inline("Avstår")]]]
            for column, side in enumerate((vote.ja, vote.nej, vote.avstår)):
                for member in side:
                    row: list[list[Inline]] = [[Inline(str(member))], [], [], []]
                    row[column + 1] = [Inline("X")]
                    rows.append(row)
            rows.append(
                [[Inline("Summa", bold=True)]]
                + [[Inline(str(len(side)), bold=True)] for side in (vote.ja, vote.nej, vote.avstår)]
            )
            out.table(rows, True, ["", "center", "center", "center"])
            out.paragraph(_text(wording.vote_result(vote, self.chair)))
        if p.reservationer:
            out.heading(sub, "Reservationer")
            for reservation in p.reservationer:
                out.paragraph(_text(wording.reservation(reservation)))
                if reservation.text:
                    Markdown(reservation.text).write(out)
        self._notes(out, "Protokollsanteckningar", "protokollsanteckning", p.protokollsanteckningar)
        self._notes(out, "Särskilda uttalanden", "särskilda uttalande", p.särskilda_uttalanden)
        if p.handlingar:
            out.heading(sub, "Handlingar i ärendet")
            out.bullet_list([_text(h) for h in p.handlingar])
        if p.expedieras_till:
            out.heading(sub, "Expedieras till")
            Lines(p.expedieras_till).write(out)

    def _notes(self, out: BlockWriter, heading: str, kind: str, notes: list[Anteckning]) -> None:
        if not notes:
            return
        out.heading(self.level + 1, heading)
        for note in notes:
            if note.av:
                out.paragraph(_text(f"{wording.names(note.av)} lämnade följande {kind}:"), keep_next=True)
            Markdown(note.text).write(out)


def utdrag_values(paper: Protokollsutdrag) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(paper, name) for name in type(paper).model_fields}
    out.update(
        diarienummer=dnr(paper),
        justerare=wording.names(paper.justering.justerare),
        kontaktrad=contact_line(paper.kontakt),
    )
    return out


def dnr(paper: Protokollsutdrag) -> str | None:
    if not paper.diarienummer:
        return None
    return format_diarienummer(paper.diarienummer, paper.diarienummermönster)


def utdrag_blocks(paper: Protokollsutdrag) -> dict[str, Block]:
    chair = paper.ordförande.namn if paper.ordförande else None
    return {
        "paragrafen": Record(paper, dnr(paper), chair, level=1),
        "expedieras_till": Lines(paper.expedieras_till),
    }


UTDRAG = Paper(
    model=Protokollsutdrag,
    template="protokollsutdrag.docx",
    variables=field_variables(
        Protokollsutdrag,
        {
            "paragrafen": "Hela paragrafen: § och rubrik, beslut, sammanfattning, yrkanden, propositionsordning, omröstning, reservationer, anteckningar, handlingar och expediering.",
            "expedieras_till": "Mottagarna, en per rad.",
        },
        {
            "diarienummer": "Diarienumret skrivet enligt nämndens mönster.",
            "justerare": "Justerarna, till exempel ”Anna Andersson (S) och Bo Berglund (V)”.",
            "kontaktrad": "Kontaktuppgifterna på en rad, åtskilda med ” · ”.",
        },
    ),
    values=utdrag_values,
    blocks=utdrag_blocks,
    properties=lambda paper: {
        "title": f"Protokollsutdrag § {paper.paragraf} {paper.titel}",
        "subject": f"{paper.nämnd} {paper.sammanträde}",
        "creator": paper.nämnd,
        "keywords": dnr(paper) or "",
        "created": paper.justering.datum,
    },
)
