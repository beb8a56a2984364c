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


def render_rules() -> str:
    """Return the Markdown of every built-in rule, grouped by category."""
    from outsourcekit.builtin.rules import BUILTIN_RULES
    from outsourcekit.engine import DOC_SECTIONS

    out: list[str] = []
    category = None
    for rule in BUILTIN_RULES:
        if rule.category != category:
            category = rule.category
            out.append(f"## Category `{category}`\n")
        out.append(f"### {rule.code} `{rule.slug}`: {rule.title}\n")
        out.append(
            f"*Severity*: `{rule.severity.value}` · *Category*: `{rule.category}`"
        )
        if rule.sources:
            out.append(f" · *Sources*: {', '.join(rule.sources)}")
        out.append("\n")
        summary = rule.doc.strip().splitlines()[0] if rule.doc.strip() else ""
        out.append(f"{summary}\n")
        if rule.options:
            out.append("| option | default | meaning |\n|---|---|---|")
            for name, option in rule.options.items():
                default = "derived" if option.default is None else repr(option.default)
                out.append(f"| `{name}` | `{default}` | {option.help} |")
            out.append("")
        sections = rule.sections()
        for title in DOC_SECTIONS:
            body = sections.get(title, "").strip()
            if body:
                out.append(f"#### {title}\n\n{_demote(body, 3)}\n")
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
