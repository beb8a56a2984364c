"""HTML of engagements for notebooks, and the small HTML kit of every display.

Standard library only: an engagement shows as a table in Jupyter without pandas.
Every value is escaped; nothing is loaded from elsewhere. The engine's displays
of findings, reports and rules build on the helpers here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import html
import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Final

from outsourcekit._shorten import plural

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ._engagement import KPI, Engagement, Measurement

__all__ = [
    "LISTED",
    "engagement_html",
    "engagement_repr",
    "facts",
    "long_number",
    "number",
    "one_line",
    "path_html",
    "short_path",
    "sort_text",
    "table",
    "text",
    "title",
    "wrap",
    "writable",
]

#: The display's style. Every selector starts ``div.osk`` and names the
#: table's class, so that it outranks the notebooks' own table rules
#: (JupyterLab's ``.jp-RenderedHTMLCommon td``, classic Notebook's
#: ``.rendered_html td``, VS Code's and nbconvert's) whatever their order:
#: prose is left-aligned, numbers right-aligned, tables start at the left.
_STYLE: Final = (
    "<style>"
    "div.osk{font-size:0.9em;line-height:1.4;text-align:left}"
    "div.osk table.osk-t{border-collapse:collapse;margin:0.2em 0 0.8em 0;"
    "table-layout:auto;width:auto;max-width:100%}"
    "div.osk table.osk-t th,div.osk table.osk-t td{padding:0.15em 0.6em;"
    "text-align:left;vertical-align:top;white-space:normal;"
    "overflow-wrap:break-word;border:none;"
    "border-bottom:1px solid rgba(128,128,128,0.3)}"
    "div.osk table.osk-t th{font-weight:bold}"
    "div.osk table.osk-t td.num,div.osk table.osk-t th.num{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    "div.osk table.osk-t .osk-path{white-space:nowrap}"
    "div.osk .osk-title{font-weight:bold;margin:0.4em 0 0.2em 0}"
    "div.osk .osk-error,div.osk .osk-warning,div.osk .osk-info{white-space:nowrap}"
    "div.osk .osk-error{color:#c62828;font-weight:bold}"
    "div.osk .osk-warning{color:#b26a00;font-weight:bold}"
    "div.osk .osk-info{color:#1565c0}"
    "div.osk table.osk-t tr.osk-waived{opacity:0.6}"
    "div.osk .osk-muted{opacity:0.7}"
    "</style>"
)
#: How many agreements and KPIs an engagement's display lists, the rest counted
#: (a notebook keeps what it showed).
LISTED: Final = 50
#: Where the bundled examples sit inside the installed package.
_EXAMPLES: Final = ("outsourcekit", "data", "examples")
#: The characters shown escaped, as the HTML report of the command line shows
#: them: controls (C0, DEL and C1), the line and paragraph separators, the
#: bidirectional controls, lone surrogates and U+FFFE, U+FFFF. Tab, line feed
#: and carriage return are left as they are: HTML shows them as a space, as a
#: text written over lines in a file (a YAML ``|`` block) reads.
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
    "\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


#: Tab, line feed and carriage return, shown escaped in one line of text.
_BREAKS: Final = re.compile("[\t\n\r]")
_BREAK_SHOWN: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def one_line(value: object) -> str:
    r"""Return *value* as text on one line, for a description read as text.

    The characters :func:`text` shows escaped are, and so are tab, line feed
    and carriage return (``\t``, ``\n``, ``\r``), which would break the line.
    """
    shown = _UNSAFE.sub(_shown, str(value))
    return _BREAKS.sub(lambda match: _BREAK_SHOWN[match.group()], shown)


def text(value: object) -> str:
    r"""Return *value* escaped for HTML; None (unknown) is an en dash.

    Control and bidirectional characters, lone surrogates and U+FFFE, U+FFFF
    are shown as Python escapes (``\x1b``, ``\u202e``), as in the command
    line's HTML report: none of them can reorder or hide what follows, and the
    display can always be sent to a notebook and saved in it. Tab, line feed
    and carriage return are kept: HTML shows each as a space.
    """
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return html.escape(value.isoformat())
    return html.escape(_UNSAFE.sub(_shown, str(value)), quote=True)


def number(value: float) -> str:
    """Return a number of the model as a person reads it, never failing.

    A whole number is shown exactly, however large (``1000000``, not
    ``1e+06``); a number with a fraction in at most six significant digits
    (``4.5``, ``0.333333``). A whole number of more digits than Python writes
    out (only made in code: a file cannot hold one) is shown rounded, in
    scientific notation.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:
            return long_number(value)
    return f"{value:g}"


#: Whole numbers of at most this many bits are written out whatever
#: :func:`sys.set_int_max_str_digits` allows (at least 640 digits).
_SHORT_BITS: Final = 2000


def writable(value: int) -> int | str:
    """Return the whole number *value*, or :func:`long_number` of it if too long.

    Too long is more digits than Python writes out as text
    (``sys.get_int_max_str_digits()``, 4300 unless changed), which JSON and
    ``repr()`` would fail on.
    """
    if value.bit_length() <= _SHORT_BITS:
        return value
    try:
        str(value)
    except ValueError:
        return long_number(value)
    return value


