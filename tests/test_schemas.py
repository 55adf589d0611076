"""The JSON Schemas agree with the tool, read the way an editor reads YAML (1.2).

Every example and every YAML block in the docs is valid for both; deliberately wrong
files are refused by both."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from beslutsdoc.api import InputError, check, load
from beslutsdoc.model.common import Modell
from beslutsdoc.model.registry import PAPERS

from .conftest import EXAMPLES, ROOT

SCHEMAS = ROOT / "schemas"


def _editor(text: str) -> Any:
    """What a YAML 1.2 editor sees: ”nej” is a string, ”18.00” a number, keys as JSON."""
    data = YAML(typ="safe", pure=True).load(io.StringIO(text))
    return json.loads(json.dumps(data, default=str))


def _validator(data: Any, file: Path) -> Draft202012Validator:
    name = "profil" if file.name == "beslutsdoc.yaml" else PAPERS[data["typ"]].schema_name
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("file", EXAMPLE_FILES, ids=lambda f: str(f.relative_to(EXAMPLES)))
def test_every_example_agrees_with_its_schema(file: Path) -> None:
    data = _editor(file.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator(data, file).iter_errors(data)]
    assert errors == []


def test_every_model_describes_itself_in_swedish() -> None:
    def walk(model: type[Modell], seen: set[type]) -> None:
        if model in seen:
            return
        seen.add(model)
        described = [c for c in model.__mro__ if c.__dict__.get("description_sv")]
        assert described and described[0] in (model, *model.__bases__), model.__name__
        for info in model.model_fields.values():
            for inner in re.findall(r"[\w.]+", repr(info.annotation)):
                found = _models.get(inner.rsplit(".", 1)[-1])
                if found:
                    walk(found, seen)

    _models = {m.__name__: m for m in _all(Modell)}
    for paper in PAPERS:
        walk(paper.model_class, set())


def _all(base: type) -> list[type]:
    out = []
    for sub in base.__subclasses__():
        out += [sub, *_all(sub)]
    return out


WRONG = {
    "okänd nyckel": "typ: tjänsteutlåtande\ndiarienummer: SN 2023:1\ndatum: 2023-01-01\nhandläggare: {namn: A}\ntitel: T\nförslag_till_beslut: [B.]\nrubriken: X\n",
    "lista i stället för text": "typ: tjänsteutlåtande\ndiarienummer: SN 2023:1\ndatum: 2023-01-01\nhandläggare: {namn: A}\ntitel: [T]\nförslag_till_beslut: [B.]\n",
    "saknat fält": "typ: tjänsteutlåtande\ndiarienummer: SN 2023:1\ndatum: 2023-01-01\ntitel: T\nförslag_till_beslut: [B.]\n",
    "fel ledamot": "typ: protokollsutdrag\nsammanträde: 2023-12-12\nparagraf: 1\ntitel: T\nbeslut: [B.]\njustering: {justerare: [Anna utan parti], datum: 2023-12-19}\n",
}
RIGHT = {
    "kortform för beslutande": "typ: sammanträde\ndatum: 2021-01-26\ntid: '18.00'\nplats: P\nordförande: A\nsekreterare: {namn: S}\närenden: [{titel: Information, information: true}]\nnärvarande:\n  beslutande:\n    - Lars Björk (C)\n    - {ledamot: Anna Andersson (S), roll: ordförande}\n",
    "tom valfri nyckel": "typ: tjänsteutlåtande\ndiarienummer: SN 2023:1\ndatum: 2023-01-01\nhandläggare: {namn: A}\ntitel: T\nförslag_till_beslut: [B.]\navsnitt:\n",
    "jäv i kortform": "typ: protokollsutdrag\nsammanträde: 2023-12-12\nparagraf: 1\ntitel: T\nbeslut: [B.]\njäv: [Bo Berglund (V)]\njustering: {justerare: [Anna Andersson (S)], datum: 2023-12-19}\n",
}


def _tool_accepts(folder: Path, text: str) -> bool:
    (folder / "beslutsdoc.yaml").write_text("kommun: K\nnämnd: Socialnämnden\n", encoding="utf-8")
    path = folder / "fil.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return not check(load(path))
    except InputError:
        return False


@pytest.mark.parametrize("name", sorted(WRONG))
def test_schema_and_tool_both_refuse(tmp_path: Path, name: str) -> None:
    data = _editor(WRONG[name])
    assert list(_validator(data, Path("x.yaml")).iter_errors(data)), "schemat godtar"
    assert not _tool_accepts(tmp_path, WRONG[name]), "verktyget godtar"


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_schema_and_tool_both_accept(tmp_path: Path, name: str) -> None:
    data = _editor(RIGHT[name])
    assert [e.message for e in _validator(data, Path("x.yaml")).iter_errors(data)] == []
    assert _tool_accepts(tmp_path, RIGHT[name])
