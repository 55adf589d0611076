"""Domain checks beyond types: each refuses what it must and lets good input through."""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsdoc.check.placeholders import placeholders_in
from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.model.diarienummer import DiarienummerError, DiarienummerMönster
from beslutsdoc.problems import InputError

from .conftest import PAPER


def problems(path: Path) -> list[str]:
    loaded = load_paper(path)
    with pytest.raises(InputError) as caught:
        check(loaded)
    return [str(p) for p in caught.value.problems]


def test_good_paper_passes(write) -> None:
    check(load_paper(write(PAPER)))


def test_dnr_must_follow_the_pattern(write) -> None:
    paper = write(PAPER.replace("SN 2023:553", "SN/2023:553"))
    assert problems(paper) == [
        f"{paper}:2:15: diarienummer: ”SN/2023:553” följer inte nämndens diarienummermönster"
        " ”SN {år}:{nummer}” (till exempel ”SN 2023:553”)"
    ]


def test_paper_dated_after_its_meeting(write) -> None:
    paper = write(PAPER.replace("datum: 2023-11-07", "datum: 2023-12-13"))
    [message] = problems(paper)
    assert message.startswith(
        f"{paper}:3:8: datum: datumet 2023-12-13 är efter sammanträdet 2023-12-12"
    )


def test_paper_dated_on_meeting_day_is_fine(write) -> None:
    check(load_paper(write(PAPER.replace("datum: 2023-11-07", "datum: 2023-12-12"))))


def test_mandatory_sections(folder: Path, write) -> None:
    profile = folder / "beslutsdoc.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8")
        + "tjänsteutlåtande:\n  obligatoriska_avsnitt: [Ärendet, Barnkonsekvensanalys]\n",
        encoding="utf-8",
    )
    paper = write(PAPER + "avsnitt:\n  - rubrik: ärendet\n    text: Text.\n")
    [message] = problems(paper)  # "ärendet" matches regardless of case; the other is missing
    assert message == (
        f"{paper}:13:1: avsnitt: avsnittet ”Barnkonsekvensanalys” saknas;"
        " nämndens profil kräver det (obligatoriska_avsnitt)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "har utbildats i xx timmar",
        "xxx kommuns",
        "XXX",
        "se [...] nedan",
        "se […]",
        "TODO: skriv klart",
        "Sms·/HandläggareMobilTelefon/",
        "«Namn»",
    ],
)
def test_placeholders_are_refused(write, text: str) -> None:
    paper = write(PAPER.replace("Kort sammanfattning.", f"'{text}'"))
    [message] = problems(paper)
    assert "sammanfattning: texten innehåller platshållaren" in message


@pytest.mark.parametrize(
    "text",
    [
        "Exxon och taxxa",
        "Boxxer",
        "storlek XXL",
        "https://www.test.se/HandlaggareInfo/sida",
        "1 127 386 kr",
        "a/b/c",
    ],
)
def test_ordinary_text_is_not_a_placeholder(text: str) -> None:
    assert list(placeholders_in(text)) == []


def test_placeholder_position_inside_long_text(write) -> None:
    paper = write(
        PAPER.replace(
            "sammanfattning: Kort sammanfattning.",
            "sammanfattning: |\n  Första raden.\n\n  Tredje raden, TODO.\n",
        )
    )
    assert problems(paper) == [
        f"{paper}:15:17: sammanfattning: texten innehåller platshållaren ”TODO”;"
        " skriv in den riktiga uppgiften"
    ]


def test_diarienummer_short_and_padded() -> None:
    padded = DiarienummerMönster.compile("SN {år}:{nummer:05}")
    assert str(padded.parse("SN 2021:1")) == "SN 2021:00001"
    assert str(padded.parse("SN 2021:00001")) == "SN 2021:00001"
    plain = DiarienummerMönster.compile("SOF {år}/{nummer}")
    assert str(plain.parse("SOF 2023/553-1")) == "SOF 2023/553-1"
    dnr = DiarienummerMönster.compile("KS-{år}/{nummer}.912").parse("KS-2014/742.912")
    assert (dnr.år, dnr.nummer) == (2014, 742)
    reverse = DiarienummerMönster.compile("{år}/KS {nummer:04}")
    assert str(reverse.parse("2023/KS 362")) == "2023/KS 0362"


@pytest.mark.parametrize(
    "pattern", ["SN {år}", "SN {nummer}", "SN {år}:{nummer}{år}", "SN {ar}:{nummer}"]
)
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(DiarienummerError):
        DiarienummerMönster.compile(pattern)


def test_dnr_not_matching() -> None:
    with pytest.raises(DiarienummerError, match="följer inte"):
        DiarienummerMönster.compile("SN {år}:{nummer}").parse("SN 2021-1")


def test_personnummer_is_refused(write) -> None:
    paper = write(PAPER.replace("Kort sammanfattning.", "Gäller 19811218-9876 i ärendet."))
    [message] = problems(paper)
    assert message.startswith(
        f"{paper}:12:24: sammanfattning: texten innehåller vad som ser ut som ett personnummer"
        " (”19811218-9876”); nämndhandlingar är allmänna och ska inte ha personnummer"
    )


@pytest.mark.parametrize(
    "written",
    ["198112189876", "811218-9876", "811218+9876", "811218 9876", "8112189876", "19811278-9873"],
)
def test_personnummer_in_every_form_is_refused(write, written: str) -> None:
    paper = write(PAPER.replace("Kort sammanfattning.", f"Gäller {written} i ärendet."))
    [message] = problems(paper)
    assert f"(”{written}”)" in message and ":12:24:" in message


def test_personnummer_in_a_secret_section_is_the_originals(write) -> None:
    text = (
        PAPER.replace("Kort sammanfattning.", "Se utredningen.")
        + "avsnitt:\n  - rubrik: Utredning\n    sekretess: 26 kap. 1 § OSL\n"
        + "    text: Barnet 19811218-9876 placeras.\n"
    )
    check(load_paper(write(text)))


@pytest.mark.parametrize(
    "text",
    [
        "Org.nr 212000-2882",
        "tfn 08-530 610 00",
        "tfn 0701234567",
        "faktura 202301-0001",
        "19811218-9875",
        "SOF 2023/553-1",
        "1 127 386 kronor",
        "Dnr KS-2014/742.912",
    ],
)
def test_numbers_that_are_not_personnummer(write, text: str) -> None:
    check(load_paper(write(PAPER.replace("Kort sammanfattning.", text))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'Se fotnot.[^9]'", "fotnoten [^9] saknar sin text"),
        ("'Karta: ![karta](karta.png)'", "bilder kan inte stå i texten"),
    ],
)
def test_text_format_mistakes(write, text: str, expected: str) -> None:
    paper = write(PAPER.replace("Kort sammanfattning.", text))
    [message] = problems(paper)
    assert expected in message and message.startswith(f"{paper}:12:")
