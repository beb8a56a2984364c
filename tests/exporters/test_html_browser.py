"""The HTML report in a real browser: headless Chromium runs the page's script."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from export_support import SCRIPT

from outsourcekit.builtin.exporters import html as html_format

CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary on PATH (Debian: apt-get install chromium)",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
)
_ROW = re.compile(r"<tr [^>]*class=\"finding[^\"]*\"[^>]*>")


def render(tmp_path, report, fragment=""):
    """Open the report in Chromium; return the DOM after its script ran, and logs."""
    page = tmp_path / "report.html"
    page.write_text(html_format.export(report), encoding="utf-8")
    profile = tmp_path / "profile"
    done = subprocess.run(  # noqa: S603 - a browser binary found on PATH
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout, done.stderr


def rows(dom):
    """Return the findings table's rows as (attributes text, visible)."""
    return [(m.group(), " hidden" not in m.group()) for m in _ROW.finditer(dom)]


def console(log):
    """Return what the page wrote to the browser's console (errors among it)."""
    return [line for line in log.splitlines() if ":CONSOLE" in line]


class TestInBrowser:
    def test_all_rows_shown(self, tmp_path, mixed):
        """Without a filter every finding's row is shown, and nothing is logged."""
        dom, log = render(tmp_path, mixed)
        found = rows(dom)

        assert [] == console(log)
        assert len(mixed.findings) == len(found)
        assert all(visible for _, visible in found)
        assert f"{len(mixed.findings)} of {len(mixed.findings)} findings shown" in dom

    @pytest.mark.parametrize("severity", ["error", "warning", "info"])
    def test_filter_by_severity(self, tmp_path, examples, severity):
        """Choosing a severity shows exactly that severity's rows."""
        dom, log = render(tmp_path, examples, f"#severity={severity}")
        visible = [attrs for attrs, shown in rows(dom) if shown]
        expected = [f for f in examples.findings if f.severity.value == severity]

        assert [] == console(log)
        assert len(expected) == len(visible)
        assert all(f'data-severity="{severity}"' in attrs for attrs in visible)
        assert f"{len(expected)} of {len(examples.findings)} findings shown" in dom

    def test_filter_by_category_and_severity(self, tmp_path, examples):
        """Filters combine: category and severity together."""
        dom, _ = render(tmp_path, examples, "#severity=warning&category=performance")
        visible = [attrs for attrs, shown in rows(dom) if shown]
        expected = [
            f
            for f in examples.findings
            if f.severity.value == "warning" and f.category == "performance"
        ]

        assert len(expected) == len(visible)
        assert all('data-category="performance"' in attrs for attrs in visible)

    def test_hide_waived(self, tmp_path, mixed):
        """Waived findings can be hidden."""
        dom, _ = render(tmp_path, mixed, "#waived=hide")
        visible = [attrs for attrs, shown in rows(dom) if shown]

        assert len([f for f in mixed.findings if f.waived is None]) == len(visible)

    def test_unknown_choice_ignored(self, tmp_path, mixed):
        """An unknown value in the address shows everything rather than nothing."""
        dom, log = render(tmp_path, mixed, "#severity=bogus")

        assert [] == console(log)
        assert all(visible for _, visible in rows(dom))

    def test_script_is_text(self, tmp_path, mixed):
        """A script tag in a message renders as text; the page has one script."""
        dom, log = render(tmp_path, mixed)

        assert [] == console(log)
        assert 1 == dom.count("<script>")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; in alpha" in dom
        assert SCRIPT not in dom.replace(dom[dom.index("<script>") :], "")
