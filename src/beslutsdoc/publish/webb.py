"""`beslutsdoc webb`: the board's public pages as static HTML, no server, no JavaScript.

    site/
      stil.css                 the one stylesheet (the municipality's own, if given)
      index.html               every meeting, newest first, per board
      anslagstavla.html        the notices of justerade minutes, apart from the rest
                               (kommunallagen 8 kap. 9–10 §§), newest first
      2021-01-26/
        kallelse.html          notice and numbered agenda
        protokoll.html         the public minutes (after the meeting)
        anslag.html            the notice of the justerade minutes (after the meeting)
        protokoll-offentlig.pdf, kallelse.pdf, ...   public PDFs found beside the meeting

Pages are Jinja templates in `templates/webb/` with autoescape on: user text reaches
them as data, and the document blocks as HTML the writer escaped. Everything is
written at once, or nothing (`output.write_all`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from lxml import html as lhtml

from beslutsdoc.check.meeting import meeting_problems
from beslutsdoc.check.rules import check_minutes, order
from beslutsdoc.document.text import long_date
from beslutsdoc.load.meeting import read_meeting
from beslutsdoc.load.paper import load_paper
from beslutsdoc.model.meeting import Meeting
from beslutsdoc.model.personnummer import personnummer_in
from beslutsdoc.model.registry import PAPERS
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.problems import InputError, Problem
from beslutsdoc.publish import pages
from beslutsdoc.render.html import safe_link, slug
from beslutsdoc.render.protokoll import Minutes, minutes
from beslutsdoc.render.repair import TEMPLATES

STYLESHEET = "stil.css"
BOARD = "anslagstavla.html"
#: Public PDFs a meeting's pages link when they lie beside the meeting file: (kind,
#: label, names in order of preference). Originals of the minutes and the packet hold
#: what only the members may read; only their public copies are published.
PDFS = (
    ("kallelse", "Kallelse och föredragningslista", ("kallelse-offentlig.pdf", "kallelse.pdf")),
    ("handlingar", "Handlingar", ("handlingar-offentlig.pdf",)),
    ("protokoll", "Protokoll", ("protokoll-offentlig.pdf",)),
)


@dataclass(frozen=True)
class Pdf:
    name: str
    label: str
    size: str  # ”230 kB”, for the link text


@dataclass
class Site:
    """One meeting's pages and the PDFs it links."""

    meeting: Meeting
    folder: str
    pdfs: dict[str, Pdf] = field(default_factory=dict)
    extracts: list[tuple[int, Pdf]] = field(default_factory=list)
    copies: dict[str, Path] = field(default_factory=dict)  # name in the folder → source

    @property
    def model(self) -> Sammanträde:
        return self.meeting.model

    @property
    def minutes(self) -> bool:
        return pages.has_minutes(self.model)

    @cached_property
    def record(self) -> Minutes:
        """The minutes (made once: the protocol page, its anslag and the board read it)."""
        return minutes(self.meeting)


def build_site(
    meeting_files: Sequence[Path], out: Path, *, stylesheet: Path | None = None
) -> list[Path]:
    """The public pages of every meeting in `meeting_files` in `out`, with an index;
    returns the files written. Raises InputError for every problem of every meeting
    at once; nothing is written then."""
    from beslutsdoc.output import check_targets, write_all

    if not meeting_files:
        raise ValueError("build_site behöver minst ett sammanträde")
    sites = _sites(_load(meeting_files))
    files: dict[Path, bytes] = {
        out / rel: data for rel, data in render_site(sites, stylesheet).items()
    }
    plan: list[tuple[Path, Path]] = []
    read: list[Path] = [p.path for s in sites for i in s.meeting.items for p in i.parts]
    for site in sites:
        source = site.meeting.loaded.file
        plan += [(source, t) for t in files if t.parent == out / site.folder]
        for name, pdf in site.copies.items():
            target = out / site.folder / name
            if target.resolve() != pdf.resolve():  # the site built beside its meetings
                files[target] = pdf.read_bytes()
                plan.append((source, target))
                read.append(pdf)
    first = sites[0].meeting.loaded.file
    plan += [(first, out / name) for name in (STYLESHEET, "index.html", BOARD)]
    if stylesheet:
        read.append(stylesheet)
    check_targets(plan, read)
    write_all(files)
    return list(files)


