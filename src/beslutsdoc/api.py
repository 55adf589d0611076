"""The library: what the command line does, for other tools, with the same checks.

    import beslutsdoc
    paper = beslutsdoc.load("ärende.yaml")
    problems = beslutsdoc.check(paper)        # [] or [Problem, ...]
    docx = beslutsdoc.render(paper)           # bytes; raises InputError (.problems)

The command line (`cli.py`) is a thin layer over these functions. The stages load
only when a function needs them, so importing beslutsdoc costs little.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from beslutsdoc.export.packet import PacketPdf as PacketPdf  # the library names it
from beslutsdoc.model.loaded import Loaded, Source
from beslutsdoc.model.registry import PAPERS, Registry
from beslutsdoc.problems import InputError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

    from beslutsdoc.compose.packet import Packet as Built
    from beslutsdoc.export.report import Report as AccessibilityReport
    from beslutsdoc.model.meeting import Meeting

#: A paper as the functions take it: loaded from a file or text, or a model built in code.
Paper: TypeAlias = "Loaded[Any] | BaseModel"


def load(
    path: str | Path, *, profile: str | Path | None = None, registry: Registry = PAPERS
) -> Loaded[Any]:
    """The paper in `path`, validated against its type's model, with its profile
    (`beslutsdoc.yaml` beside it or above, or `profile`). Raises InputError."""
    from beslutsdoc.load.paper import load_paper

    return load_paper(Path(path), _path(profile), registry=registry)


def load_text(
    text: str,
    *,
    name: str | Path = "handling.yaml",
    profile: str | Path | None = None,
    registry: Registry = PAPERS,
) -> Loaded[Any]:
    """The paper written in `text`. `name` stands for its file in messages and is
    where relative paths start; only `profile` is used as a profile (none is searched
    for). Raises InputError."""
    from beslutsdoc.load.paper import load_paper

    return load_paper(Path(name), _path(profile), text=text, find=False, registry=registry)


def check(
    paper: Paper, *, profile: str | Path | None = None, registry: Registry = PAPERS
) -> list[Problem]:
    """Every rule the paper breaks, in file order; [] when there is none. A
    sammanträde is checked with every paper and attachment of its items (read with
    `profile`, else each with its own)."""
    from beslutsdoc.check.rules import order, problems_of

    try:
        loaded = loaded_of(paper, registry)
        if loaded.model.typ != "sammanträde":
            return sorted(problems_of(loaded, registry), key=order)
        meeting, problems = _read_meeting(loaded, _path(profile), registry)
    except InputError as err:
        return err.problems
    from beslutsdoc.check.meeting import meeting_problems  # with the meeting's models

    problems += meeting_problems(meeting, registry, complete=not problems)
    return sorted(problems, key=order)


def validate(
    files: Sequence[str | Path], *, profile: str | Path | None = None, registry: Registry = PAPERS
) -> list[Loaded[Any]]:
    """Load and check every file (a sammanträde with its items), reporting every problem
    of every file at once: raises InputError, else returns the papers as loaded."""
    papers: list[Loaded[Any]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            paper = load(file, profile=profile, registry=registry)
        except InputError as err:
            problems += err.problems
            continue
        found = check(paper, profile=profile, registry=registry)
        problems += found
        if not found:
            papers.append(paper)
    if problems:
        raise InputError(problems)
    return papers


def render(
    paper: Paper,
    *,
    profile: str | Path | None = None,
    registry: Registry = PAPERS,
    public: bool = False,
) -> bytes:
    """The paper as .docx bytes in its board's template, once it passes `check`;
    `public`: its public copy, each secret part replaced by a line naming its ground.
    Raises InputError (`.problems`) for bad input, TemplateError for a broken template."""
    from beslutsdoc.render import render as render_paper

    loaded = checked(paper, profile=profile, registry=registry)
    return render_paper(loaded, registry, public=public)


def to_pdf(docx: bytes) -> bytes:
    """A Word document as PDF (PDF/A-2b, tagged), through LibreOffice. Raises
    ToolError when LibreOffice is missing or fails."""
    [(_, pdf)] = with_pdfs([docx])
    return pdf


def with_pdfs(
    documents: Sequence[bytes], names: Sequence[str | Path] = ()
) -> list[tuple[bytes, bytes]]:
    """Each Word document with its PDF, all converted in one LibreOffice run; each Word
    document's table of contents gets the page numbers its PDF has. `names` (their
    files, for messages) default to dokument-1.docx, ..."""
    from beslutsdoc.export.pdf import bookmark_pages
    from beslutsdoc.render.layout import fill_page_numbers

    pdfs = _convert(documents, names)
    return [
        (fill_page_numbers(docx, bookmark_pages(pdf)), pdf)
        for docx, pdf in zip(documents, pdfs, strict=True)
    ]


def _convert(documents: Sequence[bytes], names: Sequence[str | Path] = ()) -> list[bytes]:
    from beslutsdoc.export.pdf import to_pdf as convert

    targets = [Path(n) for n in names] or [
        Path(f"dokument-{i}.docx") for i in range(1, len(documents) + 1)
    ]
    # One LibreOffice run for all; a name given twice would be one PDF.
    unique = {t.with_suffix(".pdf") for t in targets}
    if len(unique) < len(targets):
        targets = [Path(f"{i:04d}") / t for i, t in enumerate(targets)]
    pdfs = convert(dict(zip(targets, documents, strict=True)))
    return [pdfs[t.with_suffix(".pdf")] for t in targets]


@dataclass
class Packet:
    """What goes out before a meeting: `kallelse` and `handlingar` as .docx bytes."""

    built: Built
    _pdf: PacketPdf | None = field(default=None, repr=False)

    @property
    def kallelse(self) -> bytes:
        return self.built.kallelse

    @property
    def handlingar(self) -> bytes:
        return self.built.handlingar

    @property
    def items(self) -> int:
        return len(self.built.agenda.entries)

    @cached_property
    def accessibility(self) -> AccessibilityReport:
        """Which attachments lack tags, language or title (their authors must provide
        accessible versions), and whether handlingar.pdf can claim PDF/A-2b: `.text()`
        is the report (tillgänglighet.txt), `.summary()` one line, `.findings` one per
        problem, `.pdfa` and `.not_pdfa` the PDF/A answer. Read from the attachments,
        without LibreOffice."""
        from beslutsdoc.export.report import accessibility

        return accessibility(self.built.agenda)

    def pdf(self) -> PacketPdf:
        """Both as PDF (made once)."""
        if self._pdf is None:
            from beslutsdoc.export.packet import packet_pdf

            self._pdf = packet_pdf(self.built)
        return self._pdf


def packet(
    file: str | Path | Loaded[Any],
    *,
    profile: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    registry: Registry = PAPERS,
    public: bool = False,
) -> Packet:
    """The notice and the packet of a sammanträde, once it and its items pass `check`.
    `progress` is told what is being done. `public`: the public copy, secret parts
    replaced by their ground; then no attachment it shows may hold a personnummer.
    Raises InputError."""
    from beslutsdoc.compose.packet import build_packet

    checked = meeting(file, profile=profile, registry=registry)
    if public:
        from beslutsdoc.compose.public import attachment_problems

        problems = attachment_problems(checked)
        if problems:
            raise InputError(problems)
    return Packet(build_packet(checked, progress or _quiet, public=public))


@dataclass
class Protokoll:
    """The minutes after a meeting, and one extract per paragraph (by its number)."""

    protokoll: bytes
    utdrag: dict[int, bytes]


def protokoll(
    file: str | Path | Loaded[Any],
    *,
    profile: str | Path | None = None,
    registry: Registry = PAPERS,
    public: bool = False,
) -> Protokoll:
    """The minutes and their extracts, once the meeting passes `check` and has what
    minutes need (attendance, justering, every decision); `public`: their public copies.
    Raises InputError."""
    from beslutsdoc.check.protokoll import check_minutes
    from beslutsdoc.render import render_document, template_path
    from beslutsdoc.render.protokoll import minutes

    checked = meeting(file, profile=profile, registry=registry)
    loaded = checked.loaded
    check_minutes(loaded)
    record = minutes(checked)
    extract = template_path(loaded, "protokollsutdrag", registry)
    own = template_path(loaded, "protokoll", registry)
    return Protokoll(
        render_document("protokoll", record, own, public=public),
        {
            paragraph.paragraf: render_document(
                "protokollsutdrag", paragraph, extract, public=public
            )
            for paragraph in record.paragraphs
        },
    )


def checked(
    paper: Paper, *, profile: str | Path | None = None, registry: Registry = PAPERS
) -> Loaded[Any]:
    """The paper as loaded, when it passes `check`. Raises InputError."""
    loaded = loaded_of(paper, registry)
    problems = check(loaded, profile=profile, registry=registry)
    if problems:
        raise InputError(problems)
    return loaded


def meeting(
    path: str | Path | Loaded[Any],
    *,
    profile: str | Path | None = None,
    registry: Registry = PAPERS,
) -> Meeting:
    """A sammanträde with every paper and attachment of its items, loaded and checked
    as `packet` and `protokoll` read it. Raises InputError."""
    loaded = _meeting(path, profile, registry)
    return checked_meeting(loaded, profile=profile, registry=registry)


def checked_meeting(
    loaded: Loaded[Any], *, profile: str | Path | None = None, registry: Registry = PAPERS
) -> Meeting:
    """The meeting with its items, when it and they pass `check`. Raises InputError."""
    from beslutsdoc.check.meeting import meeting_problems
    from beslutsdoc.check.rules import order

    meeting, problems = _read_meeting(loaded, _path(profile), registry)
    problems += meeting_problems(meeting, registry, complete=not problems)
    if problems:
        raise InputError(sorted(problems, key=order))
    return meeting


def loaded_of(paper: Paper, registry: Registry = PAPERS) -> Loaded[Any]:
    """A paper as the stages read it: as loaded, or a model built in code (its values
    then have no file positions)."""
    if isinstance(paper, Loaded):
        return paper
    paper_type = registry.get(getattr(paper, "typ", None))
    if paper_type is None or not isinstance(paper, paper_type.model_class):
        raise TypeError(f"ingen handling: {type(paper).__name__}")
    file = Path(f"{paper_type.typ}.yaml")
    if paper_type.links:
        keys = ", ".join(paper_type.links)
        problem = Problem(
            f"en handling av typen {paper_type.typ} läses med det den hänvisar till ({keys});"
            " läs den med beslutsdoc.load() eller beslutsdoc.load_text()",
            file=file,
        )
        raise InputError([problem])
    data = paper.model_dump(mode="json", exclude_none=True)
    return Loaded(model=paper, file=file, paper=Source(file, data), profile=None)


def _read_meeting(
    loaded: Loaded[Any], profile: Path | None, registry: Registry
) -> tuple[Meeting, list[Problem]]:
    from beslutsdoc.load.meeting import read_meeting

    return read_meeting(loaded, profile, registry)


def _meeting(
    file: str | Path | Loaded[Any], profile: str | Path | None, registry: Registry
) -> Loaded[Any]:
    loaded = file if isinstance(file, Loaded) else load(file, profile=profile, registry=registry)
    if loaded.model.typ != "sammanträde":
        raise InputError(
            [
                loaded.problem(
                    ("typ",), f"filen är av typen ”{loaded.model.typ}”; här behövs ett sammanträde"
                )
            ]
        )
    return loaded


def _path(value: str | Path | None) -> Path | None:
    return Path(value) if value is not None else None


def _quiet(_: str) -> None:
    pass
