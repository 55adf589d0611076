"""Internkontrollplan and its follow-up → template variables and blocks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from beslutsdoc.document.builder import Builder, CellContent, Content
from beslutsdoc.document.markdown import Markdown, read
from beslutsdoc.document.nodes import Align, Heading, Span
from beslutsdoc.document.text import keep_legal_together
from beslutsdoc.model.diarienummer import format_diarienummer
from beslutsdoc.model.internkontroll import (
    Internkontrollplan,
    Internkontrolluppföljning,
    Risk,
)
from beslutsdoc.model.profil import Skalor, scales
from beslutsdoc.render.repair import TEMPLATES
from beslutsdoc.render.variables import Paper, field_variables, model_values

#: Risk levels, by the share of the highest possible value: name and cell colour.
LEVELS = [
    (0.2, "Låg", "C6EFCE"),
    (0.4, "Medel", "FFEB9C"),
    (0.6, "Hög", "FCD5B4"),
    (1.0, "Mycket hög", "F4A6A6"),
]
STATUS = {
    "grön": ("Grön", "inga brister", "C6EFCE"),
    "gul": ("Gul", "mindre brister", "FFEB9C"),
    "röd": ("Röd", "allvarliga brister", "F4A6A6"),
}


CENTER: Align = "center"


def level(value: int, scale: Skalor) -> tuple[str, str]:
    """(name, colour) of a risk value on these scales."""
    highest = len(scale.sannolikhet) * len(scale.konsekvens)
    for share, name, colour in LEVELS:
        if value <= share * highest:
            return name, colour
    return LEVELS[-1][1], LEVELS[-1][2]


def level_ranges(scale: Skalor) -> list[tuple[str, str, list[int]]]:
    """Each level with the risk values that fall in it on these scales."""
    values = sorted({s * k for s in scale.sannolikhet for k in scale.konsekvens})
    out: list[tuple[str, str, list[int]]] = []
    for value in values:
        name, colour = level(value, scale)
        if out and out[-1][0] == name:
            out[-1][2].append(value)
        else:
            out.append((name, colour, [value]))
    return out


def _t(text: str, *, bold: bool = False, italic: bool = False) -> list[Span]:
    return [Span(keep_legal_together(text), bold=bold, italic=italic)]


def _rated(number: int, levels: dict[int, Any]) -> str:
    return f"{number} {levels[number].namn}"


def reasoning(risk: Risk, scale: Skalor) -> str:
    if not risk.motivering:
        return ""

    def sentence(subject: str, level_name: str, reason: str) -> str:
        return f"{subject} bedöms som {level_name.lower()} eftersom {reason.rstrip().rstrip('.')}."

    return (
        sentence(
            "Sannolikheten", scale.sannolikhet[risk.sannolikhet].namn, risk.motivering.sannolikhet
        )
        + "\n"
        + sentence(
            "Konsekvensen", scale.konsekvens[risk.konsekvens].namn, risk.motivering.konsekvens
        )
    )


@dataclass(frozen=True)
class Scales:
    """The two scales as tables: level, name, what it means."""

    scale: Skalor

    def build(self, out: Builder) -> None:
        for title, levels in (
            ("Sannolikhet", self.scale.sannolikhet),
            ("Konsekvens", self.scale.konsekvens),
        ):
            out.paragraph(_t(f"{title} graderas 1–{len(levels)}:", bold=True), keep_next=True)
            rows = [[[Span("Nivå")], [Span("Benämning")], [Span("Beskrivning")]]]
            rows += [
                [[Span(str(n))], [Span(lv.namn)], _t(lv.beskrivning or "")]
                for n, lv in sorted(levels.items())
            ]
            out.table(rows, True, ["center"], shares=[0.1, 0.25, 0.65], keep_together=True)
            out.paragraph([])


@dataclass(frozen=True)
class Matrix:
    """The risk matrix: likelihood × consequence, cells shaded by level, each risk's id
    in its cell, and a legend in words (the colour is never the only sign)."""

    plan: Internkontrollplan
    scale: Skalor

    def build(self, out: Builder) -> None:
        s_levels, k_levels = self.scale.sannolikhet, self.scale.konsekvens
        header = [[Span("Sannolikhet ↓ / Konsekvens →", bold=True)]]
        header += [[Span(f"{n} {lv.namn}", bold=True)] for n, lv in sorted(k_levels.items())]
        rows = [header]
        fills: list[list[str | None]] = [[None] * (len(k_levels) + 1)]
        for s in sorted(s_levels, reverse=True):
            row = [[Span(f"{s} {s_levels[s].namn}", bold=True)]]
            fill: list[str | None] = [None]
            for k in sorted(k_levels):
                value = s * k
                name, colour = level(value, self.scale)
                ids = [r.id for r in self.plan.risker if r.sannolikhet == s and r.konsekvens == k]
                cell = [Span(", ".join(ids), bold=True), Span("\n")] if ids else []
                cell.append(Span(f"{value} {name.lower()}"))
                row.append(cell)
                fill.append(colour)
            rows.append(row)
            fills.append(fill)
        first = 0.24
        rest = (1 - first) / len(k_levels)
        out.table(
            rows,
            True,
            ["", *[CENTER] * len(k_levels)],
            fills=fills,
            shares=[first, *[rest] * len(k_levels)],
            keep_together=True,
            keep_with_next=True,  # the legend belongs with it
        )
        out.paragraph(
            _t("Riskvärde = sannolikhet × konsekvens. Nivåerna:", italic=True), keep_next=True
        )
        legend = [[[Span("Nivå")], [Span("Riskvärden")]]]
        legend_fills: list[list[str | None]] = [[None, None]]
        for name, colour, values in level_ranges(self.scale):
            span = f"{values[0]}–{values[-1]}" if len(values) > 1 else str(values[0])
            legend.append([[Span(name)], [Span(span)]])
            legend_fills.append([colour, None])
        out.table(legend, True, [], fills=legend_fills, shares=[0.3, 0.3], keep_together=True)


@dataclass(frozen=True)
class RiskTables:
    """The net list: one table per område, risks by value, highest first."""

    plan: Internkontrollplan
    scale: Skalor

    def build(self, out: Builder) -> None:
        out.landscape(_RiskTables(self.plan, self.scale))


@dataclass(frozen=True)
class _RiskTables:
    plan: Internkontrollplan
    scale: Skalor

    def build(self, out: Builder) -> None:
        areas: dict[str, list[Risk]] = {}
        for risk in self.plan.risker:
            areas.setdefault(risk.område, []).append(risk)
        for area, risks in areas.items():
            out.heading(3, f"Område: {area}")
            rows = [
                [
                    [Span(h)]
                    for h in ("Risk", "Sannolikhet", "Konsekvens", "Riskvärde", "Motivering")
                ]
            ]
            fills: list[list[str | None]] = [[None] * 5]
            for risk in sorted(risks, key=lambda r: -r.value):
                name, colour = level(risk.value, self.scale)
                text = f"{risk.id}. {risk.risk}" + (
                    " (kommunövergripande)" if risk.kommunövergripande else ""
                )
                rows.append(
                    [
                        _t(text),
                        _t(_rated(risk.sannolikhet, self.scale.sannolikhet)),
                        _t(_rated(risk.konsekvens, self.scale.konsekvens)),
                        [Span(str(risk.value), bold=True), Span(f"\n{name.lower()}")],
                        _t(reasoning(risk, self.scale)),
                    ]
                )
                fills.append([None, None, None, colour, None])
            out.table(
                rows,
                True,
                ["", "", "", "center"],
                fills=fills,
                shares=[0.3, 0.12, 0.12, 0.1, 0.36],
                small=True,
            )


def _risk_label(plan: Internkontrollplan, risk_id: str) -> str:
    for risk in plan.risker:
        if risk.id == risk_id:
            return f"{risk.id}. {risk.risk}"
    return risk_id


@dataclass(frozen=True)
class Controls:
    """This year's controls; the optional columns only when some control uses them."""

    plan: Internkontrollplan

    def build(self, out: Builder) -> None:
        out.landscape(_Controls(self.plan))


