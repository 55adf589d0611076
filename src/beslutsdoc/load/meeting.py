"""Load a meeting with every paper and attachment its items list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import Loaded, load_paper
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.problems import InputError, Problem

PAPER_SUFFIXES = {".yaml", ".yml"}
ATTACHMENT_SUFFIXES = {".pdf", ".docx"}


@dataclass
class Item:
    """One agenda item: its loaded YAML papers and its attachment files, in order."""

    number: int  # on the agenda, from 1
    papers: list[Loaded[Any]] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)
    #: Every handling in the order listed: a loaded paper or an attachment path.
    order: list[Loaded[Any] | Path] = field(default_factory=list)

    @property
    def tjänsteutlåtande(self) -> Tjänsteutlåtande | None:
        for paper in self.papers:
            if isinstance(paper.model, Tjänsteutlåtande):
                return paper.model
        return None


@dataclass
class Meeting:
    loaded: Loaded[Sammanträde]
    items: list[Item]

    @property
    def model(self) -> Sammanträde:
        return self.loaded.model


def load_meeting(file: Path, profile: Path | None = None) -> Meeting:
    """Load a sammanträde and everything its items list; every problem of every file at
    once, each with its own file, line and column."""
    loaded = load_paper(file, profile)
    if not isinstance(loaded.model, Sammanträde):
        raise InputError(
            [
                loaded.problem(
                    ("typ",), f"filen är av typen ”{loaded.model.typ}”; här behövs ett sammanträde"
                )
            ]
        )
    check(loaded)
    meeting: Sammanträde = loaded.model
    problems: list[Problem] = []
    items: list[Item] = []
    for index, ärende in enumerate(meeting.ärenden):
        item = Item(number=index + 1)
        items.append(item)
        for h_index, handling in enumerate(ärende.handlingar):
            at = ("ärenden", index, "handlingar", h_index)
            path = (file.parent / handling).resolve()
            suffix = path.suffix.lower()
            if suffix not in PAPER_SUFFIXES | ATTACHMENT_SUFFIXES:
                problems.append(
                    loaded.problem(
                        at,
                        f"ärende {item.number}: ”{handling}” är varken en handling (.yaml) eller en"
                        " bilaga (.pdf eller .docx)",
                    )
                )
            elif not path.is_file():
                problems.append(
                    loaded.problem(at, f"ärende {item.number}: filen ”{handling}” finns inte")
                )
            elif suffix in ATTACHMENT_SUFFIXES:
                item.attachments.append(path)
                item.order.append(path)
            else:
                try:
                    paper = load_paper(path, profile)
                    check(paper)
                except InputError as err:
                    problems += err.problems
                    continue
                date = getattr(paper.model, "sammanträde", None)
                if date is not None and date != meeting.datum:
                    problems.append(
                        paper.problem(
                            ("sammanträde",),
                            f"handlingen hör till sammanträdet {date}, men ligger i ärende"
                            f" {item.number} på sammanträdet {meeting.datum} ({file.name})",
                        )
                    )
                item.papers.append(paper)
                item.order.append(paper)
        if not ärende.handlingar and not ärende.titel:
            problems.append(
                loaded.problem(
                    ("ärenden", index),
                    f"ärende {item.number} saknar både handlingar och titel",
                )
            )
    if problems:
        raise InputError(problems)
    return Meeting(loaded, items)
