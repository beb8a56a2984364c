"""The JSON format: the report document of the public interface, ``indent=2``."""

from __future__ import annotations

import importlib.resources
import json
from typing import TYPE_CHECKING, Any

from outsourcekit.plugins import Exporter

from ._escape import json_text

if TYPE_CHECKING:
    from outsourcekit.engine import Report

__all__ = ["EXPORTER", "export", "report_schema"]


def export(report: Report) -> str:
    """Return the report's JSON document, keys in the documented order.

    Text is written as is but for the characters :func:`._escape.json_text`
    escapes (controls, bidirectional controls, lone surrogates), so the file is
    always valid UTF-8 and reads back to the same strings.
    """
    return json_text(report.to_dict(), indent=2) + "\n"


def report_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the report document."""
    resource = importlib.resources.files("outsourcekit") / "data" / "report.schema.json"
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return data


#: The ``json`` format.
EXPORTER = Exporter(
    "json",
    ".json",
    export,
    "The report document: engagements, findings, errors and summary.",
)
