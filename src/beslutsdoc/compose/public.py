"""What a public copy may not carry from the attachments: personnummer in the text of
any .docx or PDF attachment that is not itself secret (lag 2018:218 3 kap. 10 §)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject

from beslutsdoc.model.meeting import Meeting, Part
from beslutsdoc.model.personnummer import personnummer_in
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import P, T
from beslutsdoc.problems import InputError, Problem

# The parts of a Word file that hold its text: the body, headers, footers, notes.
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
# What the composer leaves behind: the attachment's own core and application properties.
_NOT_CARRIED = re.compile(r"^docProps/(core|app)\.xml$")


def attachment_problems(meeting: Meeting) -> list[Problem]:
    """A problem for each personnummer in an attachment the public copy would show."""
    problems = []
    for item in meeting.items:
        for part in item.parts:
            if part.paper is not None or part.sekretess:
                continue  # papers are checked as papers; secret parts are left out
            for where, found in _found(part):
                problems.append(
                    Problem(
                        f"bilagan ”{part.title}” innehåller vad som ser ut som ett personnummer"
                        f" (”{found}”) {where}; den offentliga versionen får inte visa det:"
                        " markera bilagan med sekretess ({fil: …, sekretess: …}) eller ta bort"
                        " uppgiften (lag 2018:218 3 kap. 10 §)",
                        file=part.path,
                    )
                )
    return problems


def _found(part: Part) -> Iterator[tuple[str, str]]:
    texts = _docx_texts(part.path) if part.kind == "docx" else _pdf_texts(part.path)
    for where, text in texts:
        for _, found in personnummer_in(text):
            yield where, found


def _docx_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the packet carries from a Word file: its paragraphs,
    then what is no text on the page but still readable in the file: alternative texts,
    link targets, custom properties, charts and diagrams."""
    package = Package.open(path)
    number = 0
    for name in package.names():
        if not _TEXT_PARTS.match(name):
            continue
        for p in package.element(name).iter(P):
            number += 1
            text = "".join(t.text or "" for t in p.iter(T))
            if text:
                yield f"i stycke {number}", text
    for name in package.names():
        if name.endswith((".xml", ".rels")) and not _NOT_CARRIED.match(name):
            for text in _strings(package.element(name)):
                yield f"i {name} (text som inte syns på sidan)", text


def _strings(root: etree._Element) -> Iterator[str]:
    """Every attribute value, and the text of every element but a Word run's text
    (read above, paragraph by paragraph)."""
    for node in root.iter():
        yield from (str(value) for value in node.attrib.values())
        if node.tag != T and node.text and node.text.strip():
            yield node.text


def _pdf_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of each page's text and of its annotations: comments, form fields."""
    for number, page, text in _pdf_pages(path):
        yield f"på sida {number}", text
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            for key in ("/Contents", "/T", "/TU", "/V", "/RC"):
                value = annotation.get(key)
                if isinstance(value, str):
                    yield f"i en kommentar eller ett formulärfält på sida {number}", value


def _pdf_pages(path: Path) -> Iterator[tuple[int, PageObject, str]]:
    try:
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, 1):
            yield number, page, page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError) as err:
        raise InputError(
            [
                Problem(
                    f"bilagans text kan inte läsas för att leta efter personnummer ({err})",
                    file=path,
                )
            ]
        ) from None
