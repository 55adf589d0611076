"""LibreOffice as a supervised child process.

Each call runs under `guard.py`, which gives LibreOffice a process group of its own and
kills the whole group (soffice, oosplash, soffice.bin) when the call ends, times out, or
beslutsdoc is interrupted or killed. Documents are converted in batches: one
LibreOffice call converts only about 245 files, and says nothing of the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from beslutsdoc.problems import ToolError

PDF_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},  # PDF/A-2b
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},  # declares and checks PDF/UA-1
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    # Word bookmarks as named destinations: how the packet finds where each part begins.
    "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
}

#: Files per LibreOffice call: well under the ~245 it converts at most in one call.
BATCH = 200
#: Seconds per call: LibreOffice starts in 2-3 s and converts a three-page paper in about
#: 0.25 s and a megabyte of Word in about 2 s on a laptop; the limit gives ten times that,
#: never less than a minute (a cold start on a busy machine) nor more than half an hour.
TIMEOUT_FLOOR = 60.0
TIMEOUT_CEILING = 1800.0
TIMEOUT_PER_FILE = 2.0
TIMEOUT_PER_MB = 20.0
TIMEOUT_VARIABLE = "BESLUTSDOC_PDF_TIMEOUT"
#: How long the guard gets to clean up after being told to stop.
_GRACE = 10.0
_GUARD = Path(__file__).with_name("guard.py")
#: The guard's exit status and message when the program could not be started.
NOT_STARTED = 127
GUARD_SAYS = "beslutsdoc-guard:"


def find_soffice() -> str:
    """The LibreOffice program: $BESLUTSDOC_SOFFICE, else soffice or libreoffice on PATH."""
    configured = os.environ.get("BESLUTSDOC_SOFFICE")
    if configured:
        _check_program(configured)
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "LibreOffice saknas, och det behövs för PDF. Installera det (till exempel"
        " ”apt-get install libreoffice-writer-nogui”) eller ange programmet i"
        " miljövariabeln BESLUTSDOC_SOFFICE. Utan --pdf skrivs bara Word-filen."
    )


def _check_program(program: str) -> None:
    """A configured program that cannot run, said as such (not as a write error)."""
    where = f"LibreOffice kunde inte startas: ”{program}” (BESLUTSDOC_SOFFICE)"
    path = Path(program)
    if not path.exists():
        raise ToolError(f"{where} finns inte")
    if path.is_dir():
        raise ToolError(f"{where} är en mapp, inte ett program")
    if not os.access(path, os.X_OK):
        raise ToolError(
            f"{where} är inte körbar: körrättighet saknas (ge den med ”chmod +x”,"
            " eller ange ett annat program)"
        )


def timeout_for(documents: Sequence[Path]) -> float:
    """Seconds one LibreOffice call may take for `documents`: $BESLUTSDOC_PDF_TIMEOUT,
    else scaled to their number and size, between the floor and the ceiling."""
    configured = os.environ.get(TIMEOUT_VARIABLE)
    if configured:
        try:
            value = float(configured.replace(",", "."))
        except ValueError:
            value = 0.0
        if not 0 < value < 1e6:
            raise ToolError(
                f"{TIMEOUT_VARIABLE}=”{configured}” är ingen tidsgräns; ange sekunder,"
                " till exempel 600"
            )
        return value
    size = sum(d.stat().st_size for d in documents) / 1e6
    wanted = TIMEOUT_FLOOR + TIMEOUT_PER_FILE * len(documents) + TIMEOUT_PER_MB * size
    return min(TIMEOUT_CEILING, wanted)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run(command: Sequence[str], *, timeout: float, cleanup: Sequence[Path] = ()) -> Result:
    """Run `command` under the guard; kill it with all its children on timeout,
    interrupt or SIGTERM. `cleanup`: folders the guard removes if beslutsdoc dies; the
    first also gets LibreOffice's own temporary files (lu*.tmp), which a killed
    LibreOffice would leave in $TMPDIR."""
    env = dict(os.environ)
    if cleanup:
        scratch = cleanup[0] / "tmp"
        scratch.mkdir(exist_ok=True)
        env["TMPDIR"] = str(scratch)
    reader, writer = os.pipe()
    guard = [sys.executable, "-I", "-S", str(_GUARD)]
    for folder in cleanup:
        guard += ["--cleanup", str(folder)]
    try:
        child = subprocess.Popen(
            [*guard, "--", *command],
            stdin=reader,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # no terminal signals: the pipe says when to stop
            env=env,
        )
    finally:
        os.close(reader)
    try:
        with _terminate_raises():
            out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(child, writer)
        raise ToolError(
            f"LibreOffice blev inte klart inom {timeout:.0f} sekunder och avbröts; ange en"
            f" längre tidsgräns i sekunder med miljövariabeln {TIMEOUT_VARIABLE}"
        ) from None
    except BaseException:
        _stop(child, writer)
        raise
    os.close(writer)
    return Result(child.returncode, _text(out), _text(err))


def _stop(child: subprocess.Popen[bytes], writer: int) -> None:
    """Tell the guard to kill LibreOffice (end of its input), then make sure it is gone."""
    with contextlib.suppress(OSError):
        os.close(writer)
    try:
        child.communicate(timeout=_GRACE)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()


@contextlib.contextmanager
def _terminate_raises() -> Iterator[None]:
    """SIGTERM becomes an exception while LibreOffice runs, so cleanup code runs."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: the pipe still stops LibreOffice
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _text(data: bytes) -> str:
    """LibreOffice's messages, whatever their encoding."""
    return data.decode("utf-8", errors="replace")


def command(program: str, profile: Path, out_dir: Path, documents: Sequence[Path]) -> list[str]:
    return [
        program,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf:writer_pdf_Export:" + json.dumps(PDF_OPTIONS, separators=(",", ":")),
        "--outdir",
        str(out_dir),
        *(str(d) for d in documents),
    ]
