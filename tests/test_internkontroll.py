"""Internkontrollplan and its follow-up: computed values, one source for level names,
the risk matrix, landscape tables, and the checks."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.problems import InputError
from beslutsdoc.render import render

from .conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BOTKYRKA = EXAMPLES / "botkyrka" / "2021-01-26" / "01-internkontroll" / "internkontrollplan.yaml"
FIVE = EXAMPLES / "exempelkommun" / "internkontroll-2025" / "internkontrollplan.yaml"
FOLLOW_UP = EXAMPLES / "botkyrka" / "uppföljning-2021" / "internkontrolluppföljning.yaml"

PLAN = """\
typ: internkontrollplan
år: 2025
diarienummer: SN 2024:10
datum: 2024-12-01
nämndens_arbete: Nämnden arbetar med intern kontroll.
risker:
  - id: R1
    område: Ekonomi
    risk: Fakturor attesteras fel.
    sannolikhet: 3
    konsekvens: 3
    motivering: {sannolikhet: det har hänt förut, konsekvens: pengar går förlorade}
  - id: R2
    område: Ekonomi
    risk: Avtal följs inte.
    sannolikhet: 2
    konsekvens: 2
kontroller:
  - risk: R1
    kontroll: Stickprov på fakturor
aktiviteter:
  - risk: R2
    aktivitet: Utbilda beställare.
