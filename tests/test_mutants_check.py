"""The rules of check/ word for word, where mutation testing found them loosely held
(tools/mutation.md): each boundary on both sides, each message whole, with the field it
names and where that field stands, since the secretary finds the mistake by them."""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsdoc.api import meeting as load_meeting
from beslutsdoc.check.protokoll import check_minutes
from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper
from beslutsdoc.problems import InputError

from .conftest import PAPER, PROFILE
from .test_meeting import MEETING, write_meeting
from .test_procedure import VOTE
from .test_protokoll import EXTRACT

JUSTERING = "  datum: 2021-02-02\n  plats"
JUSTERAD = "  plats: Socialförvaltningen\n"
VOTERS = "      ja: [Anna Andersson (S), Bo Berglund (V)]\n      nej: [David Dahlberg (M)]\n"
RESERVATION = """\
    reservationer:
      - av: [David Dahlberg (M)]
        till_förmån_för: det egna yrkandet
"""
FOLLOWS = (
    "    expedieras_till: [Kommunstyrelsen]\n",
    "    expedieras_till: [Kommunstyrelsen]\n    beslutat_enligt: förvaltningens förslag\n",
)
LAW_67 = "(5 kap. 67 § kommunallagen)"
POSTING = (
    " ska sättas upp senast andra dagen efter justeringen 2021-02-02, alltså senast"
    " 2021-02-04, och inte före justeringen (8 kap. 12 § kommunallagen; en sista dag på en"
    " lördag, söndag eller helgdag flyttas till nästa vardag, lag 1930:173)"
)


def _meeting(folder: Path, *changes: tuple[str, str], profile: str = PROFILE) -> Path:
    """The meeting of test_meeting.py with `changes` made to its text."""
    folder.mkdir(exist_ok=True)
    (folder / "beslutsdoc.yaml").write_text(profile, encoding="utf-8")
    path = write_meeting(folder)
    text = MEETING
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def _told(path: Path) -> list[str]:
    """What the check tells, each problem with its place, the folder left out."""
    try:
        load_meeting(path)
    except InputError as error:
        return [str(p).replace(f"{path.parent}/", "") for p in error.problems]
    return []


# -- justering: within 14 days, the law of the board's kind ------------------------------


def test_justering_on_the_fourteenth_day_is_in_time(tmp_path: Path) -> None:
    assert _told(_meeting(tmp_path, (JUSTERING, "  datum: 2021-02-09\n  plats"))) == []


@pytest.mark.parametrize(
    ("board", "law"),
    [("Socialnämnden", "6 kap. 35 §"), ("Kommunfullmäktige", "5 kap. 69 §")],
)
def test_justering_on_the_fifteenth_day_is_late(tmp_path: Path, board: str, law: str) -> None:
    profile = PROFILE.replace("nämnd: Socialnämnden", f"nämnd: {board}")
    path = _meeting(tmp_path, (JUSTERING, "  datum: 2021-02-10\n  plats"), profile=profile)
    assert _told(path) == [
        "sammanträde.yaml:17:10: justering.datum: protokollet ska justeras inom 14 dagar efter"
        f" sammanträdet, senast 2021-02-09, inte 2021-02-10 ({law} kommunallagen)"
    ]


def test_the_chair_as_justerare_is_told_with_the_law(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path, ("justerare: [David Dahlberg (M)]", "justerare: [Anna Andersson (S)]")
    )
    assert _told(path) == [
        "sammanträde.yaml:16:15: justering.justerare[0]: Anna Andersson (S) är ordförande och"
        " justerar alltid; utse minst en annan ledamot att justera (6 kap. 35 § kommunallagen)"
    ]


def test_a_justerare_who_was_not_beslutande(tmp_path: Path) -> None:
    path = _meeting(tmp_path, ("justerare: [David Dahlberg (M)]", "justerare: [Eva Ekström (C)]"))
    assert _told(path) == [
        "sammanträde.yaml:16:15: justering.justerare[0]: Eva Ekström (C) var inte beslutande vid"
        " sammanträdet och kan inte justera; justerare är närvarande ledamöter"
    ]


