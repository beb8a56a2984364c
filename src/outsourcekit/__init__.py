"""outsourcekit: lint outsourcing engagements."""

from ._version import __version__

__all__ = ["__version__"]
