"""The HTML writer: every node kind, escaping, footnote links, heading order."""

from __future__ import annotations

from lxml import html as lhtml

from beslutsdoc.document.markdown import read
from beslutsdoc.document.nodes import (
    BulletList,
    Contents,
    Heading,
    Landscape,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Secret,
    Span,
    Table,
)
from beslutsdoc.render.html import Written, safe_link, slug, write_html


def page(written: Written) -> lhtml.HtmlElement:
    """The body and notes as one element tree, as a page holds them."""
    return lhtml.fragment_fromstring(f"{written.body}{written.notes}", create_parent="div")


def p(*spans: Span | Note) -> Paragraph:
    return Paragraph(tuple(spans))


def levels(root: lhtml.HtmlElement) -> list[int]:
    return [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_headings_start_at_top_and_never_skip_a_level() -> None:
    blocks = [
        Heading(1, (Span("Ett"),)),
        Heading(3, (Span("Under ett"),)),  # a skipped level in the model
        Heading(6, (Span("Djupt"),)),
        Heading(2, (Span("Två"),)),
        Heading(1, (Span("Tre"),)),
    ]
    root = page(write_html(blocks, top=2))
    assert levels(root) == [2, 3, 4, 3, 2]
    assert [h.text_content() for h in root.iter("h2", "h3", "h4")] == [
        "Ett",
        "Under ett",
        "Djupt",
        "Två",
        "Tre",
    ]
    ids = [h.get("id") for h in root.iter("h2", "h3", "h4")]
    assert len(set(ids)) == len(ids)


def test_heading_ids_are_readable_and_unique() -> None:
    root = page(
        write_html([Heading(2, (Span("§ 6 Remissvar"),)), Heading(2, (Span("§ 6 Remissvar"),))])
    )
    assert [h.get("id") for h in root.iter("h2")] == [
        "paragraf-6-remissvar",
        "paragraf-6-remissvar-2",
    ]
    assert slug("Återrapportering, barn & unga") == "aterrapportering-barn-unga"
    assert slug("!!!") == "rubrik"


def test_user_text_is_escaped_and_stays_as_written() -> None:
    raw = 'A & B <script>alert(1)</script> {{ 7*7 }} "citat" ”svenska”'
    written = write_html([p(Span(raw))])
    assert "<script>" not in written.body
    assert "&lt;script&gt;" in written.body and "&amp;" in written.body
    root = page(written)
    assert root.xpath("string(.//p)") == raw
    assert not root.xpath(".//script")


def test_bold_italic_line_breaks_and_control_characters() -> None:
    root = page(
        write_html(
            [
                p(
                    Span("fet", bold=True),
                    Span(" och "),
                    Span("kursiv", italic=True),
                    Span("rad\nny\x0b rad\x07"),
                )
            ]
        )
    )
    assert root.xpath("string(.//strong)") == "fet"
    assert root.xpath("string(.//em)") == "kursiv"
    assert len(root.xpath(".//p/br")) == 1
    assert "\x0b" not in root.text_content() and "\x07" not in root.text_content()
    assert root.xpath("string(.//p)").endswith("radny rad")


def test_empty_paragraphs_are_left_out_and_quotes_are_blockquotes() -> None:
    root = page(write_html([Paragraph(()), Paragraph((Span("Citat"),), quote=True)]))
    assert len(root.xpath(".//p")) == 1
    assert root.xpath("string(.//blockquote/p)") == "Citat"


def test_links_only_for_web_and_mail_addresses() -> None:
    spans = [
        Span("webb", link="https://www.botkyrka.se/?a=1&b=2"),
        Span("http", link="http://example.se"),
        Span("post", link="mailto:anneli.sjoberg@botkyrka.se"),
        Span("skript", link="javascript:alert(1)"),
        Span("data", link="data:text/html,<b>x</b>"),
        Span("fil", link="file:///etc/passwd"),
        Span("relativ", link="../hemligt.pdf"),
        Span("citat", link='https://x.se/"onmouseover="alert(1)'),
    ]
    root = page(write_html([p(*spans)]))
    links = {a.text_content(): a.get("href") for a in root.iter("a")}
    assert links == {
        "webb": "https://www.botkyrka.se/?a=1&b=2",
        "http": "http://example.se",
        "post": "mailto:anneli.sjoberg@botkyrka.se",
        "citat": 'https://x.se/"onmouseover="alert(1)',
    }
    assert all(a.get("onmouseover") is None for a in root.iter("a"))
    assert "skript" in root.text_content() and "relativ" in root.text_content()
    assert safe_link(" HTTPS://x.se ") == "HTTPS://x.se" and safe_link("ftp://x") is None


def test_lists_bullets_numbers_from_their_start_and_nesting() -> None:
    nested = BulletList((ListItem((p(Span("inre")),)),))
    blocks = [
        BulletList((ListItem((p(Span("a")),)), ListItem((p(Span("b")), nested)))),
        OrderedList((ListItem((p(Span("tre")),)), ListItem((p(Span("fyra")),))), start=3),
        OrderedList((ListItem((p(Span("ett")),)),)),
    ]
    root = page(write_html(blocks))
    outer = root.xpath("./ul")[0]
    assert [li.xpath("string(text())") for li in outer.xpath("./li")] == ["a", ""]
    assert outer.xpath("string(./li[2]/p)") == "b"
    assert outer.xpath("string(./li[2]/ul/li)") == "inre"
    first, second = root.xpath("./ol")
    assert first.get("start") == "3" and [li.text_content() for li in first] == ["tre", "fyra"]
    assert second.get("start") is None


def test_markdown_lists_keep_their_start() -> None:
    root = page(write_html(read("4. fyra\n5. fem\n")))
    assert root.xpath("./ol")[0].get("start") == "4"


def cell(text: str) -> tuple[Paragraph, ...]:
    return (p(Span(text)),)


def test_tables_have_header_cells_and_a_name() -> None:
    table = Table(
        (
            (cell("Ledamot"), cell("Ja")),
            (cell("Anna Andersson (S)"), cell("X")),
        ),
        header=True,
        aligns=("", "center"),
    )
    root = page(write_html([Heading(2, (Span("Omröstning"),)), table]))
    headers = root.xpath(".//table/thead/tr/th")
    assert [th.text_content() for th in headers] == ["Ledamot", "Ja"]
    assert all(th.get("scope") == "col" for th in headers)
    assert [td.text_content() for td in root.xpath(".//table/tbody/tr/td")] == [
        "Anna Andersson (S)",
        "X",
    ]
    assert root.xpath(".//tbody/tr/td")[1].get("class") == "mitten"
    region = root.xpath(".//div[@role='region']")[0]
    caption = root.xpath(".//table/caption")[0]
    assert region.get("aria-labelledby") == caption.get("id")
    assert caption.text_content() == "Omröstning"
    assert region.get("tabindex") == "0"  # a wide table scrolls by keyboard too


def test_a_table_without_a_heading_is_named_and_without_header_has_no_thead() -> None:
    root = page(write_html([Table(((cell("a"), cell("b")),))]))
    assert root.xpath("string(.//caption)") == "Tabell 1"
    assert not root.xpath(".//thead") and not root.xpath(".//th")


def test_filled_cells_get_legible_text() -> None:
    table = Table(
        ((cell("låg"), cell("hög"), cell("fel")),), fills=(("FFFFCC", "1F3864", "red;x"),)
    )
    cells = page(write_html([table])).xpath(".//td")
    assert cells[0].get("style") == "background-color:#ffffcc;color:#000"
    assert cells[1].get("style") == "background-color:#1f3864;color:#fff"
    assert cells[2].get("style") is None  # not a colour: nothing of it reaches the page


def test_footnotes_link_to_the_notes_and_back() -> None:
    first = Note((p(Span("Första fotnoten & mer")),))
    second = Note((p(Span("Andra")),))
    written = write_html([p(Span("Text"), first, Span(" mer"), second)])
    root = page(written)
    marks = root.xpath(".//p//sup/a")
    assert [a.text_content() for a in marks] == ["Fotnot 1", "Fotnot 2"]
    notes = root.xpath(".//section[@class='fotnoter']/ol/li")
    assert [li.xpath("string(p)") for li in notes] == ["Första fotnoten & mer", "Andra"]
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for mark, note in zip(marks, notes, strict=True):
        assert mark.get("href") == f"#{note.get('id')}"
        back = note.xpath(".//a[@class='tillbaka']")[0]
        assert back.get("href") == f"#{mark.get('id')}"
    assert all(a.get("href")[1:] in ids for a in root.iter("a"))
    heading = root.xpath(".//section[@class='fotnoter']/h2")[0]
    assert heading.text_content() == "Fotnoter"


def test_markdown_footnotes_reach_the_page() -> None:
    root = page(write_html(read("Text.[^1]\n\n[^1]: Källa: [SCB](https://www.scb.se).\n")))
    note = root.xpath(".//section[@class='fotnoter']//li")[0]
    assert note.xpath("string(.//a[@href='https://www.scb.se'])") == "SCB"


def test_no_notes_no_notes_section() -> None:
    assert write_html([p(Span("x"))]).notes == ""


def test_landscape_is_a_plain_section() -> None:
    root = page(write_html([Landscape((Table(((cell("bred"),),)),))]))
    section = root.xpath("./section[@class='liggande']")[0]
    assert section.xpath("string(.//td)") == "bred"


def test_contents_is_a_nav_of_the_headings_after_it() -> None:
    blocks = [
        Heading(2, (Span("Före"),)),
        Contents(),
        Heading(2, (Span("Ett"),)),
        Heading(3, (Span("Ett a"),)),
        Heading(4, (Span("För djupt"),)),
        Heading(2, (Span("Två"),)),
    ]
    root = page(write_html(blocks))
    nav = root.xpath(".//nav")[0]
    assert nav.get("aria-labelledby") == nav.xpath("./p")[0].get("id")
    links = [(a.text_content(), a.get("href")) for a in nav.iter("a")]
    ids = {h.text_content(): h.get("id") for h in root.iter("h2", "h3", "h4")}
    assert links == [(t, f"#{ids[t]}") for t in ("Ett", "Ett a", "Två")]
    assert nav.xpath("string(./ul/li[1]/ul/li/a)") == "Ett a"


def test_secret_parts_are_labelled_in_the_original_and_withheld_in_public() -> None:
    secret = Secret(
        "26 kap. 1 § OSL", (p(Span("Barnet Kalle, 20150101-1234")),), kind="utredningen"
    )
    original = page(write_html([secret]))
    section = original.xpath("./section[@class='sekretess']")[0]
    label = section.xpath("./p[@class='sekretess-etikett']")[0]
    assert section.get("aria-labelledby") == label.get("id")
    assert label.text_content() == "Sekretess enligt 26 kap. 1 § OSL"
    assert "Barnet Kalle" in section.text_content()
    public = page(write_html([secret], public=True))
    assert "Kalle" not in public.text_content() and "1234" not in public.text_content()
    assert "Sekretess enligt 26 kap. 1 § OSL" in public.text_content()
    assert "Utredningen visas inte." in public.text_content()


def test_secret_notes_are_withheld_in_public_too() -> None:
    secret = Secret("26 kap. 1 § OSL", (p(Span("x"), Note((p(Span("hemlig fotnot")),))),))
    written = write_html([secret], public=True)
    assert "hemlig" not in f"{written.body}{written.notes}"