def test_justering_before_the_meeting(tmp_path: Path) -> None:
    path = _meeting(tmp_path, (JUSTERING, "  datum: 2021-01-25\n  plats"))
    assert _told(path) == [
        "sammanträde.yaml:17:10: justering.datum: justeringen 2021-01-25 är före sammanträdet"
        " 2021-01-26"
    ]


# -- anslag: from the justering to the second day after it -------------------------------


@pytest.mark.parametrize("posted", ["2021-02-02", "2021-02-03", "2021-02-04"])
def test_anslag_from_the_justering_day_to_the_second_day_after(tmp_path: Path, posted: str) -> None:
    path = _meeting(tmp_path, (JUSTERAD, f"{JUSTERAD}anslag: {{datum: {posted}}}\n"))
    assert _told(path) == []


@pytest.mark.parametrize("posted", ["2021-02-01", "2021-02-05"])
def test_anslag_before_the_justering_or_late(tmp_path: Path, posted: str) -> None:
    path = _meeting(tmp_path, (JUSTERAD, f"{JUSTERAD}anslag: {{datum: {posted}}}\n"))
    assert _told(path) == [f"sammanträde.yaml:19:17: anslag.datum: anslaget {posted}{POSTING}"]


def test_anslag_on_the_monday_when_the_second_day_is_a_saturday(tmp_path: Path) -> None:
    # Justerat Thursday 4 February 2021: the second day after is a Saturday.
    path = _meeting(
        tmp_path,
        (JUSTERING, "  datum: 2021-02-04\n  plats"),
        (JUSTERAD, f"{JUSTERAD}anslag: {{datum: 2021-02-08}}\n"),
    )
    assert _told(path) == []
    late = _meeting(
        tmp_path / "sen",
        (JUSTERING, "  datum: 2021-02-04\n  plats"),
        (JUSTERAD, f"{JUSTERAD}anslag: {{datum: 2021-02-09}}\n"),
    )
    assert [p.split(": ", 2)[2] for p in _told(late)] == [
        "anslaget 2021-02-09 ska sättas upp senast andra dagen efter justeringen 2021-02-04,"
        " alltså senast 2021-02-08, och inte före justeringen (8 kap. 12 § kommunallagen; en"
        " sista dag på en lördag, söndag eller helgdag flyttas till nästa vardag, lag 1930:173)"
    ]


def test_anslag_without_a_justering(tmp_path: Path) -> None:
    justering = (
        "justering:\n  justerare: [David Dahlberg (M)]\n  datum: 2021-02-02\n"
        "  plats: Socialförvaltningen\n"
    )
    path = _meeting(tmp_path, (justering, "anslag: {datum: 2021-02-04}\n"))
    assert _told(path) == [
        "sammanträde.yaml:15:17: anslag.datum: anslaget förutsätter en justering"
    ]


# -- quorum: more than half of the seats --------------------------------------------------


def _seats(count: int) -> str:
    others = "".join(f"  - Ledamot{n} Nummer (S)\n" for n in range(count - 3))
    return (
        PROFILE
        + "ledamöter:\n  - Anna Andersson (S)\n  - Cecilia Carlsson (V)\n"
        + "  - David Dahlberg (M)\n"
        + others
    )


def test_three_of_five_seats_is_a_quorum(tmp_path: Path) -> None:
    assert _told(_meeting(tmp_path, profile=_seats(5))) == []


def test_three_of_six_seats_is_no_quorum(tmp_path: Path) -> None:
    why = "ledamöter deltar, mer än hälften behövs (6 kap. 27 § kommunallagen)"
    assert _told(_meeting(tmp_path, profile=_seats(6))) == [
        f"sammanträde.yaml:20:5: ärenden[0]: nämnden är inte beslutför i § 7: 3 av 6 {why}",
        f"sammanträde.yaml:36:5: ärenden[1]: nämnden är inte beslutför i § 8: 3 av 6 {why}",
    ]


# -- votes ---------------------------------------------------------------------------------


