"""The HTML format: one self-contained page for people, summary first.

The page opens with the portfolio score, the worst engagements and the findings
by category; then the engagements, one sortable row each, that open to their
findings; then the explanation of every rule that found something, which each
finding links to. Nothing is loaded from elsewhere (a strict Content Security
Policy says so), it reads from 1024 px wide up and prints with every engagement
open. Every value goes through the ``html`` escaping policy.

For very large portfolios (more than :data:`LARGE` findings, or more than
:data:`LARGE_ENGAGEMENTS` engagements) the page is a summary: the worst
engagements, without their findings, and per rule its count and the first
:data:`TOP` findings; it says how to get every finding (``--format jsonl``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import PurePath
from typing import TYPE_CHECKING, Final

from outsourcekit import __version__
from outsourcekit.plugins import Exporter

from ._common import (
    SEVERITIES,
    RuleInfo,
    issue_text,
    plural,
    report_rules,
    summary_text,
)
from ._escape import html as _e

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from outsourcekit.engine import EngagementResult, Finding, Report

__all__ = ["EXPORTER", "LARGE", "LARGE_ENGAGEMENTS", "TOP", "export"]

#: Nothing may load from elsewhere: inline styles and script only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
)
#: Above this many findings the page is a summary with the top findings per rule.
LARGE: Final = 5000
#: Above this many engagements the page is a summary too, however few findings
#: there are: each engagement's row costs about 1 kB.
LARGE_ENGAGEMENTS: Final = 5000
#: How many findings per rule the summary page of a large portfolio lists.
TOP: Final = 10
#: How many engagements the summary page of a large portfolio lists.
TOP_ENGAGEMENTS: Final = 200
#: How many of the worst engagements the summary names.
WORST: Final = 5
#: How many load errors the page lists, and as many rule errors and plugin
#: errors; the rest are counted.
TOP_ERRORS: Final = 200
#: Where the bundled examples sit inside the installed package.
_EXAMPLES: Final = ("outsourcekit", "data", "examples")

_CSS = """
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #fff; --muted: #5f6368;
  --line: #dadce0; --panel: #f6f7f9; --error: #b3261e; --warning: #8a5a00;
  --info: #1a5fb4; --good: #26734d; --mid: #c77700; --accent: #3f51b5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #1b1c1e;
  --muted: #a0a0a0; --line: #3a3a3a; --panel: #242528; --error: #ff8a80;
  --warning: #ffd180; --info: #82b1ff; --good: #8fd19e; --mid: #ffb74d;
  --accent: #9fa8da; } }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 1rem 1.5rem; max-width: 84rem; }
h1 { margin: 0 0 .2rem; font-size: 1.6rem; } h2 { margin: 1.6rem 0 .5rem; }
h3 { margin: 0 0 .4rem; font-size: 1.05rem; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(7.5rem, 1fr));
  gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .4rem .8rem;
  background: var(--panel); }
.card b { display: block; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
  gap: 1rem; }
