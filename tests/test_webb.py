"""`build_site`: the board's public pages for the Botkyrka meeting, checked as a reader,
a screen reader and axe-core in Chromium see them."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import html as lhtml

from beslutsdoc.document.builder import Builder
from beslutsdoc.load.paper import load_paper
from beslutsdoc.problems import InputError
from beslutsdoc.publish.webb import build_site, genitive, web_address
from beslutsdoc.render import protokoll
from tests.conftest import EXAMPLES, ROOT

AXE = ROOT / "tests" / "axe"
MEETING = Path("2021-01-26") / "sammanträde.yaml"
#: The example's agenda items, one § each (the last, 12, is secret).
ITEMS = len(load_paper(EXAMPLES / "botkyrka" / MEETING).model.ärenden)
PDFS = ("kallelse.pdf", "protokoll-offentlig.pdf", "protokollsutdrag-6-offentlig.pdf")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Botkyrka example's pages, with public PDFs beside the meeting as `packet` and
    `protokoll --offentlig` leave them (and an original that must not be published)."""
    work = tmp_path_factory.mktemp("webb")
    shutil.copytree(EXAMPLES / "botkyrka", work / "botkyrka")
    beside = work / "botkyrka" / MEETING.parent
    for name in (*PDFS, "protokoll.pdf", "handlingar.pdf"):
        (beside / name).write_bytes(b"%PDF-1.7\n" + name.encode() + b"\n%%EOF\n")
    out = work / "webb"
    written = build_site([work / "botkyrka" / MEETING], out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(
        [
            "index.html",
            "anslagstavla.html",
            "stil.css",
            *(f"2021-01-26/{n}" for n in ("kallelse.html", "protokoll.html", "anslag.html")),
            *(f"2021-01-26/{n}" for n in PDFS),
        ]
    )
    yield out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path) -> lhtml.HtmlElement:
    return lhtml.fromstring(path.read_bytes())


def text(root: lhtml.HtmlElement) -> str:
    """The text as read, with the page's own line breaks gone (no-break spaces stay)."""
    return re.sub(r"[ \t\r\n]+", " ", root.text_content()).strip()


def test_every_page_is_a_whole_accessible_document(site: Path) -> None:
    titles = set()
    for path in pages(site):
        root = parse(path)
        assert root.get("lang") == "sv", path
        assert path.read_text().startswith("<!DOCTYPE html>")
        title = root.findtext(".//title")
        assert title and title not in titles, path
        titles.add(title)
        for landmark in ("header", "nav", "main", "footer"):
            assert len(root.findall(f".//{landmark}")) >= 1, (path, landmark)
        assert len(root.findall(".//h1")) == 1
        skip = root.xpath("//body/a[1]")[0]
        assert skip.text_content() == "Hoppa till innehållet"
        assert root.xpath("//main/@id") == [skip.get("href")[1:]]
        assert root.xpath("//meta[@name='viewport']")
        assert not root.xpath("//script")  # nothing needs JavaScript


def test_headings_never_skip_a_level(site: Path) -> None:
    for path in pages(site):
        levels = [int(h.tag[1]) for h in parse(path).iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1, path
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path, levels)


def ids_in(path: Path) -> set[str]:
    return {str(e.get("id")) for e in parse(path).iter() if e.get("id")}


def test_every_link_leads_somewhere(site: Path) -> None:
    """Every link goes to a file of the site (and an id on it), or is a web or mail
    address."""
    for path in pages(site):
        for a in parse(path).iter("a"):
            href = a.get("href")
            assert href, path
            if href.startswith(("https://", "mailto:")):
                continue
            name, _, anchor = href.partition("#")
            target = path.parent / name if name else path
            assert target.is_file(), (path, href)
            if anchor:
                assert anchor in ids_in(target), (path, href)