def test_a_vote_names_everyone_it_leaves_out(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path, (VOTERS, "      ja: [Greta Gustafsson (L)]\n      nej: []\n"), (RESERVATION, "")
    )
    assert _told(path) == [
        "sammanträde.yaml:27:5: ärenden[0].omröstning: omröstningen redovisar inte hur Anna"
        " Andersson (S), Bo Berglund (V) och David Dahlberg (M) röstade; var och en som deltar i"
        " paragrafen står under ja, nej eller avstår (5 kap. 67 § kommunallagen, punkt 5)",
        "sammanträde.yaml:30:12: ärenden[0].omröstning.ja[0]: Greta Gustafsson (L) röstar men är"
        " inte bland de beslutande (närvarande.beslutande)",
    ]


def test_two_left_out_of_a_vote_are_joined_with_och(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path, (VOTERS, "      ja: [Anna Andersson (S)]\n      nej: []\n"), (RESERVATION, "")
    )
    assert [p.split(": ", 2)[2].split(";")[0] for p in _told(path)] == [
        "omröstningen redovisar inte hur Bo Berglund (V) och David Dahlberg (M) röstade"
    ]


def test_an_ersattare_who_votes_is_not_beslutande(tmp_path: Path) -> None:
    path = _meeting(tmp_path, (VOTERS, VOTERS + "      avstår: [Eva Ekström (C)]\n"))
    assert _told(path) == [
        "sammanträde.yaml:32:16: ärenden[0].omröstning.avstår[0]: Eva Ekström (C) röstar men är"
        " inte bland de beslutande (närvarande.beslutande)"
    ]


def _secret_ballot(counts: str, result: str = "") -> tuple[str, str]:
    return (
        VOTE,
        "    omröstning:\n      ja_innebär: förvaltningens förslag\n"
        f"      nej_innebär: M:s yrkande\n      sluten: ja\n      antal: {counts}\n{result}",
    )


def test_a_secret_ballot_that_counts_everyone_passes(tmp_path: Path) -> None:
    path = _meeting(tmp_path, _secret_ballot("{ja: 2, nej: 1}"), (RESERVATION, ""))
    assert _told(path) == []


def test_a_secret_ballot_with_a_tie_decided_by_lot_passes(tmp_path: Path) -> None:
    ballot = _secret_ballot("{ja: 1, nej: 1, avstår: 1}", "      resultat: nej\n")
    assert _told(_meeting(tmp_path, ballot, (RESERVATION, ""))) == []


def test_a_secret_ballot_with_too_many_votes_and_an_undecided_tie(tmp_path: Path) -> None:
    path = _meeting(tmp_path, _secret_ballot("{ja: 2, nej: 2}"), (RESERVATION, ""))
    assert _told(path) == [
        "sammanträde.yaml:28:7: ärenden[0].omröstning.resultat: lika röstetal i en sluten"
        " omröstning avgörs genom lottning; skriv utfallet under resultat: ja eller nej",
        "sammanträde.yaml:31:14: ärenden[0].omröstning.antal: röstetalen räknar 4 röster men 3"
        f" deltar i paragrafen; ja + nej + avstår ska vara alla som deltar {LAW_67}",
    ]


def test_a_counter_proposal_vote_needs_three_proposals(tmp_path: Path) -> None:
    votes = (
        "    omröstningar:\n      - fråga: motförslag\n"
        "        ja_innebär: förvaltningens förslag\n        nej_innebär: M:s yrkande\n"
        "        ja: [Anna Andersson (S), Bo Berglund (V)]\n        nej: [David Dahlberg (M)]\n"
        "    beslutat_enligt: förvaltningens förslag\n"
    )
    assert _told(_meeting(tmp_path, (VOTE, votes), (RESERVATION, ""))) == [
        "sammanträde.yaml:28:16: ärenden[0].omröstningar[0].fråga: en omröstning om motförslag"
        " (kontrapropositionsvotering) behövs bara med minst tre förslag i sak under yrkanden"
    ]


@pytest.mark.parametrize("question", ["återremiss", "bordläggning"])
def test_a_procedural_vote_needs_its_motion(tmp_path: Path, question: str) -> None:
    votes = (
        f"    omröstningar:\n      - fråga: {question}\n        ja_innebär: avgöras i dag\n"
        f"        nej_innebär: {question}\n        ja: [Anna Andersson (S), Bo Berglund (V)]\n"
        "        nej: [David Dahlberg (M)]\n"
    )
    assert _told(_meeting(tmp_path, (VOTE, VOTE + votes))) == [
        f"sammanträde.yaml:33:16: ärenden[0].omröstningar[0].fråga: en omröstning om {question}"
        f" förutsätter ett yrkande om {question} under yrkanden"
    ]


