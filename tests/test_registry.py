"""The registry of paper types: every name it declares resolves into the right stage,
everything derived from it agrees with it, and a tool's own paper type works end to end."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any, Literal, get_args

import docx
import pytest
from pydantic import BaseModel, Field

import beslutsdoc
from beslutsdoc.document.markdown import Markdown
from beslutsdoc.model.common import Markdown as MarkdownText
from beslutsdoc.model.common import Text
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.profil import Handling, Mallar
from beslutsdoc.model.registry import PAPERS, Document, PaperType, Registry, resolve
from beslutsdoc.problems import InputError, Problem
from beslutsdoc.render import standard_template
from beslutsdoc.render.variables import Paper, field_variables, model_values
from beslutsdoc.schema import schemas

from .conftest import ROOT


def _stage(ref: Any) -> str:
    assert isinstance(ref, str), ref
    return ref.partition(":")[0]


@pytest.mark.parametrize("paper_type", list(PAPERS), ids=lambda t: t.typ)
def test_every_name_resolves_into_its_own_stage(paper_type: PaperType) -> None:
    model = paper_type.model_class
    assert _stage(paper_type.model).startswith("beslutsdoc.model.")
    assert issubclass(model, BaseModel)
    assert get_args(model.model_fields["typ"].annotation) == (paper_type.typ,)
    assert _stage(paper_type.checks).startswith("beslutsdoc.check.")
    assert callable(resolve(paper_type.checks))
    for key, target in paper_type.links.items():
        assert key in model.model_fields and target in PAPERS.types
    for document in paper_type.documents:
        assert _stage(document.builder).startswith("beslutsdoc.render.")
        assert isinstance(document.paper, Paper)
        assert standard_template(document.kind).is_file()
        if document.source is not None:
            assert _stage(document.source).startswith("beslutsdoc.render")
            assert callable(resolve(document.source))
    assert (paper_type.document is None) == (paper_type.rendered_by is not None)


def test_what_follows_from_the_registry_agrees_with_it() -> None:
    assert list(Mallar.model_fields) == list(PAPERS.documents)
    assert set(schemas()) == {"profil.schema.json"} | {
        f"{t.schema_name}.schema.json" for t in PAPERS
    }
    spec = importlib.util.spec_from_file_location("make", ROOT / "tools" / "make_templates.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    assert {"tjänsteutlåtande", *make.BUILDERS} == set(PAPERS.documents)
    variables = (ROOT / "docs" / "mallvariabler.md").read_text(encoding="utf-8")
    for kind in PAPERS.documents:
        assert f"\n## {kind}\n" in variables


def test_a_type_or_kind_is_declared_once() -> None:
    twice = PaperType("tjänsteutlåtande", "Igen", "x:y", "x:y")
    with pytest.raises(ValueError, match="declared twice"):
        PAPERS.with_types(twice)
    kind = Document("kallelse", "Igen", "x:y")
    with pytest.raises(ValueError, match="declared twice"):
        PAPERS.with_types(PaperType("ny", "Ny", "x:y", "x:y", documents=(kind,)))


def test_only_a_meeting_says_it_becomes_minutes(tmp_path: Path) -> None:
    plan = beslutsdoc.load(
        ROOT / "examples" / "exempelkommun" / "internkontroll-2025" / "internkontrollplan.yaml"
    )
    assert beslutsdoc.render(plan)[:2] == b"PK"
    registry = Registry([PaperType("kvittens", "Kvittens", Kvittens, check_kvittens)])
    with pytest.raises(InputError) as caught:
        beslutsdoc.render(beslutsdoc.load_text(KVITTENS, registry=registry), registry=registry)
    assert "sammanträde" not in str(caught.value)
    assert "blir inget dokument" in str(caught.value)


# A paper type of a tool's own: a receipt.


class Kvittens(Handling):
    """Ett kvitto på att en handling kommit in."""

    typ: Literal["kvittens"] = Field(description="Dokumenttypen.")
    titel: Text = Field(description="Vad som kom in.")
    mottagare: Text = Field(description="Vem som tog emot den.")
    text: MarkdownText | None = Field(None, description="Mer om det.")


def check_kvittens(loaded: Loaded[Kvittens]) -> list[Problem]:
    if loaded.model.mottagare.islower():
        return [loaded.problem(("mottagare",), "mottagarens namn skrivs med stor bokstav")]
    return []


def _builder(template: Path) -> Paper:
    return Paper(
        model=Kvittens,
        template=str(template),  # absolute: TEMPLATES / template is the template itself
        variables=field_variables(Kvittens, {"text": "Texten."}, {}),
        values=model_values,
        blocks=lambda paper: {"text": Markdown(paper.text or "")},
        properties=lambda paper: {
            "title": paper.titel,
            "subject": "Kvittens",
            "creator": paper.kommun or "",
            "keywords": "",
            "created": __import__("datetime").date(2024, 1, 2),
        },
    )


KVITTENS = """\
typ: kvittens
kommun: Testkommun
titel: Ansökan om bygglov
mottagare: Eva Exempel
text: |
  Kom in **i dag**.
"""


def test_a_paper_type_of_its_own_loads_checks_renders_and_has_a_schema(tmp_path: Path) -> None:
    template = tmp_path / "kvittens.docx"
    word = docx.Document()
    word.add_paragraph("Kvittens: {{ titel }}, mottagen av {{ mottagare }}")
    word.add_paragraph("{{ text }}")
    word.save(str(template))
    kvittens = PaperType(
        "kvittens",
        "Kvittens",
        Kvittens,
        check_kvittens,
        documents=(Document("kvittens", "Mall för kvittenser.", _builder(template)),),
    )
    registry = PAPERS.with_types(kvittens)

    paper = beslutsdoc.load_text(KVITTENS, name=tmp_path / "k.yaml", registry=registry)
    assert beslutsdoc.check(paper, registry=registry) == []
    rendered = docx.Document(io.BytesIO(beslutsdoc.render(paper, registry=registry)))
    texts = [p.text for p in rendered.paragraphs]
    assert "Kvittens: Ansökan om bygglov, mottagen av Eva Exempel" in texts
    assert "Kom in i dag." in texts

    wrong = beslutsdoc.load_text(
        KVITTENS.replace("Eva Exempel", "eva"), name=tmp_path / "k.yaml", registry=registry
    )
    [problem] = beslutsdoc.check(wrong, registry=registry)
    assert str(problem).endswith("k.yaml:4:12: mottagare: mottagarens namn skrivs med stor bokstav")
    with pytest.raises(InputError):
        beslutsdoc.render(wrong, registry=registry)

    schema = schemas(registry)["kvittens.schema.json"]
    assert schema["properties"]["typ"]["const"] == "kvittens"
    assert "mottagare" in schema["required"]


def test_the_standard_registry_does_not_know_a_tools_type() -> None:
    with pytest.raises(InputError, match="okänd dokumenttyp ”kvittens”"):
        beslutsdoc.load_text(KVITTENS)