"""


def texts(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for c in t._cells]
    return "\n".join(parts)


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        check(load_paper(path))
    return [str(p) for p in caught.value.problems]


def test_botkyrka_plan_carries_everything() -> None:
    loaded = load_paper(BOTKYRKA)
    check(loaded)
    data = render(loaded)
    text = texts(data)
    plan = loaded.model
    assert len(plan.risker) == 7 and len(plan.kontroller) == 7 and len(plan.aktiviteter) == 1
    for risk in plan.risker:
        assert risk.risk in text
    for control in plan.kontroller:
        assert control.kontroll in text
    assert plan.aktiviteter[0].aktivitet in text
    for heading in [
        "1 Inledning",
        "2 Nämndens internkontrollarbete",
        "3.2 Riskmatris",
        "3.3 Nettolista risker",
        "4 Årets planerade kontroller",
        "5 Årets planerade aktiviteter",
    ]:
        assert heading in text
    assert (
        "Syftet med intern kontroll är att säkra en effektiv förvaltning" in text
    )  # standard inledning


def test_level_names_come_from_the_scale_only() -> None:
    text = texts(render(load_paper(BOTKYRKA)))
    assert "3 Möjlig" in text and "4 Sannolik" in text
    assert "Stor" not in text.replace("Stockholm", "")  # the seed's wrong "3. Stor" cannot appear
    assert (
        "Sannolikheten bedöms som möjlig eftersom tidigare kontroller har visat på avvikelser"
        in text
    )
    assert (
        "Konsekvensen bedöms som allvarlig eftersom det ytterst handlar om medborgares hälsa och välmående."
        in text
    )


def test_risk_matrix_places_each_risk() -> None:
    document = docx.Document(io.BytesIO(render(load_paper(BOTKYRKA))))
    matrix = next(t for t in document.tables if t.cell(0, 0).text.startswith("Sannolikhet"))
    assert len(matrix.rows) == 5 and len(matrix.columns) == 5
    assert matrix.cell(1, 0).text == "4 Sannolik"  # highest likelihood on top
    assert matrix.cell(1, 3).text == "R2, R3, R7\n12 mycket hög"
    assert matrix.cell(2, 4).text == "R1\n12 mycket hög"
    assert matrix.cell(2, 3).text == "R4, R5, R6\n9 hög"
    fill = matrix.cell(1, 3)._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == "F4A6A6"
    legend = next(
        t
        for t in document.tables
        if t.cell(0, 0).text == "Nivå" and t.cell(0, 1).text == "Riskvärden"
    )
    assert [r.cells[0].text for r in legend.rows[1:]] == ["Låg", "Medel", "Hög", "Mycket hög"]
    assert [r.cells[1].text for r in legend.rows[1:]] == ["1–3", "4–6", "8–9", "12–16"]


def test_wide_tables_are_landscape_with_repeating_headers() -> None:
    data = render(load_paper(BOTKYRKA))
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    sizes = [s.find(f"{W}pgSz") for s in body.iter(f"{W}sectPr")]
    orients = [s.get(f"{W}orient") for s in sizes]
    assert "landscape" in orients and orients[0] is None  # starts upright
    landscape = next(s for s in sizes if s.get(f"{W}orient") == "landscape")
    assert int(landscape.get(f"{W}w")) > int(landscape.get(f"{W}h"))
    titles = [s.find(f"{W}titlePg") is not None for s in body.iter(f"{W}sectPr")]
    assert titles[0] and not any(titles[1:])  # only the first page has its own header
    document = docx.Document(io.BytesIO(data))
    risk_table = next(
        t
        for t in document.tables
        if t.cell(0, 0).text == "Risk" and t.cell(0, 4).text == "Motivering"
    )
    assert risk_table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r._tr.find(f"{W}trPr/{W}cantSplit") is not None for r in risk_table.rows)
    # Risks sorted by value within their område, highest first.
    values = [int(r.cells[3].text.split()[0]) for r in risk_table.rows[1:]]
    assert values == sorted(values, reverse=True)


def test_contents_lists_the_headings() -> None:
    data = render(load_paper(BOTKYRKA))
    document = docx.Document(io.BytesIO(data))
    entries = [p for p in document.paragraphs if p.style.name in {"toc 1", "toc 2"}]
    assert [p.text for p in entries][:6] == [
        "1 Inledning\t",
        "Generellt om intern kontroll\t",  # the introduction's ### headings: level 2
        "Kommunstyrelsens ansvar\t",
        "Nämndernas ansvar\t",
        "2 Nämndens internkontrollarbete\t",
        "3 Riskanalys\t",
    ]
    assert "3.3 Nettolista risker\t" in [p.text for p in entries]
    xml = etree.tostring(entries[0]._p).decode()
    assert "PAGEREF bdtoc1" in xml and 'w:anchor="bdtoc1"' in xml
    body = etree.tostring(document.element.body).decode()
    assert 'w:name="bdtoc1"' in body  # the heading carries the bookmark


def test_no_heading_level_is_skipped() -> None:
    # The text fields that are whole level-1 sections have their ### headings at level 2.
    document = docx.Document(io.BytesIO(render(load_paper(BOTKYRKA))))
    levels = [
        int(p.style.name.split()[-1])
        for p in document.paragraphs
        if p.style.name.startswith("Heading ") and p.text.strip()
    ]
    assert levels[:3] == [1, 2, 2] and 3 in levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_five_by_five() -> None:
    loaded = load_paper(FIVE)
    check(loaded)
    document = docx.Document(io.BytesIO(render(loaded)))
    matrix = next(t for t in document.tables if t.cell(0, 0).text.startswith("Sannolikhet"))
    assert len(matrix.rows) == 6 and len(matrix.columns) == 6
    assert matrix.cell(1, 0).text == "5 Mycket hög" and matrix.cell(0, 5).text == "5 Mycket stor"
    assert matrix.cell(2, 4).text == "R1\n16 mycket hög"
    text = texts(render(loaded))
    assert "Frekvens" in text and "Kontrollansvarig" in text and "Rapporteras till" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "    konsekvens: 3\n    motivering",
                "    konsekvens: 3\n    riskvärde: 8\n    motivering",
            ),
            "risker[0].riskvärde: riskvärdet 8 stämmer inte: sannolikhet 3 × konsekvens 3 = 9",
        ),
        (
            ("    sannolikhet: 2\n", "    sannolikhet: 5\n"),
            "risker[1].sannolikhet: nivån 5 finns inte på sannolikhetsskalan (1–4)",
        ),
        (
            ("  - risk: R1\n    kontroll", "  - risk: R11\n    kontroll"),
            "kontroller[0].risk: det finns ingen risk med id ”R11”; menade du ”R1”?",
        ),
        (("  - id: R2", "  - id: R1"), "risker[1].id: id ”R1” används redan av risk 1"),
        (
            ("  - risk: R1\n    kontroll: Stickprov på fakturor\n", ""),
            "risker[0]: risken R1 har riskvärde 9 (tröskeln är 9) men ingen kontroll",
        ),
    ],
)
def test_plan_rules(write, change: tuple[str, str], expected: str) -> None:
    assert change[0] in PLAN
    messages = problems(write(PLAN.replace(*change)))
    assert any(expected in m for m in messages), messages


def test_reason_instead_of_control(write) -> None:
    text = PLAN.replace("  - risk: R1\n    kontroll: Stickprov på fakturor\n", "").replace(
        "    motivering: {sannolikhet",
        "    utan_kontroll: Revisionen granskar det i år.\n    motivering: {sannolikhet",
    )
    check(load_paper(write(text.replace("kontroller:\n", "kontroller: []\n"))))


def test_threshold_from_profile(folder: Path, write) -> None:
    profile = folder / "beslutsdoc.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "internkontroll:\n  tröskel: 10\n", encoding="utf-8"
    )
    check(
        load_paper(
            write(
                PLAN.replace("  - risk: R1\n    kontroll: Stickprov på fakturor\n", "").replace(
                    "kontroller:\n", "kontroller: []\n"
                )
            )
        )
    )


def test_scale_levels_must_be_contiguous(write) -> None:
    paper = write(
        PLAN
        + "skalor:\n  sannolikhet: {1: {namn: A}, 3: {namn: C}}\n  konsekvens: {1: {namn: A}, 2: {namn: B}}\n"
    )
    with pytest.raises(InputError, match=r"numreras 1, 2, 3 \.\.\. utan luckor"):
        load_paper(paper)


FOLLOW = """\
typ: internkontrolluppföljning
plan: plan.yaml
datum: 2025-12-01
resultat:
  - kontroll: K1
    status: Gul
    resultat: Två fakturor saknade attest.
    åtgärd: Rutinen förtydligas.
