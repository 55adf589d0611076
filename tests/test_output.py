"""Outputs never harm inputs: all or nothing, staged in one folder, OS errors in Swedish."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from beslutsdoc import output
from beslutsdoc.output import STAGING_PREFIX, check_targets, recover, write_all
from beslutsdoc.problems import InputError, ToolError

from .conftest import PAPER


def _earlier(folder: Path) -> dict[Path, bytes]:
    """Earlier outputs in `folder`, written there by a previous run."""
    files = {folder / "kallelse.docx": b"gammal kallelse", folder / "handlingar.docx": b"gammal"}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def _new(folder: Path) -> dict[Path, bytes]:
    return {folder / "kallelse.docx": b"ny kallelse", folder / "handlingar.docx": b"ny"}


def _staging(folder: Path) -> list[Path]:
    return list(folder.glob(f"{STAGING_PREFIX}*"))


def test_a_folder_where_an_output_goes_replaces_nothing(tmp_path: Path) -> None:
    (tmp_path / "kallelse.docx").write_bytes(b"gammal kallelse")
    (tmp_path / "handlingar.docx").mkdir()
    with pytest.raises(ToolError, match=r"handlingar\.docx: kan inte skrivas: det är en mapp"):
        write_all(_new(tmp_path))
    assert (tmp_path / "kallelse.docx").read_bytes() == b"gammal kallelse"
    assert not _staging(tmp_path)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (errno.ENOSPC, "disken är full"),
        (errno.EFBIG, "filen blir för stor för filsystemet"),
        (errno.EACCES, "behörighet saknas"),
        (errno.EDQUOT, "diskkvoten är slut"),
    ],
)
def test_os_errors_name_the_file_in_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, reason: str
) -> None:
    earlier = _earlier(tmp_path)
    real = output._write

    def failing(path: Path, data: bytes) -> None:
        real(path, data[: len(data) // 2])  # half a file, as a full disk leaves it
        if path.name == "handlingar.docx":
            raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(output, "_write", failing)
    with pytest.raises(ToolError) as caught:
        write_all(_new(tmp_path))
    assert str(caught.value) == f"{tmp_path / 'handlingar.docx'}: kan inte skrivas: {reason}"
    assert {p: p.read_bytes() for p in earlier} == earlier
    assert not _staging(tmp_path)  # the half-written file is gone with its folder


def test_a_name_too_long_is_said_so(tmp_path: Path) -> None:
    target = tmp_path / ("å" * 200 + ".docx")  # 400 bytes: over any file system's 255
    with pytest.raises(ToolError) as caught:
        write_all({target: b"x", tmp_path / "annan.docx": b"y"})
    assert str(caught.value) == f"{target}: kan inte skrivas: namnet är för långt för filsystemet"
    assert not (tmp_path / "annan.docx").exists()
    assert not _staging(tmp_path)


def test_a_file_where_the_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "ut").write_text("en fil")
    with pytest.raises(ToolError, match="en fil står där en mapp behövs"):
        write_all({tmp_path / "ut" / "a.docx": b"x"})


def test_an_error_while_moving_in_puts_the_earlier_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = _earlier(tmp_path)
    real = os.replace

    def replace(source: Path, target: Path) -> None:
        if Path(target).name == "handlingar.docx" and Path(source).parent.name == "ny":
            raise OSError(errno.EIO, "I/O error", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ToolError, match=r"handlingar\.docx: kan inte skrivas: in- eller utmatning"):
        write_all(_new(tmp_path))
    assert {p: p.read_bytes() for p in earlier} == earlier
    assert not _staging(tmp_path)


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_all({tmp_path / "a.docx": b"x"})
    finally:
        os.umask(old)
    assert (tmp_path / "a.docx").stat().st_mode & 0o777 == 0o644


def _killed_run(folder: Path, at: str) -> None:
    """A run of write_all SIGKILLed at `at`: 'stage' (while writing the second file) or
    'swap' (after the first file was moved in)."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from beslutsdoc import output
        folder = Path({str(folder)!r})
        real_write, real_replace = output._write, os.replace
        def write(path, data):
            if {at!r} == "stage" and path.name == "handlingar.docx":
                os.kill(os.getpid(), signal.SIGKILL)
            real_write(path, data)
        moved = []
        def replace(source, target):
            real_replace(source, target)
            if Path(source).parent.name == "ny":
                moved.append(target)
                if {at!r} == "swap":
                    os.kill(os.getpid(), signal.SIGKILL)
        output._write, os.replace = write, replace
        output.write_all({{folder / "kallelse.docx": b"ny kallelse",
                          folder / "handlingar.docx": b"ny"}})
        """
    )
    run = subprocess.run([sys.executable, "-c", script], check=False)
    assert run.returncode == -9


def test_a_run_killed_while_moving_in_is_finished_by_the_next(tmp_path: Path) -> None:
    _earlier(tmp_path)
    _killed_run(tmp_path, "swap")
    assert len(_staging(tmp_path)) == 1  # recognisable by its name
    recover(tmp_path)
    assert (tmp_path / "kallelse.docx").read_bytes() == b"ny kallelse"
    assert (tmp_path / "handlingar.docx").read_bytes() == b"ny"  # never a mix
    assert not _staging(tmp_path)


def test_a_run_killed_while_staging_changes_nothing(tmp_path: Path) -> None:
    earlier = _earlier(tmp_path)
    _killed_run(tmp_path, "stage")
    assert {p: p.read_bytes() for p in earlier} == earlier
    write_all({tmp_path / "annan.docx": b"x"})  # the next run cleans up
    assert not _staging(tmp_path)
    assert {p: p.read_bytes() for p in earlier} == earlier


def test_staging_of_a_running_run_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / f"{STAGING_PREFIX}{os.getppid()}-abc"
    mine.mkdir()
    recover(tmp_path)
    assert mine.is_dir()


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    meeting = tmp_path / "sammanträde.yaml"
    listed = tmp_path / "sub" / ".." / "handlingar.docx"
    with pytest.raises(InputError) as caught:
        check_targets([(meeting, tmp_path / "handlingar.docx")], [listed])
    assert "utfilen" in str(caught.value) and "också indata" in str(caught.value)


def test_an_output_reached_through_a_symlink_is_an_input(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "ut").mkdir()
    (tmp_path / "ut" / "kallelse.pdf").symlink_to(tmp_path / "a.pdf")
    with pytest.raises(InputError):
        check_targets(
            [(tmp_path / "m.yaml", tmp_path / "ut" / "kallelse.pdf")], [tmp_path / "a.pdf"]
        )


def test_two_inputs_one_output(tmp_path: Path) -> None:
    a, b = tmp_path / "riktlinjer.yaml", tmp_path / "riktlinjer.yml"
    with pytest.raises(InputError, match=r"både .*riktlinjer\.yaml.* och .*riktlinjer\.yml"):
        check_targets([(a, tmp_path / "riktlinjer.docx"), (b, tmp_path / "riktlinjer.docx")])
    check_targets([(a, tmp_path / "riktlinjer.docx"), (a, tmp_path / "riktlinjer.pdf")])


def test_render_two_inputs_one_output_writes_nothing(cli, write) -> None:
    a, b = write(PAPER, "riktlinjer.yaml"), write(PAPER, "riktlinjer.yml")
    run = cli("render", a, b)
    assert run.code == 1 and "riktlinjer.docx" in run.err and "både" in run.err
    assert not (a.parent / "riktlinjer.docx").exists()


def test_a_meeting_listing_its_own_output_is_refused(cli, folder: Path) -> None:
    from .test_meeting import MEETING
    from .test_meeting import PAPER as ITEM_PAPER

    (folder / "ombud").mkdir()
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(ITEM_PAPER, encoding="utf-8")
    (folder / "ombud" / "blankett.pdf").write_bytes(_blank_pdf())
    meeting = folder / "sammanträde.yaml"
    meeting.write_text(MEETING, encoding="utf-8")
    assert cli("packet", meeting, "--no-pdf").code == 0
    before = (folder / "handlingar.docx").read_bytes()
    for listed in ("handlingar.docx", "kallelse.pdf"):
        if listed == "kallelse.pdf":
            (folder / listed).write_bytes(_blank_pdf())
        meeting.write_text(
            MEETING.replace("ombud/blankett.pdf]", f"ombud/blankett.pdf, {listed}]"),
            encoding="utf-8",
        )
        run = cli("packet", meeting, "--no-pdf")
        assert run.code == 1, run.err
        assert f"utfilen ”{folder / listed}” är också indata" in run.err
        assert (folder / "handlingar.docx").read_bytes() == before


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs: a real full disk (needs root; skipped otherwise)."""
    mount = tmp_path / "liten"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("tmpfs kan inte monteras här")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_really_full_disk_names_the_file(small_disk: Path) -> None:
    (small_disk / "kallelse.docx").write_bytes(b"gammal kallelse")
    files = {
        small_disk / "kallelse.docx": b"ny",
        small_disk / "handlingar.pdf": os.urandom(200_000),
    }
    with pytest.raises(ToolError) as caught:
        write_all(files)
    assert str(caught.value) == f"{small_disk / 'handlingar.pdf'}: kan inte skrivas: disken är full"
    assert (small_disk / "kallelse.docx").read_bytes() == b"gammal kallelse"
    assert sorted(p.name for p in small_disk.iterdir()) == ["kallelse.docx"]  # no staging left


