"""The minutes: a paragraph's decision record, the protokollsutdrag, the protocol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from beslutsdoc.document.builder import Builder, Content
from beslutsdoc.document.markdown import Markdown
from beslutsdoc.document.nodes import Span
from beslutsdoc.document.text import NBSP, keep_legal_together, unbreakable
from beslutsdoc.model.attendance import section_range
from beslutsdoc.model.beslut import Anteckning, Beslutsgång, Omröstning, Paragraf
from beslutsdoc.model.diarienummer import format_diarienummer
from beslutsdoc.model.meeting import Meeting
from beslutsdoc.model.procedure import Step, steps
from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
from beslutsdoc.model.sammantrade import Beslutande, Sammanträde, chair, paragraph_numbers
from beslutsdoc.model.tidsfrister import appeal_ends, taken_down
from beslutsdoc.render import wording
from beslutsdoc.render.content import Lines, Points, ReportedLists
from beslutsdoc.render.kallelse import agenda
from beslutsdoc.render.variables import Paper, field_variables, model_values


def _text(text: str) -> list[Span]:
    return [Span(keep_legal_together(text))]


@dataclass(frozen=True)
class Record:
    """One § as the minutes record it; the protocol and its extract write the same."""

    paragraf: Paragraf
    dnr: str | None
    chair: str | None
    board: str
    level: int = 1

    @property
    def sub(self) -> int:
        return self.level + 1

    def build(self, out: Builder) -> None:
        p = self.paragraf
        out.heading(self.level, f"§{NBSP}{p.paragraf} {p.titel}")
        if p.undertitel:
            out.paragraph([Span(p.undertitel, italic=True)], keep_next=True)
        if self.dnr:
            out.paragraph(_text(f"Dnr {unbreakable(self.dnr)}"))
        if not p.sekretess:
            self.body(out)
            return
        # A secret matter keeps its number, title and Dnr in the public copy; its decision
        # only when the board said it reveals nothing the secrecy protects.
        if p.offentligt_beslut:
            self.decision(out)
        out.secret(p.sekretess, _Body(self, not p.offentligt_beslut), "paragrafens innehåll")

    def decision(self, out: Builder) -> None:
        p = self.paragraf
        out.heading(self.sub, "Beslut")
        Points(p.beslut).build(out)
        if p.omedelbart_justerad:
            out.paragraph(_text("Paragrafen förklarades omedelbart justerad."))

    def body(self, out: Builder, *, decision: bool = True) -> None:
        p = self.paragraf
        if p.jäv:
            out.heading(self.sub, "Jäv")
            for line in wording.conflict(p.jäv):
                out.paragraph(_text(line))
        if decision:
            self.decision(out)
        if p.sammanfattning:
            out.heading(self.sub, "Sammanfattning av ärendet")
            Markdown(p.sammanfattning).build(out)
        ReportedLists(p, level=self.sub, title=p.titel).build(out)
        self._proposals(out)
        for pause in p.ajourneringar:
            out.paragraph(_text(wording.adjournment(pause)))
        self._procedure(out)
        self._reservations(out)
        self._notes(out, "Särskilda yttranden", "särskilda yttrande", p.särskilda_yttranden)
        self._notes(out, "Protokollsanteckningar", "protokollsanteckning", p.protokollsanteckningar)
        self._notes(out, "Särskilda uttalanden", "särskilda uttalande", p.särskilda_uttalanden)
        if p.handlingar:
            out.heading(self.sub, "Handlingar i ärendet")
            out.bullet_list([_text(h) for h in p.handlingar])
        if p.expedieras_till:
            out.heading(self.sub, "Expedieras till")
            Lines(p.expedieras_till).build(out)

    def _proposals(self, out: Builder) -> None:
        if not self.paragraf.yrkanden:
            return
        out.heading(self.sub, "Yrkanden")
        for yrkande in self.paragraf.yrkanden:
            opening = wording.proposal(yrkande)
            if yrkande.text:
                # The mover is named even when the yrkande is written in own words.
                written = yrkande.text.lstrip()
                if not written.startswith(str(yrkande.av[0])):
                    out.paragraph(_text(f"{opening}:"), keep_next=True)
                Markdown(yrkande.text).build(out)
            else:
                out.paragraph(_text(opening), keep_next=bool(yrkande.att_satser))
            if yrkande.att_satser:
                out.numbered_list([_text(a) for a in yrkande.att_satser])
            if yrkande.motivering:
                Markdown(yrkande.motivering).build(out)

    def _procedure(self, out: Builder) -> None:
        """Propositionsordning: each question in the law's order, each vote after the
        proposition that led to it."""
        p = self.paragraf
        board = wording.board_subject(self.board)
        found = steps(p, self.chair) or (
            [Step("huvudfråga", None)] if p.propositionsordning else []
        )
        several = sum(1 for step in found if step.vote) > 1
        previous = None
        for index, step in enumerate(found):
            first = index == 0
            if p.propositionsordning:  # written by hand: it stands for all propositions
                sentence = p.propositionsordning if first else None
            else:
                sentence = wording.step_sentence(step, p, self.chair, board, first)
            if sentence:
                out.heading(self.sub, _procedure_heading(step, previous))
                out.paragraph(_text(sentence))
            if step.vote:
                self._vote(out, step.vote, board, several)
            previous = step

    def _vote(self, out: Builder, vote: Omröstning, board: str, several: bool) -> None:
        out.heading(self.sub, wording.vote_heading(vote, several))
        out.paragraph(_text(wording.vote_proposition(vote, board)), keep_next=True)
        if vote.sluten:
            out.paragraph(_text("Omröstningen var sluten."), keep_next=True)
        else:
            out.table(
                _vote_rows(vote), True, ["", "center", "center", "center"], keep_together=True
            )
        out.paragraph(_text(wording.vote_result(vote, self.chair, board)))

    def _reservations(self, out: Builder) -> None:
        if not self.paragraf.reservationer:
            return
        out.heading(self.sub, "Reservationer")
        for reservation in self.paragraf.reservationer:
            out.paragraph(_text(wording.reservation(reservation)))
            if reservation.text:
                Markdown(reservation.text).build(out)

    def _notes(self, out: Builder, heading: str, kind: str, notes: list[Anteckning]) -> None:
        if not notes:
            return
        out.heading(self.sub, heading)
        for note in notes:
            if note.av:
                out.paragraph(
                    _text(f"{wording.names(note.av)} lämnade följande {kind}:"), keep_next=True
                )
            Markdown(note.text).build(out)


@dataclass(frozen=True)
class _Body:
    """A paragraph's content after its title, with or without its decision."""

    record: Record
    decision: bool

    def build(self, out: Builder) -> None:
        self.record.body(out, decision=self.decision)


