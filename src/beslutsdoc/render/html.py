"""The HTML writer: document nodes → semantic HTML, for the board's public web pages.

The same blocks the Word writer writes become real headings (h1–h6, never skipping a
level on the page), paragraphs, lists, tables with header cells, footnotes as links to
a list of notes at the end of the page and back. Every user string is escaped here and
nowhere else; the result is `Markup`, which Jinja's autoescape leaves as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from beslutsdoc.document.nodes import (
    Block,
    BulletList,
    Cell,
    Contents,
    Heading,
    Inline,
    Landscape,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Secret,
    Span,
    Table,
)

#: Link addresses the pages may point to; anything else is written as text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Control characters pasted from Word: not allowed in HTML text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEX = re.compile(r"[0-9A-Fa-f]{6}")
_ALIGN = {"left": "vänster", "center": "mitten", "right": "höger"}


def text(value: str) -> str:
    """`value` as HTML text: escaped, control characters removed, line breaks kept."""
    return escape(_CONTROL.sub("", value), quote=True).replace("\n", "<br>")


def safe_link(url: str | None) -> str | None:
    """The address when a page may link to it (http, https, mailto), else None."""
    if not url:
        return None
    address = url.strip()
    return address if address.lower().startswith(SAFE_SCHEMES) else None


def slug(value: str) -> str:
    """An id from a heading's text: ”§ 6 Remissvar” → ”paragraf-6-remissvar”."""
    value = value.replace("§", " paragraf ")
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].rstrip("-") or "rubrik"


def plain(inlines: Sequence[Inline]) -> str:
    """The running text of `inlines`, without notes."""
    return "".join(i.text for i in inlines if isinstance(i, Span))


@dataclass(frozen=True)
class Entry:
    """A heading as written on the page: for the contents and for tables' names."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Written:
    """A page's content: its blocks, and the notes list that ends the page."""

    body: Markup
    notes: Markup
    headings: tuple[Entry, ...]


