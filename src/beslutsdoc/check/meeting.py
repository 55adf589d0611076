"""Rules of a whole meeting: the sammanträde, every paper of its items, and what only
follows from them together (a paper for another meeting, a Dnr on two items)."""

from __future__ import annotations

import contextlib
from typing import Any

from beslutsdoc.check.procedure import follows_proposal
from beslutsdoc.check.rules import order, problems_of
from beslutsdoc.model.diarienummer import DiarienummerError, format_diarienummer
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.meeting import Item, Meeting
from beslutsdoc.model.registry import PAPERS, Registry
from beslutsdoc.problems import Problem


def meeting_problems(
    meeting: Meeting, registry: Registry = PAPERS, *, complete: bool = True
) -> list[Problem]:
    """Every rule the meeting and its items' papers break, in file order. `complete`:
    every document of every item loaded (else Dnr are not compared across items)."""
    problems = problems_of(meeting.loaded, registry) + follows_proposal(meeting)
    for item, paper in meeting.papers():
        problems += problems_of(paper, registry)
        problems += wrong_meeting(meeting, item, paper)
    if complete and not problems:  # Dnr are compared only once each one is right
        problems = shared_dnr(meeting)
    return sorted(problems, key=order)


def wrong_meeting(meeting: Meeting, item: Item, paper: Loaded[Any]) -> list[Problem]:
    """A paper written for another meeting than the one whose item lists it."""
    date = getattr(paper.model, "sammanträde", None)
    if date is None or date == meeting.model.datum:
        return []
    return [
        paper.problem(
            ("sammanträde",),
            f"handlingen hör till sammanträdet {date}, men ligger i ärende"
            f" {item.number} på sammanträdet {meeting.model.datum} ({meeting.loaded.file.name})",
        )
    ]


def shared_dnr(meeting: Meeting) -> list[Problem]:
    """A Dnr on two items is a typing error unless the later item says why."""
    model = meeting.model
    first: dict[str, int] = {}
    problems = []
    for index, (item, ärende) in enumerate(zip(meeting.items, model.ärenden, strict=True)):
        paper = item.tjänsteutlåtande
        raw = ärende.diarienummer or (paper.diarienummer if paper else None)
        if not raw:
            continue
        with contextlib.suppress(DiarienummerError):  # SN 2021:1 is SN 2021:00001
            raw = format_diarienummer(raw, model.diarienummermönster)
        dnr = " ".join(raw.split()).casefold()
        if dnr in first and not ärende.diarienummer_skäl:
            problems.append(
                meeting.loaded.problem(
                    ("ärenden", index),
                    f"ärende {item.number} har samma diarienummer ({raw}) som ärende"
                    f" {first[dnr] + 1}; skriv varför under diarienummer_skäl: om det är rätt",
                    key=True,
                )
            )
        first.setdefault(dnr, index)
    return problems