.panel { border: 1px solid var(--line); border-radius: .5rem; padding: .7rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem;
  text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.bar { display: inline-block; height: .6rem; border-radius: .3rem;
  vertical-align: middle; background: var(--line); width: 5rem; overflow: hidden; }
.bar i { display: block; height: 100%; }
.n { display: inline-block; min-width: 2.2em; text-align: right; }
.low i { background: var(--error); } .mid i { background: var(--mid); }
.high i { background: var(--good); }
.sev { font-weight: 600; white-space: nowrap; } .sev-error { color: var(--error); }
.sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
tr.waived { opacity: .6; } .fix { color: var(--good); }
code { font-size: .9em; overflow-wrap: anywhere; }
.where { color: var(--muted); font-size: .85em; margin-top: .2rem; }
.where code { overflow-wrap: anywhere; }
form.controls { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: center;
  margin: .5rem 0; }
form.controls input[type=search] { min-width: 14rem; }
button { font: inherit; color: inherit; }
button.link { background: none; border: none; padding: 0; color: var(--accent);
  cursor: pointer; text-align: left; }
button.link:hover { text-decoration: underline; }
th.sortable { cursor: pointer; white-space: nowrap; user-select: none; }
th.sortable button { background: none; border: none; padding: 0; font-weight: 700;
  cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
#engagement-table tbody.eng > tr.engagement > td { border-bottom-color: var(--line); }
tr.engagement td:first-child { width: 2rem; }
button.toggle { background: none; border: 1px solid var(--line); border-radius: .3rem;
  width: 1.6rem; height: 1.6rem; cursor: pointer; line-height: 1; }
button.toggle[aria-expanded=true] { background: var(--panel); }
tr.detail > td { background: var(--panel); padding: .6rem 1rem 1rem; }
tr.detail.closed { display: none; }
tbody.eng[hidden] { display: none; }
.chips { display: flex; flex-wrap: wrap; gap: .3rem .5rem; margin: 0 0 .5rem; }
.chip { border: 1px solid var(--line); border-radius: 1rem; padding: 0 .6rem;
  font-size: .85em; background: var(--bg); white-space: nowrap; }
table.findings { background: var(--bg); }
table.findings td.message { width: 36%; }
table.findings td.sev { width: 5.5rem; }
table.findings td.rule { white-space: nowrap; }
.rule-doc { border-top: 1px solid var(--line); padding: .6rem 0; }
.rule-doc summary { cursor: pointer; font-weight: 600; }
.rule-doc h4 { margin: .7rem 0 .2rem; }
.rule-doc pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0;
  padding: .4rem .6rem; background: var(--panel); border-radius: .3rem; }
.note { border-left: 4px solid var(--accent); background: var(--panel);
  padding: .5rem 1rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  form.controls, button.toggle { display: none; }
  tr.detail.closed { display: table-row; }
  tbody.eng[hidden] { display: table-row-group; }
  tr[hidden] { display: table-row; }
  tbody.eng { break-inside: avoid-page; }
  .rule-doc { break-inside: avoid; }
}
"""

_SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("engagement-table");
  var groups = Array.prototype.slice.call(table.querySelectorAll("tbody.eng"));
  var findings = Array.prototype.slice.call(table.querySelectorAll("tr.finding"));
  var filters = {
    severity: document.getElementById("filter-severity"),
    category: document.getElementById("filter-category"),
    engagement: document.getElementById("filter-engagement")
  };
  var text = document.getElementById("filter-text");
  var waived = document.getElementById("filter-waived");
  var shown = document.getElementById("shown");
  var sortState = {key: "", dir: ""};

  function setOpen(group, open) {
    var detail = group.querySelector("tr.detail");
    var button = group.querySelector("button.toggle");
    if (!detail || !button) { return; }
    detail.classList.toggle("closed", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "\u2212" : "+";
  }

  function filtering() {
    return Object.keys(filters).some(function (key) {
      return filters[key].value !== "";
    }) || text.value.trim() !== "" || !waived.checked;
  }

  function found(group) {
    var wanted = filters.severity.value;
    var category = filters.category.value;
    var tokens = (group.getAttribute("data-found") || "").split(" ");
    return tokens.some(function (token) {
      var parts = token.split("/");
      return token !== "" &&
        (wanted === "" || parts[0] === wanted) &&
        (category === "" || parts[1] === category) &&
        (waived.checked || parts.length < 3);
    });
  }

  function applyEngagementFilter(needle) {
    var active = filters.severity.value !== "" || filters.category.value !== "" ||
      !waived.checked;
    var count = 0;
    groups.forEach(function (group) {
      var id = group.getAttribute("data-engagement");
      var keep = (!active || found(group)) &&
        (filters.engagement.value === "" || filters.engagement.value === id) &&
        (needle === "" || id.toLowerCase().indexOf(needle) >= 0);
      group.hidden = !keep;
      if (keep) { count += 1; }
    });
    shown.textContent = count + " of " + groups.length + " engagements shown";
  }

  function applyFilter() {
    var needle = text.value.trim().toLowerCase();
    var count = 0;
    if (table.getAttribute("data-rows") === "engagements") {
      applyEngagementFilter(needle);
      return;
    }
    var matches = {};
    findings.forEach(function (row) {
      var match = Object.keys(filters).every(function (key) {
        var wanted = filters[key].value;
        return wanted === "" || row.getAttribute("data-" + key) === wanted;
      });
      if (!waived.checked && row.getAttribute("data-waived") === "true") {
        match = false;
      }
      if (match && needle !== "" &&
          row.textContent.toLowerCase().indexOf(needle) < 0 &&
          row.getAttribute("data-engagement").toLowerCase().indexOf(needle) < 0) {
        match = false;
      }
      row.hidden = !match;
      if (match) {
        count += 1;
        var id = row.getAttribute("data-engagement");
        matches[id] = (matches[id] || 0) + 1;
      }
    });
    var active = filtering();
    groups.forEach(function (group) {
      var id = group.getAttribute("data-engagement");
      var wantedEngagement = filters.engagement.value;
      var keep = !active || (matches[id] || 0) > 0 ||
        (wantedEngagement === id && filters.severity.value === "" &&
         filters.category.value === "" && needle === "") ||
        (needle !== "" && id.toLowerCase().indexOf(needle) >= 0);
      group.hidden = !keep;
    });
    if (filters.engagement.value !== "") {
      groups.forEach(function (group) {
        if (group.getAttribute("data-engagement") === filters.engagement.value) {
          setOpen(group, true);
        }
      });
    }
    shown.textContent = count + " of " + findings.length + " findings shown";
  }

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
    select.value = known ? value : "";
  }

  function sortBy(key, dir) {
    var header = null;
    Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (th) {
      if (th.getAttribute("data-key") === key) { header = th; }
    });
    if (!header) { return; }
    var numeric = header.getAttribute("data-type") === "num";
    var sign = dir === "descending" ? -1 : 1;
    var sorted = groups.slice().sort(function (a, b) {
      var x = a.getAttribute("data-" + key);
      var y = b.getAttribute("data-" + key);
      var order = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
      if (order === 0) {
        var p = a.getAttribute("data-engagement");
        var q = b.getAttribute("data-engagement");
        order = p < q ? -1 : p > q ? 1 : 0;
        return order;
      }
      return sign * order;
    });
    sorted.forEach(function (group) { table.appendChild(group); });
    Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (th) {
      th.setAttribute("aria-sort", th === header ? dir : "none");
    });
    sortState = {key: key, dir: dir};
  }

  function readHash() {
    var raw = window.location.hash.replace(/^#/, "");
    if (raw.indexOf("rule-") === 0) {
      var rule = document.getElementById(decodeURIComponent(raw));
      if (rule) {
        rule.open = true;
        rule.scrollIntoView();
      }
      return;
    }
    var params = new URLSearchParams(raw);
    Object.keys(filters).forEach(function (key) {
      choose(filters[key], params.get(key) || "");
    });
    text.value = params.get("q") || "";
    waived.checked = params.get("waived") !== "hide";
    var sort = params.get("sort");
    if (sort) {
      var parts = sort.split(":");
      sortBy(parts[0], parts[1] === "desc" ? "descending" : "ascending");
    }
    var open = params.get("open");
    groups.forEach(function (group) {
      if (group.getAttribute("data-engagement") === open) { setOpen(group, true); }
    });
    applyFilter();
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (key) {
      if (filters[key].value !== "") { params.set(key, filters[key].value); }
    });
    if (text.value.trim() !== "") { params.set("q", text.value.trim()); }
    if (!waived.checked) { params.set("waived", "hide"); }
    if (sortState.key) {
      var suffix = sortState.dir === "descending" ? ":desc" : "";
      params.set("sort", sortState.key + suffix);
    }
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
  }

  Object.keys(filters).forEach(function (key) {
    filters[key].addEventListener("change", function () {
      applyFilter();
      writeHash();
    });
  });
  text.addEventListener("input", function () { applyFilter(); writeHash(); });
  waived.addEventListener("change", function () { applyFilter(); writeHash(); });
  Array.prototype.forEach.call(table.querySelectorAll("th.sortable button"),
    function (button) {
      button.addEventListener("click", function () {
        var th = button.parentNode;
        var key = th.getAttribute("data-key");
        var dir = th.getAttribute("aria-sort") === "ascending" ?
          "descending" : "ascending";
        sortBy(key, dir);
        writeHash();
      });
    });
  groups.forEach(function (group) {
    var button = group.querySelector("button.toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      setOpen(group, button.getAttribute("aria-expanded") !== "true");
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-open]"),
    function (button) {
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-open");
        groups.forEach(function (group) {
          if (group.getAttribute("data-engagement") === id) {
            group.hidden = false;
            setOpen(group, true);
            group.scrollIntoView();
          }
        });
      });
    });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-category]"),
    function (button) {
      button.addEventListener("click", function () {
        choose(filters.category, button.getAttribute("data-category"));
        applyFilter();
        writeHash();
        table.scrollIntoView();
      });
    });
  window.addEventListener("hashchange", readHash);
  window.addEventListener("beforeprint", function () {
    groups.forEach(function (group) { setOpen(group, true); });
    Array.prototype.forEach.call(document.querySelectorAll("details"),
      function (d) { d.open = true; });
  });
  groups.forEach(function (group) { setOpen(group, false); });
  applyFilter();
  readHash();
}());
"""

_PLURALS = {"error": "errors", "warning": "warnings", "info": "info"}


def _short(path: str | None) -> str:
    """Return a file's path short: a bundled example as ``examples/NAME``."""
    if path is None:
        return ""
    parts = PurePath(path).parts
    for i in range(len(parts) - len(_EXAMPLES), -1, -1):
        if parts[i : i + len(_EXAMPLES)] == _EXAMPLES:
            return "/".join(("examples", *parts[i + len(_EXAMPLES) :]))
    return path


def _where(finding: Finding) -> str:
    """Return where the finding is: its path in the engagement, file and line."""
    out = f"<code>{_e(finding.path)}</code>"
    if finding.source is not None:
        line = "" if finding.line is None else f":{finding.line}"
        out += (
            f' in <code title="{_e(finding.source)}{line}">'
            f"{_e(_short(finding.source))}{line}</code>"
        )
    return out


def _bar(score: float | None) -> str:
    if score is None:
        return ""
    level = "low" if score < 50 else "mid" if score < 80 else "high"
    return f'<span class="bar {level}"><i style="width:{score:.0f}%"></i></span>'


def _counts(findings: Iterable[Finding]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for f in findings:
        if f.waived is None:
            counts[f.severity.value] += 1
        else:
            counts["waived"] += 1
    return counts


def _options(label: str, values: Iterable[str]) -> str:
    items = [f'<option value="">all {label}</option>']
    items += [f'<option value="{_e(v)}">{_e(v)}</option>' for v in values]
    return "".join(items)


def _cards(report: Report) -> str:
    summary = report.summary
    by = summary["by_severity"]
    score = summary["score"]
    cards = [
        ("portfolio score", "\u2013" if score is None else f"{score:g}", "score"),
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


def _worst(report: Report) -> str:
    ranked = sorted(report.engagements, key=lambda e: (e.score, e.id))[:WORST]
    if not ranked:
        return '<p class="muted">No engagements.</p>'
    rows = "".join(
        "<tr>"
        f'<td><button type="button" class="link" data-open="{_e(e.id)}">'
        f"{_e(e.id)}</button></td>"
        f'<td class="num">{_bar(e.score)} <span class="n">{e.score}</span></td>'
        f'<td class="num">{_counts(e.findings)["error"]}</td>'
        "</tr>"
        for e in ranked
    )
    return (
        '<table id="worst-table"><thead><tr><th>engagement</th>'
        '<th class="num">score</th><th class="num">errors</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _by_category(report: Report) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in report.findings:
        if f.waived is None:
            counts[f.category][f.severity.value] += 1
    if not counts:
        return '<p class="muted">No unwaived findings.</p>'
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = "".join(
        "<tr>"
        f'<td><button type="button" class="link" data-category="{_e(name)}">'
        f"{_e(name)}</button></td>"
        + "".join(f'<td class="num">{n[s]}</td>' for s in SEVERITIES)
        + f'<td class="num">{sum(n.values())}</td></tr>'
        for name, n in ranked
    )
    head = "".join(f'<th class="num">{_PLURALS[s]}</th>' for s in SEVERITIES)
    return (
        '<table id="category-table"><thead><tr><th>category</th>'
        f'{head}<th class="num">all</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _summary(report: Report) -> str:
    return (
        f'<section id="summary">{_cards(report)}<div class="panels">'
        f'<div class="panel"><h3>Worst engagements</h3>{_worst(report)}</div>'
        f'<div class="panel"><h3>Findings by category</h3>{_by_category(report)}'
        "</div></div></section>"
    )


def _baseline_state(report: Report, finding: Finding) -> str | None:
    """Return the finding's state against the report's baseline, if it has one."""
    state = getattr(report, "baseline_state", None)
    if getattr(report, "baseline", None) is None or state is None:
        return None
    value = state(finding)
    return None if value is None else str(value)


def _finding_row(f: Finding, baseline: str | None, *, compared: bool) -> str:
    waived = f.waived is not None
    sev = f.severity.value
    fix = f"waived: {f.waived}" if waived else f.fix
    attrs = (
        f'class="finding{" waived" if waived else ""}" data-severity="{sev}" '
        f'data-category="{_e(f.category)}" data-engagement="{_e(f.engagement)}" '
        f'data-rule="{_e(f.rule)}" data-waived="{"true" if waived else "false"}"'
    )
    if compared:
        attrs += f' data-baseline="{_e(baseline or "")}"'
    cells = [
        f'<td class="sev sev-{sev}">{sev}</td>',
        (
            f'<td class="rule"><a href="#rule-{_e(f.rule)}">'
            f'<code>{_e(f.rule)}</code></a><div class="where">{_e(f.slug)}</div></td>'
        ),
        f'<td class="message">{_e(f.message)}</td>',
        (
            f'<td><div class="fix">{_e(fix)}</div>'
            f'<div class="where">{_where(f)}</div></td>'
        ),
    ]
    if compared:
        cells.append(f'<td class="baseline">{_e(baseline or "")}</td>')
    return f"<tr {attrs}>{''.join(cells)}</tr>"


def _findings_table(
    report: Report, findings: Sequence[Finding], *, compared: bool
) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "severity",
            "rule",
            "message",
            "fix and location",
            *(("baseline",) if compared else ()),
        )
    )
    rows = "".join(
        _finding_row(f, _baseline_state(report, f), compared=compared) for f in findings
    )
    return (
        f'<table class="findings"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


_COLUMNS: Final = (
    ("engagement", "engagement", "text"),
    ("score", "score", "num"),
    ("error", "errors", "num"),
    ("warning", "warnings", "num"),
    ("info", "info", "num"),
    ("waived", "waived", "num"),
)


def _engagement_group(
    report: Report, result: EngagementResult, *, compared: bool, details: bool
) -> str:
    counts = _counts(result.findings)
    data = f'data-engagement="{_e(result.id)}" data-score="{result.score}" ' + " ".join(
        f'data-{k}="{counts[k]}"' for k in (*SEVERITIES, "waived")
    )
    if not details:
        data += f' data-found="{_e(_found(result.findings))}"'
    toggle = (
        f'<button type="button" class="toggle" aria-expanded="true" '
        f'aria-label="findings of {_e(result.id)}">\u2212</button>'
        if details
        else ""
    )
    cells = [
        f"<td>{toggle}</td>",
        (
            f"<td><code>{_e(result.id)}</code>"
            f'<div class="where">{_e(_short(result.source))}</div></td>'
        ),
        (
            f'<td class="num">{_bar(result.score)} '
            f'<span class="n">{result.score}</span></td>'
        ),
        *(f'<td class="num">{counts[s]}</td>' for s in SEVERITIES),
        f'<td class="num">{counts["waived"]}</td>',
    ]
    row = f'<tr class="engagement">{"".join(cells)}</tr>'
    if not details:
        return f'<tbody class="eng" {data}>{row}</tbody>'
    chips = "".join(
        f'<span class="chip">{_e(c)} {s}</span>'
        for c, s in sorted(result.categories.items(), key=lambda cs: (cs[1], cs[0]))
    )
    inner = (
        _findings_table(report, result.findings, compared=compared)
        if result.findings
        else '<p class="muted">No findings.</p>'
    )
    detail = (
        f'<tr class="detail"><td colspan="{len(_COLUMNS) + 1}">'
        f'<div class="chips">{chips}</div>{inner}</td></tr>'
    )
    return f'<tbody class="eng" {data}>{row}{detail}</tbody>'


def _found(findings: Iterable[Finding]) -> str:
    """Return what an engagement found, for the summary page's filters.

    One ``SEVERITY/CATEGORY`` token per kind of finding, ``/waived`` added for
    waived ones, separated by spaces: the page lists no findings to filter.
    """
    tokens = {
        f"{f.severity.value}/{f.category}" + ("" if f.waived is None else "/waived")
        for f in findings
    }
    return " ".join(sorted(tokens))


def _engagements(
    report: Report,
    results: Sequence[EngagementResult],
    *,
    compared: bool,
    details: bool,
) -> str:
    categories = sorted({f.category for f in report.findings})
    total = len(report.findings)
    shown = (
        f"{total} of {total} findings shown"
        if details
        else f"{len(results)} of {len(results)} engagements shown"
    )
    # The summary page lists engagements alone: their ids are what it searches.
    search = "engagement, rule or message" if details else "engagement"
    form = (
        '<form class="controls" id="filters" onsubmit="return false">'
        '<label>Search <input type="search" id="filter-text" '
        f'placeholder="{search}"></label>'
        '<label>Severity <select id="filter-severity">'
        f"{_options('severities', SEVERITIES)}</select></label>"
        '<label>Category <select id="filter-category">'
        f"{_options('categories', categories)}</select></label>"
        '<label>Engagement <select id="filter-engagement">'
        f"{_options('engagements', (e.id for e in results))}</select></label>"
        '<label><input type="checkbox" id="filter-waived" checked> '
        "show waived</label>"
        f'<output id="shown">{shown}</output></form>'
    )
    head = '<th><span class="muted" aria-label="open">\u2195</span></th>' + "".join(
        f'<th class="sortable{" num" if kind == "num" else ""}" data-key="{key}" '
        f'data-type="{kind}" aria-sort="none"><button type="button">{label}'
        "</button></th>"
        for key, label, kind in _COLUMNS
    )
    groups = "\n".join(
        _engagement_group(report, e, compared=compared, details=details)
        for e in results
    )
    rows = "findings" if details else "engagements"
    return (
        f'{form}<table id="engagement-table" data-rows="{rows}"><thead><tr>{head}'
        f"</tr></thead>\n{groups}\n</table>"
    )


def _doc_html(doc: str) -> str:
    """Return a rule's documentation as HTML: headings, paragraphs, code blocks."""
    out: list[str] = []
    paragraph: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_e(' '.join(paragraph))}</p>")
            paragraph.clear()

    for line in doc.strip().splitlines():
        if line.lstrip().startswith("```"):
            if code is None:
                flush()
                code = []
            else:
                out.append(f"<pre><code>{'<br>'.join(code)}</code></pre>")
                code = None
        elif code is not None:
            code.append(_e(line))
        elif line.startswith("## "):
            flush()
            out.append(f"<h4>{_e(line[3:])}</h4>")
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
    flush()
    if code is not None:
        out.append(f"<pre><code>{'<br>'.join(code)}</code></pre>")
    return "".join(out)


def _rules(rules: Sequence[RuleInfo], counts: Counter[str]) -> str:
    if not rules:
        return ""
    parts = []
    for r in rules:
        body = _doc_html(r.doc) if r.doc.strip() else f"<p>{_e(r.summary or r.fix)}</p>"
        parts.append(
            f'<details class="rule-doc" id="rule-{_e(r.code)}"><summary>'
            f"<code>{_e(r.code)}</code> {_e(r.slug)}: {_e(r.title)} "
            f'<span class="muted">({_e(r.category)}, {_e(r.severity)}; '
            f"{counts[r.code]} in this report)</span></summary>{body}</details>"
        )
    return (
        '<section id="rules"><h2>Rules that found something</h2>'
        + "\n".join(parts)
        + "</section>"
    )


def _large(report: Report) -> str:
    """Return the top findings of each rule, for a portfolio too large to list."""
    scores = {e.id: e.score for e in report.engagements}
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        if f.waived is None:
            by_rule[f.rule].append(f)
    blocks = []
    for code in sorted(by_rule, key=lambda c: (-len(by_rule[c]), c)):
        found = by_rule[code]
        top = sorted(found, key=lambda f: (scores.get(f.engagement, 0), f.sort_key()))
        rows = "".join(
            "<tr>"
            f"<td><code>{_e(f.engagement)}</code></td>"
            f'<td class="num">{scores.get(f.engagement, "")}</td>'
            f'<td class="message">{_e(f.message)}</td>'
            f'<td><div class="where">{_where(f)}</div></td>'
            "</tr>"
            for f in top[:TOP]
        )
        first = found[0]
        blocks.append(
            f'<div class="rule-top"><h3><a href="#rule-{_e(code)}"><code>{_e(code)}'
            f"</code></a> {_e(first.slug)}: {len(found)} findings</h3>"
            '<table class="findings"><thead><tr><th>engagement</th>'
            '<th class="num">score</th><th>message</th><th>location</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
    findings, engagements = len(report.findings), len(report.engagements)
    if findings > LARGE:
        size = f"{findings} findings, more than this page lists ({LARGE})"
    else:
        size = (
            f"{engagements} engagements and {findings} findings, more "
            f"engagements than this page lists ({LARGE_ENGAGEMENTS})"
        )
    if not blocks:
        blocks.append('<p class="muted">No unwaived findings.</p>')
    return (
        '<section id="top-findings"><h2>Top findings per rule</h2>'
        f'<p class="note">This portfolio has {size}. Each rule shows its {TOP} '
        "findings in the lowest-scoring engagements. To get every finding, write "
        "the report as JSON lines or JSON: <code>outsourcekit check --format "
        "jsonl &gt; findings.jsonl</code> (or <code>--format json</code>).</p>"
        + "\n".join(blocks)
        + "</section>"
    )


def _listed(word: str, items: Sequence[str], total: int) -> list[str]:
    """Return *items* of a kind of error as list items, those left out counted."""
    out = [f"<li>{item}</li>" for item in items]
    if total > len(items):
        out.append(
            f'<li class="muted">{plural(total - len(items), "more " + word)} not '
            "listed; <code>--format json</code> lists them all.</li>"
        )
    return out


def _unchecked(report: Report) -> str:
    """Return the note that errors left things unchecked ("" without errors).

    The summary's score counts only what was checked: a rule that failed on
    every engagement leaves them all at 100.
    """
    counts = [
        plural(n, word)
        for n, word in (
            (len(report.errors), "load error"),
            (len(report.rule_errors), "rule error"),
            (len(report.plugin_errors), "plugin error"),
        )
        if n
    ]
    if not counts:
        return ""
    listed = " and ".join(filter(None, (", ".join(counts[:-1]), counts[-1])))
    return (
        f'<p class="note">Not everything was checked: {listed}, '
        '<a href="#problems">listed below</a>.</p>'
    )


def _problems(report: Report) -> str:
    """Return the load, rule and plugin errors: the first ``TOP_ERRORS`` of each."""
    items = _listed(
        "load error",
        [f"load error: {_e(issue_text(i))}" for i in report.errors[:TOP_ERRORS]],
        len(report.errors),
    )
    items += _listed(
        "rule error",
        [
            f"rule error: <code>{_e(e.rule)}</code> on "
            f"{_e(e.engagement or 'the portfolio')}: {_e(e.type)}: {_e(e.message)}"
            for e in report.rule_errors[:TOP_ERRORS]
        ],
        len(report.rule_errors),
    )
    items += _listed(
        "plugin error",
        [
            f"plugin error: {_e(e.plugin)}: {_e(e.message)}"
            for e in report.plugin_errors[:TOP_ERRORS]
        ],
        len(report.plugin_errors),
    )
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
    large = len(report.findings) > LARGE or len(report.engagements) > LARGE_ENGAGEMENTS
    compared = getattr(report, "baseline", None) is not None
    counts = Counter(f.rule for f in report.findings)
    rules = [r for r in report_rules(report) if counts[r.code]]
    if large:
        results = sorted(report.engagements, key=lambda e: (e.score, e.id))
        shown = results[:TOP_ENGAGEMENTS]
        note = (
            f'<p class="muted">The {len(shown)} lowest-scoring of '
            f"{len(results)} engagements.</p>"
        )
        body = (
            f"{_large(report)}"
            '<section id="engagements"><h2>Engagements</h2>'
            f"{note}{_engagements(report, shown, compared=compared, details=False)}"
            "</section>"
        )
    else:
        table = _engagements(
            report, report.engagements, compared=compared, details=True
        )
        body = (
            '<section id="engagements"><h2>Engagements</h2>'
            '<p class="muted">Open an engagement for its category scores and '
            f"findings; sort by a column's heading.</p>{table}</section>"
        )
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
{_e(summary_text(report))}.</p>{_unchecked(report)}</header>
{_summary(report)}
{body}
{_rules(rules, counts)}
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
    "One self-contained page: the summary, engagements that open to their "
    "findings, and the rules' explanations.",
)
