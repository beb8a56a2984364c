"""What the importers with a ``timezone`` option share: checking the zone it names."""

from __future__ import annotations

import attrs

from outsourcekit.engine import Option
from outsourcekit.model import TimeZone

__all__ = ["TimeZoneOption"]


@attrs.frozen(kw_only=True)
class TimeZoneOption(Option):
    """An option naming a time zone: checked as the file format's time zones are.

    A name that is no zone is the option's problem, located at the option and
    reported with the other options' problems, before the file is read. With
    *blank*, empty text (or only spaces) is taken too: no zone is named.
    """

    #: Whether empty text, naming no zone, is taken.
    blank: bool = False

    def validate(self, name: str, value: object) -> object:
        """Return *value* if it names a time zone; raise ValueError naming *name*."""
        text = super().validate(name, value)
        written = str(text)
        if self.blank:
            written = written.strip()
            if not written:
                return text
        try:
            TimeZone.parse(written)
        except ValueError as error:  # ValueParseError, with the closest name
            msg = f"option {name!r}: {error}"
            raise ValueError(msg) from None
        return text
