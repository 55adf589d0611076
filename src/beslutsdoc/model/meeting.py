"""A loaded meeting: its items, each with its documents in the packet's order.

The loader fills these; the checks, the renderers and the packet read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.sammantrade import Sammanträde
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande


@dataclass
class Part:
    """One document of an item, in the order the packet holds them."""

    path: Path
    title: str
    paper: Loaded[Any] | None = None  # a YAML paper, rendered for the packet
    pages: int = 0  # a PDF's page count
    size: tuple[float, float] = (595.0, 842.0)  # a PDF's first page, in points
    #: The legal ground when the document is secret (itself, its paper or its item).
    sekretess: str | None = None

    @property
    def kind(self) -> str:
        return "paper" if self.paper else self.path.suffix.lower().lstrip(".")

    @property
    def label(self) -> str:
        """How lists of documents name it: ”Tjänsteskrivelse 2020-12-22”, ”Bilaga: ...”."""
        model = self.paper.model if self.paper else None
        if isinstance(model, Tjänsteutlåtande):
            label = model.tjänsteutlåtande.etikett if model.tjänsteutlåtande else "Tjänsteutlåtande"
            return f"{label} {model.datum}"
        return self.title if model is not None else f"Bilaga: {self.title}"


@dataclass
class Item:
    """One agenda item: its documents, in order."""

    number: int  # on the agenda, from 1
    parts: list[Part] = field(default_factory=list)

    @property
    def papers(self) -> list[Loaded[Any]]:
        return [p.paper for p in self.parts if p.paper]

    @property
    def tjänsteutlåtande(self) -> Tjänsteutlåtande | None:
        for paper in self.papers:
            if isinstance(paper.model, Tjänsteutlåtande):
                return paper.model
        return None


@dataclass
class Meeting:
    loaded: Loaded[Sammanträde]
    items: list[Item]

    @property
    def model(self) -> Sammanträde:
        return self.loaded.model

    def papers(self) -> list[tuple[Item, Loaded[Any]]]:
        """Every YAML paper of every item, with its item."""
        return [(item, paper) for item in self.items for paper in item.papers]


def paper_title(model: Any) -> str | None:
    """A paper's title as a list of documents shows it."""
    if getattr(model, "titel", None):
        return str(model.titel)
    if model.typ == "internkontrollplan":
        return f"Internkontrollplan {model.år}"
    if model.typ == "internkontrolluppföljning":
        return "Uppföljning av internkontrollplan"
    return None