"""


def test_follow_up_renders_status_in_words_and_colour(write) -> None:
    write(PLAN, "plan.yaml")
    loaded = load_paper(write(FOLLOW, "uppföljning.yaml"))
    check(loaded)
    document = docx.Document(io.BytesIO(render(loaded)))
    summary = next(t for t in document.tables if t.cell(0, 0).text == "Status")
    assert [[c.text for c in r.cells] for r in summary.rows[1:4]] == [
        ["Grön", "inga brister", "0"],
        ["Gul", "mindre brister", "1"],
        ["Röd", "allvarliga brister", "0"],
    ]
    results = next(t for t in document.tables if t.cell(0, 0).text == "Kontroll")
    assert results.cell(1, 2).text == "Gul\nmindre brister"
    assert results.cell(1, 1).text == "R1. Fakturor attesteras fel. (riskvärde 9, hög)"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("kontroll: K1", "kontroll: K2"),
            "resultat[0].kontroll: det finns ingen kontroll med id ”K2”",
        ),
        (("status: Gul", "status: orange"), "”orange” är ingen status; skriv grön, gul eller röd"),
        (("plan: plan.yaml", "plan: saknas.yaml"), "plan: filen ”saknas.yaml” finns inte"),
    ],
)
def test_follow_up_rules(write, change: tuple[str, str], expected: str) -> None:
    write(PLAN, "plan.yaml")
    paper = write(FOLLOW.replace(*change), "uppföljning.yaml")
    with pytest.raises(InputError) as caught:
        check(load_paper(paper))
    assert expected in str(caught.value)


def test_follow_up_needs_every_control(write) -> None:
    write(
        PLAN.replace(
            "kontroller:\n", "kontroller:\n  - risk: R2\n    kontroll: Granskning av avtal\n"
        ),
        "plan.yaml",
    )
    paper = write(FOLLOW, "uppföljning.yaml")
    assert any("resultat saknas för K2" in m for m in problems(paper))


def test_errors_in_the_plan_point_at_the_plan(write) -> None:
    plan = write(PLAN.replace("    sannolikhet: 2\n", "    sannolikhet: 9\n"), "plan.yaml")
    messages = problems(write(FOLLOW, "uppföljning.yaml"))
    assert any(m.startswith(f"{plan}:") and "nivån 9 finns inte" in m for m in messages)


def test_follow_up_example() -> None:
    loaded = load_paper(FOLLOW_UP)
    check(loaded)
    text = texts(render(loaded))
    assert "Uppföljning av internkontrollplan 2021" in text and "allvarliga brister" in text
