"""Tests of the notebook tables' alignment rules and short paths."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import outsourcekit as ok
from outsourcekit import notebook as nb
from outsourcekit.model._display import short_path

AS_OF = dt.date(2026, 11, 22)


def specificity(selector):
    """The (ids, classes, elements) specificity of a simple CSS selector."""
    classes = len(re.findall(r"\.[\w-]+", selector))
    elements = len(re.findall(r"(?:^|[\s>+~])([a-z]+)", selector))
    return (selector.count("#"), classes, elements)


class TestAlignment:
    def test_outranks_notebook_rules(self):
        """The cell rules outrank JupyterLab's and classic Notebook's td rules."""
        markup = nb.report_html(ok.check([ok.from_dict({"id": "a"})], as_of=AS_OF))
        style = re.search(r"<style>(.*?)</style>", markup).group(1)
        cell_rules = [
            sel
            for rule in style.split("}")
            if "text-align" in rule
            for sel in rule.split("{")[0].split(",")
            if sel.strip().endswith(("td", "td.num"))
        ]

        jupyter = specificity(".jp-RenderedHTMLCommon td")
        assert cell_rules
        assert all(specificity(sel) > jupyter for sel in cell_rules)

    def test_numbers_right_prose_left(self):
        """Score and count cells are numeric; prose cells are not."""
        engagements = ok.load(ok.examples_path())
        markup = nb.report_html(ok.check(engagements, as_of=AS_OF))

        assert '<table class="osk-t">' in markup
        assert '<td class="num"><strong>' in markup
        assert "text-align:left" in markup


class TestShortPaths:
    def test_bundled_example(self):
        """A bundled example's path inside the package reads examples/NAME."""
        path = str(Path(ok.examples_path()) / "acme.yaml")

        assert "examples/acme.yaml" == short_path(path)

    def test_below_working_directory(self, tmp_path, monkeypatch):
        """A path below the working directory becomes relative to it."""
        monkeypatch.chdir(tmp_path)

        assert "engagements/a.yaml" == short_path(str(tmp_path / "engagements/a.yaml"))

    def test_working_directory_removed(self, tmp_path, monkeypatch):
        """Without a working directory (removed), paths are shown in full."""
        gone = tmp_path / "gone"
        gone.mkdir()
        file = tmp_path / "a.yaml"
        file.write_text("id: a\n", encoding="utf-8")
        path = str(file)
        engagement = ok.load(path)
        report = ok.check([engagement], as_of=AS_OF)
        monkeypatch.chdir(gone)
        gone.rmdir()

        assert path == short_path(path)
        assert f">{path}</span>" in nb.report_html(report)
        assert f">{path}</span>" in nb.engagement_html(engagement)

    def test_elsewhere(self):
        """A relative path, or one elsewhere, is left as it is."""
        assert "a/b.yaml" == short_path("a/b.yaml")

    def test_full_path_on_hover(self):
        """Findings show the short path, the full one in the title."""
        engagements = ok.load(ok.examples_path())
        markup = nb.report_html(ok.check(engagements, as_of=AS_OF))

        assert 'title="' + str(Path(ok.examples_path())) in markup
        assert ">examples/" in markup
        assert str(Path(ok.examples_path())) + "/" not in re.sub(
            r'title="[^"]*"', "", markup
        )
