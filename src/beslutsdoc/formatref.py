"""docs/format.md: the key tables, generated from the models, inside the hand-written page.

The page's guidance (the text format, the procedure keys, the command line) is written
by hand in docs/format.md; the part between the two markers is written here, so that
every key of every model is listed with its meaning, type, whether it is required and
its default, in the words the models give it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from beslutsdoc.model.beslut import Beslutsgång
from beslutsdoc.model.common import Modell
from beslutsdoc.model.profil import PROFILE_RENAMES, Nämndinställningar, Profil
from beslutsdoc.model.registry import PAPERS

BEGIN = "<!-- nycklar: början (genereras av python tools/generate.py; ändra i modellerna) -->"
END = "<!-- nycklar: slut -->"

#: Keys shared by many models, documented once: a model that has them links there.
_SHARED: dict[type[BaseModel], str] = {
    Nämndinställningar: (
        "Dessutom får alla [profilens nycklar](#profilen-beslutsdocyaml) stå här;"
        " handlingens värde gäller då för den."
    ),
    Beslutsgång: (
        "Dessutom [beslutsgångens nycklar](#beslutsgång): yrkanden, omröstningar,"
        " reservationer, jäv och det andra som protokollet redovisar."
    ),
}


def _shared(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The shared models whose keys `model` has but does not list (the profile lists
    the profile's keys itself)."""
    return [s for s in _SHARED if issubclass(model, s) and model not in (s, Profil)]


def format_reference(page: str) -> str:
    """`page` with the part between the markers written anew from the models."""
    head, found, rest = page.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError("docs/format.md saknar markeringarna för nyckeltabellerna")
    return f"{head}{BEGIN}\n\n{key_tables()}\n{END}{tail}"


def key_tables() -> str:
    done: set[type[BaseModel]] = set()
    sections = [_section("Profilen (beslutsdoc.yaml)", Profil, done, paper=False)]
    for paper_type in PAPERS:
        title = f"{paper_type.label} (typ: {paper_type.typ})"
        sections.append(_section(title, paper_type.model_class, done, paper=True))
        if issubclass(paper_type.model_class, Beslutsgång) and Beslutsgång not in done:
            sections.append(_section("Beslutsgång", Beslutsgång, done, paper=False))
    return "\n".join(sections)


def _section(
    title: str, model: type[BaseModel], done: set[type[BaseModel]], *, paper: bool, level: int = 2
) -> str:
    done.add(model)
    schema = model.model_json_schema()
    lines = [f"{'#' * level} {title}", "", _described(model), ""]
    lines += _table(model, schema, paper=paper)
    for shared in _shared(model):
        lines += ["", _SHARED[shared]]
    for part in _parts(model, schema, done):
        lines += ["", *_section(_heading(part), part, done, paper=False, level=3).splitlines()]
    return "\n".join(lines) + "\n"


def _described(model: type[BaseModel]) -> str:
    for cls in model.__mro__:
        text = cls.__dict__.get("description_sv")
        if text:
            return str(text)
    return ""


def _own_fields(model: type[BaseModel]) -> Iterator[tuple[str, Any]]:
    """The model's fields, `typ` first, less those it shares unchanged with a model
    documented once."""
    fields = sorted(model.model_fields.items(), key=lambda item: item[0] != "typ")
    for name, info in fields:
        if name in PROFILE_RENAMES.values() and model is not Profil:
            continue  # the paper's name for the profile's pattern: told in the profile
        inherited = _shared(model)
        if any(name in s.model_fields and _same(s.model_fields[name], info) for s in inherited):
            continue
        yield name, info


def _same(a: Any, b: Any) -> bool:
    return bool(
        a.annotation == b.annotation
        and a.description == b.description
        and a.is_required() == b.is_required()
    )


def _table(model: type[BaseModel], schema: dict[str, Any], *, paper: bool) -> list[str]:
    lines = ["| nyckel | vad det är | slag | krävs | standard |", "|---|---|---|---|---|"]
    required = set(schema.get("required", []))
    for name, info in _own_fields(model):
        prop = schema.get("properties", {}).get(name, {})
        lines.append(
            f"| `{name}` | {_cell(info.description or '')} | {_kind(prop, schema)}"
            f" | {_required(name, required, paper)} | {_default(info)} |"
        )
    return lines


