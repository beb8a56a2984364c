"""The tour notebook runs from top to bottom in a kernel and shows what it says."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

DOCS = Path(__file__).parents[2] / "docs"
TOUR = DOCS / "tour.md"
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.DOTALL | re.MULTILINE)
RISE = re.compile(r"^(?P<what>[\w-]+): (?P<before>[\d.]+) -> (?P<after>[\d.]+)$")
PLOTS = 5


def read_myst_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a MyST Markdown notebook: front matter, Markdown and code cells."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    assert "file_format: mystnb" in front
    cells = []
    position = 0
    for match in CODE_CELL.finditer(body):
        markdown = body[position : match.start()].strip()
        if markdown:
            cells.append(nbformat.v4.new_markdown_cell(markdown))
        cells.append(nbformat.v4.new_code_cell(match.group(1).rstrip("\n")))
        position = match.end()
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Every output of every code cell, in order."""
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]


@pytest.fixture(scope="module")
def tour() -> nbformat.NotebookNode:
    """The tour, executed in a fresh Python kernel in the docs directory."""
    notebook = read_myst_notebook(TOUR)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(DOCS)}},
    )
    client.execute()
    return notebook


class TestTour:
    def test_code_cells(self, tour):
        """The tour has code cells and every one of them ran."""
        code = [c for c in tour.cells if c.cell_type == "code"]

        assert len(code) > 10
        assert all(c.execution_count is not None for c in code)

    def test_no_errors(self, tour):
        """No cell shows an error or writes to standard error."""
        bad = [
            o
            for o in outputs(tour)
            if o.output_type == "error"
            or (o.output_type == "stream" and o.name == "stderr")
        ]

        assert [] == bad

    def test_figures(self, tour):
        """Each chart shows as a PNG image of a matplotlib figure."""
        images = [
            o
            for o in outputs(tour)
            if o.output_type == "execute_result" and "image/png" in o.data
        ]

        assert PLOTS == len(images)
        assert all(o.data["text/plain"].startswith("<NotebookFigure") for o in images)

    def test_tables(self, tour):
        """The report, the engagements and the DataFrames show as HTML tables."""
        html = [
            o.data["text/html"]
            for o in outputs(tour)
            if o.output_type == "execute_result" and "text/html" in o.data
        ]

        assert len(html) >= 6
        assert all("<table" in h for h in html)

    def test_score_rises(self, tour):
        """Fixing two findings raises the engagement's score and the portfolio's."""
        printed = "".join(
            o.text
            for o in outputs(tour)
            if o.output_type == "stream" and o.name == "stdout"
        )
        rises = {
            m["what"]: (float(m["before"]), float(m["after"]))
            for m in map(RISE.match, printed.splitlines())
            if m is not None
        }

        assert {"tallgrass-winter-labels", "portfolio"} == set(rises)
        assert all(after > before for before, after in rises.values())
        assert 2 <= printed.count("fixed OSK")
