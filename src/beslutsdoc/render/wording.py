"""The standard sentences of the minutes, generated from the data in correct Swedish."""

from __future__ import annotations

from collections.abc import Sequence

from beslutsdoc.model.beslut import Beslutsgång, Omröstning, Reservation, Yrkande, vote_winner
from beslutsdoc.model.common import Ledamot


def join(items: Sequence[str]) -> str:
    """`["A", "B", "C"]` → `A, B och C`."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def names(members: Sequence[Ledamot]) -> str:
    return join([str(m) for m in members])


def proposal(yrkande: Yrkande) -> str:
    """The sentence that opens a yrkande: ”A (S) och B (V) yrkade bifall till ...”."""
    who = names(yrkande.av)
    if yrkande.bifall_till:
        return f"{who} yrkade bifall till {yrkande.bifall_till.rstrip('.')}."
    return f"{who} yrkade"


def board_subject(nämnd: str) -> str:
    """The board as the subject of the minutes' sentences: ”nämnden” for a nämnd (as the
    seeds write it), else its own name: ”kommunstyrelsen”, ”kommunfullmäktige”."""
    name = nämnd.strip()
    if name.lower().endswith("nämnden") or not name:
        return "nämnden"
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _is_rejection(proposal: str) -> bool:
    return proposal.strip().lower().startswith("avslag")


def _according(board: str, proposal: str) -> str:
    """What the board does when it follows `proposal`: ”beslutar enligt X” or ”avslår
    förslaget”."""
    if _is_rejection(proposal):
        return "avslå förslaget"
    return f"att {board} beslutar enligt {proposal}"


def order(record: Beslutsgång, winner_text: str | None, board: str = "nämnden") -> str | None:
    """Propositionsordningen, unless written by hand."""
    if record.propositionsordning:
        return record.propositionsordning
    decided = record.beslutat_enligt or winner_text
    if not decided:
        return None
    if len(record.yrkanden) > 1 or record.omröstning:
        outcome = "avslagit förslaget" if _is_rejection(decided) else f"beslutat enligt {decided}"
        sentence = (
            "Ordföranden ställde de framställda förslagen till beslut mot varandra och fann att"
            f" {board} {outcome}."
        )
    else:
        sentence = f"Ordföranden frågade om {board} kunde besluta enligt {decided} och fann att så var fallet."
    if record.omröstning:
        sentence += " Omröstning begärdes."
    return sentence


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def vote_proposition(vote: Omröstning, board: str = "nämnden") -> str:
    return (
        "Ordföranden ställde följande voteringsproposition, som godkändes: den som vill"
        f" {_according(board, vote.ja_innebär)} röstar ja, den som vill"
        f" {_according(board, vote.nej_innebär)} röstar nej."
    )


def vote_result(vote: Omröstning, chair: str | None, board: str = "nämnden") -> str:
    """”Med 8 ja-röster mot 5 nej-röster och 1 som avstod beslutar nämnden enligt ...”."""
    winner = vote_winner(vote, chair)
    if winner is None:  # the checks refuse a tie without a chair who voted
        raise ValueError("lika röstetal utan ordförandens röst")
    decided = vote.ja_innebär if winner == "ja" else vote.nej_innebär
    counts = [
        f"{_count(len(vote.ja), 'ja-röst', 'ja-röster')} mot"
        f" {_count(len(vote.nej), 'nej-röst', 'nej-röster')}"
    ]
    if vote.avstår:
        counts.append(f"{len(vote.avstår)} som avstod")
    if len(vote.ja) == len(vote.nej):
        counts.append("ordförandens utslagsröst")
    if _is_rejection(decided):
        return f"Med {join(counts)} avslår {board} förslaget."
    return f"Med {join(counts)} beslutar {board} enligt {decided}."


def winner_text(vote: Omröstning | None, chair: str | None) -> str | None:
    if vote is None:
        return None
    winner = vote_winner(vote, chair)
    return None if winner is None else (vote.ja_innebär if winner == "ja" else vote.nej_innebär)


def reservation(item: Reservation) -> str:
    who = names(item.av)
    if item.till_förmån_för:
        return f"{who} reserverade sig mot beslutet till förmån för {item.till_förmån_för.rstrip('.')}."
    return f"{who} reserverade sig mot beslutet."


def conflict(members: Sequence[Ledamot]) -> str:
    verb = "anmälde" if len(members) == 1 else "anmälde var för sig"
    return f"{names(members)} {verb} jäv och deltog inte i handläggningen av ärendet."
