"""The decision as the law records it: procedure, attendance per paragraph, justering and
anslag. Each test stands for one finding of the review against kommunallagen."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from beslutsdoc.api import meeting as load_meeting
from beslutsdoc.ooxml.wordml import w

from .test_meeting import MEETING, problems, texts, write_meeting


@pytest.fixture
def meeting(folder: Path) -> Path:
    """The meeting of test_meeting.py: two items, a vote and a reservation in the first."""
    return write_meeting(folder)


VOTE = """\
    omröstning:
      ja_innebär: förvaltningens förslag
      nej_innebär: M:s yrkande
      ja: [Anna Andersson (S), Bo Berglund (V)]
      nej: [David Dahlberg (M)]
"""
PROPOSALS = """\
    yrkanden:
      - av: [Anna Andersson (S)]
        bifall_till: förvaltningens förslag
      - av: [David Dahlberg (M)]
        att_satser: [att avslå förslaget]
"""
RESERVATION = """\
    reservationer:
      - av: [David Dahlberg (M)]
        till_förmån_för: det egna yrkandet
"""


def _write(meeting: Path, *changes: tuple[str, str]) -> Path:
    text = MEETING
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    meeting.write_text(text, encoding="utf-8")
    return meeting


def _protocol(cli, meeting: Path, out: Path) -> list[str]:
    run = cli("protokoll", meeting, "-o", out)
    assert run.code == 0, run.err
    return texts(out / "protokoll.docx")


# 1. Återremiss is a procedural question, decided first; several votes per paragraph.


def test_a_motion_to_send_back_is_asked_first(cli, meeting: Path, tmp_path: Path) -> None:
    _write(
        meeting,
        (
            "        att_satser: [att avslå förslaget]\n",
            "        att_satser: [att ärendet återremitteras för en ny utredning]\n",
        ),
        (
            VOTE,
            """\
    omröstningar:
      - fråga: återremiss
        ja_innebär: att ärendet ska avgöras i dag
        nej_innebär: att ärendet ska återremitteras
        ja: [Anna Andersson (S), Bo Berglund (V)]
        nej: [David Dahlberg (M)]
    beslutat_enligt: förvaltningens förslag
""",
        ),
        (RESERVATION, ""),
    )
    protocol = _protocol(cli, meeting, tmp_path)
    assert (
        "Ordföranden frågade först om ärendet ska avgöras i dag eller återremitteras och fann"
        " att det ska avgöras i dag. Omröstning begärdes." in protocol
    )
    assert any(
        t.startswith("Därefter frågade ordföranden om nämnden kunde besluta enligt")
        for t in protocol
    )
    assert not any("ställde de framställda förslagen" in t for t in protocol)
    assert (
        "Med 2 ja-röster mot 1 nej-röst beslutar nämnden att ärendet ska avgöras i dag." in protocol
    )
    assert "David Dahlberg (M) yrkade" in protocol


def test_three_proposals_get_a_counter_proposal_vote_then_the_main_vote(
    cli, meeting: Path, tmp_path: Path
) -> None:
    _write(
        meeting,
        (
            PROPOSALS,
            PROPOSALS
            + "      - av: [Bo Berglund (V)]\n        att_satser: [att förslaget utökas till hela året]\n",
        ),
        (
            VOTE,
            """\
    omröstningar:
      - fråga: motförslag
        ja_innebär: M:s yrkande
        nej_innebär: V:s yrkande
        ja: [Anna Andersson (S), David Dahlberg (M)]
        nej: [Bo Berglund (V)]
      - ja_innebär: förvaltningens förslag
        nej_innebär: M:s yrkande
        ja: [Anna Andersson (S), Bo Berglund (V)]
        nej: [David Dahlberg (M)]
