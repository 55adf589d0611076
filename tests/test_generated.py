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


def test_every_key_of_every_paper_is_in_the_format_reference() -> None:
    from beslutsdoc.model.profil import PROFILE_RENAMES, Profil
    from beslutsdoc.model.registry import PAPERS

    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for model in [Profil, *(paper.model_class for paper in PAPERS)]:
        for key in _keys(model.model_json_schema()):
            # The paper's name for the profile's pattern is told in the text about it.
            row = f"`{key}`" if key in PROFILE_RENAMES.values() else f"| `{key}` |"
            assert row in docs, key


def _keys(schema: dict[str, object]) -> set[str]:
    nodes = [schema, *dict(schema.get("$defs", {})).values()]  # type: ignore[call-overload]
    return {key for node in nodes for key in node.get("properties", {})}


def test_the_format_reference_keeps_its_hand_written_text() -> None:
    from beslutsdoc.formatref import BEGIN, END, format_reference

    page = f"# Egen text\n\nFöre.\n\n{BEGIN}\ngammalt\n{END}\n\nEfter.\n"
    made = format_reference(page)
    assert made.startswith("# Egen text\n\nFöre.\n\n") and made.endswith(f"{END}\n\nEfter.\n")
    assert "gammalt" not in made and "| `diarienummermönster` |" not in made
    assert "## Sammanträde (typ: sammanträde)" in made and "| `från_paragraf` |" in made
