"""The same parts give the same merged document, whatever Python's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import EXAMPLES, ROOT

_MERGE = """
import hashlib, sys
from pathlib import Path
from beslutsdoc.compose.composer import Composer
from beslutsdoc.load.paper import load_paper
from beslutsdoc.ooxml.package import Package
from beslutsdoc.render import render
papers = [
    Path(p).read_bytes() if p.endswith(".docx") else render(load_paper(Path(p)))
    for p in sys.argv[1:]
]
composer = Composer(Package.read(papers[0]))
for index, data in enumerate(papers * 2):
    composer.append(Package.read(data), bookmark=f"bd{index}")
print(hashlib.sha256(composer.finish()).hexdigest())
"""


def test_merging_does_not_depend_on_the_hash_seed() -> None:
    # A paper, then attachments written in Word whose styles clash with the paper's by
    # name, so they are copied under new ids (the order they were copied in came from a
    # set, and with it from the seed).
    meeting = EXAMPLES / "botkyrka" / "2021-01-26"
    papers = [meeting / "02-personliga-ombud" / "tjänsteutlåtande.yaml"]
    papers += sorted(meeting.glob("*/*.docx"))
    digests = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", _MERGE, *map(str, papers)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1