def _procedure_heading(step: Step, previous: Step | None) -> str:
    if previous is None or step.question not in ("huvudfråga", "motförslag"):
        return "Propositionsordning"
    if previous.question == "motförslag":
        return "Propositionsordning i huvudvoteringen"
    return "Propositionsordning i huvudfrågan"


def _vote_rows(vote: Omröstning) -> list[list[list[Span]]]:
    rows = [[[Span("Ledamot")], [Span("Ja")], [Span("Nej")], [Span("Avstår")]]]
    for column, side in enumerate((vote.ja, vote.nej, vote.avstår)):
        for member in side:
            row: list[list[Span]] = [[Span(str(member))], [], [], []]
            row[column + 1] = [Span("X")]
            rows.append(row)
    rows.append(
        [[Span("Summa", bold=True)]] + [[Span(str(count), bold=True)] for count in vote.counts()]
    )
    return rows


def utdrag_values(paper: Protokollsutdrag) -> dict[str, Any]:
    out = model_values(paper)
    out.update(diarienummer=dnr(paper), justerare=_checked_by(paper))
    return out


def _checked_by(paper: Protokollsutdrag) -> str:
    """Who justerade: the chair and the justerare (the chair always signs)."""
    signers = [str(m) for m in paper.justering.justerare]
    if paper.ordförande and paper.ordförande.namn not in {
        m.namn for m in paper.justering.justerare
    }:
        signers.insert(0, str(paper.ordförande))
    return wording.join(signers)


