"""Load a meeting with every paper and attachment its items list."""

from __future__ import annotations

import contextlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.model.diarienummer import DiarienummerError, format_diarienummer
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.problems import FieldPath, InputError, Problem

PAPER_SUFFIXES = {".yaml", ".yml"}
ATTACHMENT_SUFFIXES = {".pdf", ".docx"}


@dataclass
class Part:
    """One document of an item, in the order the packet holds them."""

    path: Path
    title: str
    paper: Loaded[Any] | None = None  # a YAML paper, rendered for the packet
    pages: int = 0  # a PDF's page count
    size: tuple[float, float] = (595.0, 842.0)  # a PDF's first page, in points

    @property
    def kind(self) -> str:
        return "paper" if self.paper else self.path.suffix.lower().lstrip(".")

    @property
    def label(self) -> str:
        """How lists of documents name it: ”Tjänsteskrivelse 2020-12-22”, ”Bilaga: ...”."""
        model = self.paper.model if self.paper else None
        if isinstance(model, Tjänsteutlåtande):
            label = model.tjänsteutlåtande.etikett if model.tjänsteutlåtande else "Tjänsteutlåtande"
            return f"{label} {model.datum}"
        return self.title if model is not None else f"Bilaga: {self.title}"


@dataclass
class Item:
    """One agenda item: its documents, in order."""

    number: int  # on the agenda, from 1
    parts: list[Part] = field(default_factory=list)

    @property
    def papers(self) -> list[Loaded[Any]]:
        return [p.paper for p in self.parts if p.paper]

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


def paper_title(model: Any) -> str | None:
    """A paper's title as a list of documents shows it."""
    if getattr(model, "titel", None):
        return str(model.titel)
    if model.typ == "internkontrollplan":
        return f"Internkontrollplan {model.år}"
    if model.typ == "internkontrolluppföljning":
        return "Uppföljning av internkontrollplan"
    return None


