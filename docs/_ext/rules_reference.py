"""Generate the rule reference page from the registry, so the docs never drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_HEADING = re.compile(r"^(#+)(\s)", re.MULTILINE)


def _demote(text: str, levels: int) -> str:
    return _HEADING.sub(lambda m: "#" * (len(m.group(1)) + levels) + m.group(2), text)


def _label(code: str) -> str:
    """Return the cross-reference label of a rule's section (``rule-osk601``)."""
    return f"rule-{code.lower()}"


def _one_line(doc: str) -> str:
    """Return the first line of a rule's documentation, for the overview table."""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    return first.replace("|", "\\|")


def render_catalogue() -> str:
    """Return the Markdown table of every built-in rule: one row per rule.

    Each slug links to the rule's section; the last column is the first line of
    the rule's documentation.
    """
    from outsourcekit.builtin.rules import BUILTIN_RULES

    out = [
        (
            f"The catalogue has {len(BUILTIN_RULES)} rules. The letters under "
            "*Sources* name the articles and standards each rule comes from (see "
            "{doc}`/sources`).\n"
        ),
        "| code | slug | severity | category | what it flags |",
        "|---|---|---|---|---|",
    ]
    out.extend(
        f"| {r.code} | {{ref}}`{r.slug} <{_label(r.code)}>` | {r.severity.value} "
        f"| {r.category} | {_one_line(r.doc) or r.title} |"
        for r in BUILTIN_RULES
    )
    out.append("")
    return "\n".join(out)


def render_rules() -> str:
    """Return the Markdown of every built-in rule, grouped by category.

    The page opens with the catalogue table (:func:`render_catalogue`). Each
    rule's section has a label (``rule-osk601``) and its documentation sections
    as bold paragraphs, not headings, so the page's contents stay short.
    """
    from outsourcekit.builtin.rules import BUILTIN_RULES
    from outsourcekit.engine._rule import DOC_SECTIONS

    out: list[str] = ["## The rules at a glance\n", render_catalogue()]
    category = None
    for rule in BUILTIN_RULES:
        if rule.category != category:
            category = rule.category
            out.append(f"## Category `{category}`\n")
        out.append(
            f"({_label(rule.code)})=\n### {rule.code} `{rule.slug}`: {rule.title}\n"
        )
        out.append(
            f"*Severity*: `{rule.severity.value}` · *Category*: `{rule.category}`"
        )
        if rule.sources:
            from outsourcekit._sources import source_name

            names = "; ".join(source_name(code) for code in rule.sources)
            out.append(f" · *Sources*: {names}")
        out.append("\n")
        summary = rule.doc.strip().splitlines()[0] if rule.doc.strip() else ""
        out.append(f"{summary}\n")
        if rule.options:
            out.append("| option | default | meaning |\n|---|---|---|")
            for name, option in rule.options.items():
                # A derived default is no value: it is not shown as code.
                default = option.default_text()
                if option.default is not None:
                    default = f"`{default}`"
                out.append(f"| `{name}` | {default} | {option.help} |")
            out.append("")
        sections = rule.sections()
        for title in DOC_SECTIONS:
            body = sections.get(title, "").strip()
            if body:
                out.append(f"**{title}**\n\n{_demote(body, 3)}\n")
        out.append(f"**Fix**: {rule.fix}\n")
    return "\n".join(out)


def _generate(app: Sphinx) -> None:
    target = Path(app.srcdir) / "_generated" / "rules.md"
    target.parent.mkdir(exist_ok=True)
    text = render_rules()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
