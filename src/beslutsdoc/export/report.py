"""The accessibility report: which attachments the municipality must get accessible
versions of from their authors, and whether the packet PDF is PDF/A.

The packet's own documents are made tagged, with language and title; an attachment is
as its author made it. For each attachment the report says what a screen reader
misses: a PDF without tags (its pages go into the packet as figures with a text
alternative, their text cannot be read out), without a language (/Lang) or without a
title (Info /Title or XMP dc:title), or with fonts it does not embed; a Word file without a title or language in its
properties, or with images without alternative text. One line per problem, naming the
item and the file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from lxml import etree

from beslutsdoc.export.pdfa import DC, font_list, pdfa_obstacles, unembedded_fonts, xmp_of
from beslutsdoc.export.structure import is_tagged
from beslutsdoc.load.sanitise import open_attachment
from beslutsdoc.problems import InputError

if TYPE_CHECKING:
    from beslutsdoc.model.meeting import Part
    from beslutsdoc.render.kallelse import Agenda

__all__ = ["Finding", "Report", "accessibility"]

UNTAGGED = "saknar taggar"
NO_LANGUAGE = "saknar angivet språk"
NO_TITLE = "saknar titel"
NO_ALT = "har bilder utan alternativtext"
NO_FONTS = "har typsnitt som inte är inbäddade"
#: What each problem means for a reader, said once in the report.
_MEANING = {
    UNTAGGED: "skärmläsare kan inte läsa upp texten; i handlingarnas PDF står varje sida"
    " som en bild med en beskrivning",
    NO_LANGUAGE: "skärmläsare vet inte vilket språk texten ska läsas på",
    NO_TITLE: "läsprogram visar filnamnet i stället för en titel",
    NO_ALT: "skärmläsare kan inte säga vad bilderna visar",
    NO_FONTS: "texten kan visas med ett annat typsnitt än författarens, och handlingar.pdf"
    " kan då inte vara PDF/UA (som kräver inbäddade typsnitt)",
}
_ORDER = (UNTAGGED, NO_LANGUAGE, NO_TITLE, NO_ALT, NO_FONTS)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@dataclass(frozen=True)
class Finding:
    """One problem of one attachment."""

    item: int  # the agenda number
    title: str
    file: Path
    problem: str  # UNTAGGED, NO_LANGUAGE, NO_TITLE, NO_ALT or NO_FONTS (with the fonts)

    def __str__(self) -> str:
        return f"Ärende {self.item}: bilagan ”{self.title}” ({self.file}) {self.problem}"


@dataclass(frozen=True)
class Report:
    """What the accessibility report says; `text()` is the report, `summary()` its
    line for the end of a run."""

    heading: str
    attachments: int
    findings: tuple[Finding, ...]
    #: Why handlingar.pdf does not claim PDF/A-2b; empty when it does.
    not_pdfa: tuple[str, ...]

    @property
    def pdfa(self) -> bool:
        return not self.not_pdfa

    @property
    def pdfua(self) -> bool:
        """handlingar.pdf claims PDF/UA-1: no attachment leaves a font out."""
        return not self.count(NO_FONTS)

    def count(self, problem: str) -> int:
        return len({f.file for f in self.findings if f.problem.startswith(problem)})

    def summary(self) -> str:
        """”3 bilagor saknar taggar, 1 saknar titel; handlingar.pdf är inte PDF/A”."""
        parts: list[str] = []
        for problem in _ORDER:
            number = self.count(problem)
            if number:
                subject = (
                    f"{number} {'bilaga' if number == 1 else 'bilagor'} "
                    if not parts
                    else f"{number} "
                )
                parts.append(subject + problem)
        said = ", ".join(parts) if parts else _all_fine(self.attachments)
        if not self.pdfa:
            said += "; handlingar.pdf är inte PDF/A"
        if not self.pdfua:
            said += " och inte PDF/UA"
        return said

    def text(self) -> str:
        lines = [self.heading, ""]
        if self.findings:
            lines.append(
                "Bilagor som behöver en tillgänglig version från den som skrivit dem"
                " (en rad per brist):"
            )
            lines += [str(f) for f in self.findings]
            lines.append("")
            lines.append("Vad bristerna betyder:")
            lines += [f"- {p}: {_MEANING[p]}" for p in _ORDER if self.count(p)]
        else:
            fine = _all_fine(self.attachments)
            lines.append(fine[0].upper() + fine[1:] + ".")
        lines.append("")
        if self.pdfa:
            lines.append(
                "PDF/A: kallelse.pdf och handlingar.pdf är PDF/A-2b så långt det kan"
                " kontrolleras utan en fullständig validerare (veraPDF)."
            )
        else:
            lines.append(
                "PDF/A: kallelse.pdf är PDF/A-2b. handlingar.pdf anger inte PDF/A, eftersom"
                " sidor från bilagor som inte är PDF/A finns i den:"
            )
            lines += [f"- {reason}" for reason in self.not_pdfa]
        if self.pdfua:
            lines.append(
                "PDF/UA: kallelse.pdf och handlingar.pdf anger PDF/UA-1. Handlingarnas egna"
                " sidor är taggade; en taggad bilaga har sina egna taggar, en otaggad bilagas"
                " sidor står som bilder med en beskrivning."
            )
        else:
            lines.append(
                "PDF/UA: kallelse.pdf anger PDF/UA-1. handlingar.pdf anger inte PDF/UA,"
                " eftersom bilagor med typsnitt som inte är inbäddade finns i den."
            )
        return "\n".join(lines) + "\n"


def _all_fine(attachments: int) -> str:
    if attachments == 0:
        return "handlingarna har inga bilagor"
    if attachments == 1:
        return "bilagan har taggar, språk och titel"
    return f"alla {attachments} bilagor har taggar, språk och titel"


def accessibility(agenda: Agenda) -> Report:
    """The report for the packet of `agenda`'s meeting: every attachment (not the
    papers beslutsdoc makes), in agenda order."""
    m = agenda.meeting
    findings: list[Finding] = []
    not_pdfa: list[str] = []
    count = 0
    for entry in agenda.entries:
        for part in entry.item.parts:
            if part.paper is not None or part.kind not in ("pdf", "docx"):
                continue
            count += 1
            problems, obstacles = _pdf(part) if part.kind == "pdf" else (_docx(part), [])
            findings += [Finding(entry.number, part.title, part.path, p) for p in problems]
            not_pdfa += [
                f"bilagan ”{part.title}” ({part.path}) i ärende {entry.number} {o}"
                for o in obstacles
            ]
    heading = f"Tillgänglighet i handlingarna till {m.nämnd}s sammanträde {m.datum}"
    return Report(heading, count, tuple(findings), tuple(not_pdfa))


def _pdf(part: Part) -> tuple[list[str], list[str]]:
    try:
        # Checked once per process: the packet has opened the same file already.
        with open_attachment(part.path) as pdf:
            return _pdf_problems(pdf), pdfa_obstacles(pdf)
    except (
        InputError,
        pikepdf.PdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ):
        # Checked when the meeting was read; a file changed since is named there.
        return [UNTAGGED], ["kan inte läsas"]


def _pdf_problems(pdf: pikepdf.Pdf) -> list[str]:
    root = pdf.Root
    problems = [] if is_tagged(pdf) else [UNTAGGED]
    if not str(root.get("/Lang") or "").strip():
        problems.append(NO_LANGUAGE)
    if not _pdf_title(pdf, root):
        problems.append(NO_TITLE)
    missing = unembedded_fonts(pdf)
    if missing:
        problems.append(f"{NO_FONTS} ({font_list(missing)})")
    return problems


def _pdf_title(pdf: pikepdf.Pdf, root: Any) -> str:
    # The trailer's /Info, not pdf.docinfo, which would make one.
    info = pdf.trailer.get("/Info")
    title = str(info.get("/Title") or "").strip() if isinstance(info, pikepdf.Dictionary) else ""
    if title:
        return title
    xmp = xmp_of(root)
    if xmp is None:
        return ""
    texts = (e.text or "" for title in xmp.iter(f"{{{DC}}}title") for e in title.iter())
    return " ".join(t.strip() for t in texts if t.strip())


def _docx(part: Part) -> list[str]:
    try:
        with zipfile.ZipFile(part.path) as package:
            core = _xml(package, "docProps/core.xml")
            styles = _xml(package, "word/styles.xml")
            document = _xml(package, "word/document.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return []  # checked when the meeting was read
    problems = []
    title = core.findtext(f"{{{DC}}}title") if core is not None else None
    language = core.findtext(f"{{{DC}}}language") if core is not None else None
    default = None
    if styles is not None:
        lang = styles.find(f"{{{_W}}}docDefaults/{{{_W}}}rPrDefault/{{{_W}}}rPr/{{{_W}}}lang")
        default = lang.get(f"{{{_W}}}val") if lang is not None else None
    if not (language or "").strip() and not (default or "").strip():
        problems.append(NO_LANGUAGE)
    if not (title or "").strip():
        problems.append(NO_TITLE)
    if document is not None and any(_no_alt(d) for d in document.iter(f"{{{_WP}}}docPr")):
        problems.append(NO_ALT)
    return problems


def _no_alt(properties: etree._Element) -> bool:
    """A drawing with neither a description nor a mark as decorative."""
    if (properties.get("descr") or "").strip():
        return False
    return not any("decorative" in str(e.tag).lower() for e in properties.iter())


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        data = package.read(name)
    except KeyError:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