# -- reservations ------------------------------------------------------------------------


def _party_member_reserves(mover: str) -> tuple[tuple[str, str], ...]:
    """Eva Ekström (M), beslutande, votes no and reserves for ”the own yrkande”, which
    David Dahlberg moved, `mover` as written."""
    return (
        (
            "      - av: [David Dahlberg (M)]\n        att_satser",
            f"      - av: [{mover}]\n        att_satser",
        ),
        ("    - David Dahlberg (M)\n", "    - David Dahlberg (M)\n    - Eva Ekström (M)\n"),
        ("  ersättare: [Eva Ekström (C)]\n", ""),
        ("      nej: [David Dahlberg (M)]\n", "      nej: [David Dahlberg (M), Eva Ekström (M)]\n"),
        (
            "      - av: [David Dahlberg (M)]\n        till_förmån_för",
            "      - av: [Eva Ekström (M)]\n        till_förmån_för",
        ),
    )


def test_a_yrkande_moved_for_the_party_is_its_members_own(tmp_path: Path) -> None:
    assert _told(_meeting(tmp_path, *_party_member_reserves("David Dahlberg m.fl. (M)"))) == []


def test_a_yrkande_moved_alone_is_not_the_party_members_own(tmp_path: Path) -> None:
    assert _told(_meeting(tmp_path, *_party_member_reserves("David Dahlberg (M)"))) == [
        "sammanträde.yaml:33:14: ärenden[0].reservationer[0].av[0]: Eva Ekström (M) har inget"
        " eget yrkande; ”till förmån för det egna yrkandet” kräver att ledamoten yrkade något"
        " under yrkanden och kan inte reservera sig på det sättet; bara den som deltagit i"
        " beslutet och inte stött det får reservera sig (4 kap. 27 § kommunallagen)"
    ]


# -- a decision that follows the proposal, point by point ------------------------------------


def test_spaces_and_a_final_full_stop_do_not_make_another_point(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path,
        FOLLOWS,
        ("    beslut: [Socialnämnden utser ombud.]", "    beslut: [Socialnämnden  utser ombud]"),
        (VOTE, ""),
    )
    assert _told(path) == []


def test_a_point_in_other_words_is_told_with_both_texts(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path,
        (FOLLOWS[0], FOLLOWS[0] + "    beslutat_enligt: Förvaltningens  förslag till beslut\n"),
        (
            "    beslut: [Socialnämnden utser ombud.]",
            "    beslut: [Socialnämnden utser två ombud.]",
        ),
        (VOTE, ""),
    )
    assert _told(path) == [
        "sammanträde.yaml:21:14: ärenden[0].beslut[0]: punkt 1 lyder ”Socialnämnden utser två"
        " ombud.” men i förvaltningens förslag ”Socialnämnden utser ombud.”; skriv beslutet som"
        " förslaget, eller ändra beslutat_enligt"
    ]


def test_a_point_more_than_the_proposal(tmp_path: Path) -> None:
    points = "    beslut: [Socialnämnden utser ombud., Socialnämnden utser också en ersättare.]"
    path = _meeting(
        tmp_path, FOLLOWS, ("    beslut: [Socialnämnden utser ombud.]", points), (VOTE, "")
    )
    assert _told(path) == [
        "sammanträde.yaml:21:5: ärenden[0].beslut: beslutet har 2 punkter men förvaltningens"
        " förslag, som beslutat_enligt säger att nämnden följde, har 1"
    ]


def test_the_immediate_justering_is_no_point_of_the_decision(tmp_path: Path) -> None:
    points = "    beslut: [Socialnämnden utser ombud., Beslutet förklaras omedelbart justerat.]"
    path = _meeting(
        tmp_path, FOLLOWS, ("    beslut: [Socialnämnden utser ombud.]", points), (VOTE, "")
    )
    assert _told(path) == []


# -- the minutes' own rules ---------------------------------------------------------------


