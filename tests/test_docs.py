"""README and docs/ link only inside the repository, and every link leads somewhere.

A user has the clone and nothing beside it: a link to ../shared or to a web page the
project does not control is a page they cannot read with the repo alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> str:
    """The page without code blocks and code spans, where a link is an example."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(page: Path) -> set[str]:
    """The anchors of the page's headings, as GitHub and most readers make them."""
    out = set()
    for heading in re.findall(r"^#+ (.+)$", _prose(page.read_text(encoding="utf-8")), re.M):
        kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
        out.add(kept.replace(" ", "-"))
    return out


def links(page: Path) -> list[str]:
    return _LINK.findall(_prose(page.read_text(encoding="utf-8")))


def broken(page: Path, root: Path = ROOT) -> list[str]:
    """The page's links that leave `root`, lead nowhere or to a heading that is not there."""
    return [link for link in links(page) if not _resolves(page, link, root)]


def _resolves(page: Path, link: str, root: Path) -> bool:
    target, _, anchor = link.partition("#")
    if re.match(r"[a-z]+:", target):  # https:, mailto:, file:
        return False
    path = (page.parent / target).resolve() if target else page
    if not path.is_relative_to(root) or not path.exists():
        return False
    return not anchor or path.suffix != ".md" or anchor in _anchors(path)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_in_the_repo_and_resolves(page: Path) -> None:
    assert broken(page) == []


def test_links_out_of_the_repo_or_to_nothing_are_caught(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "format.md").write_text("# Format\n\n## Alla nycklar\n", encoding="utf-8")
    page = repo / "README.md"
    page.write_text(
        "[a](../shared/FORMAT.md) [b](https://example.org) [c](docs/saknas.md)"
        " [d](docs/format.md#ingen-sådan) [e](docs/format.md#alla-nycklar) [f](docs/format.md)"
        " `[g](../i/kod)`\n\n```\n[h](../i/block)\n```\n",
        encoding="utf-8",
    )
    assert broken(page, repo) == [
        "../shared/FORMAT.md",
        "https://example.org",
        "docs/saknas.md",
        "docs/format.md#ingen-sådan",
    ]


def test_the_pre_commit_hook_validates_papers_but_not_the_profile() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "beslutsdoc-validate"
    assert hook["entry"] == "beslutsdoc validate"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    chosen = [
        name
        for name in [
            "möte/sammanträde.yaml",
            "a/tjänsteutlåtande.yml",
            "beslutsdoc.yaml",
            "sn/beslutsdoc.yaml",
            "mall.docx",
            ".pre-commit-config.yaml",
        ]
        if files.search(name) and not exclude.search(name)
    ]
    assert chosen == ["möte/sammanträde.yaml", "a/tjänsteutlåtande.yml"]
