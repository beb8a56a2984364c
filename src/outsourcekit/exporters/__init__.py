"""Exporters: report formats, built-in and plugins', registered through a hook."""

from __future__ import annotations

from collections.abc import Callable  # noqa: TC003 - evaluated by the API docs
from typing import TYPE_CHECKING

import attrs

from outsourcekit.hookspecs import hookimpl

if TYPE_CHECKING:
    from outsourcekit.engine import Report

__all__ = ["Exporter", "builtin_exporters", "outsourcekit_register_exporters"]


@attrs.frozen
class Exporter:
    """A report format: its name (``--format``), file suffix and writing function.

    ``func`` turns a report into text or bytes; ``plugin`` is set to the name of
    the plugin that registered the exporter.
    """

    name: str
    suffix: str
    func: Callable[[Report], str | bytes] = attrs.field(repr=False, eq=False)
    description: str = ""
    plugin: str | None = attrs.field(default=None, eq=False)

    def __call__(self, report: Report) -> str | bytes:
        """Write *report* in this format."""
        return self.func(report)


def builtin_exporters() -> list[Exporter]:
    """Return outsourcekit's own formats, sorted by name."""
    from . import csv, html, json, junit, markdown, sarif, text  # noqa: PLC0415

    return [
        csv.EXPORTER,
        html.EXPORTER,
        json.EXPORTER,
        junit.EXPORTER,
        markdown.EXPORTER,
        sarif.EXPORTER,
        text.EXPORTER,
    ]


@hookimpl
def outsourcekit_register_exporters() -> list[Exporter]:
    """Register the built-in formats, through the hook plugins use."""
    return builtin_exporters()
