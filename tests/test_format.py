"""Every YAML example in README.md and docs/ is valid input, as a user would copy it.

A block that is a whole file (it has `typ:`, or is a profile) is loaded and checked by
the tool and validated against its JSON Schema, read as YAML 1.2 as editors do. The
files of one page are written side by side (the page's profile beside its papers, a
meeting beside the tjänsteutlåtande it lists). A fragment says what it is part of on
its first line, `# del av sammanträde.yaml`, and is checked inside that whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from beslutsdoc.api import InputError, validate
from beslutsdoc.load.paper import load_profile

from .conftest import ROOT
from .test_schemas import _editor, _validator

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROFILE = 'kommun: Exempelkommun\nnämnd: Socialnämnden\ndiarienummer: "SN {år}:{nummer}"\n'
#: The smallest whole file of each type, for a fragment whose page has none.
BASES = {
    "beslutsdoc.yaml": PROFILE,
    "sammanträde.yaml": "typ: sammanträde\ndatum: 2021-01-26\ntid: '18.00'\nplats: P\n"
    "ordförande: Anna Andersson\nsekreterare: {namn: Fredrik Falk}\n"
    "ärenden: [{titel: Information, information: true}]\n",
}
_FRAGMENT = re.compile(r"^# del av (\S+\.yaml)")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    text: str

    @property
    def name(self) -> str:
        """The file the block is (`tjänsteutlåtande.yaml`, `beslutsdoc.yaml`) or is part of."""
        fragment = _FRAGMENT.match(self.text)
        if fragment:
            return fragment[1]
        if self.text.startswith("# beslutsdoc.yaml") or "profil.schema.json" in self.text:
            return "beslutsdoc.yaml"
        typ = re.search(r"^typ: (\S+)", self.text, re.M)
        return f"{typ[1]}.yaml" if typ else ""

    @property
    def fragment(self) -> bool:
        return bool(_FRAGMENT.match(self.text))

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(page, text.count("\n", 0, found.start()) + 2, found[1])
        for found in re.finditer(r"^```yaml\n(.*?)^```", text, re.S | re.M)
    ]


BLOCKS = [block for page in PAGES for block in _blocks(page)]


def test_the_docs_have_an_example_of_every_file() -> None:
    names = {block.name for block in BLOCKS if not block.fragment}
    assert {
        "beslutsdoc.yaml",
        "tjänsteutlåtande.yaml",
        "protokollsutdrag.yaml",
        "sammanträde.yaml",
        "internkontrollplan.yaml",
        "internkontrolluppföljning.yaml",
    } <= names


@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_every_block_is_a_file_or_says_what_it_is_part_of(block: Block) -> None:
    assert block.name, "ett YAML-block utan typ: ska börja med ”# del av FIL.yaml”"


@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_every_block_is_valid_for_the_tool_and_its_schema(block: Block, tmp_path: Path) -> None:
    _write_page(block.page, tmp_path)
    path = tmp_path / block.name
    if block.fragment:
        path.write_text(_merged(block, path), encoding="utf-8")
    if block.name == "beslutsdoc.yaml":
        load_profile(path)
    else:
        try:
            validate([path])
        except InputError as err:
            pytest.fail("\n".join(map(str, err.problems)))
    data = _editor(path.read_text(encoding="utf-8"))
    assert [e.message for e in _validator(data, path).iter_errors(data)] == []


def _write_page(page: Path, folder: Path) -> None:
    """The page's whole files side by side, the first of each name, with its profile."""
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    for block in reversed(_blocks(page)):
        if block.name and not block.fragment:
            (folder / block.name).write_text(block.text, encoding="utf-8")


def _merged(block: Block, path: Path) -> str:
    """The fragment's keys in the whole file it is part of (the page's own, or a base)."""
    base = path.read_text(encoding="utf-8") if path.is_file() else BASES[block.name]
    whole: dict[str, Any] = {**yaml.safe_load(base), **yaml.safe_load(block.text)}
    return yaml.safe_dump(whole, allow_unicode=True, sort_keys=False)


def test_a_comma_in_a_flow_mapping_needs_quotes(tmp_path: Path) -> None:
    # docs/format.md's scale writes {namn: Sannolik, beskrivning: "Hög risk, mycket ..."}.
    plan = next(b for b in BLOCKS if b.name == "internkontrollplan.yaml" and not b.fragment)
    _write_page(plan.page, tmp_path)
    (loaded,) = validate([tmp_path / "internkontrollplan.yaml"])
    levels = loaded.model.skalor.sannolikhet
    assert levels[4].beskrivning == "Hög risk, mycket troligt att fel ska uppstå"
