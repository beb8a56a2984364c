"""The built-in report formats, registered through the public exporter hook."""

from __future__ import annotations

from outsourcekit.hookspecs import hookimpl
from outsourcekit.plugins import Exporter  # noqa: TC001 - the hook returns them

from . import (
    concise,
    csv,
    github,
    gitlab,
    html,
    json,
    jsonl,
    junit,
    markdown,
    sarif,
    text,
)

__all__ = ["builtin_exporters", "outsourcekit_register_exporters"]


def builtin_exporters() -> list[Exporter]:
    """Return outsourcekit's own formats, sorted by name."""
    return [
        concise.EXPORTER,
        csv.EXPORTER,
        github.EXPORTER,
        gitlab.EXPORTER,
        html.EXPORTER,
        json.EXPORTER,
        jsonl.EXPORTER,
        junit.EXPORTER,
        markdown.EXPORTER,
        sarif.EXPORTER,
        text.EXPORTER,
    ]


@hookimpl
def outsourcekit_register_exporters() -> list[Exporter]:
    """Register the built-in formats, through the hook plugins use."""
    return builtin_exporters()