def test_only_public_pdfs_are_published(site: Path) -> None:
    folder = site / "2021-01-26"
    assert not (folder / "protokoll.pdf").exists() and not (folder / "handlingar.pdf").exists()
    links = {a.get("href") for p in pages(site) for a in parse(p).iter("a")}
    assert {"protokoll.pdf", "handlingar.pdf"}.isdisjoint(links)
    kallelse = parse(folder / "kallelse.html")
    assert [a.get("href") for a in kallelse.xpath("//ul[@class='pdf']//a")] == ["kallelse.pdf"]
    protokoll = parse(folder / "protokoll.html")
    assert [a.text_content() for a in protokoll.xpath("//ul[@class='pdf']//a")] == [
        "Protokoll",
        "Protokollsutdrag § 6",
    ]
    assert "PDF, 1 kB" in text(protokoll)
    anslag = parse(folder / "anslag.html")
    assert "protokoll-offentlig.pdf" in {a.get("href") for a in anslag.iter("a")}


def test_the_anslagstavla_holds_each_notice_apart_from_the_rest(site: Path) -> None:
    """Kommunallagen 8 kap. 9–10 §§: a page of its own with the notices of justerade
    minutes, each with its dates, and the immediately justerade paragraphs' own."""
    root = parse(site / "anslagstavla.html")
    assert root.xpath("string(//h1)") == "Anslagstavla"
    [notice] = root.xpath("//ul[@class='anslag']/li")
    assert notice.xpath("string(.//h2/a/@href)") == "2021-01-26/anslag.html"
    facts = {
        dt.text_content(): dd.text_content()
        for dt, dd in zip(notice.iter("dt"), notice.iter("dd"), strict=True)
    }
    assert facts["Uppsatt"] == "2021-02-02"
    assert facts["Överklaga senast"] == "2021-02-23"
    assert facts["Tas ned"] == "2021-02-24"
    assert facts["Paragrafer"] == "§§\u00a01–12"
    assert "§\u00a02 Statsbidrag för personliga ombud: uppsatt 2021-01-26" in text(notice)
    for path in pages(site):  # found from every page
        assert any(a.get("href", "").endswith("anslagstavla.html") for a in parse(path).iter("a"))


def test_index_lists_the_meeting_and_its_pages(site: Path) -> None:
    root = parse(site / "index.html")
    assert root.xpath("string(//h2)") == "Socialnämnden"
    assert root.xpath("string(//h3/time/@datetime)") == "2021-01-26"
    assert root.xpath("string(//h3)") == "26\u00a0januari 2021"
    assert [a.get("href") for a in root.xpath("//ul[@class='lankar']//a")] == [
        "2021-01-26/kallelse.html",
        "2021-01-26/protokoll.html",
        "2021-01-26/anslag.html",
    ]


def test_kallelse_has_board_time_place_and_the_numbered_agenda(site: Path) -> None:
    root = parse(site / "2021-01-26" / "kallelse.html")
    facts = {
        d.findtext("dt"): " ".join(d.find("dd").text_content().split())
        for d in root.xpath("//dl/div")
    }
    assert facts["Organ"] == "Socialnämnden, Botkyrka kommun"
    assert facts["Dag"] == "tisdag 26 januari 2021"
    assert facts["Tid"] == "kl. 18.00"
    assert facts["Plats"] == "Munkhättevägen 49 eller via Teams"
    assert facts["Ordförande"] == "Niklas Gladh"
    assert "anneli.sjoberg@botkyrka.se" in facts["Sekreterare"]
    items = root.xpath("//ol[@class='arenden']/li")
    assert [li.get("value") for li in items] == [str(n) for n in range(1, ITEMS + 1)]
    assert items[0].findtext("span[@class='rubrik']") == "Internkontrollplan 2021"
    assert items[0].findtext("span[@class='dnr']") == "Dnr SN 2020:548"
    assert items[7].findtext("span[@class='rubrik']") == "Förvaltningschefen informerar"
    assert items[7].findtext("span[@class='dnr']") == "Muntlig information"
    assert items[8].findtext("span[@class='dnr']") == "Dnr SN 2020:25"
    decided = [
        a.get("href") for a in root.xpath("//ol[@class='arenden']/li/span[@class='paragraf']/a")
    ]
    protokoll = parse(site / "2021-01-26" / "protokoll.html")
    headings = {h.get("id"): h.text_content() for h in protokoll.xpath("//main/h2")}
    assert [headings[href.removeprefix("protokoll.html#")].split(" ")[0] for href in decided] == [
        f"§\u00a0{n}" for n in range(1, ITEMS + 1)
    ]