def _title(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").capitalize()


class _Loader:
    def __init__(self, loaded: Loaded[Sammanträde], profile: Path | None) -> None:
        self.loaded = loaded
        self.profile = profile
        self.problems: list[Problem] = []

    def part(
        self, item: Item, owner: Loaded[Any], at: FieldPath, name: str, title: str | None
    ) -> Part | None:
        """The document `name` (relative to `owner`'s file), checked; problems noted."""
        path = owner.file.parent / name  # as the user wrote it, for messages
        suffix = path.suffix.lower()
        label = f"ärende {item.number}: ”{name}”"
        if suffix not in PAPER_SUFFIXES | ATTACHMENT_SUFFIXES:
            self.problems.append(
                owner.problem(
                    at, f"{label} är varken en handling (.yaml) eller en bilaga (.pdf eller .docx)"
                )
            )
            return None
        if not path.is_file():
            self.problems.append(
                owner.problem(at, f"ärende {item.number}: filen ”{name}” finns inte")
            )
            return None
        if suffix == ".pdf":
            return self.pdf(owner, at, path, label, title)
        if suffix == ".docx":
            if not _is_docx(path):
                self.problems.append(owner.problem(at, f"{label} är ingen läsbar Word-fil"))
                return None
            return Part(path, title or _title(path))
        try:
            paper = load_paper(path, self.profile)
            check(paper)
        except InputError as err:
            self.problems += err.problems
            return None
        if paper.model.typ == "sammanträde":
            self.problems.append(
                owner.problem(at, f"{label} är ett sammanträde, inte en handling i ett ärende")
            )
            return None
        date = getattr(paper.model, "sammanträde", None)
        meeting = self.loaded.model
        if date is not None and date != meeting.datum:
            self.problems.append(
                paper.problem(
                    ("sammanträde",),
                    f"handlingen hör till sammanträdet {date}, men ligger i ärende"
                    f" {item.number} på sammanträdet {meeting.datum} ({self.loaded.file.name})",
                )
            )
        return Part(path, title or paper_title(paper.model) or _title(path), paper)

    def pdf(
        self, owner: Loaded[Any], at: FieldPath, path: Path, label: str, title: str | None
    ) -> Part | None:
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                self.problems.append(
                    owner.problem(
                        at, f"{label} är krypterad eller lösenordsskyddad; spara den utan skydd"
                    )
                )
                return None
            box = reader.pages[0].mediabox
            size = (float(box.width), float(box.height))
            if reader.pages[0].get("/Rotate", 0) in (90, 270):
                size = (size[1], size[0])
            return Part(path, title or _title(path), pages=len(reader.pages), size=size)
        except (PyPdfError, ValueError, KeyError, IndexError, OSError):
            self.problems.append(owner.problem(at, f"{label} är en trasig PDF som inte kan läsas"))
            return None


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist() or any(
                n.endswith("document.xml") for n in archive.namelist()
            )
    except (zipfile.BadZipFile, OSError):
        return False


def load_meeting(file: Path, profile: Path | None = None) -> Meeting:
    """Load a sammanträde and everything its items list; every problem of every file at
    once, each with its own file, line and column."""
    return meeting_of(load_paper(file, profile), profile)


def meeting_of(loaded: Loaded[Any], profile: Path | None = None) -> Meeting:
    """The meeting `loaded` is, with its items' papers and attachments loaded."""
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
    reader = _Loader(loaded, profile)
    items: list[Item] = []
    for index, ärende in enumerate(meeting.ärenden):
        item = Item(number=index + 1)
        items.append(item)
        seen: set[Path] = set()
        for h_index, name in enumerate(ärende.handlingar):
            part = reader.part(item, loaded, ("ärenden", index, "handlingar", h_index), name, None)
            if part is None or part.path.resolve() in seen:
                continue
            seen.add(part.path.resolve())
            item.parts.append(part)
            paper = part.paper
            if paper and isinstance(paper.model, Tjänsteutlåtande):
                # The paper's own attachments follow it (FORMAT: "a packet merges it").
                for b_index, bilaga in enumerate(paper.model.bilagor):
                    if not bilaga.fil:
                        continue
                    attached = reader.part(
                        item, paper, ("bilagor", b_index, "fil"), bilaga.fil, bilaga.titel
                    )
                    if attached and attached.path.resolve() not in seen:
                        seen.add(attached.path.resolve())
                        item.parts.append(attached)
        if not ärende.handlingar and not ärende.titel:
            reader.problems.append(
                loaded.problem(
                    ("ärenden", index), f"ärende {item.number} saknar både handlingar och titel"
                )
            )
    if not reader.problems:
        reader.problems += _shared_dnr(loaded, items)
    if reader.problems:
        raise InputError(reader.problems)
    return Meeting(loaded, items)


def _shared_dnr(loaded: Loaded[Sammanträde], items: list[Item]) -> list[Problem]:
    """A Dnr on two items is a typing error unless the later item says why."""
    meeting = loaded.model
    first: dict[str, int] = {}
    problems = []
    for index, (item, ärende) in enumerate(zip(items, meeting.ärenden, strict=True)):
        paper = item.tjänsteutlåtande
        raw = ärende.diarienummer or (paper.diarienummer if paper else None)
        if not raw:
            continue
        with contextlib.suppress(DiarienummerError):  # SN 2021:1 is SN 2021:00001
            raw = format_diarienummer(raw, meeting.diarienummermönster)
        dnr = " ".join(raw.split()).casefold()
        if dnr in first and not ärende.diarienummer_skäl:
            problems.append(
                loaded.problem(
                    ("ärenden", index),
                    f"ärende {item.number} har samma diarienummer ({raw}) som ärende"
                    f" {first[dnr] + 1}; skriv varför under diarienummer_skäl: om det är rätt",
                    key=True,
                )
            )
        first.setdefault(dnr, index)
    return problems
