"""The HTML report in a real browser: headless Chromium runs the page's script."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
from pathlib import Path

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
#: Around a driver: errors of the page are counted, results written as JSON.
DRIVER_HEAD = """
(function () {
  var out = {errors: []};
  window.addEventListener("error", function (e) { out.errors.push(e.message); });
  function q(s) { return document.querySelector(s); }
  function qa(s) { return Array.prototype.slice.call(document.querySelectorAll(s)); }
  function wide() {
    return document.documentElement.scrollWidth > window.innerWidth;
  }
  try {
"""
DRIVER_TAIL = """
  } catch (e) { out.errors.push(String(e)); }
  var pre = document.createElement("pre");
  pre.id = "driver";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}());
"""
_DRIVER = re.compile(r'<pre id="driver">(.*?)</pre>', re.DOTALL)


def render(tmp_path, report, fragment="", *, driver="", width=1024, screenshot=None):
    """Open the report in Chromium; return the DOM after its script ran, and logs.

    *driver* is JavaScript run after the page's own script, as a user would act
    on the page; it writes what it measured into ``<pre id="driver">``. With
    *screenshot*, a PNG of the window (*width* px wide) is written there instead
    of the DOM.
    """
    page = tmp_path / "report.html"
    text = html_format.export(report)
    if driver:
        text = text.replace(
            "</body>", f"<script>{DRIVER_HEAD}{driver}{DRIVER_TAIL}</script></body>"
        )
    page.write_text(text, encoding="utf-8")
    profile = tmp_path / "profile"
    output = ["--dump-dom"] if screenshot is None else [f"--screenshot={screenshot}"]
    done = subprocess.run(  # noqa: S603 - a browser binary found on PATH
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{1400 if screenshot is None else 2400}",
            "--hide-scrollbars",
            *output,
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout, done.stderr


def measured(dom):
    """Return what the driver script measured, as data."""
    return json.loads(html_lib.unescape(_DRIVER.search(dom).group(1)))


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


_GROUP = re.compile(r'<tbody class="eng" data-engagement="([^"]+)"[^>]*>')


def groups(dom):
    """Return the engagements' rows as (id, visible)."""
    return [(m[1], " hidden" not in m[0]) for m in _GROUP.finditer(dom)]


class TestSummaryPage:
    """The page of a large portfolio lists engagements without their findings."""

    @pytest.fixture(autouse=True)
    def small_limit(self, monkeypatch):
        """A limit of 20 findings, so the example portfolio counts as large."""
        monkeypatch.setattr(html_format, "LARGE", 20)
        monkeypatch.setattr(html_format, "TOP", 2)
        monkeypatch.setattr(html_format, "TOP_ENGAGEMENTS", 4)

    def test_engagements_counted(self, tmp_path, examples):
        """Without a filter every engagement listed is shown, and counted."""
        dom, log = render(tmp_path, examples)

        assert [] == console(log)
        assert [True] * 4 == [shown for _, shown in groups(dom)]
        assert "4 of 4 engagements shown" in dom

    @pytest.mark.parametrize(
        "fragment",
        [
            "#category=performance",
            "#severity=error&category=confidentiality",
            "#severity=info&category=governance&waived=hide",
            "#engagement=lakeview-dental-it",
        ],
    )
    def test_filters_keep_engagements(self, tmp_path, examples, fragment):
        """A filter keeps the engagements listed that have findings it matches."""
        wanted = dict(p.split("=") for p in fragment[1:].split("&"))
        listed = sorted(examples.engagements, key=lambda e: (e.score, e.id))[:4]
        expected = [
            e.id
            for e in listed
            if wanted.get("engagement", e.id) == e.id
            and any(
                wanted.get("severity", f.severity.value) == f.severity.value
                and wanted.get("category", f.category) == f.category
                and (f.waived is None or "waived" not in wanted)
                for f in e.findings
            )
        ]

        dom, log = render(tmp_path, examples, fragment)

        assert [] == console(log)
        assert expected == [i for i, shown in groups(dom) if shown]
        assert f"{len(expected)} of 4 engagements shown" in dom


#: Where the screenshots of the report go, to look at after a run.
SHOTS = Path(__file__).parent.parent.parent / "build" / "screenshots"


