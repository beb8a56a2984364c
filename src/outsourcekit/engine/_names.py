"""Close-match suggestions: the package's one did-you-mean, for the engine."""

from outsourcekit._suggest import did_you_mean, suggest

__all__ = ["did_you_mean", "suggest"]