_OPTIONAL = [
    ("frekvens", "Frekvens"),
    ("ansvarig", "Kontrollansvarig"),
    ("rapporteras_till", "Rapporteras till"),
]


@dataclass(frozen=True)
class _Controls:
    plan: Internkontrollplan

    def build(self, out: Builder) -> None:
        if not self.plan.kontroller:
            out.paragraph(_t("Inga kontroller är planerade i år."))
            return
        extra = [
            (key, title)
            for key, title in _OPTIONAL
            if any(getattr(k, key) for k in self.plan.kontroller)
        ]
        header = ["Id", "Risk", "Kontroll", "Beskrivning", *(title for _, title in extra)]
        rows: list[list[CellContent]] = [[[Span(h)] for h in header]]
        for control_id, control in zip(self.plan.control_ids(), self.plan.kontroller, strict=True):
            rows.append(
                [
                    [Span(control_id)],
                    _t(_risk_label(self.plan, control.risk)),
                    _t(control.kontroll),
                    Markdown(control.beskrivning or ""),
                    *(_t(getattr(control, key) or "") for key, _ in extra),
                ]
            )
        base = [0.05, 0.25, 0.2, 0.5]
        if extra:
            base = [0.05, 0.2, 0.17, 0.58 - 0.12 * len(extra)] + [0.12] * len(extra)
        out.table(rows, True, [], shares=base, small=True)