def test_protokoll_is_the_minutes_from_the_document_model(site: Path) -> None:
    root = parse(site / "2021-01-26" / "protokoll.html")
    paragraphs = [h.text_content() for h in root.xpath("//main/h2") if h.text_content()[0] == "§"]
    assert len(paragraphs) == ITEMS
    assert paragraphs[0] == "§\u00a01 Internkontrollplan 2021"
    assert paragraphs[5] == "§\u00a06 Remissvar nya socialtjänstlagen"
    nav = root.xpath("//main/nav")[0]
    assert len(nav.xpath(".//a")) == ITEMS + 2  # närvarande, the §§, justering
    present = root.xpath("//h3[.='Beslutande']/following-sibling::ul[1]/li")
    model = load_paper(EXAMPLES / "botkyrka" / MEETING).model
    members = [str(b.ledamot) for b in model.närvarande.beslutande]
    assert len(members) == 14
    assert [li.text_content().split(",")[0] for li in present[:14]] == members
    assert present[0].text_content() == "Niklas Gladh (S), ordförande"
    assert present[5].text_content() == "Fatima Abdi (S), ersätter Jan Hedlund (S)"
    vote = root.xpath("//table")[0]
    assert [th.text_content() for th in vote.xpath("thead/tr/th[@scope='col']")] == [
        "Ledamot",
        "Ja",
        "Nej",
        "Avstår",
    ]
    assert vote.xpath("string(caption)") == "Omröstning"
    body = text(root)
    assert "reserverade sig mot beslutet till förmån för det egna gemensamma yrkandet" in body
    assert "Tommy Berg (SD) lämnade följande protokollsanteckning" in body
    assert (
        "Protokollet justerades av ordföranden Niklas Gladh (S) och Siv Nyström (M)"
        " den 2\u00a0februari 2021 i Socialförvaltningen, Munkhättevägen 45, Tumba." in body
    )
    assert "Offentlig version" in body


def test_the_secret_item_shows_its_ground_and_nothing_else(site: Path) -> None:
    """§ 12 (a child placement, 26 kap. 1 § OSL) keeps number, title and Dnr; its
    content, names and personnummer are on no page."""
    protokoll = parse(site / "2021-01-26" / "protokoll.html")
    heading = protokoll.xpath("//main/h2[starts-with(., '§\u00a012 ')]")[0]
    assert heading.text_content() == "§\u00a012 Placering av barn i familjehem"
    after = [e.text_content().replace("\u00a0", " ") for e in heading.itersiblings()][:3]
    assert after[0] == "Dnr SN 2021:20"
    assert after[1].startswith("Sekretess enligt 26 kap. 1 § OSL")
    assert after[2] == "Justering"
    for path in pages(site):
        shown = text(parse(path))
        for secret in ("Elsa", "Kim och Robin", "19121212", "121212-1212", "familjehem enligt"):
            assert secret not in shown, (path, secret)


