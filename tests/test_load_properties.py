"""Property-based: whatever the text, the YAML loader and the Markdown reader either
succeed or raise the project's own InputError naming the file; nothing else escapes."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beslutsdoc.cli import main
from beslutsdoc.load.paper import load_paper
from beslutsdoc.load.source import load_yaml
from beslutsdoc.problems import InputError

from .conftest import PAPER, PROFILE

# No example database in the work tree; no deadline (the tests are not about speed).
FAST = settings(max_examples=300, deadline=None, database=None)
SLOW = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: Pieces that make YAML interesting: indicators, indentation, tabs, anchors, quotes,
#: flow collections, block scalars, document markers, control and combining characters.
YAML_PIECES = [
    "a", "ä", "a\u0308", "typ", ":", ": ", "-", "- ", " ", "  ", "\t", "\n", "\r\n", "#",
    "&x", "*x", "&y ", "*y", "!!str ", "!tag ", "?", "{", "}", "[", "]", ",", ", ", "|",
    "|-", ">", "'", '"', "\\", "---", "...", "%YAML 1.1", "~", "null", "18.00", "nej",
    "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ufffe", "<<", "@", "`", "%",
]  # fmt: skip

yaml_like = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)
any_text = st.one_of(yaml_like, st.text(max_size=200))


def names_file(error: InputError, file: Path) -> bool:
    return all(
        (p.position.file if p.position else p.file) in {file, None} for p in error.problems
    ) and any((p.position.file if p.position else p.file) == file for p in error.problems)


@FAST
@given(text=any_text)
def test_the_yaml_loader_raises_only_input_errors(tmp_path_factory, text: str) -> None:
    file = tmp_path_factory.getbasetemp() / "egendom.yaml"
    try:
        source = load_yaml(file, text)
    except InputError as err:
        assert err.problems and names_file(err, file)
    else:
        assert source.data is None or isinstance(source.data, dict | list | str)


@FAST
@given(data=st.binary(max_size=300))
def test_the_yaml_loader_reads_any_bytes(tmp_path_factory, data: bytes) -> None:
    file = tmp_path_factory.mktemp("bytes") / "egendom.yaml"
    file.write_bytes(data)
    with contextlib.suppress(InputError):
        load_yaml(file)


@FAST
@given(value=any_text, key=st.sampled_from(["titel", "handläggare", "avsnitt", "bilagor", "x"]))
def test_a_paper_with_any_value_raises_only_input_errors(
    tmp_path_factory, value: str, key: str
) -> None:
    folder = tmp_path_factory.mktemp("paper")
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    paper = folder / "paper.yaml"
    lines = [line for line in PAPER.splitlines() if not line.startswith(f"{key}:")]
    paper.write_text("\n".join(lines) + f"\n{key}: {value}\n", encoding="utf-8")
    try:
        load_paper(paper)
    except InputError as err:
        assert err.problems and all(str(p) for p in err.problems)


#: Pieces that make the small Markdown interesting: headings, lists, emphasis, links,
#: footnotes, tables, quotes, code, HTML-like and template-like text.
MARKDOWN_PIECES = [
    "text", "å", " ", "\n", "\n\n", "\t", "#", "### ", "- ", "* ", "1. ", "  ", "    ",
    "**", "*", "_", "__", "[", "]", "(", ")", "[^1]", "[^1]: ", "[^x]", "|", "| --- |",
    "|---|---|", "> ", "`", "```", "<", ">", "&amp;", "{{ x }}", "{% if %}", "\\",
    "https://a.se", "![b](c.png)", "---", "<br>", "\x0b", "\x1f", "\u200b",
]  # fmt: skip

markdown = st.one_of(
    st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join), st.text(max_size=120)
)


@SLOW
@given(text=markdown)
def test_any_sammanfattning_renders_or_is_refused(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("markdown")
    (folder / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    paper = folder / "paper.yaml"
    # JSON is YAML: the text arrives in the model exactly as generated.
    summary = json.dumps(text, ensure_ascii=False)
    paper.write_text(
        PAPER.replace("sammanfattning: Kort sammanfattning.", f"sammanfattning: {summary}"),
        encoding="utf-8",
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["render", str(paper), "-o", str(folder / "ut.docx")])
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert (code == 0) == (folder / "ut.docx").is_file()
    if code == 1:
        assert str(paper) in err.getvalue()


@pytest.mark.parametrize("text", ["", "#", "\n", "[^1]", "| a |\n|---|\n| b |", "- - - x"])
def test_edge_summaries_render_or_are_refused(tmp_path: Path, text: str) -> None:
    # The Hypothesis test's shrunk corner cases, always run.
    (tmp_path / "beslutsdoc.yaml").write_text(PROFILE, encoding="utf-8")
    paper = tmp_path / "paper.yaml"
    summary = json.dumps(text, ensure_ascii=False)
    paper.write_text(
        PAPER.replace("sammanfattning: Kort sammanfattning.", f"sammanfattning: {summary}"),
        encoding="utf-8",
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["render", str(paper), "-o", str(tmp_path / "ut.docx")])
    assert code in (0, 1) and "Traceback" not in err.getvalue()
