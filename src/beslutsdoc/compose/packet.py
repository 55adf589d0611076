"""The nämnd packet: the notice, a contents page, and per item its page, its papers
and its attachments, merged into one Word document; PDF attachments keep their place
as placeholder pages that the PDF step replaces with the attachment itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from beslutsdoc.compose.composer import Composer
from beslutsdoc.model.loaded import Loaded
from beslutsdoc.model.meeting import Meeting, Part
from beslutsdoc.ooxml import wordml as wml
from beslutsdoc.ooxml.package import Package
from beslutsdoc.render import document_package, paper_package, render_document, template_path
from beslutsdoc.render.kallelse import Agenda, ItemDocument, agenda

TWIPS_PER_POINT = 20


@dataclass
class Slot:
    """Where a PDF attachment's pages go: the placeholder pages from `bookmark` on."""

    bookmark: str
    path: Path
    pages: int


@dataclass
class Node:
    """A bookmark of the PDF: item → paper → attachment."""

    title: str
    bookmark: str
    children: list[Node] = field(default_factory=list)


@dataclass
class Packet:
    agenda: Agenda
    kallelse: bytes
    handlingar: bytes
    slots: list[Slot]
    outline: list[Node]
    public: bool = False

    @property
    def title(self) -> str:
        m = self.agenda.meeting
        return f"Handlingar {m.nämnd} {m.datum}" + (" (offentlig version)" if self.public else "")


def _placeholder(part: Part) -> list[etree._Element]:
    """One page per page of a PDF attachment, to be replaced by it in the PDF."""
    pages = []
    for number in range(1, part.pages + 1):
        p = wml.paragraph(None, wml.run(f"Bilaga: {part.title}", bold=True))
        if number > 1:
            ppr = wml.el("pPr")
            p.insert(0, ppr)
            wml.set_ppr_child(ppr, "pageBreakBefore")
        pages.append(p)
        pages.append(
            wml.paragraph(
                None,
                wml.run(
                    f"Sida {number} av {part.pages} i bilagan. Bilagan är en PDF-fil och står på"
                    " den här platsen i PDF-versionen av handlingarna."
                ),
            )
        )
    return pages


def _withheld(part: Part) -> list[etree._Element]:
    """The one page that stands for a secret document in the public copy."""
    return [
        wml.paragraph(None, wml.run(part.label, bold=True)),
        wml.paragraph(
            None,
            wml.run(
                f"Sekretess enligt {part.sekretess}. Handlingen finns inte med i den offentliga"
                " versionen."
            ),
        ),
    ]


def _public_paper(part: Part) -> Loaded[Any] | None:
    """The paper as the public copy shows it: wholly secret when its item is; None when
    its type cannot say so (then a page stands in its place)."""
    assert part.paper is not None
    model = part.paper.model
    if not part.sekretess or getattr(model, "sekretess", None):
        return part.paper
    if "sekretess" not in type(model).model_fields:
        return None
    return replace(part.paper, model=model.model_copy(update={"sekretess": part.sekretess}))


def build_packet(
    meeting: Meeting, progress: Callable[[str], None] = lambda _: None, *, public: bool = False
) -> Packet:
    """The notice and the packet as Word documents, with what the PDF step needs;
    `public`: the public copy, each secret part replaced by its ground."""
    plan = agenda(meeting)

    def template(kind: str) -> Path:
        return template_path(meeting.loaded, kind)

    kallelse = render_document("kallelse", plan, template("kallelse"), public=public)
    shell = document_package(
        "handlingar", plan, template("handlingar"), finish=False, public=public
    )
    composer = Composer(shell)
    contents_page = composer.take_body()
    composer.append(Package.read(kallelse), bookmark="bdkallelse")
    outline = [Node("Kallelse och föredragningslista", "bdkallelse")]
    composer.place(contents_page, bookmark="bdinnehall")
    outline.append(Node("Innehåll", "bdinnehall"))
    entries: list[tuple[int, str, str]] = [(1, outline[0].title, "bdkallelse")]
    slots: list[Slot] = []
    item_page = template("ärende")
    for entry in plan.entries:
        progress(f"ärende {entry.number} av {len(plan.entries)}: {entry.title}")
        name = f"bd{entry.number}"
        composer.append(
            document_package("ärende", ItemDocument(plan, entry), item_page, public=public),
            bookmark=name,
        )
        node = Node(f"{entry.number} {entry.line()}", name)
        outline.append(node)
        entries.append((1, node.title, name))
        for index, part in enumerate(entry.item.parts, 1):
            mark = f"bd{entry.number}x{index}"
            paper = _public_paper(part) if public and part.paper else part.paper
            if public and part.sekretess and paper is None:
                composer.place(_withheld(part), bookmark=mark)
            elif paper:
                composer.append(paper_package(paper, public=public), bookmark=mark)
            elif public and part.sekretess:
                composer.place(_withheld(part), bookmark=mark)
            elif part.kind == "docx":
                composer.append(Package.open(part.path), bookmark=mark)
            else:
                width, height = (round(v * TWIPS_PER_POINT) for v in part.size)
                composer.place(_placeholder(part), bookmark=mark, page=(width, height))
                slots.append(Slot(mark, part.path, part.pages))
            node.children.append(Node(part.label, mark))
            entries.append((2, part.label, mark))
    composer.contents(entries)
    return Packet(plan, kallelse, composer.finish(), slots, outline, public)
