"""LibreOffice as a supervised child process.

Each call runs under `guard.py`, which gives LibreOffice a process group of its own and
kills the whole group (soffice, oosplash, soffice.bin) when the call ends, times out, or
beslutsdoc is interrupted or killed. Documents are converted in batches: one
LibreOffice call converts only about 245 files, and says nothing of the rest.

A LibreOffice profile made from nothing costs a second or more of every start, so the
first run that converts keeps its profile, once it has worked, in the user's cache
(`$XDG_CACHE_HOME/beslutsdoc/`, one per LibreOffice installation): later runs copy it
into a folder of their own (runs never share a live profile). A cached profile that is
incomplete, or that LibreOffice failed with, is dropped and made again. The kept profile
says which LibreOffice version last ran in it: without that, LibreOffice 7.2 and later
run their graphics self-test at every headless start (a second, and 60 MB at once).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
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

#: Resident memory one LibreOffice process may take on a big document (it took 300 MB
#: for 2700 pages): no more processes start at once than fit in the memory available.
MEMORY_PER_PROCESS = 400 * 1024 * 1024
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


def workers(documents: int) -> int:
    """How many LibreOffice processes convert at once: one per core, no more than there
    are documents, nor than the memory available holds."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    count = min(cores or 1, documents)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        count = min(count, available // MEMORY_PER_PROCESS)
    return max(1, count)


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


class _Call:
    """One guarded call, which any thread can stop (once) by closing the guard's pipe."""

    def __init__(self, child: subprocess.Popen[bytes], writer: int) -> None:
        self.child = child
        self._writer: int | None = writer
        self._lock = threading.Lock()
        self.stopped = False

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                with contextlib.suppress(OSError):
                    os.close(self._writer)
                self._writer = None

    def stop(self) -> None:
        """Tell the guard to kill LibreOffice (end of its input)."""
        self.stopped = True
        self.close()


#: Calls under way, for `stop_all`.
_LIVE: set[_Call] = set()
_LIVE_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every LibreOffice call under way (in any thread)."""
    with _LIVE_LOCK:
        calls = list(_LIVE)
    for call in calls:
        call.stop()


def run(command: Sequence[str], *, timeout: float, cleanup: Sequence[Path] = ()) -> Result:
    """Run `command` under the guard; kill it with all its children on timeout,
    interrupt or SIGTERM, or when `stop_all` is called from another thread (then
    `Stopped` is raised). `cleanup`: folders the guard removes if beslutsdoc dies; the
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
    except BaseException:
        os.close(writer)
        raise
    finally:
        os.close(reader)
    call = _Call(child, writer)
    with _LIVE_LOCK:
        _LIVE.add(call)
    try:
        try:
            with terminate_raises():
                out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(call)
            raise ToolError(
                f"LibreOffice blev inte klart inom {timeout:.0f} sekunder och avbröts; ange en"
                f" längre tidsgräns i sekunder med miljövariabeln {TIMEOUT_VARIABLE}"
            ) from None
        except BaseException:
            _stop(call)
            raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(call)
    call.close()
    if call.stopped:
        raise Stopped
    return Result(child.returncode, _text(out), _text(err))


class Stopped(Exception):
    """A call was stopped by `stop_all`: another part of the work failed or was stopped."""


def _stop(call: _Call) -> None:
    """Tell the guard to kill LibreOffice, then make sure it is gone."""
    call.stop()
    try:
        call.child.communicate(timeout=_GRACE)
    except subprocess.TimeoutExpired:
        call.child.kill()
        call.child.communicate()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
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


# --- the prepared profile ---------------------------------------------------------------

#: Written last into a cached profile: the installation it was made with, and the
#: profile's format (a profile kept by an earlier format is made again).
_MARK = "beslutsdoc-profil"
_FORMAT = "format 2: ooSetupLastVersion"
#: LibreOffice's settings in a profile; a profile without them was never used.
_SETTINGS = Path("user") / "registrymodifications.xcu"
#: Not copied: a live run's lock, and the scratch folder `run` gives LibreOffice.
_SKIP = {".lock", "tmp"}


