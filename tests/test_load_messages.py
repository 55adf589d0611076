"""The loader's messages lead to the fix: at the place to change, saying what to do."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from beslutsdoc.load.paper import load_paper
from beslutsdoc.load.source import load_yaml
from beslutsdoc.problems import MAX_PROBLEMS, InputError, Omitted, Position, Problem

from .conftest import PAPER

TAB = "ogiltig YAML: tabb i indraget; använd mellanslag"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_paper(path)
    return [str(p) for p in caught.value.problems]


def yaml_problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_yaml(tmp_path / "x.yaml", text)
    return caught.value.problems


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a:\n\tb: 1\n", 2, 1),  # a nested key indented by a tab
        ("a:\n  b:\n\t\tc: 1\n", 3, 1),  # deeper
        ("a:\n  b: 1\n \tc: 2\n", 3, 2),  # spaces, then a tab
        ("a:\n\t- x\n", 2, 1),  # a list item
        ("a: |\n  rad ett\n\trad två\n", 3, 1),  # a line of a | block
        ("a:\n  b: |\n    x\n  \ty\n", 4, 3),  # inside a nested block, after spaces
    ],
)
def test_a_tab_in_the_indentation_says_so_at_the_tab(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    [problem] = yaml_problems(tmp_path, text)
    assert problem.message == TAB
    assert problem.position == Position(tmp_path / "x.yaml", line, column)


def test_a_tab_inside_block_text_is_text(tmp_path: Path) -> None:
    source = load_yaml(tmp_path / "x.yaml", "a: |\n  rad ett\n  \tindraget\n")
    assert source.data == {"a": "rad ett\n\tindraget\n"}


def test_a_missing_colon_is_reported_on_its_own_line_naming_the_text(tmp_path: Path) -> None:
    text = "".join(f"k{i}: {i}\n" for i in range(1, 8)) + "hej svejs\nk9: 9\n"
    [problem] = yaml_problems(tmp_path, text)
    assert problem.position == Position(tmp_path / "x.yaml", 8, 1)
    assert "kolon (:) saknas efter ”hej svejs”" in problem.message


def test_a_missing_colon_in_a_paper(write) -> None:
    paper = write(PAPER.replace("  epost: sofia", "  epost sofia"))
    [message] = problems_of(paper)
    assert message.startswith(f"{paper}:8:3: ogiltig YAML: kolon (:) saknas efter ”epost ")


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, 'a: x\nb: "öppen\nc: d\n')
    assert problem.position == Position(tmp_path / "x.yaml", 2, 4)
    assert "citattecken" in problem.message


def test_a_misspelt_key_gives_one_problem(write) -> None:
    paper = write(PAPER.replace("förslag_till_beslut:", "förslag_till_beslt:"))
    assert problems_of(paper) == [
        f"{paper}:10:1: förslag_till_beslt: okänd nyckel ”förslag_till_beslt”;"
        " menade du ”förslag_till_beslut”?"
    ]


def test_a_misspelt_nested_key_gives_one_problem(write) -> None:
    paper = write(PAPER.replace("  namn: Sofia", "  nman: Sofia"))
    assert problems_of(paper) == [
        f"{paper}:6:3: handläggare.nman: okänd nyckel ”nman”; menade du ”namn”?"
    ]


def test_a_missing_field_is_reported_at_its_mapping(write) -> None:
    paper = write(PAPER.replace("  namn: Sofia Linder\n", ""))
    assert problems_of(paper) == [f"{paper}:5:1: handläggare.namn: obligatoriskt fält saknas"]
    flow = write(PAPER + "avsnitt: [{rubrik: A, text: x}, {text: y}]\n")
    assert problems_of(flow) == [f"{flow}:13:33: avsnitt[1].rubrik: obligatoriskt fält saknas"]


def test_decomposed_letters_are_normalised(write) -> None:
    # macOS writes ä as a + U+0308; it must be the same key and the same document type.
    decomposed = unicodedata.normalize("NFD", PAPER)
    assert decomposed != PAPER
    model = load_paper(write(decomposed)).model
    assert model.typ == "tjänsteutlåtande"
    assert model.förslag_till_beslut == ["Socialnämnden godkänner tjänsteutlåtandet."]


def test_a_decomposed_letter_counts_as_one_column(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, unicodedata.normalize("NFD", "å: ä: ö\n"))
    assert problem.position == Position(tmp_path / "x.yaml", 1, 5)


def test_a_nul_byte_is_reported_with_its_position(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes("a: ett\nb: två\x00tre\n".encode())
    with pytest.raises(InputError) as caught:
        load_yaml(file)
    [problem] = caught.value.problems
    assert problem.position == Position(file, 2, 7)
    assert "otillåtet tecken (NUL)" in problem.message


def test_control_characters_each_kind_once_per_line(tmp_path: Path) -> None:
    problems = yaml_problems(tmp_path, "a: \x01\x01\x02\nb: ok\nc: \x01\n")
    assert [(p.position.line, p.position.column, p.repeats) for p in problems if p.position] == [
        (1, 4, 1),
        (1, 6, 0),
        (3, 4, 0),
    ]
    assert "U+0001" in problems[0].message


def test_a_quarter_million_nul_bytes_on_one_line_are_one_problem(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, "a: " + "\x00" * 250_000 + "\n")
    assert str(problem).endswith("(… och 249 999 fel till av samma slag)")


def test_identical_problems_on_one_line_are_counted_not_repeated(tmp_path: Path) -> None:
    at = Position(tmp_path / "x.yaml", 3, 1)
    error = InputError([Problem("ska vara text", at, ("a", i)) for i in range(25_000)])
    [problem] = error.problems
    assert str(problem).endswith("(… och 24 999 fel till av samma slag)")
    # Two fields with the same message on one line are two problems.
    both = InputError([Problem("saknas", at, ("kommun",)), Problem("saknas", at, ("nämnd",))])
    assert len(both.problems) == 2


def test_problems_beyond_the_cap_are_counted(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    error = InputError([Problem(f"fel {i}", Position(file, i + 1, 1)) for i in range(250)])
    assert len(error.problems) == MAX_PROBLEMS + 1
    assert str(error.problems[-1]) == f"… och 150 fel till (de första {MAX_PROBLEMS} visas)"
    # Errors from several files, joined again, keep their count.
    again = InputError([*error.problems, Problem("annat", file=file)])
    assert isinstance(again.problems[-1], Omitted) and again.problems[-1].repeats == 151


def test_a_split_role_is_an_error_at_the_role(folder: Path) -> None:
    meeting = folder / "sammanträde.yaml"
    meeting.write_text(
        "typ: sammanträde\ndatum: 2021-01-26\ntid: '18.00'\nplats: Rummet\n"
        "ordförande: Anna Andersson\nsekreterare: {namn: Fredrik Falk}\n"
        "ärenden:\n  - {titel: Information, information: true}\n"
        "närvarande:\n  övriga: [Fredrik Falk, sekreterare, af Klercker]\n",
        encoding="utf-8",
    )
    assert problems_of(meeting) == [
        f"{meeting}:10:26: närvarande.övriga[1]: ”sekreterare” är skilt från ”Fredrik Falk”"
        ' av kommatecknet i […]; sätt hela posten inom citattecken: "Fredrik Falk, sekreterare"'
    ]
    fixed = meeting.read_text(encoding="utf-8").replace(
        "[Fredrik Falk, sekreterare,", '["Fredrik Falk, sekreterare",'
    )
    meeting.write_text(fixed, encoding="utf-8")
    model = load_paper(meeting).model
    assert model.närvarande.övriga == ["Fredrik Falk, sekreterare", "af Klercker"]


def test_a_second_document_is_an_error(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, "a: 1\n---\nb: 2\n")
    assert problem.position == Position(tmp_path / "x.yaml", 2, 1)
    assert "mer än ett YAML-dokument" in problem.message


def test_alias_problems(tmp_path: Path) -> None:
    [unknown] = yaml_problems(tmp_path, "a: *saknas\n")
    assert unknown.message == "okänt YAML-alias ”*saknas”"
    [swedish] = yaml_problems(tmp_path, "a: &å x\n")
    assert "a–z" in swedish.message
    [itself] = yaml_problems(tmp_path, "a: &x [1, *x]\n")
    assert itself.message == "ett YAML-alias pekar på sig självt"
    assert itself.path == ("a", 1)


def test_an_alias_keeps_values_and_positions(tmp_path: Path) -> None:
    source = load_yaml(tmp_path / "x.yaml", "a: &x\n  b: [1, 2]\nc: *x\n")
    assert source.data == {"a": {"b": ["1", "2"]}, "c": {"b": ["1", "2"]}}
    assert source.data["c"] is not source.data["a"]
    assert source.values[("c", "b", 1)] == Position(tmp_path / "x.yaml", 2, 10)
    assert source.keys[("c", "b")] == Position(tmp_path / "x.yaml", 2, 3)


def test_without_a_profile_the_message_names_it_and_the_folders_searched(tmp_path: Path) -> None:
    folder = tmp_path / "ärenden" / "2024"
    folder.mkdir(parents=True)
    paper = folder / "paper.yaml"
    paper.write_text(PAPER, encoding="utf-8")
    searched = ", ".join(str(f) for f in [folder, *folder.parents][:-1])
    messages = problems_of(paper)
    assert len(messages) == 2
    for key, message in zip(("kommun", "nämnd"), messages, strict=True):
        assert message == (
            f"{paper}:1:1: {key}: obligatoriskt fält saknas; ingen profil (beslutsdoc.yaml)"
            f" hittades i {searched} och /; lägg profilen i någon av mapparna eller skriv"
            f" ”{key}: ...” i handlingen"
        )


def test_with_a_profile_a_missing_field_has_no_profile_hint(write) -> None:
    paper = write(PAPER.replace("titel: Ett ärende\n", ""))
    assert problems_of(paper) == [f"{paper}:1:1: titel: obligatoriskt fält saknas"]


def test_an_unclosed_bracket_is_reported_where_it_opens(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, "a: x\nb: [ett, två\nc: 2\n")
    assert problem.position == Position(tmp_path / "x.yaml", 2, 4)
    assert problem.message.startswith("ogiltig YAML: ”[” här avslutas inte med ”]” (rad 3)")


def test_two_commas_in_one_text_are_one_problem_with_the_whole_text(tmp_path: Path) -> None:
    [problem] = yaml_problems(tmp_path, "a: {b: x, y z, w v, c: d}\n")
    assert problem.position == Position(tmp_path / "x.yaml", 1, 9)
    assert problem.message.endswith('sätt texten inom citattecken: b: "x, y z, w v"')


def test_a_profile_key_missing_from_both_says_where_to_write_it(folder: Path, write) -> None:
    profile = folder / "beslutsdoc.yaml"
    profile.write_text("kommun: Testkommun\n", encoding="utf-8")
    paper = write(PAPER)
    assert problems_of(paper) == [
        f"{paper}:1:1: nämnd: obligatoriskt fält saknas; skriv ”nämnd: ...” i profilen"
        f" {profile} eller i handlingen"
    ]
