"""Writing results: all or nothing, and never over an input.

Every file a run writes into a folder is first written into one staging folder inside
it (`.beslutsdoc-utdata-PID-*`), then moved into place. The staging folder gets a mark
(`klar`) once every file in it is complete: a run killed before the mark leaves earlier
outputs untouched, and the next run removes its staging folder; a run killed while moving
files in (a few renames, microseconds) is finished by the next run, so a folder never
keeps a mix of two runs' files. An error while moving puts the earlier files back.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from beslutsdoc.problems import InputError, Problem, ToolError

STAGING_PREFIX = ".beslutsdoc-utdata-"
#: What `packet` writes: an attachment by one of these names in the output folder would
#: be overwritten (and a later run would include the previous packet).
PACKET_FILES = ("kallelse.docx", "kallelse.pdf", "handlingar.docx", "handlingar.pdf")
#: The accessibility report written beside the packet's PDFs (export/report.py).
REPORT_FILE = "tillgänglighet.txt"
_READY = "klar"  # lists the files to move in, one a line; written last, by a rename
_NEW = "ny"
_OLD = "gammal"

_OS_REASONS = {
    errno.EEXIST: "en fil står där en mapp behövs",
    errno.ENOTDIR: "en fil står där en mapp behövs",
    errno.EISDIR: "det är en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENAMETOOLONG: "namnet är för långt för filsystemet",
    errno.EFBIG: "filen blir för stor för filsystemet",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer",
    errno.EIO: "in- eller utmatningsfel på disken",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.EBUSY: "filen används",
    errno.ETXTBSY: "filen används",
    errno.EXDEV: "filen ligger på ett annat filsystem",
    errno.ENOEXEC: "filen är inget program som kan köras",
}


def os_reason(number: int) -> str:
    """What an OS error number means, in Swedish."""
    return _OS_REASONS.get(number, f"systemfel {errno.errorcode.get(number, number)}")


def write_error(path: Path, err: OSError) -> ToolError:
    """An OS error while writing `path`, in Swedish, naming the file the user sees."""
    return ToolError(f"{path}: kan inte skrivas: {os_reason(err.errno or 0)}")


def check_targets(plan: Sequence[tuple[Path, Path]], inputs: Iterable[Path] = ()) -> None:
    """Before anything is written: no output is also an input, and no two inputs write
    one output. `plan`: (input, output) pairs; `inputs`: every other file read."""
    problems: list[Problem] = []
    read = {_key(p): p for p in [*(i for i, _ in plan), *inputs]}
    written: dict[Path, Path] = {}
    for source, target in plan:
        key = _key(target)
        if key in read:
            problems.append(
                Problem(
                    f"utfilen ”{target}” är också indata ({read[key]}) och skulle skrivas"
                    " över; ta bort den ur indata eller skriv utdata i en annan mapp med -o",
                    file=source,
                )
            )
        elif key in written and written[key] != source:
            problems.append(
                Problem(
                    f"både ”{written[key]}” och ”{source}” skulle skrivas till ”{target}”;"
                    " byt namn på den ena eller gör dem var för sig med -o",
                    file=source,
                )
            )
        written.setdefault(key, source)
    if problems:
        raise InputError(problems)


def _key(path: Path) -> Path:
    """One name for one file: symlinks and `..` resolved, as the file system sees it."""
    return Path(os.path.normcase(path.resolve()))


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write every file, or none, staged per folder; OS errors as a ToolError naming the
    user's file."""
    folders: dict[Path, dict[str, bytes]] = {}
    for target, data in files.items():
        folders.setdefault(target.parent, {})[target.name] = data
    for folder in folders:
        recover(folder)
    for folder, named in folders.items():
        _check_writable(folder, named)
    staged: list[Path] = []
    try:
        for folder, named in folders.items():
            staged.append(_stage(folder, named))
        for staging in staged:
            with _locked(staging.parent):
                _swap(staging)
    finally:
        for staging in staged:
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Two runs writing one folder move their files in one after the other, never
    interleaved. The lock is on the folder itself: no lock file is left behind."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield  # a folder that cannot be opened still takes renames
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _check_writable(folder: Path, named: Mapping[str, bytes]) -> None:
    """What would fail only halfway through: a folder where a file goes, a file where
    the folder goes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise write_error(Path(err.filename or folder), err) from None
    if not folder.is_dir():
        raise ToolError(f"{folder}: kan inte skrivas: en fil står där en mapp behövs")
    for name in named:
        target = folder / name
        try:
            mode = target.lstat().st_mode
        except FileNotFoundError:
            continue
        except OSError as err:
            raise write_error(target, err) from None
        if stat.S_ISDIR(mode):
            raise ToolError(f"{target}: kan inte skrivas: det är en mapp")
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise ToolError(f"{target}: kan inte skrivas: det är ingen vanlig fil")


def _stage(folder: Path, named: Mapping[str, bytes]) -> Path:
    """Every file in one new staging folder inside `folder`, then the mark."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=folder))
    except OSError as err:
        raise write_error(folder, err) from None
    try:
        (staging / _NEW).mkdir()
        (staging / _OLD).mkdir()
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise write_error(folder, err) from None
    for name, data in named.items():
        try:
            _write(staging / _NEW / name, data)
        except OSError as err:
            shutil.rmtree(staging, ignore_errors=True)
            raise write_error(folder / name, err) from None
    try:
        _write(staging / ".klar", "\n".join(named).encode())
        os.replace(staging / ".klar", staging / _READY)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise write_error(folder / next(iter(named)), err) from None
    return staging


def _write(path: Path, data: bytes) -> None:
    with path.open("xb") as out:  # the umask's permissions, as any new file gets
        out.write(data)


def _swap(staging: Path) -> None:
    """Move the staged files in; on an error, put the earlier ones back."""
    folder = staging.parent
    names = (staging / _READY).read_text().splitlines()
    moved: list[str] = []
    try:
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                os.link(folder / name, staging / _OLD / name, follow_symlinks=False)
            os.replace(staging / _NEW / name, folder / name)
            moved.append(name)
    except OSError as err:
        _restore(staging, moved)
        raise write_error(folder / names[len(moved)], err) from None
    except BaseException:
        _restore(staging, moved)
        raise
    (staging / _READY).unlink()


def _restore(staging: Path, moved: Sequence[str]) -> None:
    folder = staging.parent
    for name in moved:
        with contextlib.suppress(OSError):
            if (staging / _OLD / name).exists() or (staging / _OLD / name).is_symlink():
                os.replace(staging / _OLD / name, folder / name)
            else:
                (folder / name).unlink()


def recover(folder: Path) -> None:
    """Deal with what killed runs left in `folder`: finish moving in a complete set of
    files, remove an incomplete one. Folders of runs still running are left alone."""
    try:
        candidates = list(folder.glob(f"{STAGING_PREFIX}*"))
    except OSError:
        return
    for staging in candidates:
        pid = staging.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or process_alive(int(pid)) or not staging.is_dir():
            continue
        with contextlib.suppress(OSError):
            if (staging / _READY).is_file():
                names = (staging / _READY).read_text().splitlines()
                for name in names:
                    if (staging / _NEW / name).is_file():
                        os.replace(staging / _NEW / name, folder / name)
        shutil.rmtree(staging, ignore_errors=True)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
