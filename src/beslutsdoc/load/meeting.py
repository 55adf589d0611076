"""Load a meeting with every paper and attachment its items list."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beslutsdoc.load.paper import load_paper
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.meeting import Item, Meeting, Part, paper_title
from beslutsdoc.model.registry import PAPERS, Registry
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.ooxml.package import Package
from beslutsdoc.output import os_reason
from beslutsdoc.problems import FieldPath, InputError, Problem

if TYPE_CHECKING:
    import pikepdf

__all__ = ["load_meeting", "meeting_of", "read_meeting"]

PAPER_SUFFIXES = {".yaml", ".yml"}
ATTACHMENT_SUFFIXES = {".pdf", ".docx"}


def _title(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").capitalize()


class _Loader:
    def __init__(
        self, loaded: Loaded[Sammanträde], profile: Path | None, registry: Registry
    ) -> None:
        self.loaded = loaded
        self.profile = profile
        self.registry = registry
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
        wrong = _not_a_file(path, name) or (
            suffix in ATTACHMENT_SUFFIXES and self.outside(path, name)
        )
        if wrong:
            self.problems.append(owner.problem(at, f"ärende {item.number}: {wrong}"))
            return None
        if suffix == ".pdf":
            return self.pdf(owner, at, path, label, title)
        if suffix == ".docx":
            reason = _docx_problem(path)
            if reason:
                self.problems.append(
                    owner.problem(at, f"{label} är ingen läsbar Word-fil: {reason}")
                )
                return None
            return Part(path, title or _title(path))
        try:
            paper = load_paper(path, self.profile, registry=self.registry)
        except InputError as err:
            self.problems += err.problems
            return None
        if paper.model.typ == "sammanträde":
            self.problems.append(
                owner.problem(at, f"{label} är ett sammanträde, inte en handling i ett ärende")
            )
            return None
        return Part(path, title or paper_title(paper.model) or _title(path), paper)

    def outside(self, path: Path, name: str) -> str | None:
        """Why an attachment may not be read: it lies (or its symlink points) outside the
        meeting's folder and every folder the profile allows."""
        target = path.resolve()
        folders = [self.loaded.file.parent.resolve(), *self.allowed()]
        if any(target.is_relative_to(folder) for folder in folders):
            return None
        via = f" (via en symbolisk länk till ”{target}”)" if target != path.absolute() else ""
        return (
            f"bilagan ”{name}” ligger utanför sammanträdets mapp{via}; flytta den dit, eller"
            " tillåt mappen den ligger i med ”bilagemappar: [MAPP]” i beslutsdoc.yaml"
        )

    def allowed(self) -> list[Path]:
        """The profile's `bilagemappar`, relative to the file that names them."""
        folders = getattr(self.loaded.model, "bilagemappar", None) or []
        out = []
        for index, folder in enumerate(folders):
            source, _ = self.loaded.source_for(("bilagemappar", index))
            out.append((source.file.parent / str(folder)).resolve())
        return out

    def pdf(
        self, owner: Loaded[Any], at: FieldPath, path: Path, label: str, title: str | None
    ) -> Part | None:
        # pikepdf only for a meeting with PDF attachments: a Word-only packet never pays
        # for importing it.
        import pikepdf

        from beslutsdoc.load.sanitise import BROKEN, LOCKED, open_attachment

        try:  # a decompression bomb is found now, not after LibreOffice has run
            with open_attachment(path) as pdf:
                if pdf.is_encrypted:
                    self.problems.append(owner.problem(at, f"{label} {LOCKED}"))
                    return None
                return Part(path, title or _title(path), pages=len(pdf.pages), size=_size(pdf))
        except InputError as err:
            said = err.problems[0].message
            plain = said.removeprefix("PDF-bilagan ")
            said = f"{label} {plain}" if plain in (BROKEN, LOCKED) else f"{label}: {said}"
            self.problems.append(owner.problem(at, said))
        except (pikepdf.PdfError, ValueError, KeyError, IndexError, TypeError, OSError):
            self.problems.append(owner.problem(at, f"{label} {BROKEN}"))
        return None