@dataclass(frozen=True)
class Activities:
    plan: Internkontrollplan

    def build(self, out: Builder) -> None:
        if not self.plan.aktiviteter:
            out.paragraph(_t("Inga aktiviteter är planerade i år."))
            return
        responsible = any(a.ansvarig for a in self.plan.aktiviteter)
        header = ["Risk", "Aktivitet", *(["Ansvarig"] if responsible else [])]
        rows = [[[Span(h)] for h in header]]
        for activity in self.plan.aktiviteter:
            rows.append(
                [
                    _t(_risk_label(self.plan, activity.risk)),
                    _t(activity.aktivitet),
                    *([_t(activity.ansvarig or "")] if responsible else []),
                ]
            )
        out.table(rows, True, [], shares=[0.4, 0.4, 0.2] if responsible else [0.45, 0.55])


@dataclass(frozen=True)
class Section:
    """A text field that is the whole of a level-1 section of the plan (”1 Inledning”):
    its `###` sub-headings are the section's sub-headings, level 2 (in a paper's
    level-2 sections they are level 3), so that no heading level is skipped."""

    text: str

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def build(self, out: Builder) -> None:
        for block in read(self.text):
            if isinstance(block, Heading):
                block = replace(block, level=block.level - 1)
            out.add(block)


@dataclass(frozen=True)
class Contents:
    def build(self, out: Builder) -> None:
        out.contents()


def standard_introduction() -> str:
    return (TEMPLATES / "internkontroll-inledning.md").read_text(encoding="utf-8")


def plan_values(plan: Internkontrollplan) -> dict[str, Any]:
    out = model_values(plan)
    out.update(
        diarienummer=format_diarienummer(plan.diarienummer, plan.diarienummermönster),
        tröskel=plan.internkontroll.tröskel if plan.internkontroll else 9,
    )
    return out


def plan_blocks(plan: Internkontrollplan) -> dict[str, Content]:
    scale = scales(plan)
    return {
        "innehåll": Contents(),
        "inledning": Section(plan.inledning or standard_introduction()),
        "nämndens_arbete": Section(plan.nämndens_arbete),
        "skalor": Scales(scale),
        "riskmatris": Matrix(plan, scale),
        "risker": RiskTables(plan, scale),
        "kontroller": Controls(plan),
        "aktiviteter": Activities(plan),
    }


PLAN_BLOCKS = {
    "innehåll": "Innehållsförteckning över rubrikerna efter den (nivå 1–2), med sidnummer i PDF:en.",
    "inledning": "Planens inledning, eller standardtexten om intern kontroll.",
    "nämndens_arbete": "Avsnittet om nämndens internkontrollarbete.",
    "skalor": "Skalorna för sannolikhet och konsekvens som tabeller.",
    "riskmatris": "Riskmatrisen med riskernas id i sina celler och en teckenförklaring.",
    "risker": "Nettolistan: en tabell per område, på liggande sidor.",
    "kontroller": "Årets planerade kontroller, på liggande sidor.",
    "aktiviteter": "Årets planerade aktiviteter.",
}

PLAN = Paper(
    model=Internkontrollplan,
    template="internkontrollplan.docx",
    variables=field_variables(
        Internkontrollplan,
        PLAN_BLOCKS,
        {
            "diarienummer": "Diarienumret skrivet enligt nämndens mönster.",
            "tröskel": "Riskvärdet från vilket en risk måste ha en kontroll.",
        },
    ),
    values=plan_values,
    blocks=plan_blocks,
    properties=lambda plan: {
        "title": f"Internkontrollplan {plan.år}",
        "subject": f"{plan.nämnd}, internkontrollplan {plan.år}",
        "creator": plan.förvaltning or plan.nämnd,
        "keywords": format_diarienummer(plan.diarienummer, plan.diarienummermönster),
        "created": plan.datum,
    },
)


