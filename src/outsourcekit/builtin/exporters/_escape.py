r"""How the formats write a value: one escaping function per format.

Every text a report carries may come from an engagement file: ids, titles, task
and vendor names inside messages, paths, file names, waiver reasons, evidence.
Each format writes every such value through its one function here, so that no
value can drive a terminal, forge a line or a table row, hide text behind a
bidirectional override, run as a spreadsheet formula or break the document.

The characters no value is written with raw (:data:`UNSAFE`) are the control
characters (C0, DEL and C1, NEL among them), the line and paragraph separators
U+2028 and U+2029, the bidirectional controls (U+061C, U+200E, U+200F,
U+202A to U+202E, U+2066 to U+2069), lone surrogates and the noncharacters
U+FFFE and U+FFFF. The human formats show each one as a Python-style escape
(:func:`visible`); the JSON formats write each one as a JSON ``\u`` escape,
which reads back to the same text.
"""

from __future__ import annotations

import html as _html
import json
import re
import unicodedata
from typing import Any, Final

__all__ = [
    "FORMULA_STARTS",
    "UNSAFE",
    "csv_cell",
    "github_data",
    "github_property",
    "html",
    "json_safe",
    "json_text",
    "markdown",
    "markdown_code",
    "scalar_text",
    "text",
    "visible",
    "xml",
]

#: The characters no format writes raw: controls, line and paragraph separators,
#: bidirectional controls, lone surrogates and the noncharacters U+FFFE, U+FFFF.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
#: What JSON's own escaping leaves raw of :data:`UNSAFE`: all but C0.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|#!~])")
_BACKTICKS = re.compile("`+")

