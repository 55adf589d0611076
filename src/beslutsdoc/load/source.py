"""YAML text → plain data, remembering where every key and value stands.

PyYAML's implicit typing turns `18.00` into a float, `nej`/`on` into booleans and
`08-530 610 00`-like strings into who knows what. We compose the node graph and build
the data ourselves: every scalar stays the string the user wrote (a plain `~`, `null`
or empty value is None), and the Pydantic models decide what a field's type is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from beslutsdoc.model.loaded import Source
from beslutsdoc.problems import FieldPath, InputError, Position, Problem

_NULLS = {"", "~", "null", "Null", "NULL"}

# libyaml's composer is some twenty times faster than PyYAML's pure Python one, and
# reports the same positions (in characters, not bytes).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(file: Path, mark: yaml.Mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def load_yaml(file: Path, text: str | None = None) -> Source:
    """Read `file` (or `text` as if it were that file) into a Source.

    Raises InputError with a Swedish message for unreadable files and YAML syntax errors.
    """
    if text is None:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError([Problem("filen finns inte", file=file)]) from None
        except UnicodeDecodeError as err:
            raise InputError(
                [Problem(f"filen är inte UTF-8-kodad text (byte {err.start})", file=file)]
            ) from None
        except OSError as err:
            raise InputError(
                [Problem(f"filen kan inte läsas: {err.strerror}", file=file)]
            ) from None
    source = Source(file=file, data=None, lines=text.splitlines())
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        position = _mark(file, mark) if mark else None
        raise InputError([Problem(_yaml_message(err), position=position, file=file)]) from None
    except yaml.YAMLError:
        raise InputError([Problem("ogiltig YAML: filen kan inte tolkas", file=file)]) from None
    except RecursionError:
        raise InputError([Problem("för djupt nästlad YAML", file=file)]) from None
    problems: list[Problem] = []
    budget = [MAX_VALUES]
    try:
        source.data = {} if node is None else _build(node, (), source, problems, set(), budget)
    except _TooLarge as err:
        raise InputError([Problem(str(err), source.position(err.path), err.path, file)]) from None
    if problems:
        raise InputError(problems)
    return source


#: Limits that no paper comes near, against files that would exhaust the machine
#: (deep nesting, or a few aliases that expand to millions of values).
MAX_DEPTH = 60
MAX_VALUES = 200_000


class _TooLarge(Exception):
    def __init__(self, message: str, path: FieldPath) -> None:
        super().__init__(message)
        self.path = path


def _build(
    node: yaml.Node,
    path: FieldPath,
    source: Source,
    problems: list[Problem],
    seen: set[int],
    budget: list[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge("filen blir för stor (många YAML-alias?); skriv ut värdena i stället", path)
    if len(path) > MAX_DEPTH:
        raise _TooLarge(f"för djupt nästlad (mer än {MAX_DEPTH} nivåer)", path)
    source.values[path] = _mark(source.file, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        value: str = node.value
        plain = not node.style  # PyYAML says None for a plain scalar, libyaml ""
        if plain and value in _NULLS:
            return None
        if node.style == "|":
            source.blocks[path] = node.start_mark.line + 2
        elif plain and node.start_mark.line == node.end_mark.line:
            source.plain[path] = node.start_mark.column + 1
        return value
    if id(node) in seen:  # an alias pointing back into itself
        problems.append(Problem("ett YAML-alias pekar på sig självt", source.values[path], path))
        return None
    seen = seen | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, i), source, problems, seen, budget)
            for i, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.MappingNode)
    mapping: dict[str, Any] = {}
    previous: tuple[str, yaml.Node] | None = None
    for key_node, value_node in node.value:
        if _continues(node, key_node, value_node, previous):
            # `{beskrivning: Hög risk, mycket troligt ...}`: YAML splits a flow mapping's
            # value at the comma; what follows is prose, not a key. Put it back.
            assert previous is not None
            mapping[previous[0]] += ", " + str(key_node.value)
            continue
        key_position = _mark(source.file, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                Problem(
                    "en nyckel måste vara ett ord, inte en lista eller mappning", key_position, path
                )
            )
            continue
        key = key_node.value
        if key in mapping:
            problems.append(
                Problem(f"nyckeln ”{key}” förekommer två gånger", key_position, (*path, key))
            )
            continue
        source.keys[(*path, key)] = key_position
        mapping[key] = _build(value_node, (*path, key), source, problems, seen, budget)
        previous = (key, value_node)
    return mapping


def _continues(
    mapping: yaml.MappingNode,
    key: yaml.Node,
    value: yaml.Node,
    previous: tuple[str, yaml.Node] | None,
) -> bool:
    """Whether `key` is the rest of the previous value, cut at a comma by YAML: a key
    without a value, with spaces in it (keys never have any), after a plain text value
    in a `{...}` mapping."""
    return (
        bool(mapping.flow_style)
        and previous is not None
        and isinstance(previous[1], yaml.ScalarNode)
        and not previous[1].style
        and previous[1].value not in _NULLS
        and isinstance(key, yaml.ScalarNode)
        and not key.style
        and " " in key.value
        and isinstance(value, yaml.ScalarNode)
        and not value.style
        and value.value in _NULLS
    )


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "ett kolon följt av mellanslag står där det inte får stå; sätt texten inom citattecken",
    "could not find expected ':'": "ett kolon (:) efter nyckeln saknas",
    "found character that cannot start any token": "ett tecken som inte får inleda ett värde; sätt texten inom citattecken",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken saknar sin avslutning?)",
    "did not find expected key": "en nyckel väntades här; kontrollera indraget",
    "did not find expected '-' indicator": "ett listelement (-) väntades här; kontrollera indraget",
    "found undefined alias": "okänt YAML-alias",
    "found a tab character that violates indentation": "tabb i indraget; använd mellanslag",
    "found unacceptable character": "otillåtet tecken (styrtecken) i filen",
    "found duplicate anchor": "samma YAML-ankare används två gånger",
    "expected <block end>, but found": "fel indrag: raden passar inte in i strukturen ovanför",
    "while scanning a quoted scalar": "ett citattecken saknar sin avslutning",
}


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    raw = f"{err.context or ''} {err.problem or ''}"
    for english, swedish in _YAML_PROBLEMS.items():
        if english in raw:
            return f"ogiltig YAML: {swedish}"
    return "ogiltig YAML: filen kan inte tolkas här; kontrollera indrag, kolon och citattecken"
