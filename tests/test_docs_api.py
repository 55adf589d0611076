"""docs/api.md: every ```python block runs, in order, in a folder with the examples."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text("utf-8"), re.S)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 8


def test_the_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for index, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"docs/api.md, exempel {index + 1}", "exec"), namespace)
        except Exception as err:  # name the block that broke
            raise AssertionError(f"exempel {index + 1} i docs/api.md:\n{block}") from err
    assert (tmp_path / "protokoll.docx").is_file()
