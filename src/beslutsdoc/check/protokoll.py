"""Rules of the minutes: an extract, a meeting's paragraphs, dates and justering."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beslutsdoc.check.beslut import check_parties, check_record
from beslutsdoc.check.procedure import (
    check_justering,
    check_meeting_procedure,
    check_reservations,
    check_votes,
)
from beslutsdoc.check.rules import check_diarienummer
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.sammantrade import chair, paragraph_numbers
from beslutsdoc.problems import InputError, Problem

if TYPE_CHECKING:
    from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
    from beslutsdoc.model.sammantrade import Sammanträde


def check_protokollsutdrag(loaded: Loaded[Protokollsutdrag]) -> list[Problem]:
    paper = loaded.model
    problems = check_parties(loaded)
    if paper.diarienummer:
        problems += check_diarienummer(loaded, ("diarienummer",), paper.diarienummer)
    chair = paper.ordförande.namn if paper.ordförande else None
    problems += check_record(loaded, (), paper, chair)
    problems += check_votes(loaded, (), paper, None)
    problems += check_reservations(loaded, (), paper, None)
    problems += check_justering(
        loaded, ("justering",), paper.justering, paper.sammanträde, chair, None, paper.nämnd
    )
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


def check_sammanträde(loaded: Loaded[Sammanträde]) -> list[Problem]:
    meeting = loaded.model
    problems = check_parties(loaded)
    chairing = chair(meeting)
    chair_name = chairing.ledamot.namn if chairing else meeting.ordförande
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
        problems += check_record(loaded, ("ärenden", index), item, chair_name)
    justering = meeting.justering
    if justering and justering.datum < meeting.datum:
        problems.append(
            loaded.problem(
                ("justering", "datum"),
                f"justeringen {justering.datum} är före sammanträdet {meeting.datum}",
            )
        )
    if meeting.anslag and meeting.anslag.datum and not justering:
        problems.append(loaded.problem(("anslag", "datum"), "anslaget förutsätter en justering"))
    return problems + check_meeting_procedure(loaded)


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
