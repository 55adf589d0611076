"""What each public page of a meeting says: the notice, the minutes, the anslag.

The minutes are the protocol's own blocks (`render/protokoll.py`), made public by the
public-copy transform, then written as HTML; the notice and the anslag are facts that
the page templates lay out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from beslutsdoc.document.builder import Builder, Content, blocks_of
from beslutsdoc.document.nodes import Block, BulletList, ListItem, Paragraph
from beslutsdoc.document.public import public_copy
from beslutsdoc.document.text import keep_legal_together, long_date
from beslutsdoc.model.meeting import Meeting
from beslutsdoc.model.sammantrade import Sammanträde, chair
from beslutsdoc.model.tidsfrister import appeal_ends
from beslutsdoc.render import wording
from beslutsdoc.render.content import Lines
from beslutsdoc.render.html import HtmlWriter, Written
from beslutsdoc.render.kallelse import agenda
from beslutsdoc.render.protokoll import Minutes, minutes_values
from beslutsdoc.render.protokoll import minutes_blocks as protocol_parts


def public_blocks(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """The public copy of `blocks`: each secret part replaced by a line naming its
    ground, as every public paper has it. The HTML writer leaves out any secret part it
    still meets as well, so a page never shows one."""
    return public_copy(blocks)


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str
    dnr: str | None
    information: bool


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The numbered agenda: each item's title and Dnr, as the notice gives them."""
    return [
        AgendaItem(
            e.number,
            keep_legal_together(e.title),
            e.dnr,
            e.ärende.information and not e.dnr,
        )
        for e in agenda(meeting).entries
    ]


def has_minutes(meeting: Sammanträde) -> bool:
    """Whether the meeting has been held and its minutes written (attendance, justering)."""
    return meeting.närvarande is not None or meeting.justering is not None


@dataclass(frozen=True)
class Anslag:
    """The notice of the justerade minutes, with what 8 kap. 10 and 12 §§ ask for."""

    justered: date
    posted: date
    appeal_by: date
    taken_down: date
    kept_at: str
    paragraphs: str
    checkers: str
    immediate: list[tuple[int, str, date, date]]  # (§, title, posted, appeal by)


def anslag(record: Minutes) -> Anslag:
    values = minutes_values(record)
    m = record.meeting
    immediate = [
        (p.paragraf, p.titel, m.datum, appeal_ends(m.datum))
        for p in record.paragraphs
        if p.omedelbart_justerad
    ]
    assert m.justering is not None  # a meeting with minutes has its justering
    return Anslag(
        justered=m.justering.datum,
        posted=values["anslag_uppsätts"],
        appeal_by=values["överklagande_senast"],
        taken_down=values["anslag_tas_ned"],
        kept_at=values["förvaringsplats"],
        paragraphs=values["paragrafer_intervall"],
        checkers=values["justerare"],
        immediate=immediate,
    )


def _attendance(parts: dict[str, Content], out: Builder) -> None:
    """Who took part, as the protocol's cover lists them, one list per group."""
    out.heading(2, "Närvarande")
    for title, key in (
        ("Beslutande", "beslutande"),
        ("Närvarande ersättare", "ersättare"),
        ("Övriga närvarande", "övriga"),
    ):
        lines = [b for b in blocks_of(parts[key]) if isinstance(b, Paragraph)]
        if lines:
            out.heading(3, title)
            out.add(BulletList(tuple(ListItem((line,)) for line in lines)))


def _justering(m: Sammanträde, out: Builder) -> None:
    if m.justering is None:
        return
    out.heading(2, "Justering")
    chairing = chair(m)
    checkers = [str(j) for j in m.justering.justerare]
    if chairing:
        checkers = [f"ordföranden {chairing.ledamot}", *checkers]
    where = f" i {m.justering.plats}" if m.justering.plats else ""
    Lines(
        [
            f"Protokollet justerades av {wording.join(checkers)}"
            f" den {long_date(m.justering.datum)}{where}."
        ]
    ).build(out)


def minutes_blocks(record: Minutes) -> tuple[Block, ...]:
    """The minutes' blocks as the public page shows them: the protocol's own attendance
    and paragraphs (`render/protokoll.py`, as the Word protocol has them) and the
    justering; secret parts as the public copy has them."""
    parts = protocol_parts(record)
    out = Builder()
    out.contents()
    _attendance(parts, out)
    for block in blocks_of(parts["paragrafer"]):
        out.add(block)
    _justering(record.meeting, out)
    return public_blocks(out.blocks)


def minutes_html(record: Minutes) -> Written:
    # The contents list the §§ (and attendance, justering): the page's h2s.
    writer = HtmlWriter(top=2, public=True, contents_depth=1)
    return writer.write(minutes_blocks(record)).result()


def decided_in(record: Minutes, written: Written) -> dict[int, tuple[int, str]]:
    """Agenda number → the § it became and its heading's id on the minutes page."""
    ids = {h.text.split(" ", 1)[0]: h.id for h in written.headings if h.text.startswith("§")}
    out = {}
    for number, paragraph in enumerate(record.paragraphs, start=1):
        anchor = ids.get(f"§\u00a0{paragraph.paragraf}")
        if anchor:
            out[number] = (paragraph.paragraf, anchor)
    return out
