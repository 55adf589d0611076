"""Domain rules that types alone cannot say, per paper type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beslutsdoc.check.beslut import check_parties, check_record
from beslutsdoc.check.placeholders import find_placeholders
from beslutsdoc.load.paper import Loaded
from beslutsdoc.model.diarienummer import DiarienummerError, DiarienummerMönster
from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.problems import FieldPath, InputError, Problem


def check_placeholders(loaded: Loaded[Any]) -> list[Problem]:
    return [
        loaded.problem(
            path,
            f"texten innehåller platshållaren ”{found}”; skriv in den riktiga uppgiften",
            offset=offset,
        )
        for path, offset, found in find_placeholders(loaded.paper.data)
    ]


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


RULES: dict[type, Callable[[Any], list[Problem]]] = {
    Tjänsteutlåtande: check_tjänsteutlåtande,
    Protokollsutdrag: check_protokollsutdrag,
}


def check(loaded: Loaded[Any]) -> None:
    """Raise InputError with every rule the paper breaks."""
    problems = check_placeholders(loaded)
    rule = RULES.get(type(loaded.model))
    if rule:
        problems += rule(loaded)
    if problems:
        raise InputError(sorted(problems, key=_order))


def _order(problem: Problem) -> tuple[str, int, int]:
    at = problem.position
    return (str(problem.file), at.line if at else 0, at.column if at else 0)
