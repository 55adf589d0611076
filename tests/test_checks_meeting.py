"""The checks of a whole meeting (check/meeting.py) and the order problems are told in."""

from __future__ import annotations

from pathlib import Path

import pytest

import beslutsdoc
from beslutsdoc.check.rules import order
from beslutsdoc.problems import Position, Problem

from .conftest import PROFILE
from .test_meeting import MEETING
from .test_meeting import PAPER as ITEM

# The meeting of test_meeting.py with its first item's paper only (no PDF), and a second
# item whose Dnr is its own.
SECOND = "  - titel: Förvaltningschefen informerar\n    information: true\n"


def _write(folder: Path, meeting: str, item: str = ITEM) -> Path:
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    (folder / "ombud").mkdir(exist_ok=True)
    paper = item.split("bilagor:")[0]  # no attachment: nothing but the paper to read
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(paper, encoding="utf-8")
    path = folder / "sammanträde.yaml"
    text = meeting.replace(
        "[ombud/tjänsteutlåtande.yaml, ombud/blankett.pdf]", "[ombud/tjänsteutlåtande.yaml]"
    )
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [str(p) for p in beslutsdoc.check(beslutsdoc.load(path))]


def test_the_meeting_passes(tmp_path: Path) -> None:
    assert _problems(_write(tmp_path, MEETING)) == []


@pytest.mark.parametrize(
    ("written", "shown", "pattern"),
    [
        ("SN 2021:12", "SN 2021:12", True),  # as the paper has it
        ("SN 2021:012", "SN 2021:12", True),  # the same number, padded: the pattern's way
        ("sn  2021:12", "sn  2021:12", False),  # no pattern: spaces and case aside
    ],
)
def test_a_dnr_on_two_items_needs_a_reason(
    tmp_path: Path, written: str, shown: str, pattern: bool
) -> None:
    second = f"  - titel: Ombud, fortsättning\n    diarienummer: {written}\n"
    path = _write(tmp_path, MEETING.replace(SECOND, second))
    if not pattern:
        profile = PROFILE.replace('diarienummer: "SN {år}:{nummer}"\n', "")
        (tmp_path / "beslutsdoc.yaml").write_text(profile, encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  - titel: Ombud, fortsättning")
    assert _problems(path) == [
        f"{path}:{line + 1}:5: ärenden[1]: ärende 2 har samma diarienummer ({shown}) som"
        " ärende 1; skriv varför under diarienummer_skäl: om det är rätt"
    ]
    reason = second + "    diarienummer_skäl: Ärendet återkommer.\n"
    path.write_text(path.read_text(encoding="utf-8").replace(second, reason), encoding="utf-8")
    assert _problems(path) == []


def test_the_reported_items_are_the_second_and_the_first(tmp_path: Path) -> None:
    second = "  - titel: Ombud, fortsättning\n    diarienummer: SN 2021:12\n"
    path = _write(tmp_path, MEETING.replace(SECOND, second))
    [problem] = beslutsdoc.check(beslutsdoc.load(path))
    assert problem.path == ("ärenden", 1)
    assert "ärende 2 har samma diarienummer (SN 2021:12) som ärende 1;" in problem.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("  - titel: Ombud, fortsättning")  # type: ignore[operator]


def test_items_without_a_dnr_do_not_stop_the_comparison(tmp_path: Path) -> None:
    first = "  - titel: Information först\n    information: true\n"
    twice = "  - titel: Ombud, fortsättning\n    diarienummer: SN 2021:12\n"
    text = MEETING.replace("ärenden:\n", "ärenden:\n" + first).replace(SECOND, twice)
    [message] = _problems(_write(tmp_path, text))
    assert "ärende 3 har samma diarienummer (SN 2021:12) som ärende 2;" in message


def test_different_dnr_pass(tmp_path: Path) -> None:
    second = "  - titel: Ett annat ärende\n    diarienummer: SN 2021:13\n"
    assert _problems(_write(tmp_path, MEETING.replace(SECOND, second))) == []


def test_dnr_are_not_compared_while_an_item_fails_to_load(tmp_path: Path) -> None:
    second = "  - titel: Ombud, fortsättning\n    diarienummer: SN 2021:12\n"
    broken = second.replace("    diarienummer", "    handlingar: [saknas.yaml]\n    diarienummer")
    messages = _problems(_write(tmp_path, MEETING.replace(SECOND, broken)))
    assert len(messages) == 1 and "filen ”saknas.yaml” finns inte" in messages[0]


def test_a_paper_for_another_meeting(tmp_path: Path) -> None:
    item = ITEM.replace("sammanträde: 2021-01-26", "sammanträde: 2021-02-23")
    path = _write(tmp_path, MEETING, item)
    paper = tmp_path / "ombud" / "tjänsteutlåtande.yaml"
    assert _problems(path) == [
        f"{paper}:4:14: sammanträde: handlingen hör till sammanträdet 2021-02-23, men ligger"
        " i ärende 1 på sammanträdet 2021-01-26 (sammanträde.yaml)"
    ]


def test_the_meetings_own_problem_and_its_papers_are_told_together(tmp_path: Path) -> None:
    item = ITEM.replace("titel: Ombud för nämnden", "titel: Ombud för nämnden TODO")
    path = _write(tmp_path, MEETING.replace("plats: Munkhättevägen 49", "plats: TODO"), item)
    problems = beslutsdoc.check(beslutsdoc.load(path))
    # In file order: ombud/tjänsteutlåtande.yaml before sammanträde.yaml.
    assert [(p.file.name if p.file else "", p.field) for p in problems] == [
        ("tjänsteutlåtande.yaml", "titel"),
        ("sammanträde.yaml", "plats"),
    ]


def test_problems_are_told_by_file_line_and_column() -> None:
    a, b = Path("a.yaml"), Path("b.yaml")
    problems = [
        Problem("4", Position(b, 1, 1), file=b),
        Problem("3", Position(a, 2, 5), file=a),
        Problem("2", Position(a, 2, 1), file=a),
        Problem("1", None, file=a),
    ]
    assert [p.message for p in sorted(problems, key=order)] == ["1", "2", "3", "4"]
    assert order(problems[3]) == ("a.yaml", 0, 0)
