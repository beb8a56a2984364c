"""The examples of the README and the docs run as written and print what they show."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
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


#: ``print(...)  # OUTPUT`` on a line of its own: the page says what it prints.
_PRINT = re.compile(
    r"^(?P<indent> *)print\((?P<args>.*)\)  # (?P<output>.*)$", re.MULTILINE
)


def _shown(output: str, *values: object) -> None:
    """Fail unless ``print(*values)`` prints what the page says it does.

    The page's text after ``#`` is the output, or the output followed by ``:``
    and a remark (``# 0: a bare engagement states nothing yet``), or its start
    followed by ``...``.
    """
    printed = " ".join(map(str, values))
    if output.endswith("..."):
        assert printed.startswith(output[:-3].rstrip()), (output, printed)
    else:
        assert output == printed or output.startswith(printed + ": "), (
            output,
            printed,
        )


def _checked(code: str) -> str:
    """The block with each commented ``print`` replaced by a call of ``_shown``."""
    return _PRINT.sub(
        lambda m: f"{m['indent']}_shown({m['output']!r}, {m['args']})", code
    )


def _pages() -> list[Path]:
    return [p for p in PAGES if _BLOCK.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(page, tmp_path, monkeypatch, capsys):
    """The ```python blocks of a page run in order, in one namespace, as written.

    A ``print`` whose line ends in a comment prints what the comment says.

    They run in an empty directory holding a copy of the bundled examples as
    ``engagements/`` and the files the page shows as ``<!-- file: NAME -->``.
    """
    from outsourcekit import examples_path

    shutil.copytree(examples_path(), tmp_path / "engagements")
    monkeypatch.chdir(tmp_path)
    text = page.read_text(encoding="utf-8")
    for name, content in _FILE.findall(text):
        (tmp_path / name).write_text(content, encoding="utf-8")
    namespace = {"__name__": "docs_example", "_shown": _shown}
    for code in _BLOCK.findall(text):
        exec(compile(_checked(code), str(page), "exec"), namespace)  # noqa: S102
    capsys.readouterr()


#: A ```console block, unless the line before it is ``<!-- not run -->`` (it needs
#: files the page does not show); ``<!-- output varies -->`` runs the commands
#: without comparing what they print (times, today's date).
_CONSOLE = re.compile(
    r"(?<!<!-- not run -->\n)(<!-- output varies -->\n)?^```console\n(.*?)^```",
    re.DOTALL | re.MULTILINE,
)


def _console_pages() -> list[Path]:
    return [
        p
        for p in PAGES
        if any(
            "$ outsourcekit" in block
            for _, block in _CONSOLE.findall(p.read_text("utf-8"))
        )
    ]


def _sessions(block: str) -> list[tuple[str, list[str]]]:
    """The ``$ command`` lines of a console block, each with the lines it prints."""
    sessions: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        elif sessions:
            sessions[-1][1].append(line.rstrip())
    return sessions


def _matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the lines printed are those shown; a line ``...`` stands for any."""
    if not shown:
        return not printed
    if shown[0].strip() == "...":
        return any(_matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    return bool(printed) and shown[0] == printed[0] and _matches(shown[1:], printed[1:])


@pytest.mark.parametrize(
    "page", _console_pages(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_console_examples(page, tmp_path):
    """The ``$ outsourcekit`` commands of a page print what the page shows.

    They run in order in an empty directory holding a copy of the bundled
    examples as ``engagements/``, the checkout's example calendars as
    ``calendars/`` and the files the page shows as ``<!-- file: NAME -->``.
    Only the built-in plugins load. Standard output comes before standard
    error; ``$ echo $?`` shows the exit status of the command before it; a
    command shown without output must not stop at a usage or configuration
    error (``Error: ...``). Other commands (installing, benchmarks) are not run.
    """
    from outsourcekit import examples_path

    shutil.copytree(examples_path(), tmp_path / "engagements")
    shutil.copytree(ROOT / "docs" / "calendars", tmp_path / "calendars")
    text = page.read_text(encoding="utf-8")
    for name, content in _FILE.findall(text):
        (tmp_path / name).write_text(content, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR"}
    }
    env["PYTHONIOENCODING"] = "utf-8"
    env["OUTSOURCEKIT_LOAD_PLUGINS"] = ""  # the built-in plugins only, as shown
    python = shlex.quote(sys.executable)
    for varies, block in _CONSOLE.findall(text):
        status = None
        for command, shown in _sessions(block):
            if command == "echo $?":
                assert shown == [str(status)], (page.name, command, status)
                continue
            if not command.startswith("outsourcekit"):
                continue
            run = subprocess.run(  # noqa: S602
                f"{python} -m {command}",
                shell=True,
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=False,
            )
            status = run.returncode
            printed = (run.stdout + run.stderr).splitlines()
            printed = [line.rstrip() for line in printed]
            if shown and not varies:
                assert _matches(shown, printed), (command, "\n".join(printed))
            else:
                assert not run.stderr.startswith(("Error:", "Usage:")), (
                    command,
                    run.stderr,
                )
