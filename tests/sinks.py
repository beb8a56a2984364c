"""A report sink for tests: it keeps every call ``check_stream`` makes of it."""

from __future__ import annotations


class Sink:
    """Keeps what a streamed check sends: its calls, batches and report."""

    def __init__(self):
        self.calls = []
        self.batches = []
        self.report = None

    def begin(self, as_of, rules):
        self.calls.append(("begin", as_of, tuple(r.code for r in rules)))
        self.batches = []

    def findings(self, batch):
        self.calls.append(("findings", len(batch)))
        self.batches.append(list(batch))

    def end(self, report):
        self.calls.append(("end",))
        self.report = report

    @property
    def found(self):
        """Every finding sent, in the order the batches came."""
        return [f for batch in self.batches for f in batch]

    @property
    def found_sorted(self):
        """Every finding sent, in the order of a whole report."""
        return sorted(self.found, key=lambda f: f.sort_key())