def test_two_items_with_the_same_paragraph_number(tmp_path: Path) -> None:
    second = "  - titel: Förvaltningschefen informerar\n"
    path = _meeting(tmp_path, (second, second + "    paragraf: 7\n"))
    assert _told(path) == [
        "sammanträde.yaml:36:5: ärenden[1]: ärende 2 får § 7, som ärende 1 redan har;"
        " paragrafnumren måste vara unika"
    ]


def _minutes_problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        check_minutes(load_meeting(path).loaded)
    return [str(p).replace(f"{path.parent}/", "") for p in caught.value.problems]


def test_minutes_need_attendance_and_justering_and_every_decision(tmp_path: Path) -> None:
    attendance = MEETING[MEETING.index("närvarande:") : MEETING.index("ärenden:")]
    path = _meeting(
        tmp_path,
        (attendance, ""),
        (
            "  - titel: Förvaltningschefen informerar\n    information: true\n",
            "  - titel: Övrigt\n",
        ),
    )
    assert _minutes_problems(path) == [
        "sammanträde.yaml:1:1: protokollet behöver ”närvarande:” i sammanträdesfilen",
        "sammanträde.yaml:1:1: protokollet behöver ”justering:” i sammanträdesfilen",
        "sammanträde.yaml:25:5: ärenden[1]: ärende 2 saknar beslut; skriv vad nämnden"
        " beslutade under beslut:",
    ]


def test_minutes_with_everything_pass(tmp_path: Path) -> None:
    check_minutes(load_meeting(_meeting(tmp_path)).loaded)


# -- an extract on its own: the same rules, told at the extract's fields -------------------


def _extract_told(folder: Path, *changes: tuple[str, str]) -> list[str]:
    text = EXTRACT
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    path = folder / "utdrag.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        check(load_paper(path))
    except InputError as error:
        return [str(p).replace(f"{folder}/", "") for p in error.problems]
    return []


JUSTERAT = ("  datum: 2023-12-19\n", "  datum: 2023-12-12\n")
CERTIFIED = ("  datum: 2023-12-20\n", "  datum: 2023-12-12\n")
IMMEDIATE = ("justering:\n", "omedelbart_justerad: ja\njustering:\n")
CANNOT_RESERVE = (
    " och kan inte reservera sig på det sättet; bara den som deltagit i beslutet och inte stött"
    " det får reservera sig (4 kap. 27 § kommunallagen)"
)


def test_an_extract_justerat_late(tmp_path: Path) -> None:
    late = ("  datum: 2023-12-19\n", "  datum: 2023-12-27\n")
    assert _extract_told(tmp_path, late, ("  datum: 2023-12-20\n", "  datum: 2023-12-27\n")) == [
        "utdrag.yaml:25:10: justering.datum: protokollet ska justeras inom 14 dagar efter"
        " sammanträdet, senast 2023-12-26, inte 2023-12-27 (6 kap. 35 § kommunallagen)"
    ]


def test_an_extracts_chair_as_justerare(tmp_path: Path) -> None:
    chair = ("  justerare: [Cecilia Carlsson (M)]", "  justerare: [Anna Andersson (S)]")
    assert _extract_told(tmp_path, chair) == [
        "utdrag.yaml:24:15: justering.justerare[0]: Anna Andersson (S) är ordförande och"
        " justerar alltid; utse minst en annan ledamot att justera (6 kap. 35 § kommunallagen)"
    ]


def test_an_extract_justerat_at_once_on_the_meeting_day(tmp_path: Path) -> None:
    assert _extract_told(tmp_path, IMMEDIATE, JUSTERAT, CERTIFIED) == []


def test_an_extract_justerat_at_once_but_dated_later(tmp_path: Path) -> None:
    assert _extract_told(tmp_path, IMMEDIATE) == [
        "utdrag.yaml:26:10: justering.datum: paragrafen justerades omedelbart, så justeringen"
        " är 2023-12-12, sammanträdesdagen, inte 2023-12-19"
    ]


