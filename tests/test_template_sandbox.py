"""Template code is untrusted: it sees plain data, within limits, and fails in Swedish."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from beslutsdoc.render import sandbox

from .conftest import PAPER
from .test_template import own_template

ATTACHED = PAPER + "bilagor:\n  - titel: Utredning\n    fil: bilaga.pdf\n"


def _template_with(folder: Path, text: str) -> None:
    own_template(folder, lambda document: document.add_paragraph(text))


@pytest.mark.parametrize(
    "code",
    [
        # A block variable is only its truth value inline: no objects behind it.
        "{{ bilagor.attachments[0].fil.joinpath('/etc/passwd').read_text() }}",
        "{{ handläggare.namn.__class__.__mro__ }}",
        "{{ handläggare.update({'namn': 'x'}) }}",
        "{{ förslag_till_beslut.append('x') }}",
    ],
)
def test_template_reaches_nothing_but_data(folder: Path, write, cli, code: str) -> None:
    _template_with(folder, code)
    paper = write(ATTACHED)
    run = cli("render", paper)
    assert run.code == 1
    assert "egen.docx" in run.err and "kan inte fyllas i" in run.err
    assert not paper.with_suffix(".docx").exists()


def test_template_sees_a_file_name_not_a_path(folder: Path, write, cli) -> None:
    import docx

    own_template(
        folder, lambda d: d.add_paragraph("{% for b in [handläggare] %}{{ b.namn }}{% endfor %}")
    )
    paper = write(ATTACHED)
    assert cli("render", paper).code == 0
    texts = [p.text for p in docx.Document(str(paper.with_suffix(".docx"))).paragraphs]
    assert "Sofia Linder" in texts


def test_plain_data_keeps_the_printed_form_and_hides_paths() -> None:
    from beslutsdoc.model.common import Ledamot

    member = Ledamot(namn="Anna Andersson", parti="S")
    data = sandbox.plain({"ledamot": member, "fil": Path("/etc/passwd"), "lista": (member,)})
    assert str(data["ledamot"]) == str(member)
    assert data["fil"] == "passwd"
    assert not hasattr(data["ledamot"], "model_dump")
    assert isinstance(data["lista"], list)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("{{ nämnd * 1000000000 }}", "för lång text"),
        ("{{ 'x' | center(1000000000) }}", "för stort tal"),
        ("{{ 2 ** 100000000 }}", "för stora tal"),
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "för lång tid",
        ),
    ],
)
def test_template_limits(folder: Path, write, cli, monkeypatch, code: str, why: str) -> None:
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.5)
    _template_with(folder, code)
    paper = write(PAPER)
    started = time.monotonic()
    run = cli("render", paper)
    assert time.monotonic() - started < 10
    assert run.code == 1
    assert why in run.err and "egen.docx" in run.err
    assert not paper.with_suffix(".docx").exists()
