"""Write what follows from the models: schemas/, docs/mallvariabler.md and the key
tables of docs/format.md.

    python tools/generate.py

A test fails when the committed files differ from what this writes.
"""

from __future__ import annotations

import json
from pathlib import Path

from beslutsdoc.formatref import format_reference
from beslutsdoc.reference import template_variables
from beslutsdoc.schema import schemas

ROOT = Path(__file__).resolve().parents[1]


def generated() -> dict[Path, str]:
    files = {
        ROOT / "schemas" / name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas().items()
    }
    files[ROOT / "docs" / "mallvariabler.md"] = template_variables()
    reference = ROOT / "docs" / "format.md"  # hand-written around the generated tables
    files[reference] = format_reference(reference.read_text(encoding="utf-8"))
    return files


def main() -> None:
    for path, text in generated().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
