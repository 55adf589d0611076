"""The standard sentences of the minutes, generated from the data in correct Swedish."""

from __future__ import annotations

from collections.abc import Sequence

from beslutsdoc.model.beslut import (
    Ajournering,
    Beslutsgång,
    Jäv,
    Omröstning,
    Reservation,
    Yrkande,
    vote_winner,
)
from beslutsdoc.model.common import Ledamot
from beslutsdoc.model.procedure import Step, main_proposals

_PROCEDURAL_VERB = {"återremiss": "återremitteras", "bordläggning": "bordläggas"}


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
    kind = yrkande.kind
    if yrkande.bifall_till:
        return f"{who} yrkade bifall till {yrkande.bifall_till.rstrip('.')}."
    if yrkande.att_satser or yrkande.text:
        return f"{who} yrkade"
    if kind == "minoritetsåterremiss":
        return f"{who} begärde att ärendet ska återremitteras (minoritetsåterremiss)."
    if kind in _PROCEDURAL_VERB:
        return f"{who} yrkade att ärendet ska {_PROCEDURAL_VERB[kind]}."
    return f"{who} yrkade avslag."


def board_subject(nämnd: str) -> str:
    """The board as the subject of the minutes' sentences: ”nämnden” for a nämnd (as the
    seeds write it), else its own name: ”kommunstyrelsen”, ”kommunfullmäktige”."""
    name = nämnd.strip()
    if name.lower().endswith("nämnden") or not name:
        return "nämnden"
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _is_rejection(proposal: str) -> bool:
    return proposal.strip().lower().startswith("avslag")


def _according(board: str, proposal: str, vote: Omröstning) -> str:
    """What a voter wants when voting for `proposal`: ”att nämnden beslutar enligt X”,
    ”avslå förslaget”, or the proposal itself when it says ”att …”."""
    if vote.fråga == "motförslag":
        return f"att {proposal} ska vara motförslag"
    if proposal.lower().startswith("att "):
        return proposal
    if _is_rejection(proposal):
        return "avslå förslaget"
    return f"att {board} beslutar enligt {proposal}"


def step_sentence(
    step: Step, record: Beslutsgång, chair: str | None, board: str, first: bool
) -> str | None:
    """The chair's proposition for one question, unless there is nothing to say."""
    if step.question == "minoritetsåterremiss":
        return (
            "Eftersom minst en tredjedel av de närvarande ledamöterna har begärt att ärendet"
            " ska återremitteras, återremitteras ärendet (minoritetsåterremiss)."
        )
    if step.question in _PROCEDURAL_VERB:
        verb = _PROCEDURAL_VERB[step.question]
        found = f"ärendet ska {verb}" if step.sent_back else "det ska avgöras i dag"
        sentence = (
            f"Ordföranden frågade {'först ' if first else ''}om ärendet ska avgöras i dag"
            f" eller {verb} och fann att {found}."
        )
    elif step.question == "motförslag":
        won = winner_text(step.vote, chair)
        sentence = (
            f"Ordföranden ställde {'först ' if first else ''}proposition på vilket förslag"
            " som ska vara motförslag i huvudvoteringen"
            + (f" och fann att {won} ska vara motförslag." if won else ".")
        )
    else:
        main = _main_sentence(record, step, chair, board, first)
        if main is None:
            return None
        sentence = main
    return sentence + (" Omröstning begärdes." if step.vote else "")


def _main_sentence(
    record: Beslutsgång, step: Step, chair: str | None, board: str, first: bool
) -> str | None:
    decided = record.beslutat_enligt or winner_text(step.vote, chair)
    if not decided:
        return None
    if len(main_proposals(record)) > 1 or step.vote:
        outcome = "avslagit förslaget" if _is_rejection(decided) else f"beslutat enligt {decided}"
        lead = "Ordföranden ställde" if first else "Därefter ställde ordföranden"
        return f"{lead} de framställda förslagen till beslut mot varandra och fann att {board} {outcome}."
    lead = "Ordföranden frågade" if first else "Därefter frågade ordföranden"
    return f"{lead} om {board} kunde besluta enligt {decided} och fann att så var fallet."


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def vote_proposition(vote: Omröstning, board: str = "nämnden") -> str:
    return (
        "Ordföranden ställde följande voteringsproposition, som godkändes: den som vill"
        f" {_according(board, vote.ja_innebär, vote)} röstar ja, den som vill"
        f" {_according(board, vote.nej_innebär, vote)} röstar nej."
    )


def vote_result(vote: Omröstning, chair: str | None, board: str = "nämnden") -> str:
    """”Med 8 ja-röster mot 5 nej-röster och 1 som avstod beslutar nämnden enligt ...”."""
    winner = vote_winner(vote, chair)
    if winner is None:  # the checks refuse a tie without a chair who voted
        raise ValueError("lika röstetal utan ordförandens röst")
    decided = vote.ja_innebär if winner == "ja" else vote.nej_innebär
    ja, nej, avstår = vote.counts()
    counts = [f"{_count(ja, 'ja-röst', 'ja-röster')} mot {_count(nej, 'nej-röst', 'nej-röster')}"]
    if avstår:
        counts.append(f"{avstår} som avstod")
    if ja == nej:
        counts.append("lottning" if vote.sluten else "ordförandens utslagsröst")
    if vote.fråga == "motförslag":
        return f"Med {join(counts)} blir {decided} motförslag i huvudvoteringen."
    if decided.lower().startswith("att "):
        return f"Med {join(counts)} beslutar {board} {decided}."
    if _is_rejection(decided):
        return f"Med {join(counts)} avslår {board} förslaget."
    return f"Med {join(counts)} beslutar {board} enligt {decided}."


def vote_heading(vote: Omröstning, several: bool) -> str:
    if not several:
        return "Omröstning"
    return {
        "återremiss": "Omröstning om återremiss",
        "bordläggning": "Omröstning om bordläggning",
        "motförslag": "Omröstning om motförslag",
    }.get(vote.fråga, "Omröstning i huvudfrågan")


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


def conflict(conflicts: Sequence[Jäv]) -> list[str]:
    """Who declared jäv, and who served in their place."""
    members = [c.ledamot for c in conflicts]
    verb = "anmälde" if len(members) == 1 else "anmälde var för sig"
    out = [f"{names(members)} {verb} jäv och deltog inte i handläggningen av ärendet."]
    out += [
        f"{c.ersätts_av} tjänstgjorde i stället för {c.ledamot}." for c in conflicts if c.ersätts_av
    ]
    return out


def adjournment(pause: Ajournering) -> str:
    why = f" {pause.skäl.rstrip('.')}" if pause.skäl else ""
    return f"Sammanträdet ajournerades kl. {pause.från}–{pause.till}{why}."
