"""Reference documents that follow from the models: the template variables' page."""

from __future__ import annotations

from beslutsdoc.model.registry import PAPERS
from beslutsdoc.render import builder

_FILTERS = {
    "långt_datum": "Datum i löptext: `{{ datum | långt_datum }}` → ”7 november 2023”.",
    "tal": "Tal med mellanslag som tusentalsavgränsare och decimalkomma: `{{ 1127386 | tal }}` → ”1 127 386”.",
    "kronor": "Belopp i kronor: `{{ 1127386 | kronor }}` → ”1 127 386 kr”.",
}


def _cell(text: str) -> str:
    return text.replace(" | ", " \\| ")  # a pipe inside a table cell


def template_variables() -> str:
    """docs/mallvariabler.md: every variable a template may use, per paper type."""
    lines = [
        "# Mallvariabler",
        "",
        "Den här sidan genereras från modellerna (`python tools/generate.py`); ändra inte för hand.",
        "",
        "En mall är en vanlig Word-fil. Skriv `{{ variabel }}` där ett värde ska stå; formateringen"
        " på den plats där taggen står behålls. `{% if variabel %}...{% endif %}` fungerar inom"
        " ett stycke. Ett stycke vars mallkod blir tom tas bort, och likaså en tabellrad där alla"
        " celler blir tomma på det sättet.",
        "",
        "**Blockvariabler** ska stå ensamma i ett eget stycke i brödtexten eller i en tabellcell."
        " Stycket ersätts av text, listor, tabeller och fotnoter i mallens formatmallar; vanliga"
        " stycken får platshållarstyckets formatmall.",
        "",
        "Uppgifter i en variabel nås med punkt: `{{ handläggare.namn }}`, `{{ kontakt.webb }}`.",
        "",
        "## Filter",
        "",
        "| filter | vad det gör |",
        "|---|---|",
        *(f"| `{name}` | {_cell(text)} |" for name, text in _FILTERS.items()),
    ]
    for kind in PAPERS.documents:
        paper = builder(kind)
        lines += ["", f"## {kind}", "", f"Standardmall: `templates/{paper.template}`.", ""]
        lines += ["| variabel | slag | beskrivning |", "|---|---|---|"]
        for name, text in sorted(paper.variables.block.items()):
            lines.append(f"| `{name}` | block | {_cell(text)} |")
        for name, text in sorted(paper.variables.inline.items()):
            lines.append(f"| `{name}` | värde | {_cell(text)} |")
    return "\n".join(lines) + "\n"
