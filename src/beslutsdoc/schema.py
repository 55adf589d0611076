"""JSON Schemas for the inputs, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from beslutsdoc.model import PAPER_TYPES, Profil

BASE_ID = "https://beslutsdoc.se/schemas/"


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for the profile and each paper type."""
    out = {}
    models: dict[str, type[BaseModel]] = {"profil": Profil, **PAPER_TYPES}
    for name, model in models.items():
        schema = model.model_json_schema()
        file = f"{name}.schema.json"
        out[file] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": BASE_ID + file,
            **schema,
        }
    return out
