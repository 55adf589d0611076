"""A meeting with its papers: loading, checks, and the protocol with its extracts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdf
import pytest

from beslutsdoc.api import meeting as load_meeting  # loaded and checked
from beslutsdoc.problems import InputError

PAPER = """\
typ: tjänsteutlåtande
diarienummer: SN 2021:12
datum: 2021-01-10
sammanträde: 2021-01-26
handläggare: {namn: Eva Exempel}
titel: Ombud för nämnden
förslag_till_beslut: [Socialnämnden utser ombud.]
sammanfattning: Nämnden behöver ombud.
bilagor:
  - titel: Ansökningsblankett
    fil: blankett.pdf
"""

MEETING = """\
typ: sammanträde
datum: 2021-01-26
tid: "18.00"
plats: Munkhättevägen 49
ordförande: Anna Andersson
sekreterare: {namn: Fredrik Falk, titel: nämndsekreterare}
första_paragraf: 7
närvarande:
  beslutande:
    - {ledamot: Anna Andersson (S), roll: ordförande}
    - {ledamot: Bo Berglund (V), ersätter: Cecilia Carlsson (V)}
    - David Dahlberg (M)
  ersättare: [Eva Ekström (C)]
  övriga: ["Fredrik Falk, sekreterare"]
justering:
  justerare: [David Dahlberg (M)]
  datum: 2021-02-02
  plats: Socialförvaltningen
ärenden:
  - handlingar: [ombud/tjänsteutlåtande.yaml, ombud/blankett.pdf]
    beslut: [Socialnämnden utser ombud.]
    yrkanden:
      - av: [Anna Andersson (S)]
        bifall_till: förvaltningens förslag
      - av: [David Dahlberg (M)]
        att_satser: [att avslå förslaget]
    omröstning:
      ja_innebär: förvaltningens förslag
      nej_innebär: M:s yrkande
      ja: [Anna Andersson (S), Bo Berglund (V)]
      nej: [David Dahlberg (M)]
    reservationer:
      - av: [David Dahlberg (M)]
        till_förmån_för: det egna yrkandet
    expedieras_till: [Kommunstyrelsen]
  - titel: Förvaltningschefen informerar
    information: true
