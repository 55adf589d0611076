"""Meetings for the packet's PDF tests: the Botkyrka example, and small ones with the
attachments a test needs."""

from __future__ import annotations

import io
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docx
import pypdf
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from .conftest import EXAMPLES, PROFILE
from .test_meeting import MEETING, PAPER

BOTKYRKA = "botkyrka/2021-01-26/sammanträde.yaml"


def botkyrka(folder: Path) -> Path:
    """A copy of the examples in `folder`; the Botkyrka meeting's file."""
    shutil.copytree(EXAMPLES, folder / "examples")
    return folder / "examples" / BOTKYRKA


def small_meeting(folder: Path, attachments: Mapping[str, bytes]) -> Path:
    """A meeting in `folder` whose first item has a paper and these attachments (file
    name → content, in order), each listed in the paper as ”Bilaga N”."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    (folder / "ombud").mkdir()
    listed = "".join(
        f"  - titel: Bilaga {n}\n    fil: {name}\n" for n, name in enumerate(attachments, 1)
    )
    paper = PAPER.split("bilagor:\n")[0] + ("bilagor:\n" + listed if attachments else "")
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(paper, encoding="utf-8")
    for name, data in attachments.items():
        (folder / "ombud" / name).write_bytes(data)
    files = ", ".join(["ombud/tjänsteutlåtande.yaml", *(f"ombud/{n}" for n in attachments)])
    text = MEETING.replace("[ombud/tjänsteutlåtande.yaml, ombud/blankett.pdf]", f"[{files}]")
    assert text != MEETING
    path = folder / "sammanträde.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def plain_pdf(*, title: str | None = None, lang: str | None = None, text: str = "") -> bytes:
    """An untagged one-page PDF as pypdf writes it, with a line of text in a standard
    (not embedded) font; `title` and `lang` when given."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    if text:
        font = writer._add_object(
            pypdf.generic.DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                }
            )
        )
        page[NameObject("/Resources")] = pypdf.generic.DictionaryObject(
            {NameObject("/Font"): pypdf.generic.DictionaryObject({NameObject("/F1"): font})}
        )
        stream = pypdf.generic.DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if title:
        writer.add_metadata({"/Title": title})
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word(*, title: str | None = None, heading: str = "Bilagans rubrik") -> bytes:
    """A small Word document: a heading, a paragraph, a numbered item; `title` in its
    properties when given (python-docx's default has none)."""
    document = docx.Document()
    document.add_heading(heading, 1)
    document.add_paragraph("Bilagans text, med ett par meningar att läsa upp.")
    document.add_paragraph("Första punkten", style="List Number")
    document.core_properties.title = title or ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def elements(node: Any) -> list[DictionaryObject]:
    """Every structure element under `node` (a StructTreeRoot or element), any order."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        kids = item.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            element = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(element, DictionaryObject) and "/S" in element:
                found.append(element)
                stack.append(element)
    return found
