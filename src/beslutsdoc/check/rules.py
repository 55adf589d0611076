"""Domain rules that types alone cannot say, per paper type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beslutsdoc.check.beslut import check_parties, check_record
from beslutsdoc.check.internkontroll import check_follow_up, check_plan
from beslutsdoc.check.placeholders import (
    find_placeholders,
    markdown_problems,
    personnummer_in,
    strings,
)
from beslutsdoc.model.diarienummer import DiarienummerError, DiarienummerMönster
from beslutsdoc.model.internkontroll import Internkontrollplan, Internkontrolluppföljning
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
from beslutsdoc.model.registry import PAPERS, Registry, resolve
from beslutsdoc.model.sammantrade import Sammanträde, chair, paragraph_numbers
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.problems import FieldPath, InputError, Problem


def check_placeholders(loaded: Loaded[Any]) -> list[Problem]:
    problems = [
        loaded.problem(
            path,
            f"texten innehåller platshållaren ”{found}”; skriv in den riktiga uppgiften",
            offset=offset,
        )
        for path, offset, found in find_placeholders(loaded.paper.data)
    ]
    for path, text in strings(loaded.paper.data):
        for offset, found in markdown_problems(text):
            problems.append(loaded.problem(path, found, offset=offset))
        for offset, found in personnummer_in(text):
            problems.append(
                loaded.problem(
                    path,
                    f"texten innehåller vad som ser ut som ett personnummer (”{found}”);"
                    " nämndhandlingar är allmänna och ska inte ha personnummer",
                    offset=offset,
                )
            )
    return problems


def check_diarienummer(loaded: Loaded[Any], path: FieldPath, value: str) -> list[Problem]:
    """The Dnr follows the board's pattern (any Dnr does where there is none)."""
    pattern = loaded.model.diarienummermönster
    if not pattern:
        return []
    try:
        DiarienummerMönster.compile(pattern).parse(value)
    except DiarienummerError as err:
        return [loaded.problem(path, str(err))]
    return []


def check_tjänsteutlåtande(loaded: Loaded[Tjänsteutlåtande]) -> list[Problem]:
    paper = loaded.model
    problems = check_diarienummer(loaded, ("diarienummer",), paper.diarienummer)
    if paper.sammanträde and paper.datum > paper.sammanträde:
        problems.append(
            loaded.problem(
                ("datum",),
                f"datumet {paper.datum} är efter sammanträdet {paper.sammanträde};"
                " ett tjänsteutlåtande skrivs före sammanträdet",
            )
        )
    settings = paper.tjänsteutlåtande
    headings = {a.rubrik.strip().casefold() for a in paper.avsnitt}
    for required in settings.obligatoriska_avsnitt if settings else []:
        if required.strip().casefold() not in headings:
            problems.append(
                loaded.problem(
                    ("avsnitt",),
                    f"avsnittet ”{required}” saknas; nämndens profil kräver det"
                    " (obligatoriska_avsnitt)",
                    key=True,
                )
            )
    return problems


def check_protokollsutdrag(loaded: Loaded[Protokollsutdrag]) -> list[Problem]:
    paper = loaded.model
    problems = check_parties(loaded)
    if paper.diarienummer:
        problems += check_diarienummer(loaded, ("diarienummer",), paper.diarienummer)
    chair = paper.ordförande.namn if paper.ordförande else None
    problems += check_record(loaded, (), paper, chair)
    if paper.omedelbart_justerad and paper.justering.datum != paper.sammanträde:
        problems.append(
            loaded.problem(
                ("justering", "datum"),
                f"paragrafen justerades omedelbart, så justeringen är {paper.sammanträde},"
                f" sammanträdesdagen, inte {paper.justering.datum}",
            )
        )
    if paper.justering.datum < paper.sammanträde:
        problems.append(
            loaded.problem(
                ("justering", "datum"),
                f"justeringen {paper.justering.datum} är före sammanträdet {paper.sammanträde}",
            )
        )
    certified = paper.utdragsbestyrkande
    if certified and certified.datum < paper.justering.datum:
        problems.append(
            loaded.problem(
                ("utdragsbestyrkande", "datum"),
                f"utdraget bestyrks {certified.datum}, före justeringen {paper.justering.datum};"
                " ett utdrag kan bestyrkas först när protokollet är justerat",
            )
        )
    return problems


