"""Who took part in each paragraph: the attendance, late arrivals and early leavers, jäv.

Kommunallagen 5 kap. 67 § wants the minutes to show who took part in each decision;
a member who arrives late, leaves early or has jäv (6 kap. 28–32 §§) does not take part
in every paragraph, and an ersättare may step in for one paragraph only.
"""

from __future__ import annotations

from beslutsdoc.model.beslut import Beslutsgång
from beslutsdoc.model.common import Ledamot
from beslutsdoc.model.sammantrade import Sammanträde, paragraph_numbers


def participants(meeting: Sammanträde, number: int, record: Beslutsgång) -> list[Ledamot] | None:
    """The members who took part in § `number`, or None without an attendance list."""
    present = meeting.närvarande
    if present is None or not present.beslutande:
        return None
    conflicted = {c.ledamot.namn for c in record.jäv}
    out = [b.ledamot for b in present.beslutande if b.serves(number)]
    out = [m for m in out if m.namn not in conflicted]
    out += [c.ersätts_av for c in record.jäv if c.ersätts_av]
    return out


def per_paragraph(meeting: Sammanträde) -> list[tuple[int, list[Ledamot] | None]]:
    """Each item's § number with who took part in it."""
    return [
        (number, participants(meeting, number, item))
        for item, number in zip(meeting.ärenden, paragraph_numbers(meeting), strict=True)
    ]


def section_range(first: int | None, last: int | None, numbers: list[int]) -> str | None:
    """”§§ 3–11” for a member who took part in only some paragraphs, else None."""
    if not numbers or (first is None and last is None):
        return None
    start = max(first or numbers[0], numbers[0])
    end = min(last or numbers[-1], numbers[-1])
    if start == end:
        return f"§\u00a0{start}"
    return f"§§\u00a0{start}–{end}"