def _cache_root() -> Path | None:
    """$XDG_CACHE_HOME/beslutsdoc (an absolute path, as the XDG spec wants), else
    ~/.cache/beslutsdoc; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "beslutsdoc"


def _installation(program: str) -> str:
    """What names the LibreOffice installation: the program's real path, and its size
    and time (an update changes them)."""
    real = Path(shutil.which(program) or program).resolve()
    parts = [str(real)]
    for path in (real, real.with_name("soffice.bin"), real.with_name("versionrc")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _mark(program: str) -> str:
    return f"{_installation(program)}\n{_FORMAT}"


#: The installation's version, in its main configuration (share/registry/main.xcd).
_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>([0-9.]{1,20})</value>')


def _version(program: str) -> str | None:
    """The installation's LibreOffice version ("7.4"), None when it cannot be read."""
    real = Path(shutil.which(program) or program).resolve()
    try:
        main = (real.parent.parent / "share" / "registry" / "main.xcd").read_bytes()
    except OSError:
        return None
    found = _VERSION.search(main)
    return found.group(1).decode() if found else None


def _mark_version(settings: Path, version: str) -> None:
    """Record in a profile's settings that `version` last ran in it, as a desktop start
    does: LibreOffice otherwise takes every start for the first after an upgrade. Written
    into LibreOffice's own text (a rewrite could rename its namespaces), as its last item."""
    text = settings.read_text(encoding="utf-8")
    before, end, after = text.rpartition("</oor:items>")
    if not end:
        return
    item = (
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion"'
        f' oor:op="fuse"><value>{version}</value></prop></item>\n'
    )
    settings.write_text(before + item + end + after, encoding="utf-8")


def cached_profile(program: str) -> Path | None:
    """Where the prepared profile of `program` is kept (it may not exist); None when
    there is no cache folder."""
    root = _cache_root()
    key = hashlib.sha256(_installation(program).encode()).hexdigest()[:16]
    return None if root is None else root / f"lo-profil-{key}"


def _valid(profile: Path, program: str) -> bool:
    try:
        if (profile / _MARK).read_text(encoding="utf-8") != _mark(program):
            return False
        ElementTree.parse(profile / _SETTINGS)
    except (OSError, ElementTree.ParseError, UnicodeDecodeError, ValueError):
        return False
    return True


def _copy(source: Path, target: Path) -> None:
    shutil.copytree(
        source,
        target,
        symlinks=True,
        dirs_exist_ok=True,
        ignore=lambda folder, names: [n for n in names if n in _SKIP and folder == str(source)],
    )


def prepare(profile: Path, program: str) -> bool:
    """Fill the empty folder `profile` with the cached profile of `program`, when there
    is a sound one; False when LibreOffice must make one from nothing (an unsound cached
    one is removed)."""
    cached = cached_profile(program)
    if cached is None or not cached.is_dir():
        return False
    if not _valid(cached, program):
        drop(program)
        return False
    try:
        _copy(cached, profile)
    except (OSError, shutil.Error):
        for entry in profile.iterdir():  # start again from nothing
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()
        return False
    return True


def keep(profile: Path, program: str) -> None:
    """Keep `profile`, which LibreOffice has just made and converted with, as the cached
    profile of `program`: copied beside the cache, then renamed into place at once, so
    that no run ever sees half of it. Never fails: without a cache, runs are slower."""
    if not (profile / _SETTINGS).is_file():
        return
    cached = cached_profile(program)
    if cached is None:
        return
    with contextlib.suppress(OSError, shutil.Error, UnicodeError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        _forget_stale(cached)
        staging = Path(tempfile.mkdtemp(prefix=f".{cached.name}-", dir=cached.parent))
        try:
            _copy(profile, staging)
            version = _version(program)
            if version is not None:
                _mark_version(staging / _SETTINGS, version)
            (staging / _MARK).write_text(_mark(program), encoding="utf-8")
            if _valid(staging, program):
                os.rename(staging, cached)  # fails if another run was first: keep theirs
        finally:
            shutil.rmtree(staging, ignore_errors=True)


#: A copy beside the cache older than this was left by a run that was killed.
_STALE_SECONDS = 3600.0


def _forget_stale(cached: Path) -> None:
    """Remove half-made copies that killed runs left beside the cache."""
    now = time.time()
    for leftover in cached.parent.glob(f".{cached.name}-*"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)


def drop(program: str) -> None:
    """Remove the cached profile of `program` (renamed away first: a run copying it at
    this moment still copies a whole one, or none)."""
    cached = cached_profile(program)
    if cached is None:
        return
    with contextlib.suppress(OSError):
        doomed = Path(tempfile.mkdtemp(prefix=f".{cached.name}-", dir=cached.parent))
        try:
            os.rename(cached, doomed / "profil")
        finally:
            shutil.rmtree(doomed, ignore_errors=True)