class HtmlWriter:
    """Writes the blocks of one page. Headings start at `top` (the page's own h1 is
    the template's) and never skip a level; `public` leaves secret content out even
    when a block reaches the writer still marked secret."""

    def __init__(self, *, top: int = 2, public: bool = False, contents_depth: int = 2) -> None:
        self.top = top
        self.public = public
        self.contents_depth = contents_depth
        self.out: list[str] = []
        self.notes: list[str] = []
        self.headings: list[Entry] = []
        self.ids: set[str] = set()
        self._levels: list[tuple[int, int]] = []  # (level asked for, level written)
        self._contents: list[tuple[int, int]] = []  # (place in `out`, headings before it)
        self._tables = 0
        self._in_note = False

    def write(self, blocks: Sequence[Block]) -> HtmlWriter:
        for block in blocks:
            self.block(block)
        return self

    def result(self) -> Written:
        for index, before in self._contents:
            self.out[index] = self._nav(self.headings[before:])
        return Written(Markup("".join(self.out)), Markup(self._notes()), tuple(self.headings))

    def new_id(self, base: str) -> str:
        name, n = base, 1
        while name in self.ids:
            n += 1
            name = f"{base}-{n}"
        self.ids.add(name)
        return name

    # -- blocks ------------------------------------------------------------------------
    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, BulletList | OrderedList):
            self.listing(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Landscape):
            self.out.append('<section class="liggande">')
            self.write(block.blocks)
            self.out.append("</section>")
        elif isinstance(block, Contents):
            self._contents.append((len(self.out), len(self.headings)))
            self.out.append("")
        elif isinstance(block, Secret):
            self.secret(block)

    def paragraph(self, block: Paragraph) -> None:
        content = self.inlines(block.content)
        if not content.strip():  # an empty line for spacing in Word
            return
        if block.quote:
            self.out.append(f"<blockquote><p>{content}</p></blockquote>")
        else:
            self.out.append(f"<p>{content}</p>")

    def heading(self, block: Heading) -> None:
        level = self._level(block.level)
        words = plain(block.content)
        anchor = self.new_id(slug(words))
        self.headings.append(Entry(level, anchor, words))
        self.out.append(f'<h{level} id="{anchor}">{self.inlines(block.content)}</h{level}>')

    def _level(self, asked: int) -> int:
        """The level written: one below the heading it stands under, from `top` on."""
        while self._levels and self._levels[-1][0] >= asked:
            self._levels.pop()
        level = min(6, self._levels[-1][1] + 1 if self._levels else self.top)
        self._levels.append((asked, level))
        return level

    def listing(self, block: BulletList | OrderedList) -> None:
        if isinstance(block, OrderedList):
            start = f' start="{block.start}"' if block.start != 1 else ""
            tag = "ol"
        else:
            start, tag = "", "ul"
        self.out.append(f"<{tag}{start}>")
        for item in block.items:
            self.out.append("<li>")
            self.item(item)
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def item(self, item: ListItem) -> None:
        blocks = item.blocks
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and not blocks[0].quote:
            self.out.append(self.inlines(blocks[0].content))  # a tight item: no <p>
        else:
            self.write(blocks)

    def secret(self, block: Secret) -> None:
        label = f"Sekretess enligt {block.ground}"
        anchor = self.new_id("sekretess")
        self.out.append(
            f'<section class="sekretess" aria-labelledby="{anchor}">'
            f'<p class="sekretess-etikett" id="{anchor}"><strong>{text(label)}</strong></p>'
        )
        if self.public:  # never published, even if the public copy missed it
            self.out.append(f"<p>{text(f'{block.kind.capitalize()} visas inte.')}</p>")
        else:
            self.write(block.blocks)
        self.out.append("</section>")

    # -- tables ------------------------------------------------------------------------
    def table(self, table: Table) -> None:
        """A table in a scrolling region named by its heading, so that a wide table
        scrolls by itself on a phone and the page does not."""
        self._tables += 1
        anchor = self.new_id(f"tabell-{self._tables}")
        name = self.headings[-1].text if self.headings else f"Tabell {self._tables}"
        self.out.append(
            f'<div class="tabell" role="region" tabindex="0" aria-labelledby="{anchor}">'
            f'<table><caption id="{anchor}" class="dold">{text(name)}</caption>'
        )
        rows = list(enumerate(table.rows))
        if table.header and rows:
            self.out.append("<thead>")
            self._row(table, *rows[0], header=True)
            self.out.append("</thead>")
            rows = rows[1:]
        self.out.append("<tbody>")
        for index, cells in rows:
            self._row(table, index, cells, header=False)
        self.out.append("</tbody></table></div>")

    def _row(self, table: Table, index: int, cells: Sequence[Cell], *, header: bool) -> None:
        self.out.append("<tr>")
        for col in range(table.columns):
            tag = "th" if header else "td"
            attributes = ' scope="col"' if header else ""
            align = table.aligns[col] if col < len(table.aligns) else ""
            if align in _ALIGN:
                attributes += f' class="{_ALIGN[align]}"'
            fill = (
                table.fills[index][col] if table.fills and col < len(table.fills[index]) else None
            )
            if fill and _HEX.fullmatch(fill.lstrip("#")):
                colour = fill.lstrip("#").lower()
                ink = "#000" if _luminance(colour) > 0.179 else "#fff"
                attributes += f' style="background-color:#{colour};color:{ink}"'
            self.out.append(f"<{tag}{attributes}>")
            self._cell(cells[col] if col < len(cells) else ())
            self.out.append(f"</{tag}>")
        self.out.append("</tr>")

    def _cell(self, cell: Cell) -> None:
        if len(cell) == 1 and isinstance(cell[0], Paragraph) and not cell[0].quote:
            self.out.append(self.inlines(cell[0].content))
        else:
            self.write(cell)

    # -- inlines -----------------------------------------------------------------------
    def inlines(self, inlines: Sequence[Inline]) -> str:
        return "".join(self.inline(i) for i in inlines)

    def inline(self, inline: Inline) -> str:
        if isinstance(inline, Note):
            return self.note(inline)
        out = text(inline.text)
        if inline.italic:
            out = f"<em>{out}</em>"
        if inline.bold:
            out = f"<strong>{out}</strong>"
        link = safe_link(inline.link)
        if link:
            out = f'<a href="{escape(link, quote=True)}">{out}</a>'
        return out

    def note(self, note: Note) -> str:
        if self._in_note:  # a note inside a note, as in Word: none
            return ""
        number = len(self.notes) + 1
        mark, target = self.new_id(f"fotnotsmarkering-{number}"), self.new_id(f"fotnot-{number}")
        inner = HtmlWriter(top=6, public=self.public)
        inner.ids, inner._in_note = self.ids, True
        inner.write(note.blocks)
        back = (
            f' <a href="#{mark}" class="tillbaka">'
            f'<span aria-hidden="true">↩</span><span class="dold">Tillbaka till texten</span></a>'
        )
        self.notes.append(f'<li id="{target}">{"".join(inner.out)}{back}</li>')
        return (
            f'<sup><a href="#{target}" id="{mark}" class="fotnotsmarkering">'
            f'<span class="dold">Fotnot </span>{number}</a></sup>'
        )

    def _notes(self) -> str:
        if not self.notes:
            return ""
        anchor = self.new_id("fotnoter")
        return (
            f'<section class="fotnoter" aria-labelledby="{anchor}">'
            f'<h{self.top} id="{anchor}">Fotnoter</h{self.top}>'
            f"<ol>{''.join(self.notes)}</ol></section>"
        )

    def _nav(self, after: Sequence[Entry]) -> str:
        """The headings written after the contents mark, as nested lists of links."""
        shown = [h for h in after if h.level < self.top + self.contents_depth]
        if not shown:
            return ""
        base = min(h.level for h in shown)
        anchor = self.new_id("innehall-rubrik")
        out = [
            f'<nav class="innehall" aria-labelledby="{anchor}">'
            f'<p class="innehall-rubrik" id="{anchor}">Innehåll</p>'
        ]
        depth = 0
        for entry in shown:
            level = min(entry.level - base + 1, depth + 1)  # a list opens one level at a time
            if level > depth:
                out.append("<ul>")
            else:
                out += ["</li>"] + ["</ul></li>"] * (depth - level)
            depth = level
            out.append(f'<li><a href="#{entry.id}">{text(entry.text)}</a>')
        out += ["</li>"] + ["</ul></li>"] * (depth - 1) + ["</ul></nav>"]
        return "".join(out)


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of a hex colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def write_html(blocks: Sequence[Block], *, top: int = 2, public: bool = False) -> Written:
    """`blocks` as the HTML of one page's content, with its notes."""
    return HtmlWriter(top=top, public=public).write(blocks).result()
