"""Shared data of the command line's tests: engagements, plugins, the script."""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import TYPE_CHECKING

from outsourcekit.examples import examples_path

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = "2026-11-22"
#: An engagement of the bundled examples that produces no finding.
CLEAN = "harbour-finch-bookkeeping.yaml"
GOOD = textwrap.dedent(
    """\
    id: good
    title: A half-written engagement
    """
)
BROKEN = textwrap.dedent(
    """\
    id: broken
    title: A date that is not one
    start: soon
    """
)

RAISING_RULE = textwrap.dedent(
    """\
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST901", slug="always-raises", title="Raises", category="governance",
          severity="warning", fix="Nothing to fix.")
    def always_raises(engagement, ctx):
        raise ZeroDivisionError("the rule divided by zero")

    @hookimpl
    def outsourcekit_register_rules():
        return [always_raises]
    """
)
FAILING_IMPORT = 'raise ImportError("needs the acme-sdk package")\n'
FAILING_EXPORTER = textwrap.dedent(
    """\
    from outsourcekit.plugins import Exporter
    from outsourcekit.hookspecs import hookimpl

    def boom(report):
        raise RuntimeError("the printer caught fire")

    @hookimpl
    def outsourcekit_register_exporters():
        return [Exporter("boom", ".boom", boom)]
    """
)
COUNTING_EXPORTER = textwrap.dedent(
    """\
    from pathlib import Path

    from outsourcekit.plugins import Exporter
    from outsourcekit.hookspecs import hookimpl

    def count(report):
        with Path("calls.log").open("a", encoding="utf-8") as log:
            log.write("called\\n")
        return "counted\\n"

    @hookimpl
    def outsourcekit_register_exporters():
        return [Exporter("count", ".cnt", count)]
    """
)


def example(name: str = CLEAN) -> Path:
    """Return the path of one bundled example file."""
    return examples_path() / name


def script() -> list[str]:
    """The installed console script, else the module run by this interpreter."""
    found = shutil.which("outsourcekit")
    return [found] if found else [sys.executable, "-m", "outsourcekit"]