@dataclass(frozen=True)
class AppealInstruction:
    """How to appeal a decision that concerns an individual (förvaltningsbesvär):
    förvaltningslagen 33 § wants it told, 44 § gives three weeks from notification."""

    paper: Protokollsutdrag

    def __bool__(self) -> bool:
        return self.paper.överklagande == "förvaltningsbesvär"

    def build(self, out: Builder) -> None:
        paper = self.paper
        address = paper.kontakt.postadress if paper.kontakt and paper.kontakt.postadress else None
        to = f"{paper.nämnd}, {address}" if address else paper.nämnd
        out.heading(2, "Hur man överklagar")
        for line in (
            "Beslutet kan överklagas hos förvaltningsrätten (förvaltningslagen 40–45 §§).",
            f"Överklagandet ska vara skriftligt och skickas till {to}. Det ska ha kommit in"
            " inom tre veckor från den dag du fick del av beslutet (44 § förvaltningslagen).",
            "Skriv vilket beslut du överklagar, hur du vill att det ska ändras och varför."
            " Skicka med det du vill åberopa och skriv under med namn och kontaktuppgifter.",
        ):
            out.paragraph(_text(line))


def dnr(paper: Protokollsutdrag) -> str | None:
    if not paper.diarienummer:
        return None
    return format_diarienummer(paper.diarienummer, paper.diarienummermönster)


def utdrag_blocks(paper: Protokollsutdrag) -> dict[str, Content]:
    chair = paper.ordförande.namn if paper.ordförande else None
    return {
        "paragrafen": Record(paper, dnr(paper), chair, paper.nämnd, level=1),
        "expedieras_till": Lines(paper.expedieras_till),
        "överklagandehänvisning": AppealInstruction(paper),
    }


