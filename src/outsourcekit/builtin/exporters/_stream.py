"""What the streaming forms of the JSON formats share: lists kept aside until the end.

A JSON document is written in one order (the JSON report lists engagements
before findings; SARIF its run's invocations before its results), while a
streamed check learns the findings first and the rest last. The findings are
written as they come to a temporary file (a :class:`Spool`), in their final
form and indentation, and the document is written at the end around them
(:func:`write_document`): the bytes are those the whole-report form writes, in
memory that does not grow with the report.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import weakref
from typing import IO, TYPE_CHECKING, Any

from ._escape import json_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from outsourcekit.engine import Finding, Report, Rule

__all__ = ["LineSink", "ListWriter", "Spool", "placeholder", "write_document"]


class LineSink:
    """Writes a line-based format while the check runs: the bytes of its whole form.

    Subclasses give :meth:`finding_lines` (the lines of a batch of findings,
    judged by *context*: the report without findings that answers for each
    finding against the baseline and ``fail_on``) and :meth:`closing_lines`
    (what follows the findings: errors and the summary). Each batch's lines are
    written and flushed as it comes.
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, judging findings as *context* says."""
        self.file = file
        self.context = context

    def finding_lines(self, context: Report, batch: Sequence[Finding]) -> list[str]:
        """Return the lines of *batch*."""
        raise NotImplementedError

    def closing_lines(self, report: Report) -> list[str]:
        """Return the lines written after every finding."""
        raise NotImplementedError

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Start: nothing is written before the first finding."""

    def findings(self, batch: Sequence[Finding]) -> None:
        """Write the lines of *batch*, and flush them."""
        self.file.writelines(self.finding_lines(self.context, batch))
        self.file.flush()

    def end(self, report: Report) -> None:
        """Write the closing lines and flush them."""
        self.file.writelines(self.closing_lines(report))
        self.file.flush()


def placeholder() -> str:
    """Return a text no document holds, to mark where a list is written later."""
    return f"outsourcekit-list-{uuid.uuid4().hex}"


class ListWriter:
    """Writes the items of a JSON list at *depth*, as ``json.dumps(indent=2)`` does.

    *depth* is how deep the list's items are in the document: the items of a
    list held by the top-level object are at depth 2.
    """

    def __init__(self, depth: int) -> None:
        """Indent items by ``2 * depth`` spaces, the closing bracket by two less."""
        self.pad = "  " * depth
        self.closing = "  " * (depth - 1)

    def item(self, data: Any) -> str:
        """Return *data* as one item of the list, indented, without separator."""
        text = json_text(data, indent=2)
        return self.pad + text.replace("\n", "\n" + self.pad)

    def write(self, out: IO[str], items: Iterable[str]) -> None:
        """Write the list of the *items* (as :meth:`item` gives them) to *out*."""
        first = True
        for item in items:
            out.write("[\n" if first else ",\n")
            out.write(item)
            first = False
        out.write("[]" if first else f"\n{self.closing}]")


class Spool:
    """The items of one list, written to a temporary file until the document is."""

    def __init__(self, depth: int) -> None:
        """Start an empty list whose items are at *depth* (see :class:`ListWriter`)."""
        self.writer = ListWriter(depth)
        self.file: IO[str] = tempfile.TemporaryFile(  # noqa: SIM115 - closed by close()
            "w+", encoding="utf-8", newline=""
        )
        self.count = 0
        # A check given up before its end (an error, Ctrl-C) never closes the
        # spool: it is closed when it is let go of, without a ResourceWarning.
        self._closer = weakref.finalize(self, self.file.close)

    def add(self, data: Any) -> None:
        """Add *data* as the next item."""
        if self.count:
            self.file.write(",\n")
        self.file.write(self.writer.item(data))
        self.count += 1

    def write(self, out: IO[str], fix: Callable[[str], str] | None = None) -> None:
        """Write the whole list to *out*; *fix* changes its text line by line."""
        writer = self.writer
        if not self.count:
            out.write("[]")
            return
        out.write("[\n")
        self.file.flush()
        self.file.seek(0)
        if fix is None:
            shutil.copyfileobj(self.file, out)
        else:
            for line in self.file:
                out.write(fix(line))
        out.write(f"\n{writer.closing}]")

    def close(self) -> None:
        """Delete the temporary file."""
        self._closer()


def write_document(
    out: IO[str], data: Any, lists: Mapping[str, Callable[[IO[str]], None]]
) -> None:
    """Write *data* as ``json_text(indent=2)`` would, with lists written by *lists*.

    Each key of *lists* is a :func:`placeholder` that stands in *data* where a
    list is; its function writes that list to *out* in its place.
    """
    text = json_text(data, indent=2) + "\n"
    at = 0
    found = sorted((text.index(f'"{token}"'), token) for token in lists)
    for start, token in found:
        out.write(text[at:start])
        lists[token](out)
        at = start + len(token) + 2
    out.write(text[at:])
