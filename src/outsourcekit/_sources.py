"""The sources the built-in rules cite, by the code a rule's ``sources`` holds.

A rule names its sources by short codes (``A``, ``B3``, ``GDPR Art. 28``);
:func:`source_name` says what each one is, as ``outsourcekit explain`` and the
rules pages show it. ``docs/sources.md`` tells what each source contributes.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ARTICLES", "STANDARDS", "source_name"]

#: The five articles, by letter.
ARTICLES: Final = {
    "A": "Business Delegation as a Cornerstone of a Successful Cooperation",
    "B": "Common Outsourcing Mistakes and How to Avoid Them",
    "C": "Learn How To Get The Best Results From A Good Outsourcing Crew",
    "D": "3 Elements That Makes Outsourcing Work Successful",
    "E": "Tips for a better outsourcing experience",
}
#: The standards and regulations, by the code rules use.
STANDARDS: Final = {
    "ISO 37500": "ISO 37500, outsourcing governance",
    "COBIT APO10": "COBIT APO10, managed vendors",
    "NIST PS-7": "NIST SP 800-53 PS-7, external personnel security",
    "GDPR Art. 28": "GDPR Article 28, processors",
    "GDPR Art. 32": "GDPR Article 32, security of processing",
    "EBA outsourcing guidelines": "EBA guidelines on outsourcing arrangements",
    "ITIL": "ITIL supplier management",
}
_ARTICLE: Final = re.compile(r"(?P<letter>[A-E])(?:(?P<mistake>\d+)| (?P<part>.+))?")


def source_name(code: str) -> str:
    """Return what a source code names, for people.

    ``"B6"`` gives ``"Source B — *Common Outsourcing Mistakes and How to Avoid
    Them*, mistake 6"``; ``"GDPR Art. 28"`` gives ``"GDPR Article 28,
    processors"``. A code this table does not know (a plugin's) is returned as
    it is.
    """
    m = _ARTICLE.fullmatch(code)
    if m is not None:
        name = f"Source {m['letter']} — *{ARTICLES[m['letter']]}*"
        if m["mistake"]:
            return f"{name}, mistake {m['mistake']}"
        if m["part"]:
            return f"{name}, {m['part']}"
        return name
    return STANDARDS.get(code, code)
