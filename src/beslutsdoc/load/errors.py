"""Pydantic's validation errors, told in Swedish at the place in the YAML they concern."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from beslutsdoc.problems import FieldPath, Problem

#: Makes a Problem for a path (in the merged paper) and message.
ProblemAt = Callable[..., Problem]

MISSING = "obligatoriskt fält saknas"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "inget värde"
    text = str(value)
    return f"”{text if len(text) <= 60 else text[:57] + '...'}”"


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    loc = tuple(error["loc"])
    if kind == "missing":
        return MISSING
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = fields_at(model, loc[:-1])
        close = _suggestion(error, model)
        hint = (
            f"; menade du ”{close}”?"
            if close
            else (f"; tillåtna nycklar här: {', '.join(allowed)}" if allowed else "")
        )
        return f"okänd nyckel ”{key}”{hint}"
    if kind in {"string_type", "string_too_short"}:
        if value is None:
            return "får inte vara tomt"
        return f"ska vara text, inte {_show(value)}"
    if kind == "list_type":
        return f"ska vara en lista (en rad per punkt som börjar med ”- ”), inte {_show(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"ska vara en mappning med nycklar (till exempel ”namn: ...”), inte {_show(value)}"
    if kind == "too_short":
        if ctx.get("min_length") == 1:
            return "får inte vara tom; minst en punkt behövs"
        return f"för få: minst {ctx.get('min_length')} behövs"
    if kind == "literal_error":
        return f"{_show(value)} är inte tillåtet; förväntat: {ctx.get('expected', '')}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{_show(value)} är inget heltal"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{_show(value)} är inget ja eller nej; skriv true eller false"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in _OWN_TYPES:
        return str(error["msg"])
    return f"ogiltigt värde {_show(value)}"


#: Error types our own validators raise, whose messages are already Swedish.
_OWN_TYPES = {
    "text",
    "klockslag",
    "tom_text",
    "datum",
    "positivt_heltal",
    "ja_nej",
    "ledamot",
    "dnr_mönster",
    "regel",
    "sekretessgrund",
}


def _suggestion(error: ErrorDetails, model: type[BaseModel]) -> str | None:
    """For an unknown key: the allowed key it is most probably a misspelling of."""
    loc = tuple(error["loc"])
    if error["type"] != "extra_forbidden" or not loc:
        return None
    close = difflib.get_close_matches(str(loc[-1]), fields_at(model, loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


def _location(error: ErrorDetails) -> FieldPath:
    """The error's path; a list validator may name the item it means by ctx `post`."""
    loc: FieldPath = tuple(p for p in error["loc"] if isinstance(p, str | int))
    item = (error.get("ctx") or {}).get("post")
    return (*loc, item) if isinstance(item, int) else loc


def translate(err: ValidationError, model: type[BaseModel], at: ProblemAt) -> list[Problem]:
    errors = err.errors(include_url=False)
    # `förslag_till_beslt` gives "menade du förslag_till_beslut?"; that the right key is
    # then missing says the same thing again, at another place.
    suggested = {(*_location(e)[:-1], close) for e in errors if (close := _suggestion(e, model))}
    problems = []
    for error in errors:
        loc = _location(error)
        if error["type"] == "missing" and loc in suggested:
            continue
        key = error["type"] in {"extra_forbidden", "missing"}
        problems.append(at(loc, _message(error, model), key=key))
    return problems


def _unwrap(annotation: Any) -> list[Any]:
    """The classes an annotation may hold: `list[X] | None` → [list[X]]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def fields_at(model: type[BaseModel], path: FieldPath) -> list[str]:
    """The keys a mapping at `path` may hold, walking the model's annotations."""
    candidates: list[Any] = [model]
    for part in path:
        following: list[Any] = []
        for cls in candidates:
            if isinstance(part, int):
                if typing.get_origin(cls) is list:
                    following += _unwrap(typing.get_args(cls)[0])
            elif isinstance(cls, type) and issubclass(cls, BaseModel) and part in cls.model_fields:
                following += _unwrap(cls.model_fields[part].annotation)
        candidates = following
    for cls in candidates:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            return list(cls.model_fields)
    return []


def profile_hint(
    problems: list[Problem],
    profile_keys: Collection[str],
    profile: Path | None,
    searched: Path | None,
    name: str,
) -> list[Problem]:
    """A missing profile key (`kommun`, `nämnd`) says where it may be written: in the
    profile that was used, or, when none was found, where `name` was looked for (most
    often the paper is simply in the wrong folder)."""
    if profile is not None:
        where = f"skriv ”{{key}}: ...” i profilen {profile} eller i handlingen"
    elif searched is not None:
        folders = [str(f) for f in [searched, *searched.parents]]
        listed = ", ".join(folders[:-1]) + " och " + folders[-1] if len(folders) > 1 else folders[0]
        where = (
            f"ingen profil ({name}) hittades i {listed};"
            " lägg profilen i någon av mapparna eller skriv ”{key}: ...” i handlingen"
        )
    else:
        return problems
    out = []
    for problem in problems:
        path = problem.path
        if problem.message == MISSING and len(path) == 1 and path[0] in profile_keys:
            problem = replace(
                problem, message=f"{MISSING}; " + where.replace("{key}", str(path[0]))
            )
        out.append(problem)
    return out