def test_anslag_has_what_kommunallagen_asks_for(site: Path) -> None:
    root = parse(site / "2021-01-26" / "anslag.html")
    facts = {d.findtext("dt"): d.find("dd").text_content() for d in root.xpath("//dl/div")}
    assert facts == {
        "Organ": "Socialnämnden, Botkyrka kommun",
        "Sammanträdesdatum": "2021-01-26",
        "Paragrafer": f"§§\u00a01–{ITEMS}",
        "Justeringsdatum": "2021-02-02",
        "Datum då anslaget sätts upp": "2021-02-02",
        # Three weeks from Tuesday 2 February is Tuesday 23 February, the last day.
        "Datum då anslaget tas ned": "2021-02-24",
        "Förvaringsplats för protokollet": "Socialförvaltningen, Munkhättevägen 45, Tumba",
    }
    body = text(root)
    assert "laglighetsprövning enligt 13\u00a0kap. kommunallagen" in body
    assert "senast den 23\u00a0februari 2021" in body
    assert "Socialnämndens protokoll" in body


# -- meetings of one's own -----------------------------------------------------------

MEETING_YAML = """\
typ: sammanträde
datum: {datum}
tid: "9"
plats: Rum <b>1</b> & {{{{ 7*7 }}}}
ordförande: Anna Andersson
sekreterare: {{namn: Fredrik Falk, epost: "fredrik@test.se"}}
ärenden:
  - titel: "Information <script>alert(1)</script> & {{{{ 7*7 }}}}"
    information: true
    beslut: ["Nämnden har tagit del av <i>informationen</i> & {{{{ x }}}}."]
    omedelbart_justerad: {omedelbart}
"""

MINUTES_YAML = """\
närvarande:
  beslutande:
    - {{ledamot: Anna Andersson (S), roll: ordförande}}
    - Bo Berglund (V)
justering:
  justerare: [Bo Berglund (V)]
  datum: {justering}
"""


def minutes_yaml(datum: str) -> str:
    return MINUTES_YAML.format(justering=date.fromisoformat(datum) + timedelta(days=2))


@pytest.fixture
def meeting(write: Callable[..., Path]) -> Callable[..., Path]:
    def _meeting(
        datum: str = "2023-12-12", minutes: bool = True, name: str = "m.yaml", **keys: str
    ) -> Path:
        text = MEETING_YAML.format(datum=datum, omedelbart=keys.get("omedelbart", "nej"))
        if not minutes:
            text = "\n".join(line for line in text.splitlines() if "beslut:" not in line) + "\n"
            text = text.replace("    omedelbart_justerad: nej\n", "")
        return write(text + (minutes_yaml(datum) if minutes else ""), name)

    return _meeting


def test_user_text_is_data_on_every_page(meeting: Callable[..., Path], tmp_path: Path) -> None:
    build_site([meeting()], tmp_path / "ut")
    for path in pages(tmp_path / "ut"):
        root = parse(path)
        assert not root.xpath("//script") and not root.xpath("//main//b | //main//i")
        assert "49" not in text(root)
    kallelse = parse(tmp_path / "ut" / "2023-12-12" / "kallelse.html")
    assert "Information <script>alert(1)</script> & {{ 7*7 }}" in text(kallelse)
    assert "Rum <b>1</b> & {{ 7*7 }}" in text(kallelse)
    protokoll = parse(tmp_path / "ut" / "2023-12-12" / "protokoll.html")
    assert "Nämnden har tagit del av <i>informationen</i> & {{ x }}." in text(protokoll)


def test_a_meeting_before_it_is_held_has_only_its_notice(
    meeting: Callable[..., Path], tmp_path: Path
) -> None:
    written = build_site([meeting(minutes=False)], tmp_path / "ut")
    assert sorted(p.name for p in written) == [
        "anslagstavla.html",
        "index.html",
        "kallelse.html",
        "stil.css",
    ]
    board = parse(tmp_path / "ut" / "anslagstavla.html")
    assert "Det finns inga anslag om justerade protokoll ännu." in text(board)
    index = parse(tmp_path / "ut" / "index.html")
    assert [a.get("href") for a in index.xpath("//ul[@class='lankar']//a")] == [
        "2023-12-12/kallelse.html"
    ]
    kallelse = parse(tmp_path / "ut" / "2023-12-12" / "kallelse.html")
    assert [a.text_content() for a in kallelse.xpath("//nav//a")] == [
        "Alla sammanträden",
        "Anslagstavla",
        "Kallelse",
    ]
    assert text(kallelse).count("kl. 09.00") == 2


