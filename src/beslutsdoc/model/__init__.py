"""The document models: the single source of truth for schemas, docs and templates.

The paper types are declared once, in `beslutsdoc.model.registry`; the models load
when first asked for, so that a command imports only the ones it uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from beslutsdoc.model.registry import PAPERS

if TYPE_CHECKING:
    from beslutsdoc.model.internkontroll import Internkontrollplan, Internkontrolluppföljning
    from beslutsdoc.model.profil import Profil
    from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
    from beslutsdoc.model.sammantrade import Sammanträde
    from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande

_MODULES = {
    "Internkontrollplan": "internkontroll",
    "Internkontrolluppföljning": "internkontroll",
    "Profil": "profil",
    "Protokollsutdrag": "protokollsutdrag",
    "Sammanträde": "sammantrade",
    "Tjänsteutlåtande": "tjansteutlatande",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(f"beslutsdoc.model.{_MODULES[name]}"), name)
    raise AttributeError(f"module 'beslutsdoc.model' has no attribute {name!r}")


__all__ = [
    "PAPERS",
    "Internkontrollplan",
    "Internkontrolluppföljning",
    "Profil",
    "Protokollsutdrag",
    "Sammanträde",
    "Tjänsteutlåtande",
]
