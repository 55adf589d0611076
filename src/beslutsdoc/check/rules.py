"""Domain rules that types alone cannot say: those of every paper, and how a paper's
type's own rules are found (the registry names them; each type's module loads only
when a paper of that type is checked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from beslutsdoc.check.placeholders import (
    find_placeholders,
    markdown_problems,
    strings,
)
from beslutsdoc.model.diarienummer import DiarienummerError, DiarienummerMönster
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.personnummer import personnummer_in
from beslutsdoc.model.registry import PAPERS, Registry, resolve
from beslutsdoc.problems import FieldPath, InputError, Problem

if TYPE_CHECKING:
    from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande


def check_placeholders(loaded: Loaded[Any]) -> list[Problem]:
    problems = [
        loaded.problem(
            path,
            f"texten innehåller platshållaren ”{found}”; skriv in den riktiga uppgiften",
            offset=offset,
        )
        for path, offset, found in find_placeholders(loaded.paper.data)
    ]
    secret = secret_paths(loaded.paper.data)
    for path, text in strings(loaded.paper.data):
        for offset, found in markdown_problems(text):
            problems.append(loaded.problem(path, found, offset=offset))
        if any(path[: len(s)] == s for s in secret):
            continue  # a secret part may hold what only its readers may see
        for offset, found in personnummer_in(text):
            problems.append(
                loaded.problem(
                    path,
                    f"texten innehåller vad som ser ut som ett personnummer (”{found}”);"
                    " nämndhandlingar är allmänna och ska inte ha personnummer utanför en del"
                    " med sekretess (lag 2018:218 3 kap. 10 §); ta bort det, eller markera"
                    " delen med sekretess: och lagrummet",
                    offset=offset,
                )
            )
    return problems


def secret_paths(data: Any, path: FieldPath = ()) -> list[FieldPath]:
    """Where the paper's secret parts stand: every mapping with a `sekretess:` ground."""
    if isinstance(data, dict):
        if data.get("sekretess") not in (None, False):  # the model takes no other "no"
            return [path]
        return [p for key, value in data.items() for p in secret_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in secret_paths(value, (*path, index))]
    return []


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


def check_minutes(loaded: Loaded[Any]) -> None:
    """What a protocol needs beyond a notice (`beslutsdoc.check.protokoll`, where it
    lives, loads with the minutes' models)."""
    from beslutsdoc.check.protokoll import check_minutes as minutes

    minutes(loaded)