#: How long after justering the announcement may go up (kommunallagen 8 kap. 12 §).
ANSLAG_SENAST_DAGAR = 2


def check_sammanträde(loaded: Loaded[Sammanträde]) -> list[Problem]:
    meeting = loaded.model
    problems = check_parties(loaded)
    chairing = chair(meeting)
    chair_name = chairing.ledamot.namn if chairing else meeting.ordförande
    voters = {m.ledamot.namn for m in meeting.närvarande.beslutande} if meeting.närvarande else None
    seen: dict[int, int] = {}
    for index, (item, number) in enumerate(
        zip(meeting.ärenden, paragraph_numbers(meeting), strict=True)
    ):
        if item.diarienummer:
            problems += check_diarienummer(
                loaded, ("ärenden", index, "diarienummer"), item.diarienummer
            )
        if number in seen:
            problems.append(
                loaded.problem(
                    ("ärenden", index),
                    f"ärende {index + 1} får § {number}, som ärende {seen[number] + 1} redan har;"
                    " paragrafnumren måste vara unika",
                    key=True,
                )
            )
        seen.setdefault(number, index)
        problems += check_record(loaded, ("ärenden", index), item, chair_name, voters)
    justering = meeting.justering
    if justering and justering.datum < meeting.datum:
        problems.append(
            loaded.problem(
                ("justering", "datum"),
                f"justeringen {justering.datum} är före sammanträdet {meeting.datum}",
            )
        )
    anslag = meeting.anslag
    if anslag and anslag.datum:
        if not justering:
            problems.append(
                loaded.problem(("anslag", "datum"), "anslaget förutsätter en justering")
            )
        elif not 0 <= (anslag.datum - justering.datum).days <= ANSLAG_SENAST_DAGAR:
            problems.append(
                loaded.problem(
                    ("anslag", "datum"),
                    f"anslaget {anslag.datum} ska sättas upp senast andra dagen efter justeringen"
                    f" {justering.datum}, och inte före den",
                )
            )
    return problems


def check_minutes(loaded: Loaded[Sammanträde]) -> None:
    """What a protocol needs beyond a notice: attendance, justering, every decision."""
    meeting = loaded.model
    problems = []
    for key in ("närvarande", "justering"):
        if getattr(meeting, key) is None:
            problems.append(loaded.problem((), f"protokollet behöver ”{key}:” i sammanträdesfilen"))
    for index, item in enumerate(meeting.ärenden):
        if not item.beslut and not item.information:
            problems.append(
                loaded.problem(
                    ("ärenden", index),
                    f"ärende {index + 1} saknar beslut; skriv vad nämnden beslutade under beslut:",
                    key=True,
                )
            )
    if problems:
        raise InputError(problems)


def check_internkontrollplan(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    plan = loaded.model
    return check_diarienummer(loaded, ("diarienummer",), plan.diarienummer) + check_plan(loaded)


def check_internkontrolluppföljning(loaded: Loaded[Internkontrolluppföljning]) -> list[Problem]:
    follow_up = loaded.model
    problems = check_follow_up(loaded)
    if follow_up.diarienummer:
        problems = check_diarienummer(loaded, ("diarienummer",), follow_up.diarienummer) + problems
    return problems


def problems_of(loaded: Loaded[Any], registry: Registry = PAPERS) -> list[Problem]:
    """Every rule the paper, and the papers it links to, break: the placeholder rules
    of every paper, and the rules its type declares."""
    problems = check_placeholders(loaded)
    rule: Callable[[Loaded[Any]], list[Problem]] = resolve(registry.of(loaded.model).checks)
    problems += rule(loaded)
    for linked in loaded.linked.values():
        problems += problems_of(linked, registry)
    return problems


def check(loaded: Loaded[Any], registry: Registry = PAPERS) -> None:
    """Raise InputError with every rule the paper breaks."""
    problems = problems_of(loaded, registry)
    if problems:
        raise InputError(sorted(problems, key=order))


def order(problem: Problem) -> tuple[str, int, int]:
    """Problems by file, line and column, as an editor lists them."""
    at = problem.position
    return (str(problem.file), at.line if at else 0, at.column if at else 0)