""",
        ),
    )
    protocol = _protocol(cli, meeting, tmp_path)
    first = protocol.index("Omröstning om motförslag")
    main = protocol.index("Omröstning i huvudfrågan")
    assert first < main
    assert (
        "Med 2 ja-röster mot 1 nej-röst blir M:s yrkande motförslag i huvudvoteringen." in protocol
    )
    assert any(
        "ska vara motförslag i huvudvoteringen och fann att M:s yrkande" in t for t in protocol
    )


def test_minority_sends_back_and_postponing_is_asked_as_its_own_question(
    cli, meeting: Path, tmp_path: Path
) -> None:
    _write(
        meeting,
        ("        att_satser: [att avslå förslaget]\n", "        typ: minoritetsåterremiss\n"),
        (VOTE, ""),
        (RESERVATION, ""),
        ("    beslut: [Socialnämnden utser ombud.]\n", "    beslut: [Ärendet återremitteras.]\n"),
    )
    protocol = _protocol(cli, meeting, tmp_path)
    assert (
        "David Dahlberg (M) begärde att ärendet ska återremitteras (minoritetsåterremiss)."
        in protocol
    )
    assert any("återremitteras ärendet (minoritetsåterremiss)" in t for t in protocol)
    _write(
        meeting,
        ("        att_satser: [att avslå förslaget]\n", "        typ: bordläggning\n"),
        (VOTE, ""),
        (RESERVATION, ""),
        ("    beslut: [Socialnämnden utser ombud.]\n", "    beslut: [Ärendet bordläggs.]\n"),
    )
    protocol = _protocol(cli, meeting, tmp_path / "b")
    assert (
        "Ordföranden frågade först om ärendet ska avgöras i dag eller bordläggas och fann att"
        " ärendet ska bordläggas." in protocol
    )


# 2. A vote accounts for everyone taking part.


def test_a_vote_accounts_for_everyone_taking_part(meeting: Path) -> None:
    _write(
        meeting,
        (
            "      ja: [Anna Andersson (S), Bo Berglund (V)]\n      nej",
            "      ja: [Anna Andersson (S)]\n      nej",
        ),
    )
    found = problems(meeting)
    assert any(
        "redovisar inte hur Bo Berglund (V) röstade" in p and "5 kap. 67 §" in p for p in found
    )


def test_a_secret_ballot_counts_everyone(meeting: Path) -> None:
    _write(
        meeting,
        (
            VOTE,
            "    omröstning:\n      ja_innebär: förvaltningens förslag\n      nej_innebär: M:s yrkande\n      sluten: ja\n      antal: {ja: 1, nej: 1}\n      resultat: ja\n",
        ),
        (RESERVATION, ""),
    )
    assert any("räknar 2 röster men 3 deltar" in p for p in problems(meeting))


# 3. Only those who took part and did not support the decision reserve.


@pytest.mark.parametrize(
    ("reservant", "why"),
    [
        ("Cecilia Carlsson (V)", "deltog inte i beslutet"),  # replaced, absent
        ("Greta Gustafsson (L)", "deltog inte i beslutet"),  # not a member here
        ("Bo Berglund (V)", "röstade för beslutet"),
    ],
)
def test_who_may_reserve(meeting: Path, reservant: str, why: str) -> None:
    _write(
        meeting,
        (
            "      - av: [David Dahlberg (M)]\n        till_förmån_för",
            f"      - av: [{reservant}]\n        till_förmån_för",
        ),
    )
    assert any(why in p and "4 kap. 27 §" in p for p in problems(meeting)), problems(meeting)


def test_an_abstainer_or_a_member_without_a_yrkande_cannot_reserve_that_way(meeting: Path) -> None:
    _write(
        meeting,
        (
            "      nej: [David Dahlberg (M)]\n",
            "      nej: [David Dahlberg (M)]\n      avstår: [Eva Ekström (C)]\n",
        ),
        ("    - David Dahlberg (M)\n", "    - David Dahlberg (M)\n    - Eva Ekström (C)\n"),
        ("  ersättare: [Eva Ekström (C)]\n", ""),
        (
            "      - av: [David Dahlberg (M)]\n        till_förmån_för",
            "      - av: [Eva Ekström (C)]\n        till_förmån_för",
        ),
    )
    found = problems(meeting)
    assert any("Eva Ekström (C) avstod från att rösta" in p for p in found), found


def test_conflicted_member_cannot_reserve(meeting: Path) -> None:
    _write(
        meeting,
        ("      nej: [David Dahlberg (M)]\n", "      nej: []\n"),
        (
            "    expedieras_till: [Kommunstyrelsen]\n",
            "    expedieras_till: [Kommunstyrelsen]\n    jäv: [David Dahlberg (M)]\n",
        ),
        (
            "      - av: [David Dahlberg (M)]\n        att_satser",
            "      - av: [Bo Berglund (V)]\n        att_satser",
        ),
    )
    found = problems(meeting)
    assert any("David Dahlberg (M) hade jäv" in p for p in found), found


# 4. Justering: within 14 days, by a present member other than the chair.


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("  datum: 2021-02-02\n  plats", "  datum: 2021-02-27\n  plats"), "inom 14 dagar"),
        (
            ("  justerare: [David Dahlberg (M)]", "  justerare: [Anna Andersson (S)]"),
            "är ordförande och justerar alltid",
        ),
        (
            ("  justerare: [David Dahlberg (M)]", "  justerare: [Cecilia Carlsson (V)]"),
            "var inte beslutande",
        ),
    ],
)
def test_justering_rules(meeting: Path, change: tuple[str, str], why: str) -> None:
    _write(meeting, change)
    assert any(why in p for p in problems(meeting)), problems(meeting)


# 5. Immediate justering: its own announcement and appeal period; the chair signs too.


def test_every_paragraph_justerad_at_the_meeting_is_announced_from_it(
    cli, meeting: Path, tmp_path: Path
) -> None:
    _write(
        meeting,
        (
            "    expedieras_till: [Kommunstyrelsen]\n",
            "    expedieras_till: [Kommunstyrelsen]\n    omedelbart_justerad: ja\n",
        ),
        ("    information: true\n", "    information: true\n    omedelbart_justerad: ja\n"),
    )
    assert cli("protokoll", meeting, "-o", tmp_path).code == 0
    cover = docx.Document(io.BytesIO((tmp_path / "protokoll.docx").read_bytes()))
    cells = [c.text for t in cover.tables for c in t._cells]
    assert "2021-01-26" in cells and "2021-02-16" in cells  # posted at the meeting, appeal end
    assert "2021-02-02" not in [c for c in cells if c.startswith("2021")][1:2]
    extract = docx.Document(io.BytesIO((tmp_path / "protokollsutdrag-7.docx").read_bytes()))
    signed = "\n".join(c.text for t in extract.tables for c in t._cells)
    assert "Anna Andersson (S) och David Dahlberg (M)" in signed


def test_one_immediate_paragraph_gets_its_own_notice(cli, meeting: Path, tmp_path: Path) -> None:
    _write(
        meeting,
        (
            "    expedieras_till: [Kommunstyrelsen]\n",
            "    expedieras_till: [Kommunstyrelsen]\n    omedelbart_justerad: ja\n",
        ),
    )
    protocol = [t.replace("\u2011", "-") for t in _protocol(cli, meeting, tmp_path)]
    assert any(
        t.startswith("§ 7 justerades omedelbart 2021-01-26.") and "2021-02-16" in t
        for t in protocol
    ), protocol


# 6. The announcement by the second day after justering, moved past a weekend.


@pytest.mark.parametrize(("posted", "lawful"), [("2021-02-08", True), ("2021-02-09", False)])
def test_announcement_deadline_moves_past_the_weekend(
    meeting: Path, posted: str, lawful: bool
) -> None:
    _write(
        meeting,
        ("  datum: 2021-02-02\n  plats", "  datum: 2021-02-04\n  plats"),  # a Thursday
        (
            "  plats: Socialförvaltningen\n",
            f"  plats: Socialförvaltningen\nanslag:\n  datum: {posted}\n",
        ),
    )
    if lawful:
        load_meeting(meeting)
    else:
        assert any("senast 2021-02-08" in p and "1930:173" in p for p in problems(meeting))


# 7. A yrkande keeps who moved it; a decision that follows the proposal does.


def test_a_yrkande_in_own_words_names_who_moved_it(cli, meeting: Path, tmp_path: Path) -> None:
    _write(
        meeting,
        (
            "        att_satser: [att avslå förslaget]\n",
            "        text: Förslaget bör avslås eftersom kostnaden är för hög.\n",
        ),
    )
    protocol = _protocol(cli, meeting, tmp_path)
    opening = protocol.index("David Dahlberg (M) yrkade:")
    assert protocol[opening + 1] == "Förslaget bör avslås eftersom kostnaden är för hög."


def test_a_decision_said_to_follow_the_proposal_follows_it(meeting: Path) -> None:
    _write(
        meeting,
        (VOTE, "    beslutat_enligt: förvaltningens förslag\n"),
        (RESERVATION, ""),
        (
            "    beslut: [Socialnämnden utser ombud.]\n",
            "    beslut: [Socialnämnden utser inget ombud.]\n",
        ),
    )
    assert any("punkt 1 lyder ”Socialnämnden utser inget ombud.”" in p for p in problems(meeting))


def test_a_proposal_to_justera_at_once_is_the_paragraphs_justering(meeting: Path) -> None:
    paper = meeting.parent / "ombud" / "tjänsteutlåtande.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(
            "förslag_till_beslut: [Socialnämnden utser ombud.]",
            "förslag_till_beslut: [Socialnämnden utser ombud., Beslutet förklaras omedelbart justerat.]",
        ),
        encoding="utf-8",
    )
    _write(meeting, (VOTE, "    beslutat_enligt: förvaltningens förslag\n"), (RESERVATION, ""))
    assert any("omedelbart_justerad: ja" in p for p in problems(meeting))


# 8. Attendance per paragraph: jäv with who stepped in, late arrivals.


def test_jav_and_late_arrival_change_who_takes_part(cli, meeting: Path, tmp_path: Path) -> None:
    _write(
        meeting,
        (
            "    expedieras_till: [Kommunstyrelsen]\n",
            "    expedieras_till: [Kommunstyrelsen]\n    jäv: [{ledamot: Bo Berglund (V), ersätts_av: Eva Ekström (C)}]\n",
        ),
        (
            "      ja: [Anna Andersson (S), Bo Berglund (V)]\n",
            "      ja: [Anna Andersson (S), Eva Ekström (C)]\n",
        ),
        (
            "    - David Dahlberg (M)\n",
            "    - David Dahlberg (M)\n    - {ledamot: Greta Gustafsson (L), från_paragraf: 8}\n",
        ),
    )
    protocol = _protocol(cli, meeting, tmp_path)
    assert "Eva Ekström (C) tjänstgjorde i stället för Bo Berglund (V)." in protocol
    cover = docx.Document(io.BytesIO((tmp_path / "protokoll.docx").read_bytes()))
    cells = "\n".join(c.text.replace("\u00a0", " ") for t in cover.tables for c in t._cells)
    assert "Eva Ekström (C), ersätter Bo Berglund (V) § 7 (jäv)" in cells
    assert "Greta Gustafsson (L), § 8" in cells


def test_a_late_member_cannot_vote_before_arriving(meeting: Path) -> None:
    _write(
        meeting,
        ("    - David Dahlberg (M)\n", "    - {ledamot: David Dahlberg (M), från_paragraf: 8}\n"),
        (RESERVATION, ""),
    )
    assert any("David Dahlberg (M) deltar inte i paragrafen" in p for p in problems(meeting))


def test_quorum_needs_more_than_half(meeting: Path) -> None:
    profile = meeting.parent / "beslutsdoc.yaml"
    roster = "".join(f"  - Ledamot{n} Nummer (S)\n" for n in range(4))
    profile.write_text(
        profile.read_text(encoding="utf-8")
        + "ledamöter:\n  - Anna Andersson (S)\n  - Cecilia Carlsson (V)\n  - David Dahlberg (M)\n"
        + roster,
        encoding="utf-8",
    )
    assert any(
        "inte beslutför i § 7: 3 av 7" in p and "6 kap. 27 §" in p for p in problems(meeting)
    )


# 9. Layout: signatures and the anslag box whole, a signature box on every page,
# numbers that never break, the board's name once.


def test_protocol_layout_keeps_its_blocks_whole(cli, meeting: Path, tmp_path: Path) -> None:
    _protocol(cli, meeting, tmp_path)
    document = docx.Document(io.BytesIO((tmp_path / "protokoll.docx").read_bytes()))
    boxes = [t for t in document.tables if t.rows[0].cells[0].text in ("Sekreterare", "Organ")]
    assert len(boxes) == 2
    for table in boxes:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(w("cantSplit")) is not None
        for row in table.rows[:-1]:
            for p in (p for c in row.cells for p in c.paragraphs):
                assert p.paragraph_format.keep_with_next
    footer = document.sections[0].footer
    assert "Justerandes signatur" in [c.text.strip() for t in footer.tables for c in t._cells]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Socialnämnden" not in headings
    body = document.element.body
    dnr = [
        p
        for p in body.iter(w("p"))
        if "".join(t.text or "" for t in p.iter(w("t"))).startswith("Dnr SN")
    ]
    assert dnr and dnr[0].find(f".//{w('noBreakHyphen')}") is None  # ”SN 2021:12”: no hyphen
    assert "\u00a0" in "".join(t.text or "" for t in dnr[0].iter(w("t")))


def test_numbers_keep_their_hyphens(cli, meeting: Path, tmp_path: Path) -> None:
    paper = meeting.parent / "ombud" / "tjänsteutlåtande.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(
            "titel: Ombud för nämnden", "titel: Ombud för nämnden, IVO 3.5.1-52009/2020-1"
        ),
        encoding="utf-8",
    )
    _protocol(cli, meeting, tmp_path)
    xml = (tmp_path / "protokoll.docx").read_bytes()
    import zipfile

    document = zipfile.ZipFile(io.BytesIO(xml)).read("word/document.xml").decode()
    assert "3.5.1</w:t><w:noBreakHyphen/><w:t>52009/2020</w:t><w:noBreakHyphen/>" in document


# 10. An empty report says so; delegationsbeslut carry when they were made.


def test_an_empty_report_says_there_is_nothing(cli, meeting: Path, tmp_path: Path) -> None:
    _write(
        meeting,
        (
            "  - titel: Förvaltningschefen informerar\n    information: true\n",
            "  - titel: Anmälan av delegationsbeslut\n    beslut: [Socialnämnden har tagit del av informationen.]\n"
            "  - titel: Delegationsbeslut i december\n    beslut: [Socialnämnden har tagit del av informationen.]\n"
            "    delegationsbeslut:\n      - delegat: Socialdirektör\n        period: 2020-12-01–2020-12-31\n"
            "        beslut: [{ärende: Ansökan, diarienummer: SN 2020:543, datum: 2020-12-03}]\n",
        ),
    )
    protocol = [t.replace("\u2011", "-") for t in _protocol(cli, meeting, tmp_path)]
    start = protocol.index("§ 8 Anmälan av delegationsbeslut")
    assert "Det finns inga ärenden att redovisa." in protocol[start : start + 6]
    assert "Beslut fattade 2020-12-01–2020-12-31" in protocol
    assert "2020-12-03 Ansökan (SN 2020:543)" in protocol


def test_every_extract_equals_its_paragraph_in_the_botkyrka_protocol(cli, tmp_path: Path) -> None:
    """The example with an återremiss vote before the main vote, jäv, a late arrival, a
    särskilt yttrande, an immediate justering and a secret item: protocol and extracts
    agree."""
    meeting = Path(__file__).resolve().parents[1] / "examples/botkyrka/2021-01-26/sammanträde.yaml"
    protocol = _protocol(cli, meeting, tmp_path)
    document = docx.Document(io.BytesIO((tmp_path / "protokoll.docx").read_bytes()))
    starts = [
        i
        for i, p in enumerate(document.paragraphs)
        if p.style.name == "Heading 2" and p.text.startswith("§")
    ]
    assert len(starts) == 12
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(protocol)
        number = protocol[start].split()[1]
        extract = texts(tmp_path / f"protokollsutdrag-{number}.docx")
        assert extract[: end - start] == protocol[start:end], number
    assert "Omröstning om återremiss" in protocol and "Omröstning i huvudfrågan" in protocol
    assert "Erik Sandberg (KD) lämnade följande särskilda yttrande:" in protocol