def test_a_file_too_large_for_the_limit_names_the_file(tmp_path: Path) -> None:
    """EFBIG for real: a file-size limit (ulimit -f) below what is written."""
    script = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from beslutsdoc.output import write_all
        from beslutsdoc.problems import ToolError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the error, not the signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))
        try:
            write_all({{Path({str(tmp_path / "stor.pdf")!r}): b"x" * 100_000}})
        except ToolError as err:
            print(err)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    expected = f"{tmp_path / 'stor.pdf'}: kan inte skrivas: filen blir för stor för filsystemet"
    assert run.stdout.strip() == expected, run.stderr
    assert not (tmp_path / "stor.pdf").exists() and not _staging(tmp_path)


def test_packet_with_a_folder_where_handlingar_goes(cli, folder: Path, tmp_path: Path) -> None:
    from .test_meeting import MEETING
    from .test_meeting import PAPER as ITEM_PAPER

    (folder / "ombud").mkdir()
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(ITEM_PAPER, encoding="utf-8")
    (folder / "ombud" / "blankett.pdf").write_bytes(_blank_pdf())
    meeting = folder / "sammanträde.yaml"
    meeting.write_text(MEETING, encoding="utf-8")
    out = tmp_path / "ut"
    (out / "handlingar.docx").mkdir(parents=True)
    (out / "kallelse.docx").write_bytes(b"gammal kallelse")
    run = cli("packet", meeting, "-o", out, "--no-pdf")
    assert (
        run.code == 1 and f"{out / 'handlingar.docx'}: kan inte skrivas: det är en mapp" in run.err
    )
    assert (out / "kallelse.docx").read_bytes() == b"gammal kallelse"


def test_two_runs_into_one_folder_never_interleave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one run moves its files in, another waits for it: the folder ends with one
    run's complete set, never a mix."""
    import fcntl
    import threading

    _earlier(tmp_path)
    holder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a run that is moving its files in
    done = threading.Event()
    writer = threading.Thread(target=lambda: (write_all(_new(tmp_path)), done.set()))
    writer.start()
    assert not done.wait(0.5)  # staged, waiting for the folder
    assert (tmp_path / "kallelse.docx").read_bytes() == b"gammal kallelse"
    os.close(holder)
    writer.join(30)
    assert done.is_set() and (tmp_path / "kallelse.docx").read_bytes() == b"ny kallelse"
