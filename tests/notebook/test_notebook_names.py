"""Tests that the notebook's public names stay where the documentation says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import outsourcekit
from outsourcekit import notebook as nb

DOCS = Path(__file__).parent.parent.parent / "docs"
DOCUMENTED = sorted(
    {
        name
        for page in DOCS.glob("*.md")
        for name in re.findall(
            r"outsourcekit\.notebook\.(\w+)", page.read_text(encoding="utf-8")
        )
    }
)


class TestPublicNames:
    def test_docs_name_some(self):
        """The documentation names the notebook functions it describes."""
        assert {"report_html", "report_to_pandas", "plot_kpi"} <= set(DOCUMENTED)

    @pytest.mark.parametrize("name", DOCUMENTED)
    def test_documented_names_importable(self, name):
        """Every `outsourcekit.notebook.<name>` the documentation uses exists."""
        assert name in nb.__all__
        assert getattr(nb, name) is not None

    def test_all_importable(self):
        """Every name in `__all__` is an attribute of the package."""
        assert [] == [name for name in nb.__all__ if not hasattr(nb, name)]

    def test_one_catalogue_class(self):
        """ok.rules() returns the class the notebook package names."""
        assert isinstance(outsourcekit.rules(), nb.RuleCatalogue)
