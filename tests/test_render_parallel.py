"""`beslutsdoc render` of many files in worker processes: the same files, messages and
errors as one process, in the files' order, all or nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from beslutsdoc.render import workers
from beslutsdoc.render.workers import in_workers

from .conftest import PAPER, Run

pytestmark = pytest.mark.skipif(
    workers.worker_count(10 * workers.MINIMUM_PER_WORKER) < 2,
    reason="one core (or no fork): the files are rendered in this process",
)


def _pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def test_results_come_back_in_order_from_other_processes() -> None:
    results = in_workers(_pid_and_square, list(range(40)), workers=2)
    assert [square for _, square in results] == [n * n for n in range(40)]
    assert results[0][0] == os.getpid()  # the first is done here, to warm the workers
    workers_seen = {pid for pid, _ in results[1:]}
    # The rest in the workers (two runs of consecutive items; a quick worker may take both).
    assert os.getpid() not in workers_seen and 1 <= len(workers_seen) <= 2


def test_few_items_stay_in_this_process() -> None:
    assert workers.worker_count(workers.MINIMUM_PER_WORKER) == 0
    results = in_workers(_pid_and_square, list(range(workers.MINIMUM_PER_WORKER)))
    assert {pid for pid, _ in results} == {os.getpid()}


def _papers(
    write: Callable[..., Path], count: int, broken: frozenset[int] = frozenset()
) -> list[Path]:
    files = []
    for index in range(1, count + 1):
        text = PAPER.replace("SN 2023:553", f"SN 2023:{index}")
        text = text.replace("Ett ärende", f"Ärende nummer {index}")
        if index in broken:
            text = text.replace("datum: 2023-11-07", "datum: 2023-13-07")
        files.append(write(text, f"{index:02d}.yaml"))
    return files


def _outputs(files: list[Path]) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(files[0].parent.glob("*.docx"))}


def test_many_files_render_as_in_one_process(
    write: Callable[..., Path], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _papers(write, 24)
    monkeypatch.setattr(workers, "worker_count", lambda items: 0)
    alone = cli("render", "--offentlig", *files)
    assert alone.code == 0
    expected = _outputs(files)
    for made in files[0].parent.glob("*.docx"):
        made.unlink()

    monkeypatch.setattr(workers, "worker_count", lambda items: 2)
    shared = cli("render", "--offentlig", *files)
    assert shared.code == 0
    assert shared.out == alone.out  # every "skrev", in the same order
    assert len(shared.out.splitlines()) == 48
    assert _outputs(files) == expected  # byte for byte


def test_an_error_anywhere_writes_nothing_and_reads_as_in_one_process(
    write: Callable[..., Path], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _papers(write, 24, broken=frozenset({3, 20}))
    monkeypatch.setattr(workers, "worker_count", lambda items: 0)
    alone = cli("render", *files)
    monkeypatch.setattr(workers, "worker_count", lambda items: 2)
    shared = cli("render", *files)
    assert alone.code == shared.code == 1
    assert shared.err == alone.err
    assert "03.yaml" in shared.err and "20.yaml" in shared.err
    assert shared.err.index("03.yaml") < shared.err.index("20.yaml")
    assert not list(files[0].parent.glob("*.docx"))


def _dies_in_a_worker(item: tuple[int, int]) -> int:
    parent, number = item
    if os.getpid() != parent and number == 30:
        os._exit(1)  # as if the kernel killed it
    return number


def test_a_worker_that_dies_leaves_the_work_to_this_process() -> None:
    items = [(os.getpid(), n) for n in range(40)]
    assert in_workers(_dies_in_a_worker, items, workers=2) == list(range(40))
