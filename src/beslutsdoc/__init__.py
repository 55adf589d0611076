"""beslutsdoc: nämndhandlingar från validerad YAML, som bibliotek och kommandorad.

    import beslutsdoc
    paper = beslutsdoc.load("ärende.yaml")
    problems = beslutsdoc.check(paper)
    docx = beslutsdoc.render(paper)

Importing the package loads nothing else: each name is imported when first used
(`docs/api.md` describes them).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from beslutsdoc.api import (
        Packet,
        PacketPdf,
        Protokoll,
        check,
        load,
        load_text,
        packet,
        protokoll,
        render,
        to_pdf,
        validate,
        with_pdfs,
    )
    from beslutsdoc.model.internkontroll import Internkontrollplan, Internkontrolluppföljning
    from beslutsdoc.model.loaded import Loaded
    from beslutsdoc.model.profil import Profil
    from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
    from beslutsdoc.model.registry import PAPERS, Document, PaperType, Registry
    from beslutsdoc.model.sammantrade import Sammanträde
    from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
    from beslutsdoc.problems import InputError, Problem, TemplateError, ToolError

#: Public name → the module that defines it.
_NAMES = {
    **dict.fromkeys(
        [
            "Packet",
            "PacketPdf",
            "Protokoll",
            "check",
            "load",
            "load_text",
            "packet",
            "protokoll",
            "render",
            "to_pdf",
            "validate",
            "with_pdfs",
        ],
        "beslutsdoc.api",
    ),
    **dict.fromkeys(["InputError", "Problem", "TemplateError", "ToolError"], "beslutsdoc.problems"),
    **dict.fromkeys(["PAPERS", "Document", "PaperType", "Registry"], "beslutsdoc.model.registry"),
    "Loaded": "beslutsdoc.model.loaded",
    "Profil": "beslutsdoc.model.profil",
    "Tjänsteutlåtande": "beslutsdoc.model.tjansteutlatande",
    "Protokollsutdrag": "beslutsdoc.model.protokollsutdrag",
    "Sammanträde": "beslutsdoc.model.sammantrade",
    "Internkontrollplan": "beslutsdoc.model.internkontroll",
    "Internkontrolluppföljning": "beslutsdoc.model.internkontroll",
}

__all__ = [
    "PAPERS",
    "Document",
    "InputError",
    "Internkontrollplan",
    "Internkontrolluppföljning",
    "Loaded",
    "Packet",
    "PacketPdf",
    "PaperType",
    "Problem",
    "Profil",
    "Protokoll",
    "Protokollsutdrag",
    "Registry",
    "Sammanträde",
    "TemplateError",
    "Tjänsteutlåtande",
    "ToolError",
    "check",
    "load",
    "load_text",
    "packet",
    "protokoll",
    "render",
    "to_pdf",
    "validate",
    "with_pdfs",
]


#: Library functions named like a stage's package: `beslutsdoc.check` is both.
_STAGES = ("check", "load", "render")


class _Stage(types.ModuleType):
    """A stage's package that, called, is the library's function of its name: Python
    binds `beslutsdoc.check` to the package once `beslutsdoc.check.rules` is imported,
    and `beslutsdoc.check(paper)` must still be the library's check."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        function = getattr(
            importlib.import_module("beslutsdoc.api"), self.__name__.rpartition(".")[2]
        )
        return function(*args, **kwargs)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STAGES and isinstance(value, types.ModuleType):
            value.__class__ = _Stage
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _STAGES:  # the package, callable as the function (see _Stage)
        return importlib.import_module(f"beslutsdoc.{name}")
    if name not in _NAMES:
        raise AttributeError(f"module 'beslutsdoc' has no attribute {name!r}")
    value = getattr(importlib.import_module(_NAMES[name]), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