"""


@pytest.fixture
def meeting(folder: Path) -> Path:
    return write_meeting(folder)


def write_meeting(folder: Path) -> Path:
    """The meeting above in `folder`, with its paper and a one-page PDF attachment."""
    (folder / "ombud").mkdir()
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(PAPER, encoding="utf-8")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    with (folder / "ombud" / "blankett.pdf").open("wb") as out:
        writer.write(out)
    path = folder / "sammanträde.yaml"
    path.write_text(MEETING, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_meeting(path)
    return [str(p) for p in caught.value.problems]


def texts(path: Path) -> list[str]:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    return [p.text.replace("\u00a0", " ") for p in document.paragraphs]


def test_meeting_loads_its_papers(meeting: Path) -> None:
    loaded = load_meeting(meeting)
    first = loaded.items[0]
    assert (
        first.tjänsteutlåtande is not None and first.tjänsteutlåtande.titel == "Ombud för nämnden"
    )
    assert [p.path.name for p in first.parts if p.paper is None] == ["blankett.pdf"]


def test_protocol_and_extracts(cli, meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    run = cli("protokoll", meeting, "-o", out)
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == [
        "protokoll.docx",
        "protokollsutdrag-7.docx",
        "protokollsutdrag-8.docx",
    ]
    protocol = texts(out / "protokoll.docx")
    # Title and Dnr come from the tjänsteutlåtande, entered once.
    assert "§ 7 Ombud för nämnden" in protocol and "Dnr SN 2021:12" in protocol
    assert "§ 8 Förvaltningschefen informerar" in protocol
    assert "Informationen noteras till protokollet." in protocol
    assert (
        "Med 2 ja-röster mot 1 nej-röst beslutar nämnden enligt förvaltningens förslag." in protocol
    )
    assert (
        "Tjänsteskrivelse 2021-01-10" not in protocol and "Tjänsteutlåtande 2021-01-10" in protocol
    )
    assert "Bilaga: Ansökningsblankett" in protocol
    cover = docx.Document(io.BytesIO((out / "protokoll.docx").read_bytes()))
    cells = [c.text for t in cover.tables for c in t._cells]
    assert "Bo Berglund (V), ersätter Cecilia Carlsson (V)" in "\n".join(cells)
    assert "Anna Andersson (S), ordförande" in "\n".join(cells)
    assert (
        "2021-02-02" in cells and "2021-02-23" in cells
    )  # anslag up at justering, down 3 weeks later
    assert "§§ 7–8" in [c.replace("\u00a0", " ") for c in cells]


def test_extracts_equal_the_protocols_paragraphs(cli, meeting: Path, tmp_path: Path) -> None:
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    protocol = texts(tmp_path / "protokoll.docx")
    start = protocol.index("§ 7 Ombud för nämnden")
    end = protocol.index("§ 8 Förvaltningschefen informerar")
    extract = texts(tmp_path / "protokollsutdrag-7.docx")
    assert extract[: end - start] == protocol[start:end]
    assert [t for t in extract[end - start :] if t] == []  # only the justering table follows


def test_paper_error_reported_with_its_own_file(meeting: Path) -> None:
    paper = meeting.parent / "ombud" / "tjänsteutlåtande.yaml"
    paper.write_text(PAPER.replace("datum: 2021-01-10", "datum: 2021-13-10"), encoding="utf-8")
    messages = problems(meeting)
    assert messages == [
        f"{paper}:3:8: datum: ”2021-13-10” är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-07"
    ]


def test_every_problem_at_once(meeting: Path) -> None:
    meeting.write_text(
        MEETING.replace("ombud/blankett.pdf]", "ombud/saknas.pdf, ombud/anteckning.txt]"),
        encoding="utf-8",
    )
    (meeting.parent / "ombud" / "tjänsteutlåtande.yaml").write_text(
        PAPER.replace("sammanträde: 2021-01-26", "sammanträde: 2021-02-23"), encoding="utf-8"
    )
    messages = problems(meeting)
    assert len(messages) == 3
    assert any("ärende 1: filen ”ombud/saknas.pdf” finns inte" in m for m in messages)
    assert any(
        "”ombud/anteckning.txt” är varken en handling (.yaml) eller en bilaga (.pdf eller .docx)"
        in m
        for m in messages
    )
    assert any(
        "handlingen hör till sammanträdet 2021-02-23" in m and "tjänsteutlåtande.yaml:4:14" in m
        for m in messages
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "  - titel: Förvaltningschefen informerar",
                "  - titel: Förvaltningschefen informerar\n    paragraf: 7",
            ),
            "ärenden[1]: ärende 2 får § 7, som ärende 1 redan har",
        ),
        (
            (
                "      ja: [Anna Andersson (S), Bo Berglund (V)]",
                "      ja: [Anna Andersson (S), Gustav Gran (V)]",
            ),
            "Gustav Gran (V) röstar men är inte bland de beslutande",
        ),
        (
            (
                "  plats: Socialförvaltningen\n",
                "  plats: Socialförvaltningen\nanslag:\n  datum: 2021-02-05\n",
            ),
            "anslag.datum: anslaget 2021-02-05 ska sättas upp senast andra dagen efter justeringen 2021-02-02",
        ),
        (
            ("  datum: 2021-02-02", "  datum: 2021-01-25"),
            "justering.datum: justeringen 2021-01-25 är före sammanträdet 2021-01-26",
        ),
    ],
)
def test_meeting_rules(meeting: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in MEETING
    meeting.write_text(MEETING.replace(*change), encoding="utf-8")
    messages = problems(meeting)
    assert any(expected in m for m in messages), messages


def test_protocol_needs_decisions_and_justering(cli, meeting: Path) -> None:
    meeting.write_text(
        re.sub(r"justering:\n(  .*\n)+", "", MEETING).replace(
            "    beslut: [Socialnämnden utser ombud.]\n", ""
        ),
        encoding="utf-8",
    )
    run = cli("protokoll", meeting)
    assert run.code == 1
    assert "protokollet behöver ”justering:”" in run.err
    assert "ärende 1 saknar beslut" in run.err
    assert not (meeting.parent / "protokoll.docx").exists()


def test_plain_render_of_a_meeting_says_what_to_use(cli, meeting: Path) -> None:
    run = cli("render", meeting)
    assert run.code == 1 and "beslutsdoc protokoll" in run.err


def test_stockholm_example_extract_validates(cli) -> None:
    from .conftest import EXAMPLES

    assert (
        cli("validate", EXAMPLES / "stockholm" / "sof-2023-553" / "protokollsutdrag.yaml").code == 0
    )


def test_tie_goes_the_same_way_in_protocol_and_extract(cli, meeting: Path, tmp_path: Path) -> None:
    # The chair is named only as the meeting's ordförande, not by roll.
    tie = (
        MEETING.replace("{ledamot: Anna Andersson (S), roll: ordförande}", "Anna Andersson (S)")
        .replace("      nej: [David Dahlberg (M)]", "      nej: [David Dahlberg (M), Erik Ek (M)]")
        .replace("    - David Dahlberg (M)\n", "    - David Dahlberg (M)\n    - Erik Ek (M)\n")
    )
    meeting.write_text(tie, encoding="utf-8")
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    sentence = "Med 2 ja-röster mot 2 nej-röster och ordförandens utslagsröst beslutar nämnden enligt förvaltningens förslag."
    assert sentence in texts(tmp_path / "protokoll.docx")
    assert sentence in texts(tmp_path / "protokollsutdrag-7.docx")


def test_item_without_own_title_takes_its_documents(cli, meeting: Path, tmp_path: Path) -> None:
    meeting.write_text(
        MEETING.replace(
            "  - titel: Förvaltningschefen informerar\n    information: true\n",
            "  - handlingar: [ombud/blankett.pdf]\n    beslut: [Nämnden noterar.]\n",
        ),
        encoding="utf-8",
    )
    run = cli("protokoll", meeting, "-o", tmp_path)
    assert run.code == 0, run.err
    assert "§ 8 Blankett" in texts(tmp_path / "protokoll.docx")


def test_roles_stay_with_names_and_the_chair_signs(cli, meeting: Path, tmp_path: Path) -> None:
    meeting.write_text(
        MEETING.replace(
            '  övriga: ["Fredrik Falk, sekreterare"]',
            '  övriga: ["Fredrik Falk, sekreterare", Gun Ek]',
        ).replace("ordförande: Anna Andersson\n", "ordförande: Niklas Gladh\n"),
        encoding="utf-8",
    )
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    cover = docx.Document(io.BytesIO((tmp_path / "protokoll.docx").read_bytes()))
    cells = "\n".join(c.text for t in cover.tables for c in t._cells)
    assert "Fredrik Falk, sekreterare\nGun Ek" in cells
    # The one who chaired (roll: ordförande) signs, not the name in the notice.
    assert "Anna Andersson" in cells.split("Ordförande")[1] and "Niklas Gladh" not in cells


@pytest.mark.parametrize(
    ("written", "printed"), [("18", "18.00"), ("18:30", "18.30"), ("9.05", "09.05")]
)
def test_times_are_printed_the_swedish_way(meeting: Path, written: str, printed: str) -> None:
    meeting.write_text(MEETING.replace('tid: "18.00"', f'tid: "{written}"'), encoding="utf-8")
    assert load_meeting(meeting).model.tid == printed


def test_a_time_that_is_not_one(meeting: Path) -> None:
    meeting.write_text(MEETING.replace('tid: "18.00"', "tid: sex"), encoding="utf-8")
    assert any(
        ":3:6: tid: ”sex” är inget klockslag; skriv till exempel 18.00" in m
        for m in problems(meeting)
    )


def test_validate_checks_a_meetings_items(cli, meeting: Path) -> None:
    (meeting.parent / "ombud" / "blankett.pdf").unlink()
    run = cli("validate", meeting)
    assert run.code == 1 and "filen ”ombud/blankett.pdf” finns inte" in run.err


def test_reported_lists_are_in_the_minutes(cli, meeting: Path, tmp_path: Path) -> None:
    meeting.write_text(
        MEETING.replace(
            "  - titel: Förvaltningschefen informerar\n    information: true\n",
            "  - titel: Anmälan av delegationsbeslut\n    beslut: [Nämnden har tagit del av informationen.]\n"
            "    delegationsbeslut:\n      - delegat: Socialdirektör\n        slag: Beslut om serveringstillstånd\n"
            "        beslut: [{ärende: Café Ek, diarienummer: SN 2020:147}]\n",
        ),
        encoding="utf-8",
    )
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    extract = texts(tmp_path / "protokollsutdrag-8.docx")
    assert extract[extract.index("Delegationsbeslut") + 1 :][:3] == [
        "Socialdirektör",
        "Beslut om serveringstillstånd",
        "Café Ek (SN 2020:147)",
    ]


def test_a_paragraph_checked_at_the_meeting(cli, meeting: Path, tmp_path: Path) -> None:
    meeting.write_text(
        MEETING.replace(
            "    expedieras_till: [Kommunstyrelsen]\n",
            "    expedieras_till: [Kommunstyrelsen]\n    omedelbart_justerad: true\n",
        ),
        encoding="utf-8",
    )
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    extract = texts(tmp_path / "protokollsutdrag-7.docx")
    assert "Paragrafen förklarades omedelbart justerad." in extract
    cells = [
        c.text
        for t in docx.Document(
            io.BytesIO((tmp_path / "protokollsutdrag-7.docx").read_bytes())
        ).tables
        for c in t._cells
    ]
    assert any(c.startswith("Justerat 2021-01-26") for c in cells)  # the meeting's day
    later = [
        c.text
        for t in docx.Document(
            io.BytesIO((tmp_path / "protokollsutdrag-8.docx").read_bytes())
        ).tables
        for c in t._cells
    ]
    assert any(c.startswith("Justerat 2021-02-02") for c in later)