# -- follow-up ------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """The plan read with its results."""

    report: Internkontrolluppföljning
    plan: Internkontrollplan


@dataclass(frozen=True)
class StatusSummary:
    follow_up: FollowUp

    def build(self, out: Builder) -> None:
        counts = {key: 0 for key in STATUS}
        for result in self.follow_up.report.resultat:
            counts[result.status] += 1
        rows = [[[Span("Status")], [Span("Betyder")], [Span("Antal kontroller")]]]
        fills: list[list[str | None]] = [[None, None, None]]
        for key, (name, meaning, colour) in STATUS.items():
            rows.append([[Span(name)], [Span(meaning)], [Span(str(counts[key]))]])
            fills.append([colour, None, None])
        rows.append([[Span("Summa", bold=True)], [], [Span(str(sum(counts.values())), bold=True)]])
        fills.append([None, None, None])
        out.table(
            rows, True, ["", "", "center"], fills=fills, shares=[0.2, 0.4, 0.2], keep_together=True
        )


@dataclass(frozen=True)
class Results:
    follow_up: FollowUp

    def build(self, out: Builder) -> None:
        out.landscape(_Results(self.follow_up))


@dataclass(frozen=True)
class _Results:
    follow_up: FollowUp

    def build(self, out: Builder) -> None:
        plan = self.follow_up.plan
        scale = scales(plan)
        by_id = dict(zip(plan.control_ids(), plan.kontroller, strict=True))
        risks = {r.id: r for r in plan.risker}
        header = ["Kontroll", "Risk och riskvärde", "Status", "Resultat", "Åtgärd"]
        rows: list[list[CellContent]] = [[[Span(h)] for h in header]]
        fills: list[list[str | None]] = [[None] * 5]
        for result in self.follow_up.report.resultat:
            control = by_id[result.kontroll]
            risk = risks[control.risk]
            name, meaning, colour = STATUS[result.status]
            rows.append(
                [
                    _t(f"{result.kontroll}. {control.kontroll}"),
                    _t(
                        f"{risk.id}. {risk.risk} (riskvärde {risk.value}, {level(risk.value, scale)[0].lower()})"
                    ),
                    [Span(name, bold=True), Span(f"\n{meaning}")],
                    Markdown(result.resultat),
                    Markdown(result.åtgärd or ""),
                ]
            )
            fills.append([None, None, colour, None, None])
        out.table(rows, True, [], fills=fills, shares=[0.18, 0.22, 0.12, 0.26, 0.22], small=True)


def follow_up_values(follow_up: FollowUp) -> dict[str, Any]:
    report, plan = follow_up.report, follow_up.plan
    out = model_values(report)
    out.update(
        år=plan.år,
        diarienummer=(
            format_diarienummer(report.diarienummer, report.diarienummermönster)
            if report.diarienummer
            else None
        ),
        planens_diarienummer=format_diarienummer(plan.diarienummer, plan.diarienummermönster),
    )
    return out


def follow_up_blocks(follow_up: FollowUp) -> dict[str, Content]:
    scale = scales(follow_up.plan)
    return {
        "sammanfattning": Markdown(follow_up.report.sammanfattning or ""),
        "statussammanställning": StatusSummary(follow_up),
        "resultat": Results(follow_up),
        "riskmatris": Matrix(follow_up.plan, scale),
    }


FOLLOW_UP = Paper(
    model=Internkontrolluppföljning,
    template="internkontrolluppföljning.docx",
    variables=field_variables(
        Internkontrolluppföljning,
        {
            "sammanfattning": "Nämndens sammanfattning av året.",
            "statussammanställning": "Antal kontroller per status (grön, gul, röd), i ord och färg.",
            "resultat": "Varje kontroll med sin risk, status, resultat och åtgärd, på liggande sidor.",
            "riskmatris": "Planens riskmatris.",
        },
        {
            "år": "Året planen gäller.",
            "diarienummer": "Uppföljningens diarienummer enligt nämndens mönster.",
            "planens_diarienummer": "Planens diarienummer.",
        },
    ),
    values=follow_up_values,
    blocks=follow_up_blocks,
    properties=lambda f: {
        "title": f"Uppföljning av internkontrollplan {f.plan.år}",
        "subject": f"{f.report.nämnd}, uppföljning av internkontrollplan {f.plan.år}",
        "creator": f.report.förvaltning or f.report.nämnd,
        "keywords": format_diarienummer(f.plan.diarienummer, f.plan.diarienummermönster),
        "created": f.report.datum,
    },
)
