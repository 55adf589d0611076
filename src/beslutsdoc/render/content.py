"""Content values shared by the paper types: decision points, sections, signatures, lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from beslutsdoc.document.builder import Builder, Content
from beslutsdoc.document.markdown import Markdown
from beslutsdoc.document.nodes import Span
from beslutsdoc.document.text import keep_legal_together, unbreakable
from beslutsdoc.model.beslut import Beslutsgång, Ärenderad
from beslutsdoc.model.common import Avsnitt, Bilaga, Underskrift


def _line(text: str) -> list[Span]:
    return [Span(keep_legal_together(text))]


@dataclass(frozen=True)
class Points:
    """Decision points: one is a sentence, several are a list numbered from 1."""

    items: Sequence[str]

    def __bool__(self) -> bool:
        return bool(self.items)

    def build(self, out: Builder) -> None:
        if len(self.items) == 1:
            out.paragraph(_line(self.items[0]))
        else:
            out.numbered_list([_line(item) for item in self.items])


@dataclass(frozen=True)
class Sections:
    """Sections: each a heading and its text."""

    sections: Sequence[Avsnitt]
    level: int = 2

    def __bool__(self) -> bool:
        return bool(self.sections)

    def build(self, out: Builder) -> None:
        for section in self.sections:
            out.heading(self.level, section.rubrik)
            if section.sekretess:
                out.secret(section.sekretess, Markdown(section.text), "avsnittets text")
            else:
                Markdown(section.text).build(out)


@dataclass(frozen=True)
class Secreted:
    """Content that is secret on `ground`; `kind` names what the public copy leaves out
    (empty: a part of something already noticed, left out without a second line)."""

    ground: str
    content: Content
    kind: str = ""

    def __bool__(self) -> bool:
        return bool(self.content)

    def build(self, out: Builder) -> None:
        out.secret(self.ground, self.content, self.kind)


def secret_paper(ground: str | None, blocks: dict[str, Content], first: str) -> dict[str, Content]:
    """A wholly secret paper's blocks: the notice where `first` stands, the rest left out
    of the public copy; the original keeps all, marked."""
    if not ground:
        return blocks
    return {
        name: Secreted(ground, content, "handlingens innehåll" if name == first else "")
        for name, content in blocks.items()
    }


#: The ground named when an anmälningsärende is only marked ”sekretess: ja”.
OSL = "offentlighets- och sekretesslagen (2009:400)"


@dataclass(frozen=True)
class Signatures:
    """Name and title of each signer, with room to sign above the name."""

    signers: Sequence[Underskrift]

    def __bool__(self) -> bool:
        return bool(self.signers)

    def build(self, out: Builder) -> None:
        for signer in self.signers:
            out.paragraph([], keep_next=True)
            lines = [signer.namn, signer.titel, signer.roll]
            shown = [line for line in lines if line]
            for index, line in enumerate(shown):
                out.paragraph(_line(line), keep_next=index < len(shown) - 1)


@dataclass(frozen=True)
class Lines:
    """One paragraph per item (a list of recipients, say)."""

    items: Sequence[str]

    def __bool__(self) -> bool:
        return bool(self.items)

    def build(self, out: Builder) -> None:
        for item in self.items:
            out.paragraph(_line(item))


@dataclass(frozen=True)
class Attachments:
    """The attachments, numbered as they are referred to: ”Bilaga 1”."""

    attachments: Sequence[Bilaga]

    def __bool__(self) -> bool:
        return bool(self.attachments)

    def build(self, out: Builder) -> None:
        out.numbered_list([_line(a.titel) for a in self.attachments])


def _case(row: Ärenderad) -> str:
    text = f"{row.datum} {row.ärende}" if row.datum else row.ärende
    return f"{text} ({unbreakable(row.diarienummer)})" if row.diarienummer else text


NOTHING_TO_REPORT = "Det finns inga ärenden att redovisa."


@dataclass(frozen=True)
class ReportedLists:
    """Reported delegationsbeslut, grouped by delegat and kind, and anmälningsärenden with
    their ”I sekretessdelen” part: on the item's page and in its §."""

    record: Beslutsgång
    level: int
    #: The item's title: an ”Anmälan av delegationsbeslut” with nothing in it says so.
    title: str = ""

    def build(self, out: Builder) -> None:
        record = self.record
        for kind, listed in (
            ("delegationsbeslut", record.delegationsbeslut),
            ("anmälningsärenden", record.anmälningsärenden),
        ):
            if kind in self.title.lower() and not listed:
                out.heading(self.level, kind.capitalize())
                out.paragraph(_line(NOTHING_TO_REPORT))
        if record.delegationsbeslut:
            out.heading(self.level, "Delegationsbeslut")
            previous = None
            for group in record.delegationsbeslut:
                if group.delegat != previous:
                    out.heading(self.level + 1, group.delegat)
                    previous = group.delegat
                if group.slag:
                    out.paragraph(
                        [Span(keep_legal_together(group.slag), italic=True)], keep_next=True
                    )
                if group.period:
                    out.paragraph(_line(f"Beslut fattade {group.period}"), keep_next=True)
                for row in group.beslut:
                    out.paragraph(_line(_case(row)))
        if record.anmälningsärenden:
            out.heading(self.level, "Anmälningsärenden")
            for row in (r for r in record.anmälningsärenden if not r.sekretess):
                out.paragraph(_line(_case(row)))
            secret = [r for r in record.anmälningsärenden if r.sekretess]
            if secret:
                out.heading(self.level + 1, "I sekretessdelen")
                grounds = {r.sekretess if isinstance(r.sekretess, str) else OSL for r in secret}
                out.secret(
                    ", ".join(sorted(grounds)),
                    Lines([_case(r) for r in secret]),
                    "ärendena i sekretessdelen",
                )
