"""Rules of a plan and an extract, told word for word at their place: what the mutation
run found that no test held fast (a message, a field, a boundary day)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import beslutsdoc

from .test_internkontroll import PLAN
from .test_protokoll import EXTRACT


def _problems(path: Path) -> list[str]:
    return [str(p) for p in beslutsdoc.check(beslutsdoc.load(path))]


def test_an_unknown_risk_far_from_any_lists_the_known(write: Callable[..., Path]) -> None:
    path = write(PLAN.replace("  - risk: R2\n    aktivitet", "  - risk: X9\n    aktivitet"))
    assert _problems(path) == [
        f"{path}:22:11: aktiviteter[0].risk: det finns ingen risk med id ”X9”; kända risker: R1, R2"
    ]


def test_a_control_id_given_twice(write: Callable[..., Path]) -> None:
    controls = (
        "  - risk: R1\n    id: K1\n    kontroll: Stickprov på fakturor\n"
        "  - risk: R2\n    id: K1\n    kontroll: Genomgång av avtal\n"
    )
    path = write(PLAN.replace("  - risk: R1\n    kontroll: Stickprov på fakturor\n", controls))
    assert _problems(path) == [f"{path}:23:9: kontroller[1].id: kontrollens id ”K1” används redan"]


def test_a_risk_at_the_threshold_without_a_control(write: Callable[..., Path]) -> None:
    path = write(PLAN.replace("  - risk: R1\n    kontroll:", "  - risk: R2\n    kontroll:"))
    assert _problems(path) == [
        f"{path}:7:5: risker[0]: risken R1 har riskvärde 9 (tröskeln är 9) men ingen kontroll;"
        " lägg till en kontroll eller skriv varför under utan_kontroll:"
    ]


def test_a_written_risk_value_that_is_right_passes(write: Callable[..., Path]) -> None:
    right = PLAN.replace(
        "    konsekvens: 3\n    motivering", "    konsekvens: 3\n    riskvärde: 9\n    motivering"
    )
    assert _problems(write(right)) == []


def test_an_extract_may_be_justerat_on_the_meeting_day_and_certified_the_same_day(
    write: Callable[..., Path],
) -> None:
    same_day = EXTRACT.replace("  datum: 2023-12-19\n", "  datum: 2023-12-12\n").replace(
        "  datum: 2023-12-20\n", "  datum: 2023-12-12\n"
    )
    assert _problems(write(same_day)) == []


def test_an_extract_justerat_before_the_meeting(write: Callable[..., Path]) -> None:
    path = write(EXTRACT.replace("  datum: 2023-12-19\n", "  datum: 2023-12-11\n"))
    assert (
        f"{path}:25:10: justering.datum: justeringen 2023-12-11 är före sammanträdet 2023-12-12"
        in _problems(path)
    )


def test_an_extract_certified_before_its_justering(write: Callable[..., Path]) -> None:
    path = write(EXTRACT.replace("  datum: 2023-12-20\n", "  datum: 2023-12-18\n"))
    assert _problems(path) == [
        f"{path}:28:10: utdragsbestyrkande.datum: utdraget bestyrks 2023-12-18, före justeringen"
        " 2023-12-19; ett utdrag kan bestyrkas först när protokollet är justerat"
    ]


def test_an_extracts_dnr_follows_the_pattern(write: Callable[..., Path]) -> None:
    path = write(EXTRACT.replace("diarienummer: SN 2023:553", "diarienummer: SN-2023-553"))
    [problem] = beslutsdoc.check(beslutsdoc.load(path))
    assert problem.field == "diarienummer" and problem.line == 4
    assert "följer inte nämndens diarienummermönster" in problem.message
