"""LibreOffice as a supervised child, tested with a fake soffice (BESLUTSDOC_SOFFICE) that
hangs, crashes, spawns children, writes garbage or converts only part of a batch."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from beslutsdoc.export import soffice
from beslutsdoc.export.pdf import clean_stale_work, convert, to_pdf
from beslutsdoc.problems import ToolError

FAKE = """\
#!{python}
import os, subprocess, sys, time
mode = os.environ.get("FAKE_MODE", "ok")
args = sys.argv[1:]
out = args[args.index("--outdir") + 1]
docs = [a for a in args[args.index("--outdir") + 2:]]
log = os.environ.get("FAKE_LOG")
if log:
    with open(log, "a") as f:
        f.write(f"{{len(docs)}}\\n")
pids = os.environ.get("FAKE_PIDS")
if mode in ("hang", "child"):
    # A helper that outlives us unless someone kills the whole group.
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    if pids:
        with open(pids, "a") as f:
            f.write(f"{{os.getpid()}}\\n{{helper.pid}}\\n")
if mode == "hang":
    time.sleep(600)
if mode == "crash":
    sys.stderr.buffer.write(b"fel i \\xe5\\xe4\\xf6 \\xff\\xfe soffice.bin\\n")
    sys.exit(134)
pdf = open(os.environ["FAKE_PDF"], "rb").read()
limit = 245 if mode == "limit" else len(docs)
for doc in docs[:limit]:
    name = os.path.join(out, os.path.splitext(os.path.basename(doc))[0] + ".pdf")
    with open(name, "wb") as f:
        if mode == "garbage":
            f.write(b"\\x00\\x01 det h\\xe4r \\xe4r ingen PDF")
        elif mode == "empty":
            f.write(open(os.environ["FAKE_EMPTY"], "rb").read())
        else:
            f.write(pdf)
"""


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def install_fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """`script` (a Python program, {python} for the interpreter) as the soffice that
    beslutsdoc runs, with a one-page PDF at FAKE_PDF, a log of its calls at FAKE_LOG,
    the pids it leaves at FAKE_PIDS, and TMPDIR in `tmp_path`."""
    program = tmp_path / "fake-soffice"
    program.write_text(script.format(python=sys.executable))
    program.chmod(0o755)
    (tmp_path / "one.pdf").write_bytes(_pdf(1))
    monkeypatch.setenv("BESLUTSDOC_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_PDF", str(tmp_path / "one.pdf"))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "calls.log"))
    monkeypatch.setenv("FAKE_PIDS", str(tmp_path / "pids"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", None)  # TMPDIR is read again
    return tmp_path


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake soffice on BESLUTSDOC_SOFFICE; FAKE_MODE picks its behaviour."""
    install_fake(tmp_path, monkeypatch, FAKE)
    (tmp_path / "empty.pdf").write_bytes(_pdf(0))
    monkeypatch.setenv("FAKE_EMPTY", str(tmp_path / "empty.pdf"))
    return tmp_path


