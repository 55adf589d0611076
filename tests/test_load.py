"""Loading YAML: values as written, errors at their file, line and column, in Swedish."""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsdoc.load.paper import find_profile, load_paper
from beslutsdoc.load.source import load_yaml
from beslutsdoc.problems import InputError

from .conftest import PAPER


def problems_of(path: Path, profile: Path | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_paper(path, profile)
    return [str(p) for p in caught.value.problems]


def test_scalars_stay_as_written(tmp_path: Path) -> None:
    source = load_yaml(
        tmp_path / "x.yaml",
        "tid: 18.00\nsvar: nej\nläge: on\ntelefon: 08-530 610 00\ndnr: SN 2020:548\n"
        "tal: 007\ntom:\nnoll: ~\ncitat: 'null'\n",
    )
    assert source.data == {
        "tid": "18.00",
        "svar": "nej",
        "läge": "on",
        "telefon": "08-530 610 00",
        "dnr": "SN 2020:548",
        "tal": "007",
        "tom": None,
        "noll": None,
        "citat": "null",
    }


def test_word_like_values_survive_into_the_model(write) -> None:
    paper = write(
        PAPER.replace("titel: Ett ärende", "titel: nej").replace(
            "telefon: 08-508 251 64", "telefon: 0708-86 13 39"
        )
    )
    model = load_paper(paper).model
    assert model.titel == "nej"
    assert model.handläggare.telefon == "0708-86 13 39"


def test_unknown_key_suggests_the_right_one(write) -> None:
    paper = write(PAPER.replace("sammanfattning:", "sammanfatning:"))
    [message] = problems_of(paper)
    assert message.startswith(f"{paper}:12:1: sammanfatning: okänd nyckel")
    assert "menade du ”sammanfattning”?" in message


def test_unknown_nested_key_points_at_the_key(write) -> None:
    paper = write(PAPER.replace("  epost:", "  e-post:"))
    [message] = problems_of(paper)
    assert f"{paper}:8:3: handläggare.e-post: okänd nyckel ”e-post”; menade du ”epost”?" == message


def test_bad_date_names_value_and_expected_form(write) -> None:
    paper = write(PAPER.replace("datum: 2023-11-07", "datum: 7 nov 2023"))
    [message] = problems_of(paper)
    assert message == (
        f"{paper}:3:8: datum: ”7 nov 2023” är inget giltigt datum;"
        " skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-07"
    )


def test_impossible_date_is_refused(write) -> None:
    paper = write(PAPER.replace("datum: 2023-11-07", "datum: 2023-02-30"))
    assert "”2023-02-30” är inget giltigt datum" in problems_of(paper)[0]


def test_missing_required_field(write) -> None:
    paper = write(PAPER.replace("titel: Ett ärende\n", ""))
    [message] = problems_of(paper)
    assert message.endswith("titel: obligatoriskt fält saknas")
    assert message.startswith(f"{paper}:1:1")  # the top mapping begins at line 1


def test_missing_field_is_reported_where_its_mapping_begins(write) -> None:
    paper = write(
        "# yaml-language-server: $schema=x\n\n" + PAPER.replace("titel: Ett ärende\n", "")
    )
    assert problems_of(paper) == [f"{paper}:3:1: titel: obligatoriskt fält saknas"]
    paper = write(PAPER + "avsnitt:\n  - rubrik: A\n    text: x\n  - text: y\n")
    assert problems_of(paper) == [f"{paper}:16:5: avsnitt[1].rubrik: obligatoriskt fält saknas"]


def test_text_where_a_list_is_expected(write) -> None:
    paper = write(
        PAPER.replace(
            "förslag_till_beslut:\n  - Socialnämnden godkänner tjänsteutlåtandet.",
            "förslag_till_beslut: Socialnämnden godkänner tjänsteutlåtandet.",
        )
    )
    [message] = problems_of(paper)
    assert "förslag_till_beslut: ska vara en lista" in message
    assert ":10:22:" in message


def test_empty_decision_list_is_refused(write) -> None:
    paper = write(
        PAPER.replace(
            "förslag_till_beslut:\n  - Socialnämnden godkänner tjänsteutlåtandet.",
            "förslag_till_beslut: []",
        )
    )
    assert "förslag_till_beslut: får inte vara tom; minst en punkt behövs" in problems_of(paper)[0]


def test_empty_value_is_refused(write) -> None:
    paper = write(PAPER.replace("titel: Ett ärende", "titel:"))
    assert problems_of(paper)[0].endswith("titel: får inte vara tomt")


def test_all_problems_at_once(write) -> None:
    paper = write(
        PAPER.replace("datum: 2023-11-07", "datum: igår").replace("titel: Ett", "rubrik: Ett")
    )
    assert len(problems_of(paper)) == 3  # bad date, unknown key, missing titel


def test_a_misspelt_key_is_one_problem_not_also_a_missing_one(write) -> None:
    paper = write(PAPER.replace("datum: 2023-11-07", "datum: igår").replace("titel:", "tittel:"))
    messages = problems_of(paper)
    assert len(messages) == 2  # bad date, and tittel: menade du titel?
    assert not any("saknas" in m for m in messages)


def test_duplicate_key(write) -> None:
    paper = write(PAPER + "titel: Igen\n")
    [message] = problems_of(paper)
    assert message == f"{paper}:13:1: titel: nyckeln ”titel” förekommer två gånger"


def test_yaml_syntax_error_in_swedish(write) -> None:
    paper = write("typ: tjänsteutlåtande\ntitel: Ett: ärende\n")
    [message] = problems_of(paper)
    assert message.startswith(f"{paper}:2:")
    assert "ogiltig YAML" in message and "citattecken" in message


def test_unknown_type_suggests(write) -> None:
    paper = write("typ: tjänsteutlåtnde\n")
    assert problems_of(paper) == [
        f"{paper}:1:6: typ: okänd dokumenttyp ”tjänsteutlåtnde”; menade du ”tjänsteutlåtande”?"
    ]


def test_missing_type(write) -> None:
    paper = write("titel: x\n")
    assert "nyckeln ”typ” saknas" in problems_of(paper)[0]


def test_missing_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "finns-inte.yaml") == [
        f"{tmp_path / 'finns-inte.yaml'}: filen finns inte"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    paper = tmp_path / "latin1.yaml"
    paper.write_bytes("titel: Ärende\n".encode("latin-1"))
    assert "inte UTF-8" in problems_of(paper)[0]


def test_profile_found_in_parent_folder(folder: Path, write) -> None:
    paper = write(PAPER, "a/b/paper.yaml")
    assert find_profile(paper.parent) == folder / "beslutsdoc.yaml"
    model = load_paper(paper).model
    assert model.kommun == "Testkommun"
    assert model.diarienummermönster == "SN {år}:{nummer}"


def test_paper_key_wins_over_profile(write) -> None:
    paper = write(PAPER + "nämnd: Kommunstyrelsen\nkontakt:\n  webb: www.annan.se\n")
    model = load_paper(paper).model
    assert model.nämnd == "Kommunstyrelsen"
    assert model.kontakt.webb == "www.annan.se"
    assert model.kontakt.postadress == "Testkommun, 100 00 Teststad"  # merged, not replaced


def test_profile_option_overrides(tmp_path: Path, write) -> None:
    other = tmp_path / "annan.yaml"
    other.write_text("kommun: Annan kommun\nnämnd: Nämnden\n", encoding="utf-8")
    assert load_paper(write(PAPER), other).model.kommun == "Annan kommun"


def test_error_in_profile_points_at_profile(folder: Path, write) -> None:
    (folder / "beslutsdoc.yaml").write_text("kommun: X\nnämd: Y\n", encoding="utf-8")
    [message] = problems_of(write(PAPER))
    assert message.startswith(f"{folder / 'beslutsdoc.yaml'}:2:1: nämd: okänd nyckel")
    assert "menade du ”nämnd”?" in message


def test_bad_dnr_pattern_in_profile(folder: Path, write) -> None:
    (folder / "beslutsdoc.yaml").write_text('nämnd: X\ndiarienummer: "SN {år}"\n', encoding="utf-8")
    [message] = problems_of(write(PAPER))
    assert ":2:15: diarienummer: ”SN {år}” är inget giltigt diarienummermönster" in message


def test_paper_without_profile_renders_its_own_keys(tmp_path: Path) -> None:
    paper = tmp_path / "ensam.yaml"
    paper.write_text("kommun: K\nnämnd: N\n" + PAPER, encoding="utf-8")
    assert load_paper(paper).model.nämnd == "N"


def test_comma_in_flow_mapping_text_is_an_error_that_shows_the_fix(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    with pytest.raises(InputError) as caught:
        load_yaml(file, "a: {namn: X, beskrivning: Hög risk, mycket troligt}\n")
    [problem] = caught.value.problems
    # At the comma, naming the value and how to write it.
    assert str(problem) == (
        f"{file}:1:35: a.beskrivning: kommatecknet delar värdet i en {{…}}-mappning;"
        ' sätt texten inom citattecken: beskrivning: "Hög risk, mycket troligt"'
    )


def test_quoted_comma_and_key_without_value_stay_as_written(tmp_path: Path) -> None:
    source = load_yaml(
        tmp_path / "x.yaml",
        'a: {namn: X, beskrivning: "Hög risk, mycket troligt"}\nb: {namn: Y, titel}\n',
    )
    assert source.data["a"] == {"namn": "X", "beskrivning": "Hög risk, mycket troligt"}
    assert source.data["b"] == {"namn": "Y", "titel": None}  # a key without spaces stays a key
