"""Every PDF a new board's folder makes passes both PDF/UA-1 checkers, pdfua and outloud,
with no errors: not only the examples' boards, whose contact details happen to be
short.

Two boards. The folder `beslutsdoc ny` makes, as it stands. And that folder with every
contact detail filled in and long (they fill the first page's footer over lines), a
long board and förvaltning name, and two more papers with a long title, tables,
footnotes, a link, lists and a quotation: one in the standard template, one in a
municipality's own (Botkyrka's, with its logo in the header). Of each board every
paper, the protokoll with its utdrag and the kallelse, all made into PDF in one
LibreOffice run, and both checkers run once over all of them.

The first page's footer with the contact details is information, not pagination: a
screen reader reads it (it is in the structure tree), while the page number and the
running footer stay artifacts (`export/accessible.py`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .conftest import EXAMPLES, need_libreoffice
from .test_pdfua import _errors_outloud, _errors_pdfua

MEETING = Path("2027-01-26") / "sammanträde.yaml"
KONTAKT = {
    "postadress": "Nämnden för arbetsmarknad och social hållbarhet, Box 12345, 123 45 Långa Exempelstad",
    "besöksadress": "Stora Förvaltningshusets gata 123, ingång B, plan 4, Långa Exempelstad",
    "telefon": "0123-45 67 89 (växel, vardagar klockan 8–17)",
    "epost": "arbetsmarknads.och.hallbarhetsnamnden@langa-exempelkommunen.se",
    "webb": "https://www.langa-exempelkommunen.se/namnder/arbetsmarknad-och-social-hallbarhet",
    "organisationsnummer": "212000-1234",
    "bankgiro": "5050-1055",
}
NÄMND = "Nämnden för arbetsmarknad, vuxenutbildning, integration och social hållbarhet"
FÖRVALTNING = "Förvaltningen för arbetsmarknad, vuxenutbildning, integration och social hållbarhet"
TITLE = (
    "Redovisning av uppdraget att utveckla samverkan mellan förvaltningarna, skolan och"
    " hälso- och sjukvården kring barn och unga med psykisk ohälsa i hela kommunen"
)
PAPER = f"""\
typ: tjänsteutlåtande
diarienummer: SN 2027:17
datum: 2027-01-12
sammanträde: 2027-01-26
avdelning: Avdelningen för stadsövergripande sociala frågor och kvalitetsutveckling
handläggare:
  namn: Eva Exempel
  titel: utredare
  telefon: 08-123 456 10
  epost: eva.exempel@exempelkommun.se
titel: {TITLE}
undertitel: Redovisning av budgetuppdrag 2027
förslag_till_beslut:
  - Nämnden godkänner redovisningen.
  - Ärendet överlämnas till kommunstyrelsen för kännedom.
