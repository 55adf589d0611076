"""Benchmark: how fast beslutsdoc starts, as whole processes, side by side in one run.

Run from the repository root:

    python bench/bench_start.py [--n 20]

Prints, each the best of n runs (the least disturbed by other work on the machine),
wall clock and CPU time (user + system, of the child):

- `python -c pass`, the floor: a bare interpreter start with this site-packages;
- `python -m beslutsdoc --help`, and its ratio to the floor (target ≤ 8×);
- `python -m beslutsdoc validate` of one tjänsteutlåtande (target ≤ 0.3 s);
- `python -c "import beslutsdoc"`, which should cost next to nothing;
- the modules `--help` and `validate` import, so that a heavy one that creeps in shows.

`python -m` is used rather than the `beslutsdoc` script, whose launcher (a pyenv shim,
say) would be measured too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "examples" / "stockholm" / "sof-2023-553" / "tjänsteutlåtande.yaml"
HEAVY = ("pypdf", "jinja2", "lxml", "pydantic", "yaml", "beslutsdoc.render", "beslutsdoc.compose")


def _run(args: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def best(args: list[str], n: int) -> tuple[float, float]:
    runs = [_run(args) for _ in range(n)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def imported(args: list[str]) -> set[str]:
    """The top-level packages and beslutsdoc's subpackages a command imports."""
    code = (
        "import sys, runpy; sys.argv = ['beslutsdoc', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('beslutsdoc', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT
    )
    names = set(done.stderr.split())
    return {h for h in HEAVY if h in names}


def main() -> int:
    from installed import compile_package  # beside this script

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    n = parser.parse_args().n
    commands = {
        "python -c pass": ["-c", "pass"],
        "import beslutsdoc": ["-c", "import beslutsdoc"],
        "beslutsdoc --help": ["-m", "beslutsdoc", "--help"],
        "beslutsdoc validate (1 handling)": ["-m", "beslutsdoc", "validate", str(PAPER)],
    }
    results = {name: best(args, n) for name, args in commands.items()}
    floor_wall = results["python -c pass"][0]
    print(f"{'kommando':<34} {'vägg s':>8} {'cpu s':>8} {'× start':>8}")
    for name, (wall, cpu) in results.items():
        print(f"{name:<34} {wall:8.3f} {cpu:8.3f} {wall / floor_wall:8.1f}")
    help_ratio = results["beslutsdoc --help"][0] / floor_wall
    validate = results["beslutsdoc validate (1 handling)"][0]
    print(f"\n--help / python -c pass: {help_ratio:.1f}× (mål ≤ 8×)")
    print(f"validate av en handling: {validate:.3f} s (mål ≤ 0,3 s)")
    for name in ("--help", "validate"):
        args = ["--help"] if name == "--help" else ["validate", str(PAPER)]
        print(f"{name} importerar: {', '.join(sorted(imported(args))) or '–'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
