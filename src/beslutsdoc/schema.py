"""JSON Schemas for the inputs, generated from the models the registry declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from beslutsdoc.model.profil import Profil
from beslutsdoc.model.registry import PAPERS, Registry

BASE_ID = "https://beslutsdoc.se/schemas/"


def schemas(registry: Registry = PAPERS) -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for the profile and each paper type."""
    out = {}
    models: dict[str, type[BaseModel]] = {"profil": Profil}
    models.update({t.schema_name: t.model_class for t in registry})
    for name, model in models.items():
        schema = model.model_json_schema()
        file = f"{name}.schema.json"
        out[file] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": BASE_ID + file,
            **schema,
        }
    return out
