"""`beslutsdoc ny MAPP`: a new board's folder to start from.

It holds a profile with every key explained, one paper of each type, a meeting that
lists them, and the JSON Schemas their `$schema` lines point at (so an editor checks
them without a network). The files are package data (`beslutsdoc/nymapp/`); they
validate and render as they stand, which `tests/test_scaffold.py` proves.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

#: The folder the schemas are written to, which every `$schema` line names.
SCHEMAS = "scheman"


class Exists(Exception):
    """Some of the files to write are there already (exit status 1; nothing written)."""


def scaffold(folder: Path) -> list[Path]:
    """Write the new folder's files under `folder`; nothing is written if any is there."""
    planned = {folder / relative: data for relative, data in _files().items()}
    there = sorted(path for path in planned if path.exists() or path.is_symlink())
    if there:
        listed = "\n".join(f"  {path}" for path in there)
        raise Exists(
            f"{folder}: skriver inte över filer som redan finns:\n{listed}\n"
            "välj en ny mapp, eller flytta filerna först"
        )
    for path, data in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return list(planned)


def _files() -> dict[Path, bytes]:
    """Relative path → content: the package's folder, and the schemas beside it."""
    out = dict(_walk(files("beslutsdoc") / "nymapp", Path()))
    from beslutsdoc.schema import schemas

    for name, schema in schemas().items():
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        out[Path(SCHEMAS) / name] = text.encode()
    return out


def _walk(node: Traversable, relative: Path) -> list[tuple[Path, bytes]]:
    out = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            out += _walk(child, relative / child.name)
        elif child.name.endswith(".yaml"):
            out.append((relative / child.name, child.read_bytes()))
    return out
