"""The meeting procedure as the law runs it: who may vote and reserve, what a vote must
account for, when the minutes are justerade and the justering announced.

Each message names the rule's place in the law, so the secretary can look it up.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from beslutsdoc.check.beslut import vote_paths
from beslutsdoc.model.attendance import participants
from beslutsdoc.model.beslut import Beslutsgång, Justering, Omröstning, main_vote
from beslutsdoc.model.common import Ledamot
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.meeting import Meeting
from beslutsdoc.model.procedure import main_proposals, procedural_kinds
from beslutsdoc.model.sammantrade import Sammanträde, chair, paragraph_numbers
from beslutsdoc.model.tidsfrister import period_end
from beslutsdoc.problems import FieldPath, Problem

VOTE_LAW = "5 kap. 67 § kommunallagen"
RESERVATION_LAW = "4 kap. 27 § kommunallagen"
QUORUM_LAW = "6 kap. 27 § kommunallagen"
#: The minutes are justerade within 14 days (kommunallagen 5 kap. 69 §, for nämnder 6 kap. 35 §).
JUSTERING_DAYS = 14


def _names(members: list[Ledamot]) -> str:
    shown = [str(m) for m in members]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " och " + shown[-1]


def check_votes(
    loaded: Loaded[Any],
    path: FieldPath,
    record: Beslutsgång,
    taking_part: list[Ledamot] | None,
    present: set[str] | None = None,
) -> list[Problem]:
    """Every vote accounts for everyone taking part in the paragraph, and only them.
    `present`: the names of all the meeting's beslutande."""
    problems: list[Problem] = []
    for where, vote in vote_paths(record):
        at = (*path, *where)
        problems += _vote_question(loaded, at, record, vote)
        if taking_part is None:
            continue
        if vote.sluten:
            problems += _counted(loaded, at, vote, taking_part)
        else:
            problems += _named(loaded, at, vote, taking_part, present or set())
    return problems


def _named(
    loaded: Loaded[Any],
    at: FieldPath,
    vote: Omröstning,
    taking_part: list[Ledamot],
    present: set[str],
) -> list[Problem]:
    serving = {m.namn for m in taking_part}
    voted = {m.namn for side in (vote.ja, vote.nej, vote.avstår) for m in side}
    missing = [m for m in taking_part if m.namn not in voted]
    problems = []
    if missing:
        problems.append(
            loaded.problem(
                at,
                f"omröstningen redovisar inte hur {_names(missing)} röstade; var och en som"
                " deltar i paragrafen står under ja, nej eller avstår"
                f" ({VOTE_LAW}, punkt 5)",
                key=True,
            )
        )
    for side in ("ja", "nej", "avstår"):
        for index, member in enumerate(getattr(vote, side)):
            if member.namn in serving:
                continue
            why = (
                "deltar inte i paragrafen (kom senare, gick tidigare eller har jäv)"
                if member.namn in present
                else "röstar men är inte bland de beslutande (närvarande.beslutande)"
            )
            problems.append(loaded.problem((*at, side, index), f"{member} {why}"))
    return problems


def _counted(
    loaded: Loaded[Any], at: FieldPath, vote: Omröstning, taking_part: list[Ledamot]
) -> list[Problem]:
    total = sum(vote.counts())
    if total == len(taking_part):
        return []
    return [
        loaded.problem(
            (*at, "antal"),
            f"röstetalen räknar {total} röster men {len(taking_part)} deltar i paragrafen;"
            f" ja + nej + avstår ska vara alla som deltar ({VOTE_LAW})",
        )
    ]


def _vote_question(
    loaded: Loaded[Any], at: FieldPath, record: Beslutsgång, vote: Omröstning
) -> list[Problem]:
    if vote.fråga in ("återremiss", "bordläggning") and vote.fråga not in procedural_kinds(record):
        return [
            loaded.problem(
                (*at, "fråga"),
                f"en omröstning om {vote.fråga} förutsätter ett yrkande om {vote.fråga}"
                " under yrkanden",
            )
        ]
    if vote.fråga == "motförslag" and len(main_proposals(record)) < 3:
        return [
            loaded.problem(
                (*at, "fråga"),
                "en omröstning om motförslag (kontrapropositionsvotering) behövs bara med"
                " minst tre förslag i sak under yrkanden",
            )
        ]
    if vote.sluten and vote.counts()[0] == vote.counts()[1] and vote.resultat is None:
        return [
            loaded.problem(
                (*at, "resultat"),
                "lika röstetal i en sluten omröstning avgörs genom lottning; skriv utfallet"
                " under resultat: ja eller nej",
            )
        ]
    return []