def _docs(folder: Path, count: int) -> dict[Path, bytes]:
    return {folder / "ut" / f"handling-{n}.docx": b"PK fake docx" for n in range(count)}


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie of ours counts as gone: it no longer runs.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def _wait_gone(pids: list[int], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if all(_gone(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def _pids(fake: Path) -> list[int]:
    return [int(line) for line in (fake / "pids").read_text().split()]


@pytest.mark.parametrize("processes", [1, 2])
def test_500_papers_convert_in_batches(
    fake: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    # Like LibreOffice, the fake converts only the first 245 files of one call.
    monkeypatch.setenv("FAKE_MODE", "limit")
    monkeypatch.setattr(soffice, "workers", lambda documents: processes)
    pdfs = to_pdf(_docs(fake, 500))
    assert len(pdfs) == 500
    assert all(data.startswith(b"%PDF-") for data in pdfs.values())
    calls = [int(n) for n in (fake / "calls.log").read_text().split()]
    assert sum(calls) == 500 and max(calls) <= soffice.BATCH < 245
    # Each process its share in batches: 200 + 200 + 100, or 200 + 50 twice.
    assert sorted(calls) == ([100, 200, 200] if processes == 1 else [50, 50, 200, 200])


def test_a_hung_soffice_is_killed_with_its_children(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "hang")
    monkeypatch.setenv("BESLUTSDOC_PDF_TIMEOUT", "2")
    with pytest.raises(ToolError, match="inte klart inom 2 sekunder") as caught:
        to_pdf(_docs(fake, 1))
    assert "BESLUTSDOC_PDF_TIMEOUT" in str(caught.value)  # says how to allow longer
    assert _wait_gone(_pids(fake))
    assert not list((fake / "tmp").iterdir())  # no beslutsdoc-* work folders left


def test_children_that_outlive_soffice_are_killed(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "child")
    assert len(to_pdf(_docs(fake, 2))) == 2
    assert _wait_gone(_pids(fake), seconds=30)


def test_crash_with_non_utf8_stderr_names_the_users_paper(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "crash")
    with pytest.raises(ToolError) as caught:
        to_pdf(_docs(fake, 2))
    message = str(caught.value)
    # Two processes convert one each: whichever failed first is named.
    assert "handling-0.docx" in message or "handling-1.docx" in message
    assert "slutstatus 134" in message
    assert "0000" not in message  # never the temporary name
    assert "soffice.bin" in message  # LibreOffice's own last words, however encoded


@pytest.mark.parametrize("mode", ["garbage", "empty"])
def test_output_that_is_no_real_pdf_is_refused(
    fake: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("FAKE_MODE", mode)
    with pytest.raises(ToolError, match=r"ingen läsbar PDF av .*handling-0\.docx"):
        to_pdf(_docs(fake, 1))


def test_timeout_scales_with_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BESLUTSDOC_PDF_TIMEOUT", raising=False)
    small = tmp_path / "a.docx"
    small.write_bytes(b"x" * 1000)
    big = tmp_path / "b.docx"
    with big.open("wb") as out:
        out.truncate(10_000_000)  # sparse: 10 MB without writing them
    assert soffice.timeout_for([small]) == pytest.approx(soffice.TIMEOUT_FLOOR + 2, abs=0.1)
    assert soffice.timeout_for([small] * 200) > soffice.timeout_for([small]) + 300
    assert soffice.timeout_for([big]) > soffice.timeout_for([small]) + 150
    assert soffice.timeout_for([big] * 500) == soffice.TIMEOUT_CEILING
    monkeypatch.setenv("BESLUTSDOC_PDF_TIMEOUT", "12,5")
    assert soffice.timeout_for([big]) == 12.5
    monkeypatch.setenv("BESLUTSDOC_PDF_TIMEOUT", "snart")
    with pytest.raises(ToolError, match="BESLUTSDOC_PDF_TIMEOUT=”snart” är ingen tidsgräns"):
        soffice.timeout_for([small])


def test_soffice_that_is_not_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o644)
    monkeypatch.setenv("BESLUTSDOC_SOFFICE", str(program))
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ToolError) as caught:
        convert([doc], tmp_path)
    message = str(caught.value)
    assert "är inte körbar" in message and str(program) in message
    assert "kan inte skrivas" not in message
    monkeypatch.setenv("BESLUTSDOC_SOFFICE", str(tmp_path))
    with pytest.raises(ToolError, match="är en mapp, inte ett program"):
        convert([doc], tmp_path)


def test_sigkill_of_beslutsdoc_leaves_no_orphans_nor_work_folders(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "hang")
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from beslutsdoc.export.pdf import to_pdf
        to_pdf({{Path({str(fake / "ut" / "a.docx")!r}): b"PK"}})
        """
    )
    run = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())
    try:
        end = time.monotonic() + 60
        while not (fake / "pids").is_file() or len(_pids(fake)) < 2:
            assert time.monotonic() < end and run.poll() is None
            time.sleep(0.05)
        assert list((fake / "tmp").iterdir())  # at work
        run.send_signal(signal.SIGKILL)
        run.wait()
        assert _wait_gone(_pids(fake))
        end = time.monotonic() + 60
        while list((fake / "tmp").iterdir()) and time.monotonic() < end:
            time.sleep(0.05)
        assert not list((fake / "tmp").iterdir())  # removed by the guard
    finally:
        run.kill()
        run.wait()


def test_sigterm_and_interrupt_stop_soffice(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MODE", "hang")
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from beslutsdoc.export.pdf import to_pdf
        try:
            to_pdf({{Path({str(fake / "ut" / "a.docx")!r}): b"PK"}})
        except KeyboardInterrupt:
            sys.exit(7)
        """
    )
    for sig in (signal.SIGTERM, signal.SIGINT):
        (fake / "pids").unlink(missing_ok=True)
        run = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())
        end = time.monotonic() + 60
        while not (fake / "pids").is_file() or len(_pids(fake)) < 2:
            assert time.monotonic() < end and run.poll() is None
            time.sleep(0.05)
        run.send_signal(sig)
        assert run.wait(timeout=60) == 7  # cleaned up, then the interrupt went on
        assert _wait_gone(_pids(fake))
        assert not list((fake / "tmp").iterdir())


def test_stale_work_folders_of_dead_runs_are_removed(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = fake / "tmp" / f"beslutsdoc-{dead.pid}-abc"
    stale.mkdir()
    (stale / "0000.docx").write_bytes(b"PK")
    running = fake / "tmp" / f"beslutsdoc-{os.getpid()}-def"
    running.mkdir()
    other = fake / "tmp" / "beslutsdoc-inte-en-körning"
    other.mkdir()
    clean_stale_work()
    assert not stale.exists() and running.exists() and other.exists()


def test_a_full_temporary_disk_names_the_users_file(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if path.name.endswith(".docx"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(ToolError) as caught:
        to_pdf(_docs(fake, 2))
    message = str(caught.value)
    assert message.startswith(f"{fake / 'ut' / 'handling-0.pdf'}: PDF kan inte göras")
    assert "disken är full" in message and "TMPDIR" in message
    assert not list((fake / "tmp").iterdir())