UTDRAG = Paper(
    model=Protokollsutdrag,
    template="protokollsutdrag.docx",
    variables=field_variables(
        Protokollsutdrag,
        {
            "paragrafen": "Hela paragrafen: § och rubrik, beslut, sammanfattning, yrkanden, propositionsordning, omröstning, reservationer, anteckningar, handlingar och expediering.",
            "expedieras_till": "Mottagarna, en per rad.",
            "överklagandehänvisning": "Hur beslutet överklagas, när det överklagas genom förvaltningsbesvär (överklagande: förvaltningsbesvär); annars inget.",
        },
        {
            "diarienummer": "Diarienumret skrivet enligt nämndens mönster.",
            "justerare": "De som justerade: ordföranden och justerarna, till exempel ”Eva Holm (S) och Bo Berglund (V)”.",
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


# -- the protocol ------------------------------------------------------------------

INFORMATION_DECISION = "Informationen noteras till protokollet."


@dataclass(frozen=True)
class Minutes:
    """A meeting after it was held, with each item as the § it became."""

    meeting: Sammanträde
    paragraphs: list[Protokollsutdrag]


def minutes(meeting: Meeting) -> Minutes:
    """Every item as its § of the protocol, with titles and Dnr from its papers."""
    m = meeting.model
    assert m.justering is not None
    chairing = chair(m)
    shared = {
        "typ": "protokollsutdrag",
        "kommun": m.kommun,
        "nämnd": m.nämnd,
        "förvaltning": m.förvaltning,
        "kontakt": m.kontakt.model_dump() if m.kontakt else None,
        "partier": m.partier,
        "sammanträde": m.datum,
        "justering": m.justering.model_dump(),
        "utdragsbestyrkande": {
            "namn": m.sekreterare.namn,
            "titel": m.sekreterare.titel or "sekreterare",
            "datum": m.justering.datum,
        },
        "ordförande": str(chairing.ledamot) if chairing else None,
    }
    record_keys = list(Beslutsgång.model_fields)
    out = []
    entries = agenda(meeting).entries  # title and Dnr as the notice gave them
    for entry, number in zip(entries, paragraph_numbers(m), strict=True):
        ärende, paper = entry.ärende, entry.item.tjänsteutlåtande
        dump = ärende.model_dump()
        data: dict[str, Any] = {**shared, **{key: dump[key] for key in record_keys}}
        data.update(
            paragraf=number,
            titel=entry.title,
            undertitel=paper.undertitel if paper and not ärende.titel else None,
            diarienummer=entry.dnr,
            sammanfattning=ärende.sammanfattning or (paper.sammanfattning if paper else None),
            handlingar=[part.label for part in entry.item.parts]
            + [f"Bilaga: {b.titel}" for b in (paper.bilagor if paper else []) if not b.fil],
            information=ärende.information,
            beslut=ärende.beslut or ([INFORMATION_DECISION] if ärende.information else []),
        )
        if ärende.omedelbart_justerad:  # checked and signed at the meeting itself
            data["justering"] = {**data["justering"], "datum": m.datum}
            data["utdragsbestyrkande"] = {**data["utdragsbestyrkande"], "datum": m.datum}
        out.append(Protokollsutdrag.model_validate(data))
    return Minutes(m, out)


@dataclass(frozen=True)
class _Signatures:
    """A signature line with the name under it, for each name."""

    names: list[str]

    def __bool__(self) -> bool:
        return bool(self.names)

    def build(self, out: Builder) -> None:
        for name in self.names:
            out.paragraph([], keep_next=True)
            out.paragraph([Span("……………………………………………")], keep_next=True)
            out.paragraph([Span(name)])


def _attendee(member: Beslutande, numbers: list[int]) -> str:
    text = str(member.ledamot)
    if member.roll:
        text += f", {member.roll}"
    if member.ersätter:
        text += f", ersätter {member.ersätter}"
    served = section_range(member.från_paragraf, member.till_paragraf, numbers)
    if served:
        text += f", {served}"
    return text


def _stepping_in(minutes: Minutes) -> list[str]:
    """Ersättare who served for a member with jäv, in that paragraph only."""
    return [
        f"{c.ersätts_av}, ersätter {c.ledamot} §{NBSP}{p.paragraf} (jäv)"
        for p in minutes.paragraphs
        for c in p.jäv
        if c.ersätts_av
    ]


LAGLIGHETSPRÖVNING = (
    "Den som är medlem i kommunen kan överklaga besluten genom laglighetsprövning hos"
    " förvaltningsrätten (13 kap. kommunallagen). Överklagandet ska ha kommit in till"
    " förvaltningsrätten inom tre veckor från den dag då justeringen tillkännagavs på"
    " kommunens anslagstavla, senast {senast}."
)


def posted(minutes: Minutes) -> date:
    """The day the justering of the protocol is announced: as given, else the justering
    day (the meeting day when every paragraph was justerad at the meeting)."""
    m = minutes.meeting
    assert m.justering is not None
    if m.anslag and m.anslag.datum:
        return m.anslag.datum
    if minutes.paragraphs and all(p.omedelbart_justerad for p in minutes.paragraphs):
        return m.datum
    return m.justering.datum


@dataclass(frozen=True)
class ImmediateNotices:
    """Paragraphs justerade at the meeting: each its own announcement and appeal period."""

    minutes: Minutes

    def __bool__(self) -> bool:
        immediate = [p for p in self.minutes.paragraphs if p.omedelbart_justerad]
        return bool(immediate) and len(immediate) < len(self.minutes.paragraphs)

    def build(self, out: Builder) -> None:
        day = self.minutes.meeting.datum
        for p in self.minutes.paragraphs:
            if p.omedelbart_justerad:
                out.paragraph(
                    _text(
                        f"§{NBSP}{p.paragraf} justerades omedelbart {day}. Anslaget om den"
                        f" sätts upp {day}, sista dag för överklagande är {appeal_ends(day)}"
                        f" och anslaget tas ned {taken_down(day)}."
                    )
                )


def minutes_values(minutes: Minutes) -> dict[str, Any]:
    m = minutes.meeting
    assert m.justering is not None
    out = model_values(m)
    numbers = [p.paragraf for p in minutes.paragraphs]
    posted_on = posted(minutes)
    place = m.justering.plats
    chairing = chair(m)
    out.update(
        # Who chaired, as the attendance says (the notice names the board's chair).
        ordförande=chairing.ledamot.namn if chairing else m.ordförande,
        justerare=wording.names(m.justering.justerare),
        justeringens_plats_och_tid=f"{place}, {m.justering.datum}"
        if place
        else str(m.justering.datum),
        paragrafer_intervall=(
            f"§{NBSP}{numbers[0]}" if len(numbers) == 1 else f"§§{NBSP}{numbers[0]}–{numbers[-1]}"
        ),
        anslag_uppsätts=posted_on,
        överklagande_senast=appeal_ends(posted_on),
        anslag_tas_ned=taken_down(posted_on),
        överklagandehänvisning=LAGLIGHETSPRÖVNING.format(senast=appeal_ends(posted_on)),
        förvaringsplats=(m.anslag.förvaringsplats if m.anslag else None)
        or m.förvaltning
        or m.nämnd,
    )
    return out


def minutes_blocks(minutes: Minutes) -> dict[str, Content]:
    m = minutes.meeting
    present = m.närvarande
    assert m.justering is not None and present is not None
    chairing = chair(m)
    chair_name = chairing.ledamot.namn if chairing else m.ordförande
    numbers = [p.paragraf for p in minutes.paragraphs]
    return {
        "beslutande": Lines(
            [_attendee(b, numbers) for b in present.beslutande] + _stepping_in(minutes)
        ),
        "omedelbart_justerade": ImmediateNotices(minutes),
        "ersättare": Lines([str(e) for e in present.ersättare]),
        "övriga": Lines(present.övriga),
        "justerande_underskrifter": _Signatures([str(j) for j in m.justering.justerare]),
        "paragrafer": _Records(
            [Record(p, p.diarienummer, chair_name, m.nämnd, level=2) for p in minutes.paragraphs]
        ),
    }


@dataclass(frozen=True)
class _Records:
    records: list[Record]

    def __bool__(self) -> bool:
        return bool(self.records)

    def build(self, out: Builder) -> None:
        for record in self.records:
            record.build(out)


PROTOKOLL = Paper(
    model=Sammanträde,
    template="protokoll.docx",
    variables=field_variables(
        Sammanträde,
        {
            "beslutande": "De beslutande, en per rad: ”Namn (Parti), ordförande”, ”Namn (Parti), ersätter Namn (Parti)”.",
            "ersättare": "Närvarande ersättare som inte tjänstgör, en per rad.",
            "övriga": "Övriga närvarande, en per rad.",
            "justerande_underskrifter": "En namnteckningsrad med namnet under för varje justerare.",
            "paragrafer": "Alla paragrafer i ordning, var och en som i protokollsutdraget.",
            "omedelbart_justerade": "För varje omedelbart justerad paragraf dess eget anslag och sista dag för överklagande (när inte alla justerades omedelbart).",
        },
        {
            "justerare": "Justerarna, till exempel ”Anna Andersson (S) och Bo Berglund (V)”.",
            "justeringens_plats_och_tid": "Justeringens plats och dag.",
            "paragrafer_intervall": "Protokollets paragrafer, till exempel ”§§ 1–11”.",
            "anslag_uppsätts": "Dagen anslaget sätts upp (justeringsdagen om inget annat anges).",
            "överklagande_senast": "Sista dagen att överklaga: tre veckor efter anslaget, flyttad förbi helgdagar.",
            "anslag_tas_ned": "Dagen anslaget tidigast tas ned: dagen efter att tiden för överklagande gått ut.",
            "förvaringsplats": "Var protokollet förvaras.",
            "överklagandehänvisning": "Hur besluten överklagas genom laglighetsprövning (13 kap. kommunallagen), med sista dagen.",
        },
    ),
    values=minutes_values,
    blocks=minutes_blocks,
    properties=lambda minutes: {
        "title": f"Protokoll {minutes.meeting.nämnd} {minutes.meeting.datum}",
        "subject": f"Protokoll {minutes.meeting.datum}",
        "creator": minutes.meeting.nämnd,
        "keywords": "protokoll",
        "created": minutes.meeting.justering.datum
        if minutes.meeting.justering
        else minutes.meeting.datum,
    },
)
