"""The document models: the single source of truth for schemas, docs and templates."""

from pydantic import BaseModel

from beslutsdoc.model.internkontroll import Internkontrollplan, Internkontrolluppföljning
from beslutsdoc.model.profil import Profil
from beslutsdoc.model.protokollsutdrag import Protokollsutdrag
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande

#: Paper types by their `typ:` value.
PAPER_TYPES: dict[str, type[BaseModel]] = {
    "tjänsteutlåtande": Tjänsteutlåtande,
    "protokollsutdrag": Protokollsutdrag,
    "sammanträde": Sammanträde,
    "internkontrollplan": Internkontrollplan,
    "internkontrolluppföljning": Internkontrolluppföljning,
}

__all__ = [
    "PAPER_TYPES",
    "Internkontrollplan",
    "Internkontrolluppföljning",
    "Profil",
    "Protokollsutdrag",
    "Sammanträde",
    "Tjänsteutlåtande",
]
