"""Watch over one LibreOffice run: `python guard.py [--cleanup DIR]... -- PROGRAM ARGS...`.

Run as its own small process (standard library only, started with -I -S) between
beslutsdoc and LibreOffice. LibreOffice's `soffice` starts `oosplash`, which starts
`soffice.bin`; a signal to the first does not reach the others. The guard starts the
program in a process group of its own and, whenever the run ends, kills that whole group.

The guard's standard input is a pipe from beslutsdoc. End of input before the program
has finished means beslutsdoc stopped (a timeout, Ctrl-C, SIGTERM, even SIGKILL, since
the kernel closes a dead process's pipes): the guard then kills the group and removes
the folders named by --cleanup, which beslutsdoc can no longer remove itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


#: Held by whoever ends the run: an abort, or the normal end after LibreOffice exits.
_ENDING = threading.Lock()


def _abort(child: subprocess.Popen[bytes], cleanup: list[str]) -> None:
    if not _ENDING.acquire(blocking=False):
        return  # the run is ending normally
    _kill_group(child.pid)
    # Wait for its death without reaping it: the main thread waits for the same child,
    # and a reaped child would make its wait fail and end the guard before cleanup.
    with contextlib.suppress(ChildProcessError):
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    for attempt in range(2):  # once more after the group's last members are surely gone
        for folder in cleanup:
            shutil.rmtree(folder, ignore_errors=True)
        if attempt == 0:
            time.sleep(0.2)
    os._exit(124)


def main(argv: list[str]) -> int:
    cleanup: list[str] = []
    while argv and argv[0] == "--cleanup":
        cleanup.append(argv[1])
        argv = argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    # Interrupts are beslutsdoc's to handle; it tells the guard by closing the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, process_group=0)
    except OSError as err:
        print(f"beslutsdoc-guard: {err.errno}: {err.strerror}", file=sys.stderr)
        return 127

    def watch() -> None:
        # Unbuffered: a buffered stdin would hold a lock the interpreter's exit waits for.
        while os.read(0, 4096):
            pass  # end of input: beslutsdoc is gone or gives up
        _abort(child, cleanup)

    signal.signal(signal.SIGTERM, lambda *_: _abort(child, cleanup))
    threading.Thread(target=watch, daemon=True).start()
    # Wait without reaping, so that the group id cannot be reused before it is killed:
    # soffice.bin and its helpers may outlive soffice itself.
    with contextlib.suppress(ChildProcessError):
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    _ENDING.acquire()  # waits for an abort that is under way: it cleans up, then exits
    _kill_group(child.pid)
    code = child.wait()
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


if __name__ == "__main__":
    sys.stderr.flush()
    os._exit(main(sys.argv[1:]))  # at once: the watching thread may still be reading
