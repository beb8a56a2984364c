"""Tests that the heavy notebook libraries load only when a feature needs them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("pandas", "matplotlib", "numpy", "IPython")


def imported_after(code):
    """Run *code* in a fresh interpreter; return the heavy modules it imported."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        heavy = {HEAVY!r}
        print(json.dumps(sorted(
            m for m in sys.modules if m.split(".")[0] in heavy
        )))
        """
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.splitlines()[-1])


class TestLazyImports:
    def test_import_outsourcekit(self):
        """`import outsourcekit` imports neither pandas nor matplotlib."""
        assert [] == imported_after("import outsourcekit")

    def test_import_notebook_and_importers(self):
        """Importing the notebook and tabular modules imports nothing heavy."""
        code = """
        import outsourcekit.notebook
        import outsourcekit.builtin.importers.tabular
        """

        assert [] == imported_after(code)

    def test_html_needs_nothing_heavy(self):
        """The HTML displays work without pandas or matplotlib."""
        code = """
        import datetime as dt
        from outsourcekit import notebook
        from outsourcekit.engine import check
        from outsourcekit.examples import examples_path
        from outsourcekit.io import load_all
        from outsourcekit.builtin.rules import BUILTIN_RULES
        report = check(load_all([examples_path()]), as_of=dt.date(2026, 11, 22),
                       rules=BUILTIN_RULES)
        notebook.report_html(report)
        notebook.rules_html(BUILTIN_RULES)
        """

        assert [] == imported_after(code)

    def test_plots_without_pyplot(self):
        """Plotting never imports pyplot, which holds global figure state."""
        code = """
        import datetime as dt
        from outsourcekit import notebook
        from outsourcekit.engine import check
        from outsourcekit.examples import examples_path
        from outsourcekit.io import load_all
        from outsourcekit.builtin.rules import BUILTIN_RULES
        report = check(load_all([examples_path()]), as_of=dt.date(2026, 11, 22),
                       rules=BUILTIN_RULES)
        notebook.plot_findings(report).savefig(__import__("io").BytesIO())
        """

        imported = imported_after(code)

        assert "matplotlib.figure" in imported
        assert "matplotlib.pyplot" not in imported
