"""Rendering many papers at once: a worker process per core, the results in order.

A paper renders in a few milliseconds, all of it Python, so one process uses one core
whatever the machine has. With many files the work is shared out to worker processes
started by fork: each starts with what this process has already imported, read and
compiled (the first item is done here first, so that is the modules, the profile and
the template its kind needs), and each takes a run of consecutive items. The results
come back in the items' order, so whoever prints or writes them does it as one process
would; the function returns what went wrong as data rather than raising, so that the
caller reports it as it would have.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Below this many items per worker, starting the workers costs more than they save.
MINIMUM_PER_WORKER = 8


def worker_count(items: int) -> int:
    """How many worker processes `items` items are worth on this machine (0: none)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0  # spawned workers would import everything again: no gain
    count = min(cores, items // MINIMUM_PER_WORKER)
    return count if count > 1 else 0


def in_workers(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None
) -> list[Result]:
    """`function` of each item, in order: in `workers` processes (by default as many
    as `worker_count` says), else here. `function` must be a module-level function."""
    count = worker_count(len(items)) if workers is None else workers
    if count < 2 or len(items) < 2:
        return [function(item) for item in items]
    first = function(items[0])  # imports, caches and compiled templates for the workers
    rest = items[1:]
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_ignore_interrupt)
    try:
        results = list(pool.map(function, rest, chunksize=math.ceil(len(rest) / count)))
    except BrokenProcessPool:  # a worker was killed (out of memory, say): all done here
        results = [function(item) for item in rest]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return [first, *results]


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: this process stops the workers and says
    # so once, rather than every worker printing its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
