"""JSON Schemas for the inputs, generated from the models the registry declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from beslutsdoc.model.profil import PROFILE_RENAMES, Nämndinställningar, Profil
from beslutsdoc.model.registry import PAPERS, Registry

BASE_ID = "https://beslutsdoc.se/schemas/"


def schemas(registry: Registry = PAPERS) -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for the profile and each paper type."""
    out = {}
    models: dict[str, type[BaseModel]] = {"profil": Profil}
    models.update({t.schema_name: t.model_class for t in registry})
    for name, model in models.items():
        schema = as_editors_read(model.model_json_schema(), paper=model is not Profil)
        file = f"{name}.schema.json"
        out[file] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": BASE_ID + file,
            **schema,
        }
    return out


#: Keys a paper may leave to its profile (the Dnr pattern under the paper's name for it).
PROFILE_KEYS = {*Nämndinställningar.model_fields, *PROFILE_RENAMES.values()}


def as_editors_read(schema: dict[str, Any], *, paper: bool) -> dict[str, Any]:
    """The schema as the tool reads a file: a key given with nothing after it means its
    default (YAML's null), and a paper need not repeat what its profile supplies."""
    for node in [schema, *schema.get("$defs", {}).values()]:
        _optional_may_be_empty(node)
    if paper:
        schema["required"] = [k for k in schema.get("required", []) if k not in PROFILE_KEYS]
    return schema


def _optional_may_be_empty(node: dict[str, Any]) -> None:
    required = set(node.get("required", []))
    for key, prop in node.get("properties", {}).items():
        if key in required or _allows_null(prop):
            continue
        node["properties"][key] = {
            **{k: v for k, v in prop.items() if k in ("title", "description", "default")},
            "anyOf": [
                {k: v for k, v in prop.items() if k not in ("title", "description", "default")},
                {"type": "null"},
            ],
        }


def _allows_null(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(
        option.get("type") == "null" for option in prop.get("anyOf", [])
    )
