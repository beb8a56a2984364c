"""Hypothesis strategies for YAML text laid out as people and dumpers lay it out."""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

from outsourcekit import io
from outsourcekit._source import YamlDumper

#: Words of plain text, most harmless, some that YAML reads otherwise.
WORDS = (
    "alpha",
    "beta",
    "no",
    "true",
    "Null",
    "12",
    "0x1F",
    "1e3",
    "-3",
    ".5",
    ".inf",
    "2026-01-01",
    "a:b",
    "a#b",
    "http://x.y/z#q",
    "it's",
    "é",
    "(ok)",
    "a,b",
    "[x]",
)
ODD_WORDS = (
    "- x",
    "? q",
    ": c",
    "{y}",
    "%p",
    "@a",
    "`b`",
    "!b",
    "&a",
    "*s",
    "|p",
    ">g",
)
KEYS = ("id", "name", "title", "x-crm-id", "a b", "k1", "v1.2", "1", "on", "null", "é")


def _words(draw: st.DrawFn, most: int = 5) -> str:
    """Draw a few words, now and then an odd one."""
    words = []
    for _ in range(draw(st.integers(1, most))):
        odd = draw(st.integers(0, 49)) == 0
        words.append(draw(st.sampled_from(ODD_WORDS if odd else WORDS)))
    return " ".join(words)


def _wrapped(draw: st.DrawFn, pad: str, comment: str) -> list[str]:
    """Draw plain text over several lines, blank lines between some."""
    lines = [_words(draw) + draw(st.sampled_from(["", " "]))]
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", pad])))
        lines.append(pad + _words(draw))
    lines[-1] += comment
    return lines


def _single(draw: st.DrawFn, pad: str, comment: str) -> list[str]:
    """Draw single-quoted text, on one line or several."""
    lines = ["'" + _words(draw).replace("'", "''")]
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            lines.append("")
        lines.append(pad + _words(draw).replace("'", "''"))
    lines[-1] += "'" + comment
    return lines


def _double(draw: st.DrawFn, pad: str, comment: str) -> list[str]:
    """Draw double-quoted text with an escape, on one line or two."""
    escape = draw(st.sampled_from(["", "\\n", "\\x41", "\\u00e9", "\\/", "\\"]))
    lines = ['"' + _words(draw).replace('"', '\\"') + escape]
    if draw(st.booleans()):
        lines.append(pad + _words(draw))
    lines[-1] += '"' + comment
    return lines


def _literal(draw: st.DrawFn, pad: str, comment: str) -> list[str]:
    """Draw a literal or folded block scalar."""
    header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", "|"]))
    lines = [header + comment]
    for _ in range(draw(st.integers(1, 5))):
        words = _words(draw)
        lines.append(draw(st.sampled_from([pad + words, pad + "  " + words, "", pad])))
    return lines


def _flow(draw: st.DrawFn, _pad: str, comment: str) -> list[str]:
    """Draw a flow list or mapping on one line."""
    leaves = ["a", "b c", "1", "'q'", '"d"', "x:y", "[]", "{k: v}"]
    items = draw(st.lists(st.sampled_from(leaves), max_size=4))
    if draw(st.booleans()):
        return ["[" + ", ".join(items) + "]" + comment]
    return ["{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"]


_STYLES = {
    "plain": lambda draw, _pad, comment: [_words(draw) + comment],
    "wrapped": _wrapped,
    "single": _single,
    "double": _double,
    "block": _literal,
    "flow": _flow,
}


def _scalar(draw: st.DrawFn, owner: int) -> list[str]:
    """Draw a value in one of the styles YAML has; its first line is inline."""
    style = draw(st.sampled_from(["plain"] * 4 + sorted(_STYLES)))
    pad = " " * (owner + draw(st.integers(1, 3)))
    comment = draw(st.sampled_from(["", "", "", "", " # note", "  #x", "   "]))
    return _STYLES[style](draw, pad, comment)