def _required(name: str, required: set[str], paper: bool) -> str:
    if name not in required:
        return "nej"
    if paper and name in Nämndinställningar.model_fields:
        return "ja, här eller i profilen"
    return "ja"


def _default(info: Any) -> str:
    if info.is_required():
        return ""
    value = info.get_default(call_default_factory=True)
    if value in (None, [], {}):
        return "–"
    if isinstance(value, bool):
        return "nej" if not value else "ja"
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    return f"`{value}`"


def _kind(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    """The value's kind in words: ”text”, ”datum”, ”lista av [Person](#person)”."""
    options = [o for o in prop.get("anyOf", []) if o.get("type") != "null"]
    if options and not {"type", "$ref", "const", "enum"} & prop.keys():
        if _is_yes_no(options):
            return "ja/nej"
        if _is_number(options):
            return "heltal"
        kinds = [_kind(o, schema) for o in options]
        return " eller ".join(dict.fromkeys(kinds))
    if "$ref" in prop:
        title = _resolve(prop["$ref"], schema).get("title", "")
        return f"[{_heading_for(title)}](#{_anchor(_heading_for(title))})"
    if "const" in prop:
        return f"`{prop['const']}`"
    if prop.get("enum") == ["ja", "nej"]:
        return "ja/nej"
    if "enum" in prop:
        return "en av " + ", ".join(f"`{v}`" for v in prop["enum"])
    return _plain(prop, schema)


def _plain(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    kind = prop.get("type")
    if kind == "array":
        return "lista av " + _kind(prop.get("items", {}), schema)
    if kind == "object":
        inner = prop.get("additionalProperties")
        return "nivåer 1, 2, 3 … med " + _kind(inner, schema) if inner else "mappning"
    if kind == "integer":
        return "heltal"
    if kind == "boolean":
        return "ja/nej"
    if prop.get("format") == "date":
        return "datum (ÅÅÅÅ-MM-DD)"
    if prop.get("x-beslutsdoc-text") == "markdown":
        return "text ([textformatet](#textformatet))"
    if prop.get("examples") == ["Anna Andersson (S)"]:
        return "ledamot (”Namn (Parti)”)"
    if prop.get("examples") == ["18.00"]:
        return "klockslag (”18.00”)"
    return "text"


def _is_yes_no(options: list[dict[str, Any]]) -> bool:
    """`true`/`false`, also written `ja`/`nej`."""
    return all(o.get("type") == "boolean" or o.get("enum") == ["ja", "nej"] for o in options)


def _is_number(options: list[dict[str, Any]]) -> bool:
    return any(o.get("type") == "integer" for o in options) and all(
        o.get("type") in ("integer", "string") and "format" not in o for o in options
    )


def _resolve(ref: str, schema: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = schema.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    return found


def _parts(
    model: type[BaseModel], schema: dict[str, Any], done: set[type[BaseModel]]
) -> list[type[BaseModel]]:
    """The models this one's own keys hold, not yet documented, in key order."""
    found: list[type[BaseModel]] = []
    for name, _ in _own_fields(model):
        for ref in _refs(schema.get("properties", {}).get(name, {})):
            part = _models().get(_resolve(ref, schema).get("title", ""))
            if part and part not in done and part not in found and part not in _SHARED:
                found.append(part)
    done.update(found)
    return found


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _models() -> dict[str, type[BaseModel]]:
    out: dict[str, type[BaseModel]] = {}
    stack: list[type[BaseModel]] = [Modell]
    while stack:
        cls = stack.pop()
        out.setdefault(cls.__name__, cls)
        stack += cls.__subclasses__()
    return out


def _heading(model: type[BaseModel]) -> str:
    return _heading_for(model.__name__)


def _heading_for(name: str) -> str:
    """A model's name as a heading: ”TjänsteutlåtandeInställningar” → one word."""
    return name[:1] + name[1:].lower()


def _anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown readers give a heading."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