sammanfattning: |
  Förvaltningen har under året arbetat med samverkan[^1] i hela kommunen, enligt
  [kommunens riktlinjer](https://www.exempelkommun.se/riktlinjer).

  [^1]: Samverkan sker i de lokala grupperna.
avsnitt:
  - rubrik: Ärendet
    text: |
      ### Kostnader per verksamhet
      | Verksamhet | 2026 | 2027 |
      |---|---|---|
      | Förskola | 1 200 | 1 350 |
      | Grundskola | 4 800 | 5 100 |
      | Socialtjänst | 2 300 | 2 450 |

      Kostnaderna har ökat något.[^2]

      - Den första punkten, med en lista under sig:
        - en punkt under den
        - och en till
      - Den andra punkten.

      > Barnets bästa ska beaktas vid alla åtgärder som rör barn.

      [^2]: Beloppen är i tusental kronor.
  - rubrik: Barnkonsekvensanalys
    text: Barnen berörs direkt, och deras synpunkter har inhämtats.
underskrifter:
  - namn: Karin Chef
    titel: Förvaltningschef
expedieras_till: [Kommunstyrelsen]
"""


@pytest.fixture(scope="module")
def boards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The folder `beslutsdoc ny` makes (”ny”), and it with everything long (”lång”),
    which has its two more papers in lång/extra (the standard template) and
    lång/egen-mall (Botkyrka's template)."""
    need_libreoffice()
    from beslutsdoc.cli import main

    root = tmp_path_factory.mktemp("pdfua-nämnder")
    plain, full = root / "ny", root / "lång"
    assert main(["ny", str(plain)]) == 0
    shutil.copytree(plain, full)
    profile = yaml.safe_load((full / "beslutsdoc.yaml").read_text(encoding="utf-8"))
    profile.update(nämnd=NÄMND, förvaltning=FÖRVALTNING, kontakt=KONTAKT)
    _write_yaml(full / "beslutsdoc.yaml", profile)
    (full / "extra").mkdir()
    (full / "extra" / "tjänsteutlåtande.yaml").write_text(PAPER, encoding="utf-8")
    own = full / "egen-mall"
    shutil.copytree(EXAMPLES / "botkyrka" / "mallar", own / "mallar")
    _write_yaml(
        own / "beslutsdoc.yaml",
        {**profile, "mallar": {"tjänsteutlåtande": "mallar/tjänsteskrivelse.docx"}},
    )
    (own / "tjänsteutlåtande.yaml").write_text(PAPER, encoding="utf-8")
    return {"ny": plain, "lång": full}


@pytest.fixture(scope="module")
def made(boards: dict[str, Path]) -> list[Path]:
    """Every PDF of both boards: their papers, protokoll and utdrag, and kallelse; the
    Word files made by the commands, the PDFs in one LibreOffice run."""
    from beslutsdoc.api import with_pdfs
    from beslutsdoc.cli import main

    papers = sorted(
        p
        for board in boards.values()
        for p in board.rglob("*.yaml")
        if p.name not in ("beslutsdoc.yaml", MEETING.name)
    )
    assert main(["render", *map(str, papers)]) == 0
    words = [p.with_suffix(".docx") for p in papers]
    for name, board in boards.items():
        minutes, packet = board.parent / f"{name}-protokoll", board.parent / f"{name}-paket"
        assert main(["protokoll", str(board / MEETING), "-o", str(minutes)]) == 0
        assert main(["packet", str(board / MEETING), "-o", str(packet), "--no-pdf"]) == 0
        words += sorted(minutes.glob("*.docx"))
        words.append(packet / "kallelse.docx")
    done = with_pdfs([w.read_bytes() for w in words], words)
    pdfs = [w.with_suffix(".pdf") for w in words]
    for pdf, (_, data) in zip(pdfs, done, strict=True):
        pdf.write_bytes(data)
    return pdfs


@pytest.fixture(scope="module")
def errors(made: list[Path]) -> dict[str, dict[Path, list[str]]]:
    with ThreadPoolExecutor(2) as pool:
        pdfua = pool.submit(_errors_pdfua, made)
        outloud = pool.submit(_errors_outloud, made)
        return {"pdfua": pdfua.result(), "outloud": outloud.result()}


def test_every_kind_of_pdf_of_both_boards_is_checked(
    boards: dict[str, Path], made: list[Path]
) -> None:
    names = [p.relative_to(boards["ny"].parent).as_posix() for p in made]
    assert len(names) == len(set(names)) == 20
    for board in boards.values():
        for kind in ("tjänsteutlåtande", "internkontrollplan", "internkontrolluppföljning"):
            assert any(p.is_relative_to(board) and p.stem == kind for p in made), kind
    for name in boards:
        assert f"{name}-protokoll/protokoll.pdf" in names
        assert f"{name}-protokoll/protokollsutdrag-1.pdf" in names
        assert f"{name}-paket/kallelse.pdf" in names
    assert {"lång/extra/tjänsteutlåtande.pdf", "lång/egen-mall/tjänsteutlåtande.pdf"} <= set(names)
    # The long contact details fill the first page's footer over lines.
    full = PdfReader(boards["lång"] / "extra" / "tjänsteutlåtande.pdf")
    footer = [(t, y) for t, y in _painted(full.pages[0]) if y < 90]
    assert _squash(KONTAKT["epost"]) in _squash("".join(t for t, _ in footer))
    assert len({round(y) for _, y in footer}) >= 4 and len(full.pages) >= 2


@pytest.mark.parametrize("checker", ["pdfua", "outloud"])
def test_every_pdf_has_no_errors(
    errors: dict[str, dict[Path, list[str]]], made: list[Path], checker: str
) -> None:
    assert list(errors[checker]) == made
    found = {
        f"{p.parent.parent.name}/{p.parent.name}/{p.name}": e
        for p, e in errors[checker].items()
        if e
    }
    assert found == {}


# -- the first page's footer ------------------------------------------------------------


@pytest.mark.parametrize(
    "paper",
    [
        "ny/2027-01-26/01-internkontrollplan/tjänsteutlåtande.pdf",
        "ny-protokoll/protokoll.pdf",
        "ny-paket/kallelse.pdf",
        "lång/extra/tjänsteutlåtande.pdf",
        "lång/egen-mall/tjänsteutlåtande.pdf",
        "lång/2027-01-26/01-internkontrollplan/internkontrollplan.pdf",
    ],
)
def test_the_contact_details_are_read_and_the_page_number_is_not(
    boards: dict[str, Path], made: list[Path], paper: str
) -> None:
    pdf = boards["ny"].parent / paper
    assert pdf in made
    board = boards[paper.split("/")[0].split("-")[0]]
    kontakt = yaml.safe_load((board / "beslutsdoc.yaml").read_text("utf-8"))["kontakt"]
    reader = PdfReader(pdf)
    page = reader.pages[0]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    text = _marked_text(page)  # MCID: its text, on the first page
    reached = {mcid: element for element, mcid in _contents(tree, page) if mcid in text}
    # The document's last elements: a paragraph for the footer's lines, on the first
    # page, in the document's language, found from their content in the ParentTree.
    [document] = [k.get_object() for k in tree["/K"]]
    footer = []
    for kid in reversed([k.get_object() for k in document["/K"]]):
        mcids = [m for m, e in reached.items() if e == kid]
        if kid["/S"] != "/P" or not mcids or kid["/Pg"].get_object() != page:
            break
        assert "/Lang" not in kid and kid["/P"].get_object() == document
        footer[:0] = mcids
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    marks = _numbers(tree["/ParentTree"])[page["/StructParents"]]
    assert all(marks[m].get_object() == reached[m] for m in footer)
    read = _squash("".join(text[m] for m in footer))
    rest = _squash("".join(t for m, t in text.items() if m not in footer))
    for value in kontakt.values():  # every detail as printed, in the footer's paragraphs
        assert _squash(str(value)) in read, value
    assert _squash(kontakt["epost"]) not in rest
    # The page number stays pagination: painted, but in no element.
    pagination = _squash(f"Sida 1 av {len(reader.pages)}")
    assert pagination in _squash(page.extract_text())
    assert pagination not in _squash("".join(text[m] for m in sorted(text)))  # paint order
    assert "sida" not in read


def test_the_running_footer_stays_an_artifact(boards: dict[str, Path]) -> None:
    """The protokoll's signature boxes are on every page: furniture, not read."""
    pdf = boards["ny"].parent / "ny-protokoll" / "protokoll.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        painted = _squash(page.extract_text())
        read = _squash("".join(_marked_text(page).values()))
        assert "justerandessignatur" in painted and "justerandessignatur" not in read


def test_made_accessible_twice_it_is_the_same(made: list[Path]) -> None:
    from beslutsdoc.export.accessible import accessible

    for pdf in made:
        assert accessible(pdf.read_bytes()) == pdf.read_bytes()


def test_the_content_stream_is_read_as_pypdf_reads_it(made: list[Path]) -> None:
    """The operators `accessible` finds to change a footer's marks by are pypdf's, on
    every page made; and strings, comments and an inline image with ”EMC” in them, a
    name with #20 in it and text placed by cm, Td, TD and T* are read right."""
    from pypdf.generic import ContentStream

    from beslutsdoc.export.accessible import _operators, _sections

    for pdf in made:
        reader = PdfReader(pdf)
        for page in reader.pages:
            data = page.get_contents().get_data()
            theirs = [op for _, op in ContentStream(page.get_contents(), reader).operations]
            assert [op for op, _, _ in _operators(data)] == theirs
    tricky = (
        b"/Artifact BMC q BT /F1 8 Tf 10 20 Td (a (nested) \\) EMC) Tj ET Q EMC % EMC\n"
        b"q 1 0 0 1 0 100 cm /P <</MCID 3>> BDC BT 10 700 Td 0 -12 TD <01> Tj T* [(x) -3 (y)] TJ"
        b" ET EMC Q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00EMC\x01 EI /List#20Number <</MCID 4>> BDC"
        b" EMC"
    )
    read = _sections(tricky)
    assert read is not None
    sections, lowest = read
    assert [s.tag for s in sections] == ["/Artifact", "/P", "/List Number"]
    assert [tricky[s.start : s.end] for s in sections][:2] == [
        b"/Artifact BMC",
        b"/P <</MCID 3>> BDC",
    ]
    assert all(tricky[: s.stop].endswith(b"EMC") for s in sections)
    assert lowest == 776  # 100 + 700 - 12 - 12: the structure content's, not the artifact's
    assert _sections(b"/P <</MCID 0>> BDC BT EMC ET") is None  # ends inside a text object


# -- helpers ----------------------------------------------------------------------------


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", "", text).lower()


def _marked_text(page: Any) -> dict[int, str]:
    """The text of each MCID on `page`."""
    text: dict[int, str] = {}
    stack: list[int | None] = []

    def before(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            stack.append(int(mcid) if mcid is not None else (stack[-1] if stack else None))
        elif operator == b"BMC":
            stack.append(None)  # an artifact, or no element's
        elif operator == b"EMC" and stack:
            stack.pop()

    def visit(piece: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if stack and stack[-1] is not None:
            text[stack[-1]] = text.get(stack[-1], "") + piece

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return text


def _painted(page: Any) -> list[tuple[str, float]]:
    """The text painted on `page`, each piece with its baseline's height."""
    out: list[tuple[str, float]] = []

    def visit(piece: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if piece.strip():
            out.append((piece, float(tm[5] * cm[3] + cm[5])))

    page.extract_text(visitor_text=visit)
    return out


def _contents(node: Any, page: Any, on: Any = None) -> Iterator[tuple[DictionaryObject, int]]:
    """Each element under `node` with an MCID of its own on `page`."""
    node = node.get_object()
    on = node.get("/Pg", on)
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        item = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(item, int) and on is not None and on.get_object() == page:
            yield node, int(item)
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            if item.get("/Pg", on).get_object() == page:
                yield node, int(item["/MCID"])
        elif isinstance(item, DictionaryObject) and "/S" in item:
            yield from _contents(item, page, on)


def _numbers(tree: Any) -> dict[int, Any]:
    nums = tree.get_object()["/Nums"]
    return {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
