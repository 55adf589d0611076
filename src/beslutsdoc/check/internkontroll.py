"""Rules of an internal control plan and its follow-up."""

from __future__ import annotations

import difflib

from beslutsdoc.check.rules import check_diarienummer
from beslutsdoc.model.internkontroll import Internkontrollplan, Internkontrolluppföljning
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.profil import scales
from beslutsdoc.problems import Problem

STANDARD_TRÖSKEL = 9


def threshold(plan: Internkontrollplan) -> int:
    return plan.internkontroll.tröskel if plan.internkontroll else STANDARD_TRÖSKEL


def _unknown(kind: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    hint = f"; menade du ”{close[0]}”?" if close else f"; kända {kind}: {', '.join(known)}"
    return f"det finns ingen {kind[:-2] if kind.endswith('er') else kind} med id ”{value}”{hint}"


def check_plan(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    """A plan's risks on its scales, and its controls and activities on its risks."""
    return (
        risk_problems(loaded)
        + unknown_risks(loaded)
        + repeated_control_ids(loaded)
        + uncontrolled_risks(loaded)
    )


def risk_problems(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    """Each risk: a unique id, levels on the scales, a written value that is right."""
    plan = loaded.model
    scale = scales(plan)
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for index, risk in enumerate(plan.risker):
        at = ("risker", index)
        if risk.id in ids:
            problems.append(
                loaded.problem(
                    (*at, "id"), f"id ”{risk.id}” används redan av risk {ids[risk.id] + 1}"
                )
            )
        ids.setdefault(risk.id, index)
        for axis in ("sannolikhet", "konsekvens"):
            levels = getattr(scale, axis)
            value = getattr(risk, axis)
            if value not in levels:
                problems.append(
                    loaded.problem(
                        (*at, axis),
                        f"nivån {value} finns inte på {axis}sskalan (1–{len(levels)})",
                    )
                )
        if risk.riskvärde is not None and risk.riskvärde != risk.value:
            problems.append(
                loaded.problem(
                    (*at, "riskvärde"),
                    f"riskvärdet {risk.riskvärde} stämmer inte: sannolikhet {risk.sannolikhet} ×"
                    f" konsekvens {risk.konsekvens} = {risk.value}; ta bort raden, värdet räknas ut",
                )
            )
    return problems


def unknown_risks(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    """A control or an activity for a risk the plan does not have."""
    plan = loaded.model
    known = list(dict.fromkeys(r.id for r in plan.risker))
    references = [("kontroller", i, k.risk) for i, k in enumerate(plan.kontroller)]
    references += [("aktiviteter", i, a.risk) for i, a in enumerate(plan.aktiviteter)]
    return [
        loaded.problem((kind, index, "risk"), _unknown("risker", risk_id, known))
        for kind, index, risk_id in references
        if risk_id not in known
    ]


def repeated_control_ids(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    control_ids = loaded.model.control_ids()
    return [
        loaded.problem(("kontroller", index, "id"), f"kontrollens id ”{control_id}” används redan")
        for index, control_id in enumerate(control_ids)
        if control_ids.index(control_id) != index
    ]


def uncontrolled_risks(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    """A risk at or above the threshold with no control and no reason for none."""
    plan = loaded.model
    controlled = {k.risk for k in plan.kontroller}
    limit = threshold(plan)
    return [
        loaded.problem(
            ("risker", index),
            f"risken {risk.id} har riskvärde {risk.value} (tröskeln är {limit}) men ingen"
            " kontroll; lägg till en kontroll eller skriv varför under utan_kontroll:",
            key=True,
        )
        for index, risk in enumerate(plan.risker)
        if risk.value >= limit and risk.id not in controlled and not risk.utan_kontroll
    ]


def check_follow_up(loaded: Loaded[Internkontrolluppföljning]) -> list[Problem]:
    plan: Internkontrollplan = loaded.linked["plan"].model
    ids = plan.control_ids()
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, result in enumerate(loaded.model.resultat):
        if result.kontroll not in ids:
            problems.append(
                loaded.problem(
                    ("resultat", index, "kontroll"), _unknown("kontroller", result.kontroll, ids)
                )
            )
        elif result.kontroll in seen:
            problems.append(
                loaded.problem(
                    ("resultat", index, "kontroll"),
                    f"kontrollen ”{result.kontroll}” har redan ett resultat",
                )
            )
        seen.add(result.kontroll)
    missing = [i for i in ids if i not in seen]
    if missing:
        problems.append(
            loaded.problem(
                ("resultat",),
                f"resultat saknas för {', '.join(missing)}; varje kontroll i planen ska följas upp",
                key=True,
            )
        )
    return problems


def check_internkontrollplan(loaded: Loaded[Internkontrollplan]) -> list[Problem]:
    plan = loaded.model
    return check_diarienummer(loaded, ("diarienummer",), plan.diarienummer) + check_plan(loaded)


def check_internkontrolluppföljning(loaded: Loaded[Internkontrolluppföljning]) -> list[Problem]:
    follow_up = loaded.model
    problems = check_follow_up(loaded)
    if follow_up.diarienummer:
        problems = check_diarienummer(loaded, ("diarienummer",), follow_up.diarienummer) + problems
    return problems