def _load(files: Sequence[Path]) -> list[Meeting]:
    """Each meeting with its papers, checked as `packet` and `protokoll` check it (one
    with minutes also as the protocol is); every problem of every file at once."""
    meetings: list[Meeting] = []
    problems: list[Problem] = []
    for file in files:
        try:
            meetings.append(_checked(file))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(sorted(problems, key=order))
    return meetings


def _checked(file: Path) -> Meeting:
    loaded = load_paper(file)
    if not isinstance(loaded.model, Sammanträde):
        raise InputError(
            [
                loaded.problem(
                    ("typ",), f"filen är av typen ”{loaded.model.typ}”; här behövs ett sammanträde"
                )
            ]
        )
    meeting, problems = read_meeting(loaded)
    problems += meeting_problems(meeting, PAPERS, complete=not problems)
    if problems:
        raise InputError(problems)
    if pages.has_minutes(meeting.model):
        check_minutes(meeting.loaded)
    return meeting


def _sites(meetings: Sequence[Meeting]) -> list[Site]:
    """A folder per meeting, by its date (and board, when two meet the same day)."""
    dates = [m.model.datum for m in meetings]
    used: set[str] = set()
    sites = []
    for m in meetings:
        folder = str(m.model.datum)
        if dates.count(m.model.datum) > 1:
            folder = f"{folder}-{slug(m.model.nämnd)}"
        base, n = folder, 1
        while folder in used:
            n += 1
            folder = f"{base}-{n}"
        used.add(folder)
        site = Site(m, folder)
        _find_pdfs(site)
        sites.append(site)
    return sites


def _find_pdfs(site: Site) -> None:
    """The public PDFs beside the meeting file, to copy and link."""
    beside = site.meeting.loaded.file.parent
    for kind, label, names in PDFS:
        for name in names:
            if (beside / name).is_file():
                site.pdfs[kind] = Pdf(name, label, _size(beside / name))
                site.copies[name] = beside / name
                break
    for path in sorted(beside.glob("protokollsutdrag-*-offentlig.pdf")):
        number = path.name.removeprefix("protokollsutdrag-").removesuffix("-offentlig.pdf")
        if number.isdigit():
            site.extracts.append(
                (int(number), Pdf(path.name, f"Protokollsutdrag § {number}", _size(path)))
            )
            site.copies[path.name] = path
    site.extracts.sort()


def _size(path: Path) -> str:
    kilobytes = max(1, round(path.stat().st_size / 1000))
    return (
        f"{kilobytes / 1000:.1f} MB".replace(".", ",") if kilobytes >= 1000 else f"{kilobytes} kB"
    )


# -- the pages -----------------------------------------------------------------------


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES / "webb"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["långt_datum"] = long_date
    environment.filters["veckodag_datum"] = weekday_date
    environment.filters["länk"] = safe_link
    environment.filters["webbadress"] = web_address
    environment.filters["genitiv"] = genitive
    return environment


_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)


def web_address(value: str) -> str | None:
    """A web address to link: as written when it has its scheme, `www.botkyrka.se`
    as https; None for anything else."""
    value = value.strip()
    if safe_link(value):
        return value
    return f"https://{value}" if _HOST.fullmatch(value) else None


def genitive(name: str) -> str:
    """`Socialnämnden` → `Socialnämndens`; a name ending in s, x or z stays as it is."""
    return name if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


def weekday_date(day: date) -> str:
    """`2021-01-26` → `tisdag 26 januari 2021`."""
    from babel.dates import format_date

    return str(format_date(day, "EEEE d MMMM y", locale="sv_SE"))


def render_site(sites: Sequence[Site], stylesheet: Path | None = None) -> dict[str, bytes]:
    """Every page, by its path in the site: `index.html`, `2021-01-26/kallelse.html`.
    Raises InputError when a page would show what looks like a personnummer."""
    css = (stylesheet or TEMPLATES / "webb" / STYLESHEET).read_bytes()
    files = {
        STYLESHEET: css,
        "index.html": _page("index.html", _index(sites)),
        BOARD: _page(BOARD, _board(sites)),
    }
    problems: list[Problem] = []
    for site in sites:
        for name, context in _meeting_pages(site).items():
            page = _page(name, context)
            problems += _personnummer(page, f"{site.folder}/{name}", site.meeting.loaded.file)
            files[f"{site.folder}/{name}"] = page
    if problems:
        raise InputError(problems)
    return files


