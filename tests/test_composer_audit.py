"""openxml-audit (the Open XML SDK's rules in Python) on what the packet writes.

The examples' packets must open in Word without repair; a packet of the corpus must add
no error that its attachments did not bring themselves (an attachment's own schema
errors are its author's, and the packet keeps the attachment as it was made).

Allowed, with the reason (openxml-audit's known false positives):
- `numId 0`: 0 is the schema's "no numbering", not a missing w:num;
- stylesWithEffects: its heuristic compares Word 2010's copy of the styles with
  styles.xml; beslutsdoc drops that copy from the packet, attachments may carry one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from beslutsdoc.api import meeting as load_meeting
from beslutsdoc.compose.composer import Composer
from beslutsdoc.compose.packet import build_packet
from beslutsdoc.ooxml.package import Package
from tests.conftest import EXAMPLES
from tests.corpus.build import CORPUS

audit = pytest.importorskip("openxml_audit")

ALLOWED = re.compile(r"numId.*'0'|'0'.*numId|stylesWithEffects", re.I)
ROOT = Path(__file__).resolve().parents[1]


def errors(path: Path) -> tuple[set[str], object]:
    result = audit.OpenXmlValidator(max_errors=0).validate(str(path))
    found = {e.description for e in result.errors if not ALLOWED.search(e.description)}
    return found, audit.predict(result).prediction


@pytest.mark.parametrize("meeting", sorted(EXAMPLES.glob("*/*/sammanträde.yaml")), ids=str)
def test_example_packets_open_in_word_without_repair(meeting: Path, tmp_path: Path) -> None:
    packet = build_packet(load_meeting(meeting))
    for name, data in (("handlingar", packet.handlingar), ("kallelse", packet.kallelse)):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        found, prediction = errors(path)
        assert prediction != audit.AppPrediction.REPAIR_OR_REWRITE_LIKELY, (name, found)
        assert not found, (name, sorted(found))


def test_the_corpus_packet_adds_no_error_of_its_own(tmp_path: Path) -> None:
    composer = Composer(Package.read((ROOT / "templates" / "handlingar.docx").read_bytes()))
    brought: set[str] = set()
    for name, make in CORPUS.items():
        data = make()[0]
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        brought |= errors(path)[0]
        composer.append(Package.read(data), bookmark=f"bd{name.replace('-', '')}")
    packet = tmp_path / "handlingar.docx"
    packet.write_bytes(composer.finish())
    found, _ = errors(packet)
    assert not found - brought, sorted(found - brought)
