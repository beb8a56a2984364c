"""Sphinx configuration for the outsourcekit documentation."""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "outsourcekit"
author = "The outsourcekit developers"
copyright = "2026, The outsourcekit developers"
release = _version("outsourcekit")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "rules_reference",
    "schema_file",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext"}
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
exclude_patterns = ["_build", "_generated"]
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(attr|attrs|cattrs|datetime|dateutil|pluggy)\..*"),
    (r"py:.*", r"(pandas|matplotlib|numpy|collections\.abc|os|pathlib)\..*"),
    (r"py:.*", r"(decimal|fractions|json|numbers)\..*"),
    # The engine's private stand-in for results it computes when first read,
    # which Report's signature names (outsourcekit.engine.check passes one).
    (r"py:class", r"LaterResults"),
]
autodoc_type_aliases = {
    "pd.DataFrame": "pandas.DataFrame",
    "Figure": "matplotlib.figure.Figure",
    "History": "outsourcekit.History",
}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
html_theme = "furo"
html_title = "outsourcekit"