def test_an_extracts_counter_proposal_vote_with_two_proposals(tmp_path: Path) -> None:
    assert _extract_told(tmp_path, ("omröstning:\n", "omröstning:\n  fråga: motförslag\n")) == [
        "utdrag.yaml:15:10: omröstning.fråga: en omröstning om motförslag"
        " (kontrapropositionsvotering) behövs bara med minst tre förslag i sak under yrkanden"
    ]


def test_an_extracts_conflicted_member_cannot_reserve(tmp_path: Path) -> None:
    told = _extract_told(
        tmp_path,
        ("reservationer:\n", "jäv: [David Dahl (SD)]\nreservationer:\n"),
        ("  avstår: [David Dahl (SD)]\n", "  avstår: []\n"),
        ("  - av: [Cecilia Carlsson (M)]\n    till", "  - av: [David Dahl (SD)]\n    till"),
    )
    assert told == [
        "utdrag.yaml:22:10: reservationer[0].av[0]: David Dahl (SD) hade jäv och deltog inte i"
        f" beslutet{CANNOT_RESERVE}"
    ]


def test_an_extracts_abstainer_cannot_reserve(tmp_path: Path) -> None:
    abstainer = ("  - av: [Cecilia Carlsson (M)]\n    till", "  - av: [David Dahl (SD)]\n    till")
    assert _extract_told(tmp_path, abstainer) == [
        "utdrag.yaml:21:10: reservationer[0].av[0]: David Dahl (SD) avstod från att rösta och"
        f" deltog alltså inte i beslutet{CANNOT_RESERVE}"
    ]


def test_problems_are_told_by_line_before_column(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path,
        ("justerare: [David Dahlberg (M)]", "justerare: [Anna Andersson (S)]"),
        (JUSTERING, "  datum: 2021-02-10\n  plats"),
    )
    assert [p.split(": ")[0] for p in _told(path)] == [
        "sammanträde.yaml:16:15",
        "sammanträde.yaml:17:10",
    ]


def test_a_point_ending_in_a_capital_x_is_the_same_point(tmp_path: Path) -> None:
    # _same drops a final full stop only: a decision on ”bilaga X” is still the proposal.
    path = _meeting(
        tmp_path,
        FOLLOWS,
        ("    beslut: [Socialnämnden utser ombud.]", "    beslut: [Socialnämnden antar bilaga X]"),
        (VOTE, ""),
    )
    paper = path.parent / "ombud" / "tjänsteutlåtande.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(
        text.replace("[Socialnämnden utser ombud.]", "[Socialnämnden antar bilaga X.]"),
        encoding="utf-8",
    )
    assert _told(path) == []


# -- every paper: placeholders and personnummer outside a secret part ---------------------


def _paper_told(folder: Path, text: str, profile: str = PROFILE) -> list[str]:
    (folder / "beslutsdoc.yaml").write_text(profile, encoding="utf-8")
    path = folder / "paper.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        check(load_paper(path))
    except InputError as error:
        return [str(p).replace(f"{folder}/", "") for p in error.problems]
    return []


def _section(sekretess: str, text: str) -> str:
    return PAPER.replace("Kort sammanfattning.", "Se utredningen.") + (
        f"avsnitt:\n  - rubrik: Utredning\n    sekretess: {sekretess}\n    text: {text}\n"
    )


@pytest.mark.parametrize("written", ["nej", "false", "ja", "Nej"])
def test_sekretess_nej_is_no_ground_and_no_guess(tmp_path: Path, written: str) -> None:
    """ "sekretess: nej" means "not secret" to its writer and "Sekretess enligt nej" as
    text: an error at the value, never either guess."""
    assert _paper_told(tmp_path, _section(written, "Barnet 19811218-9876 placeras.")) == [
        f"paper.yaml:15:16: avsnitt[0].sekretess: ”{written}” är inget lagrum: skriv lagrummet"
        " som sekretessen grundas på, till exempel ”26 kap. 1 § OSL”; en del utan sekretess"
        " har ingen sekretess-nyckel"
    ]


