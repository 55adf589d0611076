"""The command line: `beslutsdoc render|validate|schema ...`, in Swedish.

A thin layer over the library (`beslutsdoc.api`), which it imports only once the
arguments are read: `beslutsdoc --help` loads nothing but argparse.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from beslutsdoc import __version__
from beslutsdoc.problems import InputError, Problem, TemplateError, ToolError

_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "expected one argument": "ett värde behövs",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "invalid choice: %(value)r": "ogiltigt val: %(value)r",
}


def _translate(text: str) -> str:
    return _SWEDISH.get(text, text)


@contextlib.contextmanager
def _swedish() -> Iterator[None]:
    """argparse's own words (usage, options, its errors) in Swedish, while the command
    line is read; argparse looks them up through its module's `_` when it uses them."""
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = _translate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="beslutsdoc",
        description="Nämndhandlingar från YAML: tjänsteutlåtanden, internkontrollplaner, kallelser och handlingar, protokoll och protokollsutdrag i Word och PDF, kontrollerade innan någon läser dem.",
        epilog="Slutstatus: 0 klart, 1 fel i indata (inget skrivs), 2 felaktigt anrop.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"beslutsdoc {__version__}",
        help="visa versionen och avsluta",
    )
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    commands.required = True

    render_cmd = commands.add_parser(
        "render",
        help="gör Word (och PDF) av handlingar",
        description="Gör Word-filer (och PDF) av en eller flera handlingar. Utdata hamnar bredvid varje YAML-fil om inte -o anges.",
    )
    render_cmd.add_argument(
        "files", nargs="+", type=Path, metavar="FIL.yaml", help="handlingar att göra"
    )
    render_cmd.add_argument(
        "-o", "--ut", dest="out", type=Path, metavar="UT.docx", help="utfil (bara med en indatafil)"
    )
    render_cmd.add_argument(
        "--pdf", action="store_true", help="gör även PDF (PDF/A-2b, taggad) med LibreOffice"
    )
    _public_option(render_cmd)
    _profile_option(render_cmd)

    validate_cmd = commands.add_parser(
        "validate",
        help="kontrollera handlingar utan att skriva något",
        description="Kontrollera handlingar utan att skriva något.",
    )
    validate_cmd.add_argument(
        "files", nargs="+", type=Path, metavar="FIL.yaml", help="handlingar att kontrollera"
    )
    _profile_option(validate_cmd)

    minutes_cmd = commands.add_parser(
        "protokoll",
        help="gör protokoll och protokollsutdrag efter sammanträdet",
        description="Gör protokollet från en sammanträdesfil efter sammanträdet, och ett protokollsutdrag per paragraf. Titlar och diarienummer hämtas från ärendenas tjänsteutlåtanden.",
    )
    _meeting_argument(minutes_cmd)
    minutes_cmd.add_argument(
        "-o",
        "--ut",
        dest="out",
        type=Path,
        metavar="MAPP",
        help="mapp för protokoll och utdrag (annars sammanträdesfilens mapp)",
    )
    minutes_cmd.add_argument("--pdf", action="store_true", help="gör även PDF av allt")
    _public_option(minutes_cmd)
    _profile_option(minutes_cmd)

    packet_cmd = commands.add_parser(
        "packet",
        help="gör kallelse och handlingar inför sammanträdet",
        description="Gör kallelsen med föredragningslistan, och handlingarna: kallelsen, en innehållsförteckning och varje ärende med sina handlingar och bilagor, i en Word-fil och en PDF med bokmärken.",
    )
    _meeting_argument(packet_cmd)
    packet_cmd.add_argument(
        "-o",
        "--ut",
        dest="out",
        type=Path,
        metavar="MAPP",
        help="mapp för kallelse och handlingar (annars sammanträdesfilens mapp)",
    )
    packet_cmd.add_argument(
        "--no-pdf", dest="no_pdf", action="store_true", help="bara Word-filerna"
    )
    _public_option(packet_cmd)
    _profile_option(packet_cmd)

    web_cmd = commands.add_parser(
        "webb",
        help="gör nämndens offentliga webbsidor",
        description="Gör nämndens offentliga webbsidor som statisk HTML: en förteckning över sammanträdena och per sammanträde kallelsen med föredragningslistan, det offentliga protokollet och anslaget, med länkar till de offentliga PDF:erna som ligger bredvid sammanträdesfilen.",
    )
    web_cmd.add_argument(
        "meetings", nargs="+", type=Path, metavar="SAMMANTRÄDE.yaml", help="sammanträdesfilerna"
    )
    web_cmd.add_argument(
        "-o", "--ut", dest="out", type=Path, metavar="MAPP", required=True, help="mapp för sidorna"
    )
    web_cmd.add_argument(
        "--stil", type=Path, metavar="FIL.css", help="egen stilmall i stället för standardens"
    )

    schema_cmd = commands.add_parser(
        "schema",
        help="skriv JSON-scheman för indata",
        description="Skriv JSON-scheman för handlingarna och profilen (för redigerare som kompletterar och kontrollerar nycklar).",
    )
    schema_cmd.add_argument(
        "-o",
        "--ut",
        dest="out",
        type=Path,
        metavar="MAPP",
        help="mapp att skriva schemana i (annars skrivs de till standard ut)",
    )

    new_cmd = commands.add_parser(
        "ny",
        help="gör en ny nämndmapp att utgå från",
        description="Gör en ny mapp för en nämnd: en profil (beslutsdoc.yaml) med varje nyckel förklarad, ett tjänsteutlåtande, en internkontrollplan med uppföljning, ett protokollsutdrag och ett sammanträde som använder dem, och JSON-schemana för redigeraren. Allt går att kontrollera och göra som det står. Inget som redan finns skrivs över.",
    )
    new_cmd.add_argument("folder", type=Path, metavar="MAPP", help="mappen att göra")

    template_cmd = commands.add_parser(
        "mall",
        help="kontrollera en egen Word-mall och visa dess variabler",
        description="Kontrollera nämndens egen Word-mall som beslutsdoc läser den, och visa vilka variabler den använder och vilka som finns.",
    )
    template_cmd.add_argument("template", type=Path, metavar="MALL.docx", help="mallen")
    template_cmd.add_argument(
        "--typ",
        dest="kind",
        metavar="TYP",
        help="vad mallen är för, som nyckeln under mallar: i profilen: tjänsteutlåtande,"
        " protokollsutdrag, protokoll, kallelse, ärende, handlingar, internkontrollplan"
        " eller internkontrolluppföljning (annars gissas det)",
    )
    return parser