def _size(pdf: pikepdf.Pdf) -> tuple[float, float]:
    """The first page's size as it is shown: a page turned a quarter is wider."""
    page = pdf.pages[0]
    box = page.mediabox
    width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
    if page.obj.get("/Rotate", 0) in (90, 270):
        return height, width
    return width, height


def _not_a_file(path: Path, name: str) -> str | None:
    """Why `path` cannot be read as a document: missing, or no regular file (a folder, a
    FIFO that would block for ever, a device). A symlink is judged by its target."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"filen ”{name}” finns inte"
    except OSError as err:
        return f"filen ”{name}” kan inte läsas: {os_reason(err.errno or 0)}"
    if stat.S_ISREG(mode):
        return None
    kind = "en mapp" if stat.S_ISDIR(mode) else "en namngiven pipe (FIFO)"
    if not (stat.S_ISDIR(mode) or stat.S_ISFIFO(mode)):
        kind = "en enhet eller annan specialfil"
    return f"”{name}” är {kind}, ingen vanlig fil"


def _docx_problem(path: Path) -> str | None:
    """Why the attachment `path` cannot be merged, read through the guarded reader
    (limits, no DTD, a real Word body), or None."""
    try:
        Package.open(path).check_word()
    except InputError as err:
        return "; ".join(p.message for p in err.problems)
    return None


def load_meeting(file: Path, profile: Path | None = None, registry: Registry = PAPERS) -> Meeting:
    """Load a sammanträde and everything its items list; every problem of every file at
    once, each with its own file, line and column. The checks are the check stage's
    (`beslutsdoc.check.meeting`)."""
    return meeting_of(load_paper(file, profile, registry=registry), profile, registry)


def meeting_of(
    loaded: Loaded[Any], profile: Path | None = None, registry: Registry = PAPERS
) -> Meeting:
    """The meeting `loaded` is, with its items' papers and attachments loaded."""
    meeting, problems = read_meeting(loaded, profile, registry)
    if problems:
        raise InputError(problems)
    return meeting


def read_meeting(
    loaded: Loaded[Any], profile: Path | None = None, registry: Registry = PAPERS
) -> tuple[Meeting, list[Problem]]:
    """The meeting with what of it could be loaded, and the problems of the rest (so
    that the checks can run on what loaded, and every problem is reported at once)."""
    if not isinstance(loaded.model, Sammanträde):
        raise InputError(
            [
                loaded.problem(
                    ("typ",), f"filen är av typen ”{loaded.model.typ}”; här behövs ett sammanträde"
                )
            ]
        )
    reader = _Loader(loaded, profile, registry)
    items = [_item(reader, loaded, index) for index in range(len(loaded.model.ärenden))]
    return Meeting(loaded, items), reader.problems


def _paper_secret(paper: Loaded[Any] | None) -> str | None:
    return getattr(paper.model, "sekretess", None) if paper else None


def _item(reader: _Loader, loaded: Loaded[Sammanträde], index: int) -> Item:
    """Item `index` of the meeting with its documents; problems noted in `reader`."""
    ärende = loaded.model.ärenden[index]
    item = Item(number=index + 1)
    seen: set[Path] = set()
    for h_index, listed in enumerate(ärende.handlingar):
        name = listed if isinstance(listed, str) else listed.fil
        at: FieldPath = ("ärenden", index, "handlingar", h_index)
        part = reader.part(
            item, loaded, at if isinstance(listed, str) else (*at, "fil"), name, None
        )
        if part is None or part.path.resolve() in seen:
            continue
        seen.add(part.path.resolve())
        item.parts.append(part)
        paper = part.paper
        own = None if isinstance(listed, str) else listed.sekretess
        part.sekretess = ärende.sekretess or own or _paper_secret(paper)
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
                    attached.sekretess = part.sekretess or bilaga.sekretess
                    item.parts.append(attached)
    if not ärende.handlingar and not ärende.titel:
        reader.problems.append(
            loaded.problem(
                ("ärenden", index), f"ärende {item.number} saknar både handlingar och titel"
            )
        )
    return item