def check_reservations(
    loaded: Loaded[Any],
    path: FieldPath,
    record: Beslutsgång,
    taking_part: list[Ledamot] | None,
) -> list[Problem]:
    """Only those who took part and did not support the decision reserve; ”till förmån
    för det egna yrkandet” needs an own yrkande."""
    problems: list[Problem] = []
    vote = main_vote(record)
    abstained = {m.namn for m in vote.avstår} if vote else set()
    movers = {m.namn for y in main_proposals(record) for m in y.av}
    # ”Siv Nyström m.fl. (M)” moves for the party's members too.
    moving_parties = {m.parti for y in main_proposals(record) for m in y.av if m.med_flera}
    conflicted = {c.ledamot.namn for c in record.jäv}
    serving = {m.namn for m in taking_part} if taking_part is not None else None
    for r_index, reservation in enumerate(record.reservationer):
        own = "egna" in (reservation.till_förmån_för or "")
        for m_index, member in enumerate(reservation.av):
            at = (*path, "reservationer", r_index, "av", m_index)
            why = None
            if member.namn in conflicted:
                why = f"{member} hade jäv och deltog inte i beslutet"
            elif serving is not None and member.namn not in serving:
                why = f"{member} deltog inte i beslutet"
            elif member.namn in abstained:
                why = f"{member} avstod från att rösta och deltog alltså inte i beslutet"
            elif own and member.namn not in movers and member.parti not in moving_parties:
                why = (
                    f"{member} har inget eget yrkande; ”till förmån för det egna yrkandet”"
                    " kräver att ledamoten yrkade något under yrkanden"
                )
            if why:
                problems.append(
                    loaded.problem(
                        at,
                        f"{why} och kan inte reservera sig på det sättet; bara den som"
                        f" deltagit i beslutet och inte stött det får reservera sig ({RESERVATION_LAW})",
                    )
                )
    return problems


def justering_deadline(meeting_day: date) -> date:
    return meeting_day + timedelta(days=JUSTERING_DAYS)


def posting_deadline(justered: date) -> date:
    """The last day to announce the justering: the second day after it (8 kap. 12 §),
    moved past a weekend or holiday (lag 1930:173)."""
    return period_end(justered + timedelta(days=2))


def check_justering(
    loaded: Loaded[Any],
    path: FieldPath,
    justering: Justering,
    meeting_day: date,
    chair_name: str | None,
    present: set[str] | None,
    board: str,
) -> list[Problem]:
    """Justerare: present ledamöter other than the chair; justering within 14 days."""
    problems: list[Problem] = []
    law = "5 kap. 69 §" if "fullmäktige" in board.lower() else "6 kap. 35 §"
    if (justering.datum - meeting_day).days > JUSTERING_DAYS:
        problems.append(
            loaded.problem(
                (*path, "datum"),
                f"protokollet ska justeras inom {JUSTERING_DAYS} dagar efter sammanträdet,"
                f" senast {justering_deadline(meeting_day)}, inte {justering.datum}"
                f" ({law} kommunallagen)",
            )
        )
    for index, member in enumerate(justering.justerare):
        at = (*path, "justerare", index)
        if chair_name and member.namn == chair_name:
            problems.append(
                loaded.problem(
                    at,
                    f"{member} är ordförande och justerar alltid; utse minst en annan ledamot"
                    f" att justera ({law} kommunallagen)",
                )
            )
        elif present is not None and member.namn not in present:
            problems.append(
                loaded.problem(
                    at,
                    f"{member} var inte beslutande vid sammanträdet och kan inte justera;"
                    " justerare är närvarande ledamöter",
                )
            )
    return problems


def check_meeting_procedure(loaded: Loaded[Sammanträde]) -> list[Problem]:
    """The procedure rules of a meeting's minutes, paragraph by paragraph."""
    meeting = loaded.model
    chairing = chair(meeting)
    chair_name = chairing.ledamot.namn if chairing else meeting.ordförande
    problems: list[Problem] = []
    present = (
        {b.ledamot.namn for b in meeting.närvarande.beslutande} if meeting.närvarande else None
    )
    for index, (item, number) in enumerate(
        zip(meeting.ärenden, paragraph_numbers(meeting), strict=True)
    ):
        path: FieldPath = ("ärenden", index)
        taking_part = participants(meeting, number, item)
        problems += check_votes(loaded, path, item, taking_part, present)
        problems += check_reservations(loaded, path, item, taking_part)
        problems += _quorum(loaded, path, meeting, number, taking_part)
    if meeting.justering:
        problems += check_justering(
            loaded,
            ("justering",),
            meeting.justering,
            meeting.datum,
            chair_name,
            present,
            meeting.nämnd,
        )
        problems += _posting(loaded, meeting)
    return problems