def _block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """Draw the lines of a block mapping or list at *indent*."""
    spaces = " " * indent
    lines: list[str] = []
    mapping = depth > 3 or draw(st.booleans())
    for number in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", spaces + "# c", spaces])))
        if mapping:
            key = draw(st.sampled_from(KEYS)) + str(number)
            if draw(st.integers(0, 6)) == 0:
                key = draw(st.sampled_from([f"'{key}'", f'"{key}"']))
            if depth < 4 and draw(st.integers(0, 3)) == 0:
                lines.append(spaces + key + ":" + draw(st.sampled_from(["", " # c"])))
                lines.extend(
                    _block(draw, indent + draw(st.sampled_from([0, 2, 4])), depth + 1)
                )
            else:
                first, *rest = _scalar(draw, indent)
                lines.append(f"{spaces}{key}: {first}")
                lines.extend(rest)
        else:
            gap = " " * draw(st.sampled_from([1, 1, 3]))
            if depth < 4 and draw(st.integers(0, 2)) == 0:
                inner = _block(draw, indent + 1 + len(gap), depth + 1)
                head = inner[0][indent + 1 + len(gap) :]
                if inner[0].strip() and not inner[0].strip().startswith("#"):
                    lines.append(spaces + "-" + gap + head)
                    lines.extend(inner[1:])
                else:
                    lines.append(spaces + "-")
                    lines.extend(inner)
            else:
                first, *rest = _scalar(draw, indent)
                lines.append(spaces + "-" + gap + first)
                lines.extend(rest)
    return lines


@st.composite
def hand_written(draw: st.DrawFn) -> str:
    """Draw a document of block mappings, lists and scalars of every style."""
    lines = _block(draw, 0, 0)
    if draw(st.integers(0, 5)) == 0:
        lines.insert(0, draw(st.sampled_from(["---", "# head"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def hand_written_portfolios(draw: st.DrawFn) -> str:
    """Draw a portfolio whose engagements are written as :func:`hand_written`."""
    lines = ["outsourcekit: 1"]
    if draw(st.booleans()):
        lines.append("defaults:")
        lines.extend(_block(draw, 2, 1))
    lines.append("engagements:")
    dash = draw(st.sampled_from(["", "  "]))
    for number in range(draw(st.integers(1, 3))):
        lines.append(f"{dash}- id: e{number}")
        lines.extend(_block(draw, len(dash) + 2, 2))
    return "\n".join(lines) + "\n"


_LEAVES = st.one_of(
    st.sampled_from(
        [
            "alpha",
            "no",
            "true",
            "12",
            "a: b",
            "x #y",
            "it's",
            "é £5",
            "",
            " lead",
            "trail ",
            "two\nlines",
            "tab\there",
            "long words " * 9,
            "- d",
            "[x]",
            "null",
        ]
    ),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
)


def _items(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.dictionaries(
            st.sampled_from(["name", "kind", "on", "x-a", "notes"]),
            children,
            max_size=4,
        ),
        st.fixed_dictionaries(
            {"name": st.sampled_from(["Slack", "Zoom", "close-time"])},
            optional={"kind": children, "list": st.lists(children, max_size=3)},
        ),
    )


_TREES = st.recursive(
    _LEAVES, lambda c: st.one_of(st.lists(c, max_size=4), _items(c)), max_leaves=12
)
_ENGAGEMENTS = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c"])},
    optional={
        "vendor": _TREES,
        "kpis": st.lists(_items(_TREES), max_size=3),
        "title": _LEAVES,
        "on": _LEAVES,
        "x-notes": _TREES,
    },
)


@st.composite
def dumped_portfolios(draw: st.DrawFn) -> str:
    """Draw a portfolio as PyYAML dumps it, in a random style, comments added."""
    document: dict[str, object] = {"outsourcekit": 1}
    if draw(st.booleans()):
        document["defaults"] = draw(
            st.fixed_dictionaries({}, optional={"vendor": _TREES, "vision": _LEAVES})
        )
    document["engagements"] = draw(
        st.lists(_ENGAGEMENTS, min_size=1, max_size=3, unique_by=lambda e: e["id"])
    )
    text: str = yaml.dump(
        document,
        Dumper=draw(st.sampled_from([io._Dumper, yaml.SafeDumper, YamlDumper])),
        sort_keys=False,
        indent=draw(st.sampled_from([2, 3, 4])),
        width=draw(st.sampled_from([20, 40, 88])),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, False, None])),
        default_style=draw(st.sampled_from([None, None, None, "'", '"'])),
    )
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "# c", "   # deep", "  "])))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        if lines[at].strip():
            lines[at] += draw(st.sampled_from(["  # end", " "]))
    return "\n".join(lines)
