"""Fixtures for all tests: a file writer, and hypothesis settings."""

from __future__ import annotations

import os
import pathlib
import textwrap

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", parent=settings.get_profile("default"), max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Return a function writing dedented text to a file, named relative to the test.

    The working directory is the temporary directory, so sources are short:
    ``write("a.yaml", "id: a")`` gives the path ``a.yaml``.
    """
    monkeypatch.chdir(tmp_path)

    def write_file(name: str, text: str) -> pathlib.Path:
        path = pathlib.Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def located_reads(monkeypatch):
    """Return the names of the files read in full with locations, as they are read."""
    from outsourcekit import io

    names: list[str] = []
    real = io.parse

    def counted(text, fmt, *args, **kwargs):
        if kwargs.get("locations"):
            names.append(pathlib.Path(kwargs.get("source") or "").name)
        return real(text, fmt, *args, **kwargs)

    monkeypatch.setattr(io, "parse", counted)
    return names
