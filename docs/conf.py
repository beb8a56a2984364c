"""Sphinx configuration for the outsourcekit documentation."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "outsourcekit"
author = "The outsourcekit developers"
copyright = "2026, The outsourcekit developers"
release = _version("outsourcekit")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(attr|attrs|cattrs|datetime|dateutil|pluggy)\..*")]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
html_theme = "furo"
html_title = "outsourcekit"