def sort_text(value: object) -> str:
    """Return ``str(value)``, a whole number too long to write as :func:`writable`.

    The key by which the items of a set are written in order.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(writable(value))
    return str(value)


def long_number(value: int) -> str:
    """Return the whole number *value* in scientific notation: ``1.234568e+5000``.

    Seven significant digits, rounded: how a number of more digits than
    Python writes out is shown and written. Quick however long the number
    is: worked out from its leading bits.
    """
    size = abs(value).bit_length()
    shift = max(0, size - 256)
    with decimal.localcontext() as context:
        context.prec = 60
        context.Emax = decimal.MAX_EMAX
        context.Emin = decimal.MIN_EMIN
        scaled = decimal.Decimal(abs(value) >> shift) * decimal.Decimal(2) ** shift
        shown = f"{scaled:.6e}"
    return f"-{shown}" if value < 0 else shown


def short_path(path: str) -> str:
    """Return *path* as short as it reads unambiguously to the one who ran the check.

    A path below the working directory becomes relative to it; a bundled
    example (inside the installed package) becomes ``examples/NAME``; any
    other path is left as it is, and every path when there is no working
    directory (removed since the notebook started in it).
    """
    pure = PurePath(path)
    if not pure.is_absolute():
        return path
    parts = pure.parts
    for i in range(len(parts) - len(_EXAMPLES), -1, -1):
        if parts[i : i + len(_EXAMPLES)] == _EXAMPLES:
            return "/".join(("examples", *parts[i + len(_EXAMPLES) :]))
    try:
        return PurePath(path).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return path


def path_html(path: str | None, line: int | None = None) -> str:
    """Return a file location as short text that shows the full path on hover."""
    if path is None:
        return ""
    shown = short_path(path) + ("" if line is None else f":{line}")
    full = path + ("" if line is None else f":{line}")
    return f'<span class="osk-path" title="{text(full)}">{text(shown)}</span>'


def title(content: str) -> str:
    """Return a heading line of already escaped *content*."""
    return f'<div class="osk-title">{content}</div>'


def wrap(*parts: str) -> str:
    """Return HTML parts in one styled block, as every display shows."""
    return '<div class="osk">' + _STYLE + "".join(parts) + "</div>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    row_classes: Iterable[str] | None = None,
) -> str:
    """Return an HTML table; headers are escaped here, cells must be already."""
    right = set(numeric)

    def cell(tag: str, index: int, content: str) -> str:
        cls = ' class="num"' if index in right else ""
        return f"<{tag}{cls}>{content}</{tag}>"

    head = "".join(cell("th", i, text(h)) for i, h in enumerate(headers))
    classes = iter(row_classes) if row_classes is not None else None
    body = []
    for row in rows:
        cls = next(classes, "") if classes is not None else ""
        attr = f' class="{cls}"' if cls else ""
        cells = "".join(cell("td", i, c) for i, c in enumerate(row))
        body.append(f"<tr{attr}>{cells}</tr>")
    return (
        f'<table class="osk-t"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def facts(rows: Iterable[tuple[str, str]]) -> str:
    """Return a two-column table of facts, leaving out the empty ones."""
    body = "".join(
        f"<tr><th>{text(name)}</th><td>{value}</td></tr>"
        for name, value in rows
        if value
    )
    return f'<table class="osk-t"><tbody>{body}</tbody></table>'


def engagement_html(
    engagement: Engagement, *more: str, as_of: dt.date | None = None
) -> str:
    """Return *engagement*'s key facts as HTML, followed by the HTML parts *more*.

    With *as_of*, a KPI's latest measurement is the latest known then, as the
    rules take it (:meth:`Engagement.is_known`); without, the latest of all.
    """
    head = f"<strong>{text(engagement.id)}</strong>"
    if engagement.title:
        head += f": {text(engagement.title)}"
    return wrap(title(head), facts(_engagement_facts(engagement, as_of)), *more)


def engagement_repr(engagement: Engagement) -> str:
    """Return a one-line description of *engagement*: id, status, dates and counts.

    What a notebook keeps as the text of a shown engagement, beside its HTML:
    the facts are counted, never listed, so that an engagement of thousands
    of tasks or check-ins shows in one line.
    """
    start, end = engagement.start, engagement.end
    parts = [] if engagement.status is None else [str(engagement.status)]
    if start is not None and end is not None:
        parts.append(f"{start.isoformat()} to {end.isoformat()}")
    elif start is not None:
        parts.append(f"from {start.isoformat()}")
    elif end is not None:
        parts.append(f"until {end.isoformat()}")
    counted = (
        (engagement.tasks, "task"),
        (engagement.agreements, "agreement"),
        (engagement.kpis, "KPI"),
        (engagement.check_ins, "check-in"),
        (engagement.reviews, "review"),
    )
    parts.extend(plural(len(items), word) for items, word in counted if items)
    return f"<Engagement {engagement.id}" + (f": {', '.join(parts)}>" if parts else ">")


def _party(name: str | None, *details: object) -> str:
    known = [str(d) for d in details if d is not None]
    if name is None and not known:
        return ""
    out = text(name)
    if known:
        out += f" ({text(', '.join(known))})"
    return out


def _agreements_text(engagement: Engagement) -> str:
    items = []
    for a in engagement.agreements:
        item = str(a.kind) if a.kind is not None else "agreement"
        item += f" signed {a.signed_on}" if a.signed_on is not None else " unsigned"
        if a.expires is not None:
            item += f", expires {a.expires}"
        items.append(item)
    return text(_listed(items, len(items), "agreement", "engagement.agreements"))


def _listed(items: Sequence[str], total: int, word: str, where: str) -> str:
    """Return the first :data:`LISTED` of *items*, of *total*, the rest counted.

    *word* names one item (``KPI``); *where* is what has them all.
    """
    out = "; ".join(items[:LISTED])
    left = total - LISTED
    if left > 0:
        out += f"; {plural(left, f'more {word}')} not shown ({where} has them all)"
    return out


def _kpi_text(kpi: KPI, engagement: Engagement, as_of: dt.date | None) -> str:
    out = kpi.name or "unnamed KPI"
    details = []
    if kpi.target is not None:
        details.append(f"target {number(kpi.target)}")
    if kpi.direction is not None:
        details.append(f"{kpi.direction} is better")
    if kpi.unit is not None:
        details.append(kpi.unit)
    last = _latest_measurement(kpi, engagement, as_of)
    if last is not None:
        details.append(f"latest {number(last.value)} on {_day(last.at)}")
    if details:
        out += f" ({', '.join(details)})"
    return out


def _latest_measurement(
    kpi: KPI, engagement: Engagement, as_of: dt.date | None
) -> Measurement | None:
    """Return the KPI's latest measurement known at *as_of* (None: of all).

    Known and ordered as the rules take them: by the moment each was taken in
    the client's time zone, of two at one moment the later in the file.
    """
    latest: tuple[dt.datetime, Measurement] | None = None
    for m in kpi.measurements:
        if as_of is not None and not engagement.is_known(m.at, as_of):
            continue
        moment = engagement.moment(m.at)
        if latest is None or moment >= latest[0]:
            latest = (moment, m)
    return None if latest is None else latest[1]


def _day(value: dt.date) -> str:
    return value.isoformat() if not isinstance(value, dt.datetime) else str(value)


def _data_text(engagement: Engagement) -> str:
    data = engagement.data
    if data is None:
        return ""
    parts = []
    if data.confidential is not None:
        parts.append("confidential" if data.confidential else "not confidential")
    if data.personal_data is not None:
        parts.append("personal data" if data.personal_data else "no personal data")
    if data.shared_since is not None:
        parts.append(f"shared since {data.shared_since}")
    return text(", ".join(parts))


def _tasks_text(engagement: Engagement) -> str:
    tasks = engagement.tasks
    if not tasks:
        return ""
    critical = sum(1 for t in tasks if t.critical)
    areas = sorted({str(t.area) for t in tasks if t.area is not None})
    out = f"{len(tasks)} ({critical} critical)"
    if areas:
        out += f": {', '.join(areas)}"
    return text(out)


def _engagement_facts(
    engagement: Engagement, as_of: dt.date | None
) -> list[tuple[str, str]]:
    client = engagement.client
    vendor = engagement.vendor
    comm = engagement.communication
    return [
        ("status", text(engagement.status) if engagement.status else ""),
        ("start", text(engagement.start) if engagement.start else ""),
        ("end", text(engagement.end) if engagement.end else ""),
        ("owner", text(engagement.owner) if engagement.owner else ""),
        (
            "client",
            ""
            if client is None
            else _party(client.name, client.timezone, client.working_hours),
        ),
        (
            "vendor",
            ""
            if vendor is None
            else _party(
                vendor.name, vendor.kind, vendor.timezone, vendor.working_hours
            ),
        ),
        (
            "hours per week",
            ""
            if engagement.hours_per_week is None
            else text(number(engagement.hours_per_week)),
        ),
        ("tasks", _tasks_text(engagement)),
        (
            "objectives",
            str(len(engagement.objectives)) if engagement.objectives else "",
        ),
        (
            "deliverables",
            str(len(engagement.deliverables)) if engagement.deliverables else "",
        ),
        ("agreements", _agreements_text(engagement)),
        (
            "check-ins",
            "" if comm is None or comm.check_ins is None else text(comm.check_ins),
        ),
        (
            "KPIs",
            text(
                _listed(
                    [_kpi_text(k, engagement, as_of) for k in engagement.kpis[:LISTED]],
                    len(engagement.kpis),
                    "KPI",
                    "engagement.kpis",
                )
            ),
        ),
        ("data", _data_text(engagement)),
        ("source", path_html(engagement.source) if engagement.source else ""),
    ]
