"""FORMAT.md's own examples are valid input, as a user would copy them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from beslutsdoc.check.rules import check
from beslutsdoc.load.paper import load_paper, load_profile

from .conftest import ROOT

FORMAT = ROOT.parent / "shared" / "FORMAT.md"
STOCKHOLM = 'kommun: Stockholms stad\nnämnd: Socialnämnden\ndiarienummer: "SOF {år}/{nummer}"\n'


def examples() -> dict[str, str]:
    if not FORMAT.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("shared/FORMAT.md saknas bredvid repot")
        pytest.skip("shared/FORMAT.md finns inte bredvid repot")
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT.read_text(encoding="utf-8"), re.S)
    out = {}
    for block in blocks:
        found = re.search(r"^typ: (\S+)", block, re.M)
        out[
            found[1] if found else ("profil" if block.startswith("# beslutsdoc.yaml") else "efter")
        ] = block
    return out


def test_profile_example(tmp_path: Path) -> None:
    path = tmp_path / "beslutsdoc.yaml"
    path.write_text(examples()["profil"], encoding="utf-8")
    load_profile(path)


@pytest.mark.parametrize(
    "kind", ["tjänsteutlåtande", "protokollsutdrag", "internkontrollplan", "sammanträde"]
)
def test_paper_examples(tmp_path: Path, kind: str) -> None:
    profile = examples()["profil"] if kind in {"internkontrollplan", "sammanträde"} else STOCKHOLM
    (tmp_path / "beslutsdoc.yaml").write_text(
        profile.replace(
            "  obligatoriska_avsnitt: [Ärendet, Barnkonsekvensanalys]   # headings every paper must have\n",
            "",
        ),
        encoding="utf-8",
    )
    path = tmp_path / f"{kind}.yaml"
    path.write_text(examples()[kind], encoding="utf-8")
    check(load_paper(path))


def test_a_comma_in_a_flow_mapping_stays_in_the_text(tmp_path: Path) -> None:
    # FORMAT's scale writes {namn: Sannolik, beskrivning: Hög risk, mycket troligt ...}.
    plan = load_paper(_write(tmp_path, examples()["internkontrollplan"])).model
    assert plan.skalor.sannolikhet[4].beskrivning == "Hög risk, mycket troligt att fel ska uppstå"


def _write(folder: Path, text: str) -> Path:
    (folder / "beslutsdoc.yaml").write_text("kommun: K\nnämnd: N\n", encoding="utf-8")
    path = folder / "paper.yaml"
    path.write_text(text, encoding="utf-8")
    return path
