"""Rules of the decision record: votes, reservations, dates, parties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from beslutsdoc.model.beslut import Beslutsgång, vote_winner
from beslutsdoc.model.common import Ledamot
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.problems import FieldPath, Problem

# "Socialförvaltningen föreslår ..." copied into the minutes: the minutes record what the
# board decided, not what was proposed.
_PROPOSAL = re.compile(r"^\s*\S*(förvaltningen|nämnden|kontoret)\s+föreslår\b", re.I)


def members(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Ledamot]]:
    """Every member named anywhere in a model, with its path."""
    if isinstance(value, Ledamot):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from members(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from members(item, (*path, index))


def check_parties(loaded: Loaded[Any]) -> list[Problem]:
    known = set(loaded.model.partier)
    return [
        loaded.problem(
            path,
            f"partiet ”{member.parti}” i ”{member}” finns inte bland profilens partier"
            f" ({', '.join(sorted(known))}); lägg till det under partier: om det är ett lokalt parti",
        )
        for path, member in members(loaded.model)
        if member.parti not in known
    ]


def check_record(
    loaded: Loaded[Any],
    path: FieldPath,
    record: Beslutsgång,
    chair: str | None,
    voters: set[str] | None = None,
) -> list[Problem]:
    """Rules for one decision record at `path` in the paper.

    `chair` is the chair's name (for a tie); `voters`, the names of the members who
    took part in the decisions, when known.
    """
    problems: list[Problem] = []
    for index, point in enumerate(record.beslut):
        if _PROPOSAL.match(point):
            problems.append(
                loaded.problem(
                    (*path, "beslut", index),
                    "beslutet återger ett förslag; skriv det nämnden beslutade, till exempel"
                    " ”Socialnämnden godkänner ...”",
                )
            )
    disqualified = {m.namn for m in record.jäv}
    taking_part: list[tuple[FieldPath, Ledamot]] = [
        (("yrkanden", i, "av", j), m)
        for i, y in enumerate(record.yrkanden)
        for j, m in enumerate(y.av)
    ]
    if record.omröstning:
        taking_part += [
            (("omröstning", side, i), m)
            for side in ("ja", "nej", "avstår")
            for i, m in enumerate(getattr(record.omröstning, side))
        ]
    for where, member in taking_part:
        if member.namn in disqualified:
            problems.append(
                loaded.problem(
                    (*path, *where), f"{member} anmälde jäv och kan inte delta i ärendet"
                )
            )
    vote = record.omröstning
    if len(record.yrkanden) > 1 and not (
        record.propositionsordning or record.beslutat_enligt or vote
    ):
        problems.append(
            loaded.problem(
                (*path, "yrkanden"),
                "med flera yrkanden behövs propositionsordning eller beslutat_enligt"
                " (förslaget nämnden beslutade enligt)",
                key=True,
            )
        )
    if vote is None:
        return problems
    vote_path = (*path, "omröstning")
    seen: dict[str, str] = {}
    for side in ("ja", "nej", "avstår"):
        for index, member in enumerate(getattr(vote, side)):
            if member.namn in seen:
                problems.append(
                    loaded.problem(
                        (*vote_path, side, index),
                        f"{member} röstar två gånger (också under {seen[member.namn]})",
                    )
                )
            seen.setdefault(member.namn, side)
            if voters is not None and member.namn not in voters:
                problems.append(
                    loaded.problem(
                        (*vote_path, side, index),
                        f"{member} röstar men är inte bland de beslutande (närvarande.beslutande)",
                    )
                )
    winner = vote_winner(vote, chair)
    if winner is None:
        problems.append(
            loaded.problem(
                vote_path,
                f"lika röstetal ({len(vote.ja)}–{len(vote.nej)}): ordförandens utslagsröst avgör;"
                " ange ordföranden (ordförande:) och låt ordföranden rösta ja eller nej",
                key=True,
            )
        )
        return problems
    if vote.resultat and vote.resultat != winner:
        problems.append(
            loaded.problem(
                (*vote_path, "resultat"),
                f"resultatet ”{vote.resultat}” följer inte av rösterna ({len(vote.ja)} ja, "
                f"{len(vote.nej)} nej{', lika röstetal avgjort av ordföranden' if len(vote.ja) == len(vote.nej) else ''}):"
                f" ”{winner}” vann",
            )
        )
    loser_text = vote.nej_innebär if winner == "ja" else vote.ja_innebär
    winner_text = vote.ja_innebär if winner == "ja" else vote.nej_innebär
    if record.beslutat_enligt and record.beslutat_enligt.strip() == loser_text.strip():
        problems.append(
            loaded.problem(
                (*path, "beslutat_enligt"),
                f"nämnden beslutade enligt ”{winner_text}” i omröstningen, inte ”{record.beslutat_enligt}”",
            )
        )
    winners = {m.namn for m in (vote.ja if winner == "ja" else vote.nej)}
    for r_index, reservation in enumerate(record.reservationer):
        for m_index, member in enumerate(reservation.av):
            if member.namn in winners:
                problems.append(
                    loaded.problem(
                        (*path, "reservationer", r_index, "av", m_index),
                        f"{member} röstade för beslutet och kan inte reservera sig mot det",
                    )
                )
    return problems