def _personnummer(page: bytes, name: str, source: Path) -> list[Problem]:
    """The last guard (lag 2018:218, 3 kap. 10 §): whatever the page was made of, its
    text shows no personnummer."""
    shown = "".join(str(text) for text in lhtml.fromstring(page).itertext())  # str: parsed
    shown = shown.replace("\u00a0", " ")  # a no-break space between date and number too
    return [
        Problem(
            f"webbsidan {name} skulle visa vad som ser ut som ett personnummer (”{found}”);"
            " ta bort det eller markera delen som sekretess",
            file=source,
        )
        for _, found in personnummer_in(shown)
    ]


def _page(template: str, context: dict[str, Any]) -> bytes:
    return (_environment().get_template(template).render(context).strip() + "\n").encode()


def _index(sites: Sequence[Site]) -> dict[str, Any]:
    boards: dict[str, list[Site]] = {}
    for site in sorted(sites, key=lambda s: s.model.datum, reverse=True):
        boards.setdefault(site.model.nämnd, []).append(site)
    first = sites[0].model
    kommuner = {s.model.kommun for s in sites}
    return {
        "root": "",
        "page": "index",
        "title": f"Sammanträden – {first.kommun}" if len(kommuner) == 1 else "Sammanträden",
        "kommun": first.kommun if len(kommuner) == 1 else "",
        "nämnd": first.nämnd if len(boards) == 1 else "",
        "kontakt": first.kontakt if len(kommuner) == 1 else None,
        "boards": boards,
        "menu": [],
    }


def _board(sites: Sequence[Site]) -> dict[str, Any]:
    """The anslagstavla: one notice per justerat protokoll, the latest posted first."""
    notices = [(site, pages.anslag(site.record)) for site in sites if site.minutes]
    notices.sort(key=lambda notice: (notice[1].posted, notice[0].model.nämnd), reverse=True)
    return {**_index(sites), "page": "anslagstavla", "title": "Anslagstavla", "notices": notices}


def _menu(site: Site) -> list[tuple[str, str]]:
    menu = [("kallelse", "Kallelse")]
    if site.minutes:
        menu += [("protokoll", "Protokoll"), ("anslag", "Anslag")]
    return menu


def _meeting_pages(site: Site) -> dict[str, dict[str, Any]]:
    m = site.model
    when = f"{m.nämnd} {m.datum}"
    shared: dict[str, Any] = {
        "root": "../",
        "kommun": m.kommun,
        "nämnd": m.nämnd,
        "kontakt": m.kontakt,
        "m": m,
        "site": site,
        "menu": _menu(site),
        "time": f"kl. {m.tid}–{m.sluttid}" if m.sluttid else f"kl. {m.tid}",
    }
    out = {
        "kallelse.html": {
            **shared,
            "page": "kallelse",
            "title": f"Kallelse och föredragningslista – {when}",
            "agenda": pages.agenda_items(site.meeting),
            "pdfs": _pdfs(site, "kallelse", "handlingar"),
            "justerare": [str(j) for j in m.justering.justerare] if m.justering else [],
            "decided": {},
        }
    }
    if site.minutes:
        record = site.record
        written = pages.minutes_html(record)
        out["kallelse.html"]["decided"] = pages.decided_in(record, written)
        out["protokoll.html"] = {
            **shared,
            "page": "protokoll",
            "title": f"Protokoll – {when}",
            "written": written,
            "pdfs": _pdfs(site, "protokoll"),
            "anslag": pages.anslag(record),
        }
        out["anslag.html"] = {
            **shared,
            "page": "anslag",
            "title": f"Anslag om justerat protokoll – {when}",
            "protocol_pdf": site.pdfs.get("protokoll"),
            "anslag": pages.anslag(record),
        }
    return out


def _pdfs(site: Site, *kinds: str) -> list[Pdf]:
    return [site.pdfs[kind] for kind in kinds if kind in site.pdfs]
