"""Tjänsteutlåtande → template variables."""

from __future__ import annotations

from typing import Any

from beslutsdoc.document.builder import Content
from beslutsdoc.document.markdown import Markdown
from beslutsdoc.model.diarienummer import format_diarienummer
from beslutsdoc.model.tjansteutlatande import Tjänsteutlåtande
from beslutsdoc.render.content import (
    Attachments,
    Lines,
    Points,
    Sections,
    Signatures,
    secret_paper,
)
from beslutsdoc.render.variables import Paper, field_variables, model_values

BLOCKS = {
    "förslag_till_beslut": "Beslutspunkterna: en mening, eller en numrerad lista från 1.",
    "sammanfattning": "Sammanfattningen som stycken, listor, tabeller och fotnoter.",
    "avsnitt": "Varje avsnitt: rubriken (Rubrik 2) och dess text.",
    "underskrifter": "Namn, titel och roll för var och en som undertecknar.",
    "bilagor": "Bilagornas titlar som en numrerad lista.",
    "expedieras_till": "Mottagarna, en per rad.",
}

DERIVED = {
    "etikett": "Dokumentets etikett från profilen, till exempel ”Tjänsteutlåtande”.",
    "diarienummer": "Diarienumret skrivet enligt nämndens mönster (utfyllt med nollor där mönstret säger det).",
}


def values(paper: Tjänsteutlåtande) -> dict[str, Any]:
    settings = paper.tjänsteutlåtande
    out = model_values(paper)
    out.update(
        etikett=settings.etikett if settings else "Tjänsteutlåtande",
        diarienummer=format_diarienummer(paper.diarienummer, paper.diarienummermönster),
    )
    return out


def blocks(paper: Tjänsteutlåtande) -> dict[str, Content]:
    return secret_paper(paper.sekretess, own_blocks(paper), "förslag_till_beslut")


def own_blocks(paper: Tjänsteutlåtande) -> dict[str, Content]:
    return {
        "förslag_till_beslut": Points(paper.förslag_till_beslut),
        "sammanfattning": Markdown(paper.sammanfattning or ""),
        "avsnitt": Sections(paper.avsnitt),
        "underskrifter": Signatures(paper.underskrifter),
        "bilagor": Attachments(paper.bilagor),
        "expedieras_till": Lines(paper.expedieras_till),
    }


def properties(paper: Tjänsteutlåtande, dnr: str) -> dict[str, Any]:
    return {
        "title": paper.titel,
        "subject": f"{values_label(paper)} {dnr}",
        "creator": paper.förvaltning or paper.kommun,
        "keywords": dnr,
        "created": paper.datum,
    }


def values_label(paper: Tjänsteutlåtande) -> str:
    return paper.tjänsteutlåtande.etikett if paper.tjänsteutlåtande else "Tjänsteutlåtande"


PAPER = Paper(
    model=Tjänsteutlåtande,
    template="tjänsteutlåtande.docx",
    variables=field_variables(Tjänsteutlåtande, BLOCKS, DERIVED),
    values=values,
    blocks=blocks,
    properties=lambda paper: properties(paper, values(paper)["diarienummer"]),
)