_OS_REASONS = {
    errno.EEXIST: "en fil står där en mapp behövs",
    errno.ENOTDIR: "en fil står där en mapp behövs",
    errno.EISDIR: "det är en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.ENOSPC: "disken är full",
    errno.ENOENT: "mappen finns inte",
    errno.EROFS: "filsystemet är skrivskyddat",
}


def _profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profil",
        type=Path,
        metavar="FIL",
        help="profil att använda i stället för närmaste beslutsdoc.yaml",
    )


def _public_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offentlig",
        action="store_true",
        help="gör även de offentliga versionerna (…-offentlig.docx/.pdf): sekretessdelar"
        " ersatta av sitt lagrum, och inga personnummer",
    )


def public_name(path: Path) -> Path:
    """`handlingar.pdf` → `handlingar-offentlig.pdf`."""
    return path.with_name(f"{path.stem}-offentlig{path.suffix}")


def _meeting_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("meeting", type=Path, metavar="SAMMANTRÄDE.yaml", help="sammanträdesfilen")


def main(argv: Sequence[str] | None = None) -> int:
    with _swedish():
        args = _parser().parse_args(argv)
    # Pydantic looks for plugins among every installed package's entry points when it
    # builds the first model; the command line has none, and the scan costs its start.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # pikepdf (qpdf's warnings about damaged PDFs, unless a Pdf is opened with them
    # suppressed; its XMP reader) and pypdf (text of attachments) log in English; our own
    # errors say it in Swedish. The application sets this, not the library (whose users
    # log as they like).
    for logger in ("pikepdf", "pypdf"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    # pikepdf also warns, as a Python warning, of what the packet does on purpose: form
    # widgets kept as appearances without their form (load/sanitise.py removes forms).
    # By message: filtering by pikepdf's warning class would import it for every command.
    warnings.filterwarnings("ignore", message=r"This document has \d+ form widget annotation")
    try:
        if args.command == "render":
            return _render(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "protokoll":
            return _minutes(args)
        if args.command == "packet":
            return _packet(args)
        if args.command == "webb":
            return _web(args)
        if args.command == "ny":
            return _new(args)
        if args.command == "mall":
            return _template(args)
        return _schema(args)
    except InputError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except (TemplateError, ToolError) as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:  # writing the outputs: a folder that is a file, no permission
        from beslutsdoc.output import os_reason

        where = f"{err.filename}: " if err.filename else ""
        print(f"{where}kan inte skrivas: {os_reason(err.errno or 0)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("avbrutet", file=sys.stderr)
        return 1


def _render(args: argparse.Namespace) -> int:
    if args.out and len(args.files) > 1:
        _parser().error("-o kan bara användas med en indatafil")
    if args.out and args.out.suffix.lower() != ".docx":
        _parser().error("-o ska vara en .docx-fil")
    from beslutsdoc.output import check_targets, write_all
    from beslutsdoc.render.workers import in_workers

    # Many files are loaded, checked and rendered in a worker process per core; what
    # comes back is reported and written here, in the files' order, as one process would.
    made = in_workers(_render_file, [(Path(f), args.profil, args.offentlig) for f in args.files])
    problems = [problem for one in made for problem in one.problems]
    if problems:
        raise InputError(problems)  # every problem of every file, nothing rendered written
    plan = [(one.file, args.out or one.file.with_suffix(".docx")) for one in made]
    if args.offentlig:
        plan += [(source, public_name(target)) for source, target in plan]
    check_targets(plan + [(s, t.with_suffix(".pdf")) for s, t in plan if args.pdf])
    _raise_first_failure(made)
    documents = [one.documents[0] for one in made]
    documents += [one.documents[1] for one in made] if args.offentlig else []
    outputs = {target: data for (_, target), data in zip(plan, documents, strict=True)}
    if args.pdf:
        _with_pdfs(outputs)
    write_all(outputs)
    for target in outputs:
        print(f"skrev {target}")
    return 0


@dataclass(frozen=True)
class _Rendered:
    """One file of `render` as a worker hands it back: what it rendered, or what was wrong."""

    file: Path
    problems: list[Problem]  # loading and checking it
    documents: tuple[bytes, ...] = ()  # the Word file, then its public copy if asked for
    #: Rendering failed: (in the public copy?, the problems or the template's message).
    failure: tuple[bool, list[Problem] | str] | None = None


def _render_file(job: tuple[Path, Path | None, bool]) -> _Rendered:
    """Load, check and render one file, as `api.validate` and `render.render` do."""
    from beslutsdoc.api import check, load
    from beslutsdoc.render import render

    file, profile, public = job
    try:
        paper = load(file, profile=profile)
    except InputError as err:
        return _Rendered(file, err.problems)
    found = check(paper, profile=profile)
    if found:
        return _Rendered(file, found)
    documents: list[bytes] = []
    for copy in (False, True)[: 1 + public]:
        try:
            documents.append(render(paper, public=copy))
        except InputError as err:
            return _Rendered(paper.file, [], failure=(copy, err.problems))
        except TemplateError as err:
            return _Rendered(paper.file, [], failure=(copy, str(err)))
    return _Rendered(paper.file, [], tuple(documents))


def _raise_first_failure(made: list[_Rendered]) -> None:
    """The error one process would have met first: every Word file is rendered before
    any public copy, in the files' order."""
    failed = [(one.failure[0], index) for index, one in enumerate(made) if one.failure]
    if not failed:
        return
    failure = made[min(failed)[1]].failure
    assert failure is not None
    if isinstance(failure[1], str):
        raise TemplateError(failure[1])
    raise InputError(failure[1])


def _with_pdfs(outputs: dict[Path, bytes]) -> None:
    """Add the PDFs, and give each Word file's contents the page numbers its PDF has."""
    from beslutsdoc.api import with_pdfs

    targets = list(outputs)
    done = with_pdfs([outputs[t] for t in targets], targets)
    for target, (docx, pdf) in zip(targets, done, strict=True):
        outputs[target] = docx
        outputs[target.with_suffix(".pdf")] = pdf


def _minutes(args: argparse.Namespace) -> int:
    from beslutsdoc.api import protokoll
    from beslutsdoc.output import write_all

    made = protokoll(args.meeting, profile=args.profil)
    folder = args.out or args.meeting.parent
    outputs = {folder / "protokoll.docx": made.protokoll}
    for number, extract in made.utdrag.items():
        outputs[folder / f"protokollsutdrag-{number}.docx"] = extract
    if args.offentlig:
        public = protokoll(args.meeting, profile=args.profil, public=True)
        outputs[folder / "protokoll-offentlig.docx"] = public.protokoll
        for number, extract in public.utdrag.items():
            outputs[folder / f"protokollsutdrag-{number}-offentlig.docx"] = extract
    if args.pdf:
        _with_pdfs(outputs)
    write_all(outputs)
    print(f"skrev protokollet och {len(made.utdrag)} protokollsutdrag i {folder}")
    return 0


def _packet(args: argparse.Namespace) -> int:
    import concurrent.futures

    from beslutsdoc.api import packet
    from beslutsdoc.output import PACKET_FILES, check_targets, write_all
    from beslutsdoc.output import REPORT_FILE as REPORT

    started = time.perf_counter()
    show = _progress()
    made = packet(args.meeting, profile=args.profil, progress=show)
    folder = args.out or args.meeting.parent
    parts = [p.path for e in made.built.agenda.entries for p in e.item.parts]
    names = [*PACKET_FILES, *(public_name(Path(n)).name for n in PACKET_FILES if args.offentlig)]
    if not args.no_pdf:
        names.append(REPORT)
    check_targets([(args.meeting, folder / n) for n in names], parts)
    public = packet(args.meeting, profile=args.profil, public=True) if args.offentlig else None
    outputs = {
        folder / "kallelse.docx": made.kallelse,
        folder / "handlingar.docx": made.handlingar,
    }
    pages = None
    if not args.no_pdf:
        show("PDF med LibreOffice")
        with concurrent.futures.ThreadPoolExecutor(1) as beside:
            # The report reads the attachments while LibreOffice works, not after.
            report = beside.submit(lambda: made.accessibility)
            pdf = made.pdf()
            report.result()
        pages = pdf.pages
        outputs[folder / "handlingar.docx"] = pdf.handlingar_docx
        outputs[folder / "kallelse.pdf"] = pdf.kallelse
        outputs[folder / "handlingar.pdf"] = pdf.handlingar
        # Written with the PDFs, all or nothing: a report never describes another run.
        outputs[folder / REPORT] = made.accessibility.text().encode("utf-8")
    if public is not None:
        outputs[folder / "handlingar-offentlig.docx"] = public.handlingar
        if not args.no_pdf:
            public_pdf = public.pdf()
            outputs[folder / "handlingar-offentlig.docx"] = public_pdf.handlingar_docx
            outputs[folder / "handlingar-offentlig.pdf"] = public_pdf.handlingar
    write_all(outputs)
    show("")
    counted = f", {pages} sidor" if pages else ""
    print(
        f"skrev kallelse och handlingar i {folder}: {made.items} ärenden{counted}, {time.perf_counter() - started:.1f} s"
    )
    if not args.no_pdf:
        print(f"tillgänglighet: {made.accessibility.summary()}; se {folder / REPORT}")
    return 0


def _web(args: argparse.Namespace) -> int:
    from beslutsdoc.publish.webb import build_site

    written = build_site(args.meetings, args.out, stylesheet=args.stil)
    print(f"skrev {len(written)} filer i {args.out}")
    return 0


def _progress() -> Callable[[str], None]:
    """A line that shows what is being done, on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return lambda _: None

    def show(text: str) -> None:
        sys.stderr.write("\r\033[K" + (f"… {text}"[:100] if text else ""))
        sys.stderr.flush()

    return show


def _validate(args: argparse.Namespace) -> int:
    from beslutsdoc.api import validate

    papers = validate(args.files, profile=args.profil)
    for paper in papers:
        print(f"{paper.file}: inga fel")
    return 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from beslutsdoc.output import write_all
    from beslutsdoc.schema import schemas

    generated = schemas()
    if args.out is None:
        print(json.dumps(generated, ensure_ascii=False, indent=2))
        return 0
    write_all(
        {
            args.out / name: (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()
            for name, schema in generated.items()
        }
    )
    for name in generated:
        print(f"skrev {args.out / name}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from beslutsdoc.scaffold import Exists, scaffold

    try:
        written = scaffold(args.folder)
    except Exists as err:
        print(err, file=sys.stderr)
        return 1
    print(f"skrev {len(written)} filer i {args.folder}:")
    for path in written:
        print(f"  {path}")
    print(f"börja med {args.folder / 'beslutsdoc.yaml'}; kontrollera med beslutsdoc validate")
    return 0


def _template(args: argparse.Namespace) -> int:
    from beslutsdoc.templatecheck import check_template, kinds

    if args.kind is not None and args.kind not in kinds():
        _parser().error(f"--typ ska vara en av: {', '.join(kinds())}")
    report = check_template(args.template, args.kind)
    print("\n".join(report.lines()))
    return 0
