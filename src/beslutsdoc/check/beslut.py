"""Rules of the decision record: votes, reservations, dates, parties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from beslutsdoc.model.beslut import Beslutsgång, Omröstning, main_vote, vote_winner, votes
from beslutsdoc.model.common import Ledamot
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.procedure import main_proposals, sent_back
from beslutsdoc.problems import FieldPath, Problem

# "Socialförvaltningen föreslår ..." copied into the minutes: the minutes record what the
# board decided, not what was proposed.
_PROPOSAL = re.compile(r"^\s*\S*(förvaltningen|nämnden|kontoret)\s+föreslår\b", re.I)
_SIDES = ("ja", "nej", "avstår")


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
) -> list[Problem]:
    """Rules for one decision record at `path` in the paper; `chair` is the chair's name
    (whose vote decides a tie). Who may vote and reserve is checked with the attendance
    (check/procedure.py)."""
    problems = _copied_proposals(loaded, path, record)
    problems += _conflicted_take_part(loaded, path, record)
    several = len(main_proposals(record)) > 1 and not sent_back(record, chair)
    if several and not (record.propositionsordning or record.beslutat_enligt or votes(record)):
        problems.append(
            loaded.problem(
                (*path, "yrkanden"),
                "med flera yrkanden behövs propositionsordning eller beslutat_enligt"
                " (förslaget nämnden beslutade enligt)",
                key=True,
            )
        )
    for where, vote in vote_paths(record):
        problems += _vote(loaded, (*path, *where), vote, chair)
    main = main_vote(record)
    if main is not None:
        problems += _follows_vote(loaded, path, record, main, chair)
    return problems


def vote_paths(record: Beslutsgång) -> list[tuple[FieldPath, Omröstning]]:
    """Each vote of the record with where it stands."""
    out: list[tuple[FieldPath, Omröstning]] = []
    if record.omröstning:
        out.append((("omröstning",), record.omröstning))
    out += [(("omröstningar", i), v) for i, v in enumerate(record.omröstningar)]
    return out


def _copied_proposals(loaded: Loaded[Any], path: FieldPath, record: Beslutsgång) -> list[Problem]:
    return [
        loaded.problem(
            (*path, "beslut", index),
            "beslutet återger ett förslag; skriv det nämnden beslutade, till exempel"
            " ”Socialnämnden godkänner ...”",
        )
        for index, point in enumerate(record.beslut)
        if _PROPOSAL.match(point)
    ]


def _conflicted_take_part(
    loaded: Loaded[Any], path: FieldPath, record: Beslutsgång
) -> list[Problem]:
    disqualified = {j.ledamot.namn for j in record.jäv}
    taking_part: list[tuple[FieldPath, Ledamot]] = [
        (("yrkanden", i, "av", j), m)
        for i, y in enumerate(record.yrkanden)
        for j, m in enumerate(y.av)
    ]
    for where, vote in vote_paths(record):
        taking_part += [
            ((*where, side, i), m)
            for side in ("ja", "nej", "avstår")
            for i, m in enumerate(getattr(vote, side))
        ]
    return [
        loaded.problem(
            (*path, *where),
            f"{member} anmälde jäv och kan inte delta i ärendet (6 kap. 28 § kommunallagen)",
        )
        for where, member in taking_part
        if member.namn in disqualified
    ]


def _vote(loaded: Loaded[Any], at: FieldPath, vote: Omröstning, chair: str | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for side in ("ja", "nej", "avstår"):
        for index, member in enumerate(getattr(vote, side)):
            if member.namn in seen:
                problems.append(
                    loaded.problem(
                        (*at, side, index),
                        f"{member} röstar två gånger (också under {seen[member.namn]})",
                    )
                )
            seen.setdefault(member.namn, side)
    ja, nej, _ = vote.counts()
    winner = vote_winner(vote, chair)
    if winner is None and not vote.sluten:
        problems.append(
            loaded.problem(
                at,
                f"lika röstetal ({ja}–{nej}): ordförandens utslagsröst avgör;"
                " ange ordföranden (ordförande:) och låt ordföranden rösta ja eller nej",
                key=True,
            )
        )
    elif vote.resultat and winner and vote.resultat != winner:
        tie = ", lika röstetal avgjort av ordföranden" if ja == nej else ""
        problems.append(
            loaded.problem(
                (*at, "resultat"),
                f"resultatet ”{vote.resultat}” följer inte av rösterna ({ja} ja, {nej} nej{tie}):"
                f" ”{winner}” vann",
            )
        )
    return problems


def _follows_vote(
    loaded: Loaded[Any], path: FieldPath, record: Beslutsgång, vote: Omröstning, chair: str | None
) -> list[Problem]:
    """The decision follows the main vote, and those who voted for it do not reserve."""
    winner = vote_winner(vote, chair)
    if winner is None:
        return []
    problems = []
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
                        f"{member} röstade för beslutet och kan inte reservera sig mot det"
                        " (4 kap. 27 § kommunallagen)",
                    )
                )
    return problems
