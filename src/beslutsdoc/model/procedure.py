"""The order in which the chair puts the questions of one paragraph, as the law runs it.

Procedural questions come first: whether the matter is decided today or sent back
(återremiss) or postponed (bordläggning); a minority's återremiss needs no vote. Then
the matter itself: with three or more proposals, a vote on which one stands against
the main proposal (kontrapropositionsvotering), then the main vote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from beslutsdoc.model.beslut import Beslutsgång, Omröstning, Yrkande, vote_winner, votes

_SENT_BACK = {
    "återremiss": re.compile(r"återremitter", re.I),
    "bordläggning": re.compile(r"bordl[äa]gg", re.I),
}


@dataclass(frozen=True)
class Step:
    """One question the chair put: what it was about, its vote, and how it went."""

    question: (
        str  # "återremiss", "bordläggning", "minoritetsåterremiss", "motförslag", "huvudfråga"
    )
    vote: Omröstning | None
    #: For a procedural question: True when the matter was sent back or postponed.
    sent_back: bool = False


def procedural_kinds(record: Beslutsgång) -> list[str]:
    """The procedural questions the yrkanden raise, in the order they were moved."""
    kinds: list[str] = []
    for yrkande in record.yrkanden:
        if yrkande.procedural and yrkande.kind not in kinds:
            kinds.append(yrkande.kind)
    return kinds


def main_proposals(record: Beslutsgång) -> list[Yrkande]:
    return [y for y in record.yrkanden if not y.procedural]


def _vote_for(record: Beslutsgång, question: str) -> Omröstning | None:
    found = [v for v in votes(record) if v.fråga == question]
    return found[0] if found else None


def _won(vote: Omröstning, chair: str | None) -> str | None:
    winner = vote_winner(vote, chair)
    if winner is None:
        return None
    return vote.ja_innebär if winner == "ja" else vote.nej_innebär


def steps(record: Beslutsgång, chair: str | None) -> list[Step]:
    """The questions of the paragraph in the order the chair put them."""
    out: list[Step] = []
    decided = " ".join(record.beslut)
    for kind in procedural_kinds(record):
        if kind == "minoritetsåterremiss":
            return [*out, Step(kind, None, sent_back=True)]
        vote = _vote_for(record, kind)
        outcome = _won(vote, chair) if vote else decided
        sent_back = bool(outcome and _SENT_BACK[kind].search(outcome))
        out.append(Step(kind, vote, sent_back))
        if sent_back:
            return out
    counter = _vote_for(record, "motförslag")
    if counter:
        out.append(Step("motförslag", counter))
    main = [v for v in votes(record) if v.fråga == "huvudfråga"]
    if main_proposals(record) or main or record.beslutat_enligt:
        out.append(Step("huvudfråga", main[-1] if main else None))
    return out


def sent_back(record: Beslutsgång, chair: str | None) -> bool:
    """True when the paragraph ended in återremiss or bordläggning."""
    found = steps(record, chair)
    return bool(found) and found[-1].sent_back
