"""The Python examples of the README and the docs run as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A ```python block, unless the line before it is ``<!-- not run -->`` (a sketch
#: that needs files or services the reader has and the tests do not).
_BLOCK = re.compile(
    r"(?<!<!-- not run -->\n)^```python\n(.*?)^```", re.DOTALL | re.MULTILINE
)


#: A block the page shows as a file: ``<!-- file: NAME -->`` on the line before it.
_FILE = re.compile(
    r"^<!-- file: ([\w.-]+) -->\n```\w*\n(.*?)^```", re.DOTALL | re.MULTILINE
)


def _pages() -> list[Path]:
    return [p for p in PAGES if _BLOCK.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(page, tmp_path, monkeypatch, capsys):
    """The ```python blocks of a page run in order, in one namespace, as written.

    They run in an empty directory holding a copy of the bundled examples as
    ``engagements/`` and the files the page shows as ``<!-- file: NAME -->``.
    """
    from outsourcekit import examples_path

    shutil.copytree(examples_path(), tmp_path / "engagements")
    monkeypatch.chdir(tmp_path)
    text = page.read_text(encoding="utf-8")
    for name, content in _FILE.findall(text):
        (tmp_path / name).write_text(content, encoding="utf-8")
    namespace = {"__name__": "docs_example"}
    for code in _BLOCK.findall(text):
        exec(compile(code, str(page), "exec"), namespace)  # noqa: S102
    capsys.readouterr()
