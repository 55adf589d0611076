"""beslutsdoc measured as pip installs it: with its modules compiled to bytecode.

pip compiles a package's modules when it installs it; an editable install (`pip install
-e`) does not, and with PYTHONDONTWRITEBYTECODE set (as on CI machines) Python never
keeps what it compiles, so every process of the measured commands would compile all of
beslutsdoc again (about 0.3 s each). The anchors (docxtpl, docxcompose) come compiled
from site-packages; so that the comparison is fair, the benchmarks compile beslutsdoc
once before they measure. The files go into src/beslutsdoc/__pycache__, which git ignores.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "beslutsdoc"


def compile_package() -> None:
    """Compile every module of beslutsdoc to bytecode, as pip does on install."""
    if not compileall.compile_dir(PACKAGE, quiet=1):
        raise SystemExit(f"kunde inte kompilera {PACKAGE}")
