"""`beslutsdoc mall MALL.docx`: check a board's own Word template before it is used.

The template is compiled exactly as rendering compiles it (`render.template`), with
the variables of its document kind from the registry, so a template that passes here
renders; a broken one fails with the compiler's own Swedish messages. The report lists
the variables the template uses and those it could use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import meta

from beslutsdoc.model.registry import PAPERS
from beslutsdoc.problems import TemplateError
from beslutsdoc.render import builder
from beslutsdoc.render.sandbox import ENV
from beslutsdoc.render.template import CompiledTemplate, Variables, load_template


@dataclass(frozen=True)
class Report:
    """What one template is for, and which of its kind's variables it uses."""

    path: Path
    kind: str
    guessed: bool
    variables: Variables
    used: frozenset[str]

    def lines(self) -> list[str]:
        how = " (gissat; ange --typ för att välja)" if self.guessed else ""
        out = [f"{self.path}: mallen fungerar som mall för {self.kind}{how}.", ""]
        out += _listed("Variabler som mallen använder", sorted(self.used), self.variables)
        unused = sorted(self.variables.names() - self.used)
        out += ["", *_listed("Variabler som finns men inte används", unused, self.variables)]
        out += ["", "Alla variabler beskrivs i docs/mallvariabler.md."]
        return out


def kinds() -> list[str]:
    """The document kinds a template can be for: the profile's `mallar:` keys."""
    return list(PAPERS.documents)


def check_template(path: Path, kind: str | None = None) -> Report:
    """Compile the template at `path` for `kind` (else the kind it fits best)."""
    chosen = kind or _best_kind(path)
    variables = builder(chosen).variables
    try:
        compiled = load_template(path, variables)
    except TemplateError as err:
        if "okända variabeln" not in str(err):
            raise
        raise TemplateError(f"{err}\n{_available(chosen, variables)}") from None
    return Report(path, chosen, kind is None, variables, frozenset(_used(compiled)))


def _best_kind(path: Path) -> str:
    """The kind whose variables the template's fields fit best: the one that compiles
    (or fails with the fewest errors), the file's name breaking a tie."""
    scored = []
    for index, kind in enumerate(kinds()):
        try:
            compiled = load_template(path, builder(kind).variables)
            errors, used = 0, len(_used(compiled))
        except TemplateError as err:
            if "okända variabeln" not in str(err) and "blockvariabeln" not in str(err):
                raise  # not a matter of kind: no Word file, broken tags
            errors, used = str(err).count("\n") + 1, 0
        named = kind not in path.stem.lower()
        scored.append((errors, -used, named, index, kind))
    return min(scored)[-1]


def _used(compiled: CompiledTemplate) -> set[str]:
    names: set[str] = set()
    for slots in compiled.slots.values():
        for slot in slots:
            if slot.block is not None:
                names.add(slot.block)
            elif slot.inline is not None:
                names |= meta.find_undeclared_variables(ENV.parse(slot.inline.source))
    return names


def _listed(title: str, names: list[str], variables: Variables) -> list[str]:
    if not names:
        return [f"{title}: inga."]
    width = max(len(name) for name in names)
    out = [f"{title} ({len(names)}):"]
    for name in names:
        kind = "block" if name in variables.block else "värde"
        text = variables.block.get(name) or variables.inline.get(name, "")
        out.append(f"  {name:<{width}}  {kind:<5}  {text}".rstrip())
    return out


def _available(kind: str, variables: Variables) -> str:
    names = ", ".join(sorted(variables.names()))
    return f"variablerna som finns för {kind}: {names}"
