"""Tests that the heavy notebook libraries load only when a feature needs them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

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


def loaded_after(code):
    """Run *code* in a fresh interpreter; return our notebook and the heavy modules.

    pandas and matplotlib are made unimportable first, as when the ``notebook``
    extra is not installed.
    """
    script = (
        "import sys\n"
        "sys.modules.update(pandas=None, matplotlib=None)\n"
        + textwrap.dedent(code)
        + textwrap.dedent(
            f"""
            import json
            heavy = {HEAVY!r}
            print(json.dumps(sorted(
                m for m, module in sys.modules.items()
                if module is not None
                and (m.split(".")[0] in heavy or m.startswith("outsourcekit.notebook"))
            )))
            """
        )
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.splitlines()[-1])


class TestDisplaysBesideWhatTheyShow:
    @pytest.mark.parametrize("module", ["outsourcekit.model", "outsourcekit.engine"])
    def test_core_imports_no_notebook(self, module):
        """The model and the engine import no notebook module, nor pandas."""
        assert [] == loaded_after(f"import {module}")

    def test_html_without_pandas(self):
        """Engagements, findings, reports and rules show as HTML without pandas."""
        code = """
        import datetime as dt
        from outsourcekit.engine import check, rule
        from outsourcekit.engine._display import RuleCatalogue
        from outsourcekit.model import Engagement

        @rule(code="TST001", slug="no-owner", title="No owner", category="clarity",
              severity="warning", fix="Name an owner.")
        def no_owner(engagement, ctx):
            "Flag an engagement without an owner."
            if engagement.owner is None:
                yield ctx.finding("No one owns <this>", path="owner")

        engagement = Engagement(id="acme", title="Books & payroll")
        report = check([engagement], as_of=dt.date(2026, 11, 22), rules=[no_owner])
        shown = [
            engagement._repr_html_(),
            report.findings[0]._repr_html_(),
            report._repr_html_(),
            RuleCatalogue([no_owner])._repr_html_(),
        ]
        assert "Books &amp; payroll" in shown[0], shown[0]
        assert all("No one owns &lt;this&gt;" in s for s in shown[1:3]), shown
        assert "TST001" in shown[3], shown[3]
        assert repr(report).startswith("<Report as of 2026-11-22: 1 engagement,")
        """

        assert [] == loaded_after(code)

    def test_rule_catalogue_without_pandas(self):
        """ok.rules() builds the catalogue without the notebook package or pandas."""
        code = """
        import outsourcekit as ok
        assert "OSK601" in ok.rules()._repr_html_()
        """

        assert [] == loaded_after(code)

    def test_frames_say_how_to_install(self):
        """Without pandas, Report.to_pandas() says which extra to install."""
        code = """
        import datetime as dt
        from outsourcekit.engine import check
        from outsourcekit.model import Engagement

        report = check([Engagement(id="a")], as_of=dt.date(2026, 11, 22), rules=[])
        try:
            report.to_pandas()
        except ImportError as exc:
            assert "install the notebook extra" in str(exc), exc
        else:
            raise AssertionError("to_pandas() worked without pandas")
        """

        assert [] == loaded_after(code)
