"""What a public copy may not carry from the attachments: personnummer in the text of
any .docx or PDF attachment that is not itself secret (lag 2018:218 3 kap. 10 §)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from beslutsdoc.model.meeting import Meeting, Part
from beslutsdoc.model.personnummer import personnummer_in
from beslutsdoc.ooxml.package import Package
from beslutsdoc.ooxml.wordml import P, T
from beslutsdoc.problems import InputError, Problem

# The parts of a Word file that hold its text: the body, headers, footers, notes.
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


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
    if part.kind == "docx":
        for number, text in _docx_paragraphs(part.path):
            for _, found in personnummer_in(text):
                yield f"i stycke {number}", found
    elif part.kind == "pdf":
        for number, text in _pdf_pages(part.path):
            for _, found in personnummer_in(text):
                yield f"på sida {number}", found


def _docx_paragraphs(path: Path) -> Iterator[tuple[int, str]]:
    package = Package.open(path)
    number = 0
    for name in package.names():
        if not _TEXT_PARTS.match(name):
            continue
        for p in package.element(name).iter(P):
            number += 1
            text = "".join(t.text or "" for t in p.iter(T))
            if text:
                yield number, text


def _pdf_pages(path: Path) -> Iterator[tuple[int, str]]:
    try:
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, 1):
            yield number, page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError) as err:
        raise InputError(
            [
                Problem(
                    f"bilagans text kan inte läsas för att leta efter personnummer ({err})",
                    file=path,
                )
            ]
        ) from None