def test_meetings_newest_first_and_one_folder_each(
    meeting: Callable[..., Path], write: Callable[..., Path], tmp_path: Path
) -> None:
    first = meeting("2023-11-07", name="a/m.yaml")
    second = meeting("2023-12-12", name="b/m.yaml")
    other = write(
        MEETING_YAML.format(datum="2023-12-12", omedelbart="nej")
        + minutes_yaml("2023-12-12")
        + "nämnd: Kultur- och fritidsnämnden\n",
        "c/m.yaml",
    )
    build_site([first, second, other], tmp_path / "ut")
    index = parse(tmp_path / "ut" / "index.html")
    assert [h.text_content() for h in index.xpath("//h2")] == [
        "Socialnämnden",
        "Kultur- och fritidsnämnden",
    ]
    dates = index.xpath("//ul[@class='moten'][1]/li/h3/time/@datetime")
    assert dates == ["2023-12-12", "2023-11-07"]
    folders = sorted(p.name for p in (tmp_path / "ut").iterdir() if p.is_dir())
    assert folders == [
        "2023-11-07",
        "2023-12-12-kultur-och-fritidsnamnden",
        "2023-12-12-socialnamnden",
    ]


def test_immediately_justerade_paragraphs_are_named_on_the_anslag(
    meeting: Callable[..., Path], tmp_path: Path
) -> None:
    build_site([meeting(omedelbart="ja")], tmp_path / "ut")
    anslag = text(parse(tmp_path / "ut" / "2023-12-12" / "anslag.html"))
    assert "Omedelbart justerade paragrafer" in anslag
    # Justerad at the meeting on Tuesday 12 December 2023; three weeks is 2 January 2024.
    assert "går tiden för överklagande ut den 2\u00a0januari 2024" in anslag


def test_bad_input_writes_nothing_and_reports_every_file(
    meeting: Callable[..., Path], write: Callable[..., Path], tmp_path: Path
) -> None:
    good = meeting()
    bad = write(MEETING_YAML.format(datum="2023-13-40", omedelbart="nej"), "bad.yaml")
    no_decision = write(  # minutes, but an item without its decision
        MEETING_YAML.format(datum="2023-12-12", omedelbart="nej")
        .replace("    information: true\n", "")
        .replace("    beslut:", "    förslag_till_beslut:")
        + minutes_yaml("2023-12-12"),
        "nobeslut.yaml",
    )
    with pytest.raises(InputError) as err:
        build_site([good, bad, no_decision], tmp_path / "ut")
    files = {p.file.name for p in err.value.problems if p.file}
    assert files == {"bad.yaml", "nobeslut.yaml"}
    assert not (tmp_path / "ut").exists()


def test_the_municipality_s_own_stylesheet(meeting: Callable[..., Path], tmp_path: Path) -> None:
    own = tmp_path / "egen.css"
    own.write_text("body { color: #000; }\n")
    build_site([meeting()], tmp_path / "ut", stylesheet=own)
    assert (tmp_path / "ut" / "stil.css").read_text() == "body { color: #000; }\n"
    kallelse = parse(tmp_path / "ut" / "2023-12-12" / "kallelse.html")
    assert kallelse.xpath("//link[@rel='stylesheet']/@href") == ["../stil.css"]