class TestReading:
    @pytest.mark.parametrize("width", [1024, 1400])
    def test_no_horizontal_scroll(self, tmp_path, examples, width):
        """With every engagement open, the page is no wider than the window."""
        driver = """
          qa("button.toggle").forEach(function (b) { b.click(); });
          out.open = qa("tr.detail:not(.closed)").length;
          out.wide = wide();
          out.width = document.documentElement.scrollWidth;
        """
        dom, log = render(tmp_path, examples, driver=driver, width=width)
        result = measured(dom)

        assert [] == console(log)
        assert [] == result["errors"]
        assert len(examples.engagements) == result["open"]
        assert not result["wide"], result["width"]

    def test_sort_by_score(self, tmp_path, examples):
        """Clicking the score heading sorts ascending, clicking again descending."""
        driver = """
          function order() {
            return qa("tbody.eng").map(function (g) {
              return Number(g.getAttribute("data-score"));
            });
          }
          var button = q("th[data-key=score] button");
          button.click();
          out.up = order();
          button.click();
          out.down = order();
          out.hash = window.location.hash;
        """
        dom, log = render(tmp_path, examples, driver=driver)
        result = measured(dom)
        scores = [e.score for e in examples.engagements]

        assert [] == console(log)
        assert [] == result["errors"]
        assert sorted(scores) == result["up"]
        assert sorted(scores, reverse=True) == result["down"]
        assert "sort=score%3Adesc" == result["hash"].lstrip("#")

    def test_sort_by_name_from_address(self, tmp_path, examples):
        """A sort in the address is applied when the page opens."""
        dom, _ = render(tmp_path, examples, "#sort=engagement:desc")
        ids = re.findall(r'<tbody class="eng" data-engagement="([^"]+)"', dom)

        assert sorted((e.id for e in examples.engagements), reverse=True) == ids

    def test_open_engagement(self, tmp_path, examples):
        """Engagements start closed; the toggle opens one to its findings."""
        first = examples.engagements[0]
        driver = """
          out.before = qa("tr.detail:not(.closed)").length;
          var group = qa("tbody.eng")[0];
          group.querySelector("button.toggle").click();
          out.after = qa("tr.detail:not(.closed)").length;
          out.expanded = group.querySelector("button.toggle")
            .getAttribute("aria-expanded");
          out.findings = group.querySelectorAll("tr.finding").length;
        """
        dom, log = render(tmp_path, examples, driver=driver)
        result = measured(dom)

        assert [] == console(log)
        assert 0 == result["before"]
        assert 1 == result["after"]
        assert "true" == result["expanded"]
        assert len(first.findings) == result["findings"]

    def test_search(self, tmp_path, examples):
        """Searching leaves the findings mentioning the text, and their engagements."""
        driver = """
          var box = q("#filter-text");
          box.value = "kpi-not-measured";
          box.dispatchEvent(new Event("input"));
          out.findings = qa("tr.finding:not([hidden])").length;
          out.groups = qa("tbody.eng:not([hidden])").map(function (g) {
            return g.getAttribute("data-engagement");
          });
        """
        dom, _ = render(tmp_path, examples, driver=driver)
        result = measured(dom)
        expected = [f for f in examples.findings if f.slug == "kpi-not-measured"]

        assert len(expected) == result["findings"]
        assert sorted({f.engagement for f in expected}) == sorted(result["groups"])

    def test_rule_link(self, tmp_path, examples):
        """Every finding links to its rule's explanation, which is in the page."""
        dom, _ = render(tmp_path, examples)
        links = set(re.findall(r'href="#rule-([^"]+)"', dom))
        sections = set(re.findall(r'id="rule-([^"]+)"', dom))

        assert {f.rule for f in examples.findings} == links
        assert links == sections

    def test_rule_link_opens_explanation(self, tmp_path, examples):
        """Following a rule's link opens its explanation and keeps the filters."""
        driver = """
          var select = q("#filter-severity");
          select.value = "error";
          select.dispatchEvent(new Event("change"));
          var link = q("tr.finding a");
          out.rule = link.getAttribute("href");
          history.replaceState(null, "", link.getAttribute("href"));
          window.dispatchEvent(new HashChangeEvent("hashchange"));
          out.open = q(out.rule).open;
          out.severity = select.value;
        """
        dom, log = render(tmp_path, examples, driver=driver)
        result = measured(dom)

        assert [] == console(log)
        assert result["open"]
        assert "error" == result["severity"]

    @pytest.mark.parametrize(
        ("name", "width", "fragment"),
        [
            ("summary-1024", 1024, ""),
            ("open-1024", 1024, "#engagement=prairie-lane-va"),
            ("filtered-1400", 1400, "#severity=error&sort=score"),
        ],
    )
    def test_screenshot(self, tmp_path, examples, name, width, fragment):
        """The page renders to a screenshot (build/screenshots/, to look at)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"report-{name}.png"
        render(tmp_path, examples, fragment, width=width, screenshot=shot)

        assert shot.read_bytes().startswith(b"\x89PNG")
