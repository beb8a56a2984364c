"""``python -m outsourcekit`` and the ``outsourcekit`` console script."""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Run the ``outsourcekit`` command line on the process's arguments."""
    from .cli import main as run  # noqa: PLC0415 - the CLI loads only when run

    run()


if __name__ == "__main__":
    main()
