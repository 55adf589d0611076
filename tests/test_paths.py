"""Paths are judged: documents must be regular files (a FIFO never hangs a run), and
attachments lie inside the meeting's folder or a folder the profile allows; a symlink is
judged by its target."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from beslutsdoc.api import meeting as load_meeting
from beslutsdoc.problems import InputError

from .conftest import PROFILE
from .test_meeting import MEETING
from .test_meeting import PAPER as ITEM_PAPER
from .test_output import _blank_pdf


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    """A meeting in its own folder, below a folder with the profile."""
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    folder = tmp_path / "möte"
    (folder / "ombud").mkdir(parents=True)
    (folder / "ombud" / "tjänsteutlåtande.yaml").write_text(ITEM_PAPER, encoding="utf-8")
    (folder / "ombud" / "blankett.pdf").write_bytes(_blank_pdf())
    (tmp_path / "utanför.pdf").write_bytes(_blank_pdf())
    path = folder / "sammanträde.yaml"
    path.write_text(MEETING, encoding="utf-8")
    return path


def _listing(meeting: Path, name: str) -> None:
    meeting.write_text(
        MEETING.replace("ombud/blankett.pdf]", f"ombud/blankett.pdf, {name}]"), encoding="utf-8"
    )


def _problems(meeting: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_meeting(meeting)
    return str(caught.value)


@pytest.mark.parametrize("name", ["../utanför.pdf", "ABSOLUTE"])
def test_attachments_outside_the_meeting_folder_are_refused(meeting: Path, name: str) -> None:
    listed = str(meeting.parent.parent / "utanför.pdf") if name == "ABSOLUTE" else name
    _listing(meeting, listed)
    message = _problems(meeting)
    assert "sammanträde.yaml:20:" in message  # the line that lists it
    assert f"bilagan ”{listed}” ligger utanför sammanträdets mapp" in message
    assert "bilagemappar" in message  # says how to allow it


def test_a_symlink_is_judged_by_its_target(meeting: Path) -> None:
    (meeting.parent / "länk.pdf").symlink_to(meeting.parent.parent / "utanför.pdf")
    _listing(meeting, "länk.pdf")
    message = _problems(meeting)
    assert "via en symbolisk länk till" in message and "utanför.pdf" in message
    # A symlink inside to a file inside is fine.
    (meeting.parent / "ombud" / "annan.pdf").write_bytes(_blank_pdf())
    (meeting.parent / "inne.pdf").symlink_to(meeting.parent / "ombud" / "annan.pdf")
    _listing(meeting, "inne.pdf")
    assert load_meeting(meeting).items[0].parts[-1].path.name == "inne.pdf"


def test_the_profile_can_allow_a_folder(meeting: Path) -> None:
    shared = meeting.parent.parent / "gemensamt"
    shared.mkdir()
    (shared / "riktlinje.pdf").write_bytes(_blank_pdf())
    profile = meeting.parent.parent / "beslutsdoc.yaml"
    _listing(meeting, "../gemensamt/riktlinje.pdf")
    assert "ligger utanför" in _problems(meeting)
    profile.write_text(PROFILE + "bilagemappar: [gemensamt]\n", encoding="utf-8")
    parts = load_meeting(meeting).items[0].parts
    assert parts[-1].path.resolve() == (shared / "riktlinje.pdf").resolve()
    _listing(meeting, "../utanför.pdf")  # still only that folder
    assert "ligger utanför" in _problems(meeting)


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_document_must_be_a_regular_file(meeting: Path, kind: str) -> None:
    for name in ("ombud/x.pdf", "ombud/x.yaml"):
        path = meeting.parent / name
        if kind == "fifo":
            os.mkfifo(path)  # reading it would block for ever
        else:
            path.mkdir()
        _listing(meeting, name)
        message = _problems(meeting)  # returns: nothing opened the FIFO
        expected = "en namngiven pipe (FIFO)" if kind == "fifo" else "en mapp"
        assert f"”{name}” är {expected}, ingen vanlig fil" in message


def test_a_device_is_no_document(meeting: Path) -> None:
    _listing(meeting, "/dev/zero.pdf" if Path("/dev/zero.pdf").exists() else "noll.pdf")
    (meeting.parent / "noll.pdf").symlink_to("/dev/zero")
    message = _problems(meeting)
    assert "en enhet eller annan specialfil" in message
