"""The HTML format: one self-contained page with scores and filterable findings."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from outsourcekit._version import __version__
from outsourcekit.plugins import Exporter

from ._common import SEVERITIES, location, summary_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from outsourcekit.engine import EngagementResult, Finding, Report

__all__ = ["EXPORTER", "export"]

#: Nothing may load from elsewhere: inline styles and script only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
)

_CSS = """
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #fff; --muted: #666;
  --line: #ddd; --error: #b3261e; --warning: #8a5a00; --info: #1a5fb4;
  --good: #26734d; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #1b1c1e;
  --muted: #a0a0a0; --line: #3a3a3a; --error: #ff8a80; --warning: #ffd180;
  --info: #82b1ff; --good: #8fd19e; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 1rem 2rem; max-width: 90rem; }
h1 { margin-bottom: .2rem; } .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem;
  min-width: 7rem; }
.card b { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem;
  text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--bg); }
td.num, th.num { text-align: right; }
.sev { font-weight: 600; } .sev-error { color: var(--error); }
.sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
tr.waived { opacity: .55; } .fix { color: var(--good); }
code { font-size: .9em; } meter { width: 6rem; }
td.location { max-width: 18rem; overflow-wrap: anywhere; }
td.message { min-width: 16rem; } .scroll { overflow-x: auto; }
#engagement-table td { white-space: nowrap; }
form { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.finding"));
  var filters = {
    severity: document.getElementById("filter-severity"),
    category: document.getElementById("filter-category"),
    engagement: document.getElementById("filter-engagement")
  };
  var waived = document.getElementById("filter-waived");
  var shown = document.getElementById("shown");

  function applyFilter() {
    var count = 0;
    rows.forEach(function (row) {
      var match = Object.keys(filters).every(function (key) {
        var wanted = filters[key].value;
        return wanted === "" || row.getAttribute("data-" + key) === wanted;
      });
      if (!waived.checked && row.getAttribute("data-waived") === "true") {
        match = false;
      }
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " findings shown";
  }

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
    select.value = known ? value : "";
  }

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    Object.keys(filters).forEach(function (key) {
      choose(filters[key], params.get(key) || "");
    });
    waived.checked = params.get("waived") !== "hide";
    applyFilter();
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (key) {
      if (filters[key].value !== "") { params.set(key, filters[key].value); }
    });
    if (!waived.checked) { params.set("waived", "hide"); }
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
  }

  Object.keys(filters).forEach(function (key) {
    filters[key].addEventListener("change", function () {
      applyFilter();
      writeHash();
    });
  });
  waived.addEventListener("change", function () {
    applyFilter();
    writeHash();
  });
  window.addEventListener("hashchange", readHash);
  readHash();
}());
"""


_PLURALS = {"error": "errors", "warning": "warnings", "info": "info"}


def _e(value: object) -> str:
    """Escape any value for HTML text and attributes (None is empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _options(label: str, values: Iterable[str]) -> str:
    items = [f'<option value="">all {label}</option>']
    items += [f'<option value="{_e(v)}">{_e(v)}</option>' for v in values]
    return "".join(items)


def _cards(report: Report) -> str:
    summary = report.summary
    by = summary["by_severity"]
    score = summary["score"]
    cards = [
        ("portfolio score", "" if score is None else score, "score"),
        ("engagements", summary["engagements"], "engagements"),
        ("findings", summary["findings"], "findings"),
        *((_PLURALS[s], by.get(s, 0), s) for s in SEVERITIES),
        ("waived", summary["waived"], "waived"),
    ]
    body = "".join(
        f'<div class="card" id="card-{key}"><b>{_e(value)}</b>{_e(label)}</div>'
        for label, value, key in cards
    )
    return f'<div class="cards">{body}</div>'


def _engagement_row(result: EngagementResult, categories: list[str]) -> str:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in result.findings:
        if f.waived is None:
            counts[f.severity.value] += 1
    cells = [
        f"<td><code>{_e(result.id)}</code></td>",
        (
            f'<td class="num"><meter min="0" max="100" low="50" high="80" '
            f'optimum="100" value="{result.score}"></meter> {result.score}</td>'
        ),
        *(f'<td class="num">{counts[s]}</td>' for s in SEVERITIES),
        *(
            f'<td class="num">{_e(result.categories.get(c, ""))}</td>'
            for c in categories
        ),
        f"<td>{_e(result.source)}</td>",
    ]
    return f'<tr data-engagement="{_e(result.id)}">{"".join(cells)}</tr>'


def _engagements(report: Report) -> str:
    categories = sorted({c for e in report.engagements for c in e.categories})
    head = "".join(
        [
            "<th>engagement</th>",
            '<th class="num">score</th>',
            *(f'<th class="num">{s}</th>' for s in SEVERITIES),
            *(f'<th class="num">{_e(c)}</th>' for c in categories),
            "<th>source</th>",
        ]
    )
    rows = "\n".join(_engagement_row(e, categories) for e in report.engagements)
    return (
        '<div class="scroll"><table id="engagement-table"><thead><tr>'
        f"{head}</tr></thead><tbody>\n{rows}\n</tbody></table></div>"
    )


def _finding_row(f: Finding) -> str:
    waived = f.waived is not None
    sev = f.severity.value
    fix = f"waived: {f.waived}" if waived else f.fix
    attrs = (
        f'class="finding{" waived" if waived else ""}" data-severity="{sev}" '
        f'data-category="{_e(f.category)}" data-engagement="{_e(f.engagement)}" '
        f'data-rule="{_e(f.rule)}" data-waived="{"true" if waived else "false"}"'
    )
    cells = [
        f'<td class="sev sev-{sev}">{sev}</td>',
        f"<td><code>{_e(f.rule)}</code> {_e(f.slug)}</td>",
        f"<td>{_e(f.category)}</td>",
        f"<td><code>{_e(f.engagement)}</code></td>",
        f"<td><code>{_e(f.path)}</code></td>",
        f'<td class="location">{_e(location(f))}</td>',
        f'<td class="message">{_e(f.message)}</td>',
        f'<td class="fix">{_e(fix)}</td>',
    ]
    return f"<tr {attrs}>{''.join(cells)}</tr>"


def _findings(report: Report) -> str:
    categories = sorted({f.category for f in report.findings})
    engagements = [e.id for e in report.engagements]
    total = len(report.findings)
    form = (
        '<form id="filters" onsubmit="return false">'
        '<label>Severity <select id="filter-severity">'
        f"{_options('severities', SEVERITIES)}</select></label>"
        '<label>Category <select id="filter-category">'
        f"{_options('categories', categories)}</select></label>"
        '<label>Engagement <select id="filter-engagement">'
        f"{_options('engagements', engagements)}</select></label>"
        '<label><input type="checkbox" id="filter-waived" checked> '
        "show waived</label>"
        f'<output id="shown">{total} of {total} findings shown</output></form>'
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "severity",
            "rule",
            "category",
            "engagement",
            "path",
            "location",
            "message",
            "fix",
        )
    )
    rows = "\n".join(_finding_row(f) for f in report.findings)
    return (
        f'{form}<table id="findings-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table>"
    )


