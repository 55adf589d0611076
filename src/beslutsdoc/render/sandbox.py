"""Where template code runs: a sandbox that sees plain data, within limits.

A template passes between colleagues and municipalities, so its code is untrusted.
It runs in Jinja's immutable sandbox; what it sees is plain values built for it
(strings, numbers, dates, lists, read-only records), never the models or anything
with a method that reaches the file system; and it is stopped, with a Swedish
error, when it runs too long or makes too much text.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from beslutsdoc.document.text import kronor, long_date, number

#: One template's filling may take this long: real templates fill in milliseconds,
#: a loop in a loop over a long list does not.
TIME_LIMIT = 5.0
#: The most text one paragraph of a template may produce (a real one: a line).
TEXT_LIMIT = 1_000_000
#: Width arguments of filters (center, indent, truncate, wordwrap) above this are refused.
ARGUMENT_LIMIT = 10_000

# Between two runs in a paragraph's template source; lets the rendered text go back into
# the runs it came from, each with its own formatting.
SEAM = "\ue000"


class TemplateLimit(Exception):
    """A template went over a limit; the message says which, in Swedish."""


class Record(dict[str, Any]):
    """A model or record as a template sees it: its fields, read only, printed the way
    the original prints (”Anna Andersson (S)”)."""

    __slots__ = ("printed",)
    printed: str

    def __str__(self) -> str:
        return getattr(self, "printed", "")


def plain(value: Any) -> Any:
    """`value` as template data: nothing with behaviour, nothing that names a file."""
    if value is None or type(value) in (str, bool, int, float, Decimal, date):
        return value
    if isinstance(value, str):  # a str with methods of its own: only its text
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, PurePath):
        return value.name  # a file's name, never a way to it
    if isinstance(value, BaseModel):
        fields = {name: getattr(value, name) for name in type(value).model_fields}
        return _record(value, fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return _record(value, fields)
    if isinstance(value, Mapping):
        return _record(None, dict(value))
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return str(value)


def _record(original: Any, fields: Mapping[str, Any]) -> Record:
    out = Record({str(k): plain(v) for k, v in fields.items()})
    printer: Any = type(original).__str__
    if original is not None and printer not in (object.__str__, BaseModel.__str__):
        out.printed = str(original)
    return out


def _finalize(value: Any) -> str:
    if value is None or value is False:
        return ""
    return str(value).replace(SEAM, "")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox with size limits on the operators that can make huge values."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateLimit("mallkoden räknar med för stora tal (** högst 64)")
        if operator == "*":
            count = right if isinstance(left, str | list) else left
            item = left if isinstance(left, str | list) else right
            repeated = isinstance(item, str | list) and isinstance(count, int)
            if repeated and len(item) * count > TEXT_LIMIT:
                raise TemplateLimit("mallkoden gör för lång text (upprepning med *)")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list) and len(result) > TEXT_LIMIT:
            raise TemplateLimit("mallkoden gör för lång text")
        return result


def _guarded(filter_: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args[1:], *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > ARGUMENT_LIMIT:
                raise TemplateLimit(f"ett filter fick ett för stort tal ({arg})")
        result = filter_(*args, **kwargs)
        if isinstance(result, str) and len(result) > TEXT_LIMIT:
            raise TemplateLimit("ett filter gör för lång text")
        return result

    for attribute in ("jinja_pass_arg",):  # keep Jinja's markers (context, environment)
        if hasattr(filter_, attribute):
            setattr(guarded, attribute, getattr(filter_, attribute))
    return guarded


def _environment() -> jinja2.Environment:
    env = _Environment(
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update({"långt_datum": long_date, "tal": number, "kronor": kronor})
    env.filters = {name: _guarded(f) for name, f in env.filters.items()}
    env.globals.pop("cycler", None)
    env.globals.pop("joiner", None)
    env.globals.pop("namespace", None)
    return env


ENV = _environment()


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Stop the template code in the block after `seconds` (in the main thread, where
    a timer signal can interrupt it; elsewhere the size limits still hold)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    seconds = TIME_LIMIT if seconds is None else seconds

    def expired(signum: int, frame: Any) -> None:
        raise TemplateLimit(f"mallen tar för lång tid att fylla i (mer än {seconds:g} s)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def swedish(message: str, source: str) -> str:
    """A template's runtime error, told in Swedish."""
    found = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", message)
    if found and found[2]:
        owner = re.search(rf"([\w.]+)\.{re.escape(found[2])}\b", source)
        return f"”{owner[1] if owner else found[1]}” har ingen uppgift ”{found[2]}”"
    if found:
        return f"variabeln ”{found[1]}” finns inte"
    element = re.search(r"has no element (\S+)", message)
    if element:
        return f"listan har ingen post {element[1]}"
    if "no loader" in message:
        return "en mall kan inte hämta in andra mallar (include, import, extends)"
    if "unsafe" in message or "access to attribute" in message or "immutable" in message:
        return "mallkoden får bara läsa uppgifterna, inte ändra dem eller nå Pythons inre delar"
    if "range too big" in message:
        return "mallkoden räknar till ett för stort tal (range)"
    return f"mallkoden kan inte köras ({message})"


def syntax(err: jinja2.TemplateSyntaxError) -> str:
    message = err.message or ""
    if "unexpected end of template" in message.lower():
        return "en tagg avslutas inte (saknas {% endif %} eller }}?)"
    if "Encountered unknown tag" in message:
        tag = re.search(r"unknown tag '([^']+)'", message)
        return f"okänd tagg ”{tag[1] if tag else '?'}”"
    if "unexpected '}'" in message or "unexpected '%'" in message:
        return "en tagg är felaktigt avslutad"
    return f"mallkoden kan inte tolkas ({message})"
