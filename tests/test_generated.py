"""What follows from the models is committed, and up to date."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_schemas_and_variable_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "tools" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generate.generated().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "kör python tools/generate.py och checka in resultatet"


def test_every_template_variable_is_documented() -> None:
    docs = (ROOT / "docs" / "mallvariabler.md").read_text(encoding="utf-8")
    from beslutsdoc.model.registry import PAPERS
    from beslutsdoc.render import builder

    for paper in map(builder, PAPERS.documents):
        for name in paper.variables.names():
            assert f"`{name}`" in docs
