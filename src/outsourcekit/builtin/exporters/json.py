"""The JSON format: the report document of the public interface, ``indent=2``.

Its streaming form (:class:`JsonSink`) writes the same document: the findings
go to a temporary file as they come, and the document is written around them
at the end, since it lists the engagements before the findings.
"""

from __future__ import annotations

import importlib.resources
import json
from typing import IO, TYPE_CHECKING, Any

import attrs

from outsourcekit.plugins import Exporter

from ._escape import json_text
from ._stream import ListWriter, Spool, placeholder, write_document

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from outsourcekit.engine import Finding, Report, Rule

__all__ = ["EXPORTER", "JsonSink", "export", "report_schema"]


def export(report: Report) -> str:
    """Return the report's JSON document, keys in the documented order.

    Text is written as is but for the characters :func:`._escape.json_text`
    escapes (controls, bidirectional controls, lone surrogates), so the file is
    always valid UTF-8 and reads back to the same strings.
    """
    return json_text(report.to_dict(), indent=2) + "\n"


class JsonSink:
    """Writes the JSON document while the check runs: the same bytes as :func:`export`.

    The findings are kept in a temporary file, in their final form, until the
    document is written at the end, engagements first; memory holds no
    finding. *context* answers for each finding against the baseline (see
    :class:`~outsourcekit.plugins.Exporter`).
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, marking findings as *context* says."""
        self.file = file
        self.context = context
        self.spool = Spool(depth=2)

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Start the report: the document is written at the end."""

    def findings(self, batch: Sequence[Finding]) -> None:
        """Keep the findings of *batch*, written as the document will hold them."""
        add = self.spool.add
        finding_dict = self.context.finding_dict
        for f in batch:
            add(finding_dict(f))

    def end(self, report: Report) -> None:
        """Write the document, with the findings kept, and let them go."""
        try:
            engagements, findings = placeholder(), placeholder()
            data = attrs.evolve(report, engagements=(), findings=()).to_dict()
            data["engagements"] = engagements
            data["findings"] = findings
            data["summary"] = report.summary
            scores = ListWriter(depth=2)

            def write_engagements(out: IO[str]) -> None:
                scores.write(
                    out, (scores.item(e.to_dict()) for e in report.engagements)
                )

            write_document(
                self.file,
                data,
                {engagements: write_engagements, findings: self.spool.write},
            )
            self.file.flush()
        finally:
            self.spool.close()


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
    stream=JsonSink,
)