def test_site_beside_its_meetings_links_the_pdfs_in_place(
    meeting: Callable[..., Path], folder: Path
) -> None:
    path = meeting(name="2023-12-12/m.yaml")
    (path.parent / "protokoll-offentlig.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    written = build_site([path], folder)  # the meeting's folder is the site's own
    assert folder / "2023-12-12" / "protokoll-offentlig.pdf" not in written
    protokoll = parse(folder / "2023-12-12" / "protokoll.html")
    assert "protokoll-offentlig.pdf" in protokoll.xpath("//ul[@class='pdf']//a/@href")


def test_secret_parts_never_reach_the_public_minutes(
    meeting: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A § the minutes mark secret (as the secrecy keys do) shows its ground, not its
    content, on the page."""

    original = protokoll.Record

    class SecretRecord(original):
        def build(self, out: Builder) -> None:
            out.secret("26 kap. 1 § OSL", original(*self.__dict__.values()), "paragrafen")

    monkeypatch.setattr(protokoll, "Record", SecretRecord)
    build_site([meeting()], tmp_path / "ut")
    body = text(parse(tmp_path / "ut" / "2023-12-12" / "protokoll.html"))
    assert (
        "Sekretess enligt 26\u00a0kap. 1\u00a0§ OSL" in body
        or "Sekretess enligt 26 kap. 1 § OSL" in body
    )
    assert "Paragrafen" in body  # what was left out is named
    assert "har tagit del av" not in body


def test_a_personnummer_on_a_page_is_an_error_and_nothing_is_written(
    meeting: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever brings a personnummer to a page (the checks read the papers; this one
    the pages), the site is not written."""
    original = protokoll.Record

    class Leaking(original):
        def build(self, out: Builder) -> None:
            super().build(out)
            out.text("Gäller 19121212-1212, 1212121212 och 121212\u00a01212.")

    monkeypatch.setattr(protokoll, "Record", Leaking)
    path = meeting()
    with pytest.raises(InputError) as err:
        build_site([path], tmp_path / "ut")
    messages = [(p.file, p.message) for p in err.value.problems]
    assert [m[0] for m in messages] == [path] * 3
    assert all("2023-12-12/protokoll.html" in m for _, m in messages)
    assert ["19121212-1212" in messages[0][1], "1212121212" in messages[1][1]] == [True, True]
    assert not (tmp_path / "ut").exists()


def test_no_meeting_no_site(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="minst ett sammanträde"):
        build_site([], tmp_path / "ut")
    assert not (tmp_path / "ut").exists()


def test_small_helpers() -> None:
    assert web_address("www.botkyrka.se") == "https://www.botkyrka.se"
    assert web_address("https://x.se/a") == "https://x.se/a"
    assert web_address("javascript:alert(1)") is None and web_address("ring oss") is None
    assert genitive("Socialnämnden") == "Socialnämndens"
    assert genitive("Kommunfullmäktige") == "Kommunfullmäktiges"
    assert genitive("Revisorernas utskott Bus") == "Revisorernas utskott Bus"


# -- in a real browser ---------------------------------------------------------------


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_axe_core_finds_no_wcag_violation_on_any_page(site: Path) -> None:
    """axe-core in headless Chromium, WCAG 2.1 A and AA, on every page; and no page
    scrolls sideways at 320 px (WCAG 1.4.10)."""
    browser = _browser()
    node = shutil.which("node")
    ready = browser and node and (AXE / "node_modules" / "axe-core").is_dir()
    if not ready:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Chromium, node eller tests/axe/node_modules saknas i CI; .ci/run ska installera dem"
            )
        pytest.skip("Chromium, node eller axe-core saknas (npm ci --prefix tests/axe)")
    assert browser and node
    files = [str(p) for p in pages(site)]
    run = subprocess.run(
        [node, str(AXE / "run.js"), browser, *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)["pages"]
    assert [r["page"] for r in results] == files
    for result in results:
        assert result["violations"] == [], json.dumps(result, ensure_ascii=False, indent=1)
        assert result["passes"] > 10  # axe really ran its rules on the page
        assert result["overflow"] <= 0, result["page"]