def _quorum(
    loaded: Loaded[Any],
    path: FieldPath,
    meeting: Sammanträde,
    number: int,
    taking_part: list[Ledamot] | None,
) -> list[Problem]:
    seats = len(meeting.ledamöter)
    if not seats or taking_part is None:
        return []
    if len(taking_part) * 2 > seats:
        return []
    return [
        loaded.problem(
            path,
            f"nämnden är inte beslutför i § {number}: {len(taking_part)} av {seats} ledamöter"
            f" deltar, mer än hälften behövs ({QUORUM_LAW})",
            key=True,
        )
    ]


def _posting(loaded: Loaded[Sammanträde], meeting: Sammanträde) -> list[Problem]:
    justering, anslag = meeting.justering, meeting.anslag
    if justering is None or anslag is None or anslag.datum is None:
        return []
    latest = posting_deadline(justering.datum)
    if justering.datum <= anslag.datum <= latest:
        return []
    return [
        loaded.problem(
            ("anslag", "datum"),
            f"anslaget {anslag.datum} ska sättas upp senast andra dagen efter justeringen"
            f" {justering.datum}, alltså senast {latest}, och inte före justeringen (8 kap. 12 §"
            " kommunallagen; en sista dag på en lördag, söndag eller helgdag flyttas till nästa"
            " vardag, lag 1930:173)",
        )
    ]


_IMMEDIATE = re.compile(r"omedelbart\s+juster", re.I)
_OFFICE = re.compile(r"^förvaltningens\s+förslag(\s+till\s+beslut)?$", re.I)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).rstrip(".") == " ".join(b.split()).rstrip(".")


def follows_proposal(meeting: Meeting) -> list[Problem]:
    """A decision that says it follows the förvaltning's proposal does, point by point;
    a point ”Beslutet förklaras omedelbart justerat” is the paragraph's immediate
    justering, not a decision point to drop."""
    loaded = meeting.loaded
    problems: list[Problem] = []
    for index, (ärende, item) in enumerate(zip(meeting.model.ärenden, meeting.items, strict=True)):
        paper = item.tjänsteutlåtande
        path: FieldPath = ("ärenden", index)
        proposed = (
            [p for p in paper.förslag_till_beslut if not _IMMEDIATE.search(p)] if paper else []
        )
        immediate = bool(paper) and any(_IMMEDIATE.search(p) for p in paper.förslag_till_beslut)  # type: ignore[union-attr]
        following = bool(ärende.beslutat_enligt and _OFFICE.match(ärende.beslutat_enligt.strip()))
        if paper is None or not following or not ärende.beslut:
            continue
        decided = [p for p in ärende.beslut if not _IMMEDIATE.search(p)]
        problems += _pointwise(loaded, path, proposed, decided)
        if immediate and not ärende.omedelbart_justerad:
            problems.append(
                loaded.problem(
                    (*path, "beslutat_enligt"),
                    "förvaltningens förslag säger att beslutet förklaras omedelbart justerat;"
                    " skriv omedelbart_justerad: ja när nämnden beslutade så",
                )
            )
    return problems


def _pointwise(
    loaded: Loaded[Any], path: FieldPath, proposed: list[str], decided: list[str]
) -> list[Problem]:
    if len(proposed) != len(decided):
        return [
            loaded.problem(
                (*path, "beslut"),
                f"beslutet har {len(decided)} punkter men förvaltningens förslag, som"
                f" beslutat_enligt säger att nämnden följde, har {len(proposed)}",
                key=True,
            )
        ]
    return [
        loaded.problem(
            (*path, "beslut", number),
            f"punkt {number + 1} lyder ”{ours}” men i förvaltningens förslag ”{theirs}”;"
            " skriv beslutet som förslaget, eller ändra beslutat_enligt",
        )
        for number, (ours, theirs) in enumerate(zip(decided, proposed, strict=True))
        if not _same(ours, theirs)
    ]