def test_a_section_without_sekretess_hides_no_personnummer(tmp_path: Path) -> None:
    text = PAPER.replace("Kort sammanfattning.", "Se utredningen.") + (
        "avsnitt:\n  - rubrik: Utredning\n    text: Barnet 19811218-9876 placeras.\n"
    )
    assert _paper_told(tmp_path, text) == [
        "paper.yaml:15:18: avsnitt[0].text: texten innehåller vad som ser ut som ett"
        " personnummer (”19811218-9876”); nämndhandlingar är allmänna och ska inte ha"
        " personnummer utanför en del med sekretess (lag 2018:218 3 kap. 10 §); ta bort det,"
        " eller markera delen med sekretess: och lagrummet"
    ]


def test_a_secret_section_still_holds_no_placeholder(tmp_path: Path) -> None:
    text = _section("26 kap. 1 § OSL", "Barnet XX placeras.")
    assert _paper_told(tmp_path, text) == [
        "paper.yaml:16:18: avsnitt[0].text: texten innehåller platshållaren ”XX”; skriv in den"
        " riktiga uppgiften"
    ]


def test_a_secret_section_still_holds_no_footnote_without_its_text(tmp_path: Path) -> None:
    assert _paper_told(tmp_path, _section("26 kap. 1 § OSL", "'Se fotnot.[^9]'")) == [
        "paper.yaml:16:11: avsnitt[0].text: fotnoten [^9] saknar sin text; skriv [^9]: ... i"
        " samma text"
    ]


def test_each_placeholder_is_told_at_its_place(tmp_path: Path) -> None:
    text = PAPER.replace("Kort sammanfattning.", "Gäller år 20XX och TODO.")
    assert _paper_told(tmp_path, text) == [
        "paper.yaml:12:29: sammanfattning: texten innehåller platshållaren ”XX”; skriv in den"
        " riktiga uppgiften",
        "paper.yaml:12:36: sammanfattning: texten innehåller platshållaren ”TODO”; skriv in den"
        " riktiga uppgiften",
    ]


def test_a_mandatory_section_matches_without_case_or_spaces(tmp_path: Path) -> None:
    profile = PROFILE + "tjänsteutlåtande:\n  obligatoriska_avsnitt: [' Ärendet ']\n"
    text = PAPER + "avsnitt:\n  - rubrik: '  ÄRENDET'\n    text: Text.\n"
    assert _paper_told(tmp_path, text, profile) == []


def test_a_paper_dated_after_its_meeting_is_told_whole(tmp_path: Path) -> None:
    text = PAPER.replace("datum: 2023-11-07", "datum: 2023-12-13")
    assert _paper_told(tmp_path, text) == [
        "paper.yaml:3:8: datum: datumet 2023-12-13 är efter sammanträdet 2023-12-12; ett"
        " tjänsteutlåtande skrivs före sammanträdet"
    ]


def _proposal_justerad_at_once(path: Path) -> Path:
    paper = path.parent / "ombud" / "tjänsteutlåtande.yaml"
    text = paper.read_text(encoding="utf-8").replace(
        "förslag_till_beslut: [Socialnämnden utser ombud.]",
        "förslag_till_beslut: [Socialnämnden utser ombud., Beslutet förklaras omedelbart justerat.]",
    )
    paper.write_text(text, encoding="utf-8")
    return path


def test_a_proposal_justerad_at_once_needs_the_paragraph_justerad_at_once(tmp_path: Path) -> None:
    path = _proposal_justerad_at_once(_meeting(tmp_path, FOLLOWS, (VOTE, "")))
    assert _told(path) == [
        "sammanträde.yaml:31:22: ärenden[0].beslutat_enligt: förvaltningens förslag säger att"
        " beslutet förklaras omedelbart justerat; skriv omedelbart_justerad: ja när nämnden"
        " beslutade så"
    ]
    justerad = (FOLLOWS[1], FOLLOWS[1] + "    omedelbart_justerad: ja\n")
    assert (
        _told(_proposal_justerad_at_once(_meeting(tmp_path / "b", FOLLOWS, justerad, (VOTE, ""))))
        == []
    )


def test_a_decision_on_another_proposal_is_not_held_to_the_offices(tmp_path: Path) -> None:
    other = (FOLLOWS[0], FOLLOWS[0] + "    beslutat_enligt: M:s yrkande\n")
    path = _proposal_justerad_at_once(_meeting(tmp_path, other, (VOTE, "")))
    assert _told(path) == []