#: What makes a spreadsheet read a cell as a formula (OWASP's list, with the
#: full-width forms of the four signs).
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
#: Kinds of characters a spreadsheet may pass over before it sees a formula:
#: controls, format characters (bidirectional and zero-width ones among them),
#: lone surrogates, spaces and separators.
_SKIPPED_KINDS = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def _show(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(value: object) -> str:
    r"""Return *value* as text with every :data:`UNSAFE` character shown escaped.

    Tab, line feed and carriage return become ``\t``, ``\n`` and ``\r``; other
    characters up to U+00FF become ``\xNN`` (ESC is ``\x1b``, NEL ``\x85``); the
    rest ``\uNNNN`` (U+202E is ``\u202e``). None is the empty string. The result
    is one line: no character in it starts a new line anywhere.
    """
    return UNSAFE.sub(_show, _as_text(value))


def text(value: object) -> str:
    r"""Return *value* for the ``text`` format: :func:`visible`, nothing more.

    A value never adds a line, so every finding keeps its lines and a value
    cannot forge one; ``\x1b`` shows what would have driven the terminal.
    """
    return visible(value)


def markdown(value: object) -> str:
    r"""Return *value* as Markdown text that renders literally, also in a table cell.

    ``&``, ``<`` and ``>`` become HTML entities (``<script>`` shows as text);
    Markdown's active characters (``\ ` * _ [ ] | # ! ~``) are backslash-escaped;
    line breaks (CR LF, CR or LF) become ``<br>``, so a value never starts a new
    row or heading; other :data:`UNSAFE` characters are shown as by
    :func:`visible`, and render as written (``\x1b``).
    """
    escaped = _html.escape(_as_text(value), quote=False)
    escaped = _MARKDOWN_ACTIVE.sub(r"\\\1", escaped)
    return visible(_LINE_BREAK.sub("<br>", escaped))


def markdown_code(value: object) -> str:
    """Return *value* as a Markdown code span (a rule code, say), safe in a table.

    The text is :func:`visible`, and the span is fenced with one backtick more
    than the longest run in the text, so it cannot end early. A value with a
    pipe, which a table would split on even in a code span, is written as
    :func:`markdown` text instead; an empty value is the empty string.
    """
    shown = visible(value)
    if not shown or "|" in shown:
        return markdown(value)
    longest = max((len(run) for run in _BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def html(value: object) -> str:
    """Return *value* for HTML text and attribute values (double-quoted).

    :func:`visible` first, so no control or bidirectional character (NUL, VT,
    FF, DEL, U+202E...) reaches the page; then ``& < > " '`` become entities.
    """
    return _html.escape(visible(value), quote=True)


def xml(value: object) -> str:
    """Return *value* as text XML 1.0 can hold, for ElementTree to write.

    :func:`visible` replaces every character XML 1.0 cannot hold (controls but
    tab and line breaks, lone surrogates, U+FFFE, U+FFFF) and the rest of
    :data:`UNSAFE` by a visible escape, so a value is never dropped nor written
    raw; ElementTree itself escapes ``& < > "``.
    """
    return visible(value)


def _looks_like_formula(cell: str) -> bool:
    """Tell whether a spreadsheet could read *cell* as a formula.

    It could when the cell starts with a tab or a carriage return, or with
    ``= + - @`` (or their full-width forms) after any leading blanks, quotes,
    line breaks, controls or invisible format characters.
    """
    if cell.startswith(("\t", "\r")):
        return True
    start = 0
    while start < len(cell) and (
        cell[start] in "\"'" or unicodedata.category(cell[start]) in _SKIPPED_KINDS
    ):
        start += 1
    return cell.startswith(FORMULA_STARTS, start)


def csv_cell(value: object) -> str:
    """Return *value* as a CSV cell a spreadsheet shows as text, never runs.

    Following OWASP's guidance on CSV injection, a cell that could be read as a
    formula (see :func:`_looks_like_formula`) gets a leading ``'``; then the cell
    is :func:`visible`, so it holds no line break, tab or other control that a
    spreadsheet or a line-based tool would act on. The writer quotes every cell.
    """
    cell = _as_text(value)
    if _looks_like_formula(cell):
        cell = f"'{cell}"
    return visible(cell)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(
    data: Any,
    *,
    indent: int | None = None,
    sort_keys: bool = False,
) -> str:
    r"""Return *data* as JSON text, non-ASCII as is but :data:`UNSAFE` escaped.

    JSON escapes control characters up to U+001F itself; DEL, C1, the line and
    paragraph separators, bidirectional controls, U+FFFE, U+FFFF and lone
    surrogates are written as ``\uNNNN`` escapes too, so the text can always be
    encoded as UTF-8 and reads back to the same strings (but that, as in any
    JSON, a high surrogate followed by a low one reads back as the one character
    the two encode).
    """
    if indent is None and not sort_keys:
        dumped = _ONE_LINE.encode(data)
    else:
        dumped = json.dumps(
            data, indent=indent, ensure_ascii=False, sort_keys=sort_keys
        )
    return json_safe(dumped)


def json_safe(dumped: str) -> str:
    r"""Return JSON text with the :data:`UNSAFE` characters JSON leaves raw escaped.

    *dumped* is text ``json.dumps(ensure_ascii=False)`` wrote (or pieces of it
    joined); what :func:`json_text` does after dumping.
    """
    # The common case: ASCII holds nothing to escape but DEL, which is ASCII.
    if dumped.isascii() and "\x7f" not in dumped:
        return dumped
    return _JSON_UNSAFE.sub(_json_escape, dumped)


#: The encoder of one-line JSON, made once: findings are written by the million.
_ONE_LINE: Final = json.JSONEncoder(ensure_ascii=False)


def scalar_text(value: object) -> str:
    """Return *value* with each lone surrogate replaced by U+FFFD.

    For what must be valid Unicode before it is encoded further, such as a
    file name turned into a URI.
    """
    return _SURROGATE.sub("\ufffd", _as_text(value))


def github_data(value: object) -> str:
    r"""Return *value* as the message of a GitHub Actions workflow command.

    The value is made :func:`visible` first, so that no control character
    reaches the log and a line break in a value shows as ``\n`` rather than
    starting a line; then it is escaped as GitHub's toolkit does: ``%`` as
    ``%25``, ``\r`` as ``%0D`` and ``\n`` as ``%0A``. A message of several
    lines joins escaped lines with ``%0A``.
    """
    shown = visible(value)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: object) -> str:
    r"""Return *value* as a property of a GitHub Actions workflow command.

    As :func:`github_data`, and ``:`` as ``%3A`` and ``,`` as ``%2C``, which
    would otherwise end the property.
    """
    return github_data(value).replace(":", "%3A").replace(",", "%2C")
