"""outsourcekit's own plugins: the rule catalogue, the report formats, the importers.

Each subpackage is registered through the public hooks exactly as an installed
plugin is (see :data:`outsourcekit.plugins.DEFAULT_PLUGINS`), and uses only
public APIs: what a third-party plugin could write.
"""