def test_a_secret_section_hides_nothing_in_the_next(tmp_path: Path) -> None:
    text = _section("26 kap. 1 § OSL", "Barnet 19811218-9876 placeras.") + (
        "  - rubrik: Ekonomi\n    text: Fakturan till 19811218-9876.\n"
    )
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in _paper_told(tmp_path, text)] == [
        "paper.yaml:18:25: avsnitt[1].text"
    ]


def test_justering_on_the_meeting_day_passes(tmp_path: Path) -> None:
    assert _told(_meeting(tmp_path, (JUSTERING, "  datum: 2021-01-26\n  plats"))) == []


def test_every_items_problems_are_told_together(tmp_path: Path) -> None:
    path = _meeting(
        tmp_path,
        (
            "    beslut: [Socialnämnden utser ombud.]",
            "    beslut: [Socialförvaltningen föreslår att nämnden utser ombud.]",
        ),
        (
            "  - titel: Förvaltningschefen informerar\n",
            "  - titel: Förvaltningschefen informerar\n    diarienummer: SN/2021:1\n",
        ),
    )
    assert _told(path) == [
        "sammanträde.yaml:21:14: ärenden[0].beslut[0]: beslutet återger ett förslag; skriv det"
        " nämnden beslutade, till exempel ”Socialnämnden godkänner ...”",
        "sammanträde.yaml:37:19: ärenden[1].diarienummer: ”SN/2021:1” följer inte nämndens"
        " diarienummermönster ”SN {år}:{nummer}” (till exempel ”SN 2023:553”)",
    ]


def test_a_plain_reservation_needs_no_yrkande_of_ones_own(tmp_path: Path) -> None:
    plain = (RESERVATION, "    reservationer:\n      - av: [Eva Ekström (M)]\n")
    changes = (*_party_member_reserves("David Dahlberg (M)")[:-1], plain)
    assert _told(_meeting(tmp_path, *changes)) == []


def test_a_vote_tells_both_its_question_and_its_voters(tmp_path: Path) -> None:
    votes = (
        "    omröstningar:\n      - fråga: motförslag\n"
        "        ja_innebär: förvaltningens förslag\n        nej_innebär: M:s yrkande\n"
        "        ja: [Anna Andersson (S)]\n        nej: [David Dahlberg (M)]\n"
        "    beslutat_enligt: förvaltningens förslag\n"
    )
    assert _told(_meeting(tmp_path, (VOTE, votes), (RESERVATION, ""))) == [
        "sammanträde.yaml:28:9: ärenden[0].omröstningar[0]: omröstningen redovisar inte hur Bo"
        " Berglund (V) röstade; var och en som deltar i paragrafen står under ja, nej eller"
        " avstår (5 kap. 67 § kommunallagen, punkt 5)",
        "sammanträde.yaml:28:16: ärenden[0].omröstningar[0].fråga: en omröstning om motförslag"
        " (kontrapropositionsvotering) behövs bara med minst tre förslag i sak under yrkanden",
    ]


def test_an_extracts_every_vote_is_checked(tmp_path: Path) -> None:
    second = (
        "omröstningar:\n  - fråga: återremiss\n    ja_innebär: avgöras i dag\n"
        "    nej_innebär: återremiss\n    ja: [Anna Andersson (S), Bo Berglund (V)]\n"
        "    nej: [Cecilia Carlsson (M)]\nreservationer:\n"
    )
    assert _extract_told(tmp_path, ("reservationer:\n", second)) == [
        "utdrag.yaml:21:12: omröstningar[0].fråga: en omröstning om återremiss förutsätter ett"
        " yrkande om återremiss under yrkanden"
    ]


def test_a_text_format_mistake_is_told_where_it_stands_in_the_text(tmp_path: Path) -> None:
    text = PAPER.replace("Kort sammanfattning.", "Se fotnot.[^9] och bilden ![k](k.png)")
    assert _paper_told(tmp_path, text) == [
        "paper.yaml:12:27: sammanfattning: fotnoten [^9] saknar sin text; skriv [^9]: ... i"
        " samma text",
        "paper.yaml:12:43: sammanfattning: bilder kan inte stå i texten; lägg bilden i en bilaga",
    ]