def _problems(report: Report) -> str:
    items = [f"<li>load error: {_e(str(issue))}</li>" for issue in report.errors]
    items += [
        f"<li>rule error: <code>{_e(e.rule)}</code> on "
        f"{_e(e.engagement or 'the portfolio')}: {_e(e.type)}: {_e(e.message)}</li>"
        for e in report.rule_errors
    ]
    items += [
        f"<li>plugin error: {_e(e.plugin)}: {_e(e.message)}</li>"
        for e in report.plugin_errors
    ]
    if not items:
        return ""
    return (
        '<section id="problems"><h2>Errors</h2><ul>'
        + "".join(items)
        + "</ul></section>"
    )


def export(report: Report) -> str:
    """Return the report as one HTML page that needs nothing from the network."""
    day = report.as_of.isoformat()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>outsourcekit report as of {day}</title>
<style>{_CSS}</style>
</head>
<body>
<header><h1>outsourcekit report</h1>
<p class="muted">As of {day}, outsourcekit {_e(__version__)}.
{_e(summary_text(report))}.</p></header>
<section id="summary">{_cards(report)}</section>
<section id="engagements"><h2>Engagements</h2>
{_engagements(report)}
</section>
<section id="findings"><h2>Findings</h2>
{_findings(report)}
</section>
{_problems(report)}
<script>{_SCRIPT}</script>
</body>
</html>
"""


#: The ``html`` format.
EXPORTER = Exporter(
    "html",
    ".html",
    export,
    "One self-contained page: scores and a findings table to filter.",
)
