"""Plain-function twins of generator rules: when they are made, and that they agree."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import inspect
import linecache
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from rules_for_tests import AS_OF, BASIC, bare, clean, fragile, many_findings

import outsourcekit
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import _check, _compile, check, rule
from outsourcekit.engine._compile import plain_twin, twin_for
from strategies import portfolios


def load_module(tmp_path, name, source):
    """Write *source* to ``name.py`` under *tmp_path* and import it."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def compiled(monkeypatch):
    """Check with every rule's twin, whatever the portfolio's size."""
    monkeypatch.setattr(_check, "twin_for", lambda func, _n: plain_twin(func))


def both(engagements, **kwargs):
    """Check *engagements* through twins and through generators; return both reports."""
    reports = []
    for make in (lambda func, _n: plain_twin(func), lambda _func, _n: None):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_check, "twin_for", make)
            reports.append(check(engagements, **kwargs))
    return reports


def assert_same(twins, gens):
    """The two reports agree in every respect a user can see."""
    assert twins == gens
    assert twins.to_dict() == gens.to_dict()
    assert [(e.rule, e.engagement, e.type, e.message) for e in twins.rule_errors] == [
        (e.rule, e.engagement, e.type, e.message) for e in gens.rule_errors
    ]
    counts = [(s.rule, s.findings, s.waived, s.errors) for s in twins.statistics.rules]
    assert counts == [
        (s.rule, s.findings, s.waived, s.errors) for s in gens.statistics.rules
    ]


class TestWhichRulesHaveTwins:
    def test_builtin_rules(self):
        """Every built-in rule has a twin, but those that use ``yield from``."""
        without = {r.code for r in BUILTIN_RULES if plain_twin(r.func) is None}
        uses_yield_from = {
            r.code for r in BUILTIN_RULES if "yield from" in inspect.getsource(r.func)
        }

        assert without == uses_yield_from

    def test_simple_rule(self):
        """A rule that yields findings as statements has a plain, non-generator twin."""
        twin = plain_twin(BASIC[0].func)

        assert twin is not None
        assert not inspect.isgeneratorfunction(twin)
        assert twin.__qualname__ == BASIC[0].func.__qualname__

    def test_twin_appends_what_the_generator_yields(self):
        """The twin hands the callback what the generator yields, in order."""

        def rule_function(engagement, _ctx):
            yield 1
            for n in engagement:
                if n % 2:
                    yield n
            try:
                yield "try"
            finally:
                yield "finally"
            with contextlib.suppress(KeyError):
                yield "with"
            yield

        out = []
        plain_twin(rule_function)([3, 4, 5], None, out.append)

        assert out == list(rule_function([3, 4, 5], None))

    def test_generator_is_kept_when_none(self):
        """A non-generator function has no twin."""

        def plain(engagement, ctx):
            return [engagement, ctx]

        assert plain_twin(plain) is None

    @pytest.mark.parametrize(
        ("name", "body"),
        [
            ("yield_value", "x = yield ctx\n    yield x"),
            ("yield_from", "yield from [engagement]"),
            ("yield_in_expression", "print((yield ctx))"),
            ("yield_in_yield", "yield (yield ctx)"),
        ],
    )
    def test_yield_not_as_statement(self, tmp_path, name, body):
        """A ``yield`` used as a value, or ``yield from``, keeps the generator."""
        module = load_module(
            tmp_path, f"twin_{name}", f"def func(engagement, ctx):\n    {body}\n"
        )

        assert plain_twin(module.func) is None

    @pytest.mark.parametrize(
        ("name", "body"),
        [
            ("locals", "yield sorted(locals())"),
            ("vars", "yield sorted(vars())"),
            ("getframe", "import sys\n    yield sys._getframe().f_code.co_argcount"),
            ("inspect", "import inspect\n    yield inspect.currentframe()"),
            ("nested", "yield (lambda: sorted(locals()))()"),
        ],
    )
    def test_looks_at_its_own_frame(self, tmp_path, name, body):
        """A rule that can see its own frame or locals keeps the generator."""
        module = load_module(
            tmp_path, f"twin_frame_{name}", f"def func(engagement, ctx):\n    {body}\n"
        )

        assert plain_twin(module.func) is None

    def test_locals_seen_alike(self, tmp_path):
        """A rule listing its locals finds the same in a small check and a large one."""
        module = load_module(
            tmp_path,
            "twin_frame_rule",
            """
            from outsourcekit.engine import rule

            @rule(code="TST901", slug="locals-evidence", title="Locals",
                  category="governance", severity="warning", fix="None.")
            def names(engagement, ctx):
                yield ctx.finding(", ".join(sorted(locals())), path="id")
            """,
        )

        twins, gens = both([bare("b")], as_of=AS_OF, rules=[module.names])

        assert [f.message for f in twins.findings] == ["ctx, engagement"]
        assert_same(twins, gens)

    def test_closure(self):
        """A function with a closure keeps its generator."""
        limit = 3

        def rule_function(engagement, ctx):
            if engagement > limit:
                yield ctx

        assert plain_twin(rule_function) is None

    def test_nested_generator_is_left_alone(self, tmp_path):
        """A generator defined inside the rule stays a generator in the twin."""
        module = load_module(
            tmp_path,
            "twin_nested",
            """
            def func(engagement, ctx):
                def inner():
                    yield engagement

                yield list(inner())
            """,
        )
        out = []
        plain_twin(module.func)(5, None, out.append)

        assert out == [[5]]

    @pytest.mark.parametrize(
        "signature",
        ["engagement, ctx, extra=1", "*args", "engagement, ctx, *rest", "engagement"],
    )
    def test_other_signatures(self, tmp_path, signature):
        """Only functions of exactly (engagement, ctx), without ``*args``, get twins."""
        name = f"twin_signature_{abs(hash(signature))}"
        module = load_module(tmp_path, name, f"def func({signature}):\n    yield 1\n")

        assert plain_twin(module.func) is None

    def test_async_generator(self, tmp_path):
        """An async generator keeps its own nature."""
        module = load_module(
            tmp_path, "twin_async", "async def func(engagement, ctx):\n    yield 1\n"
        )

        assert plain_twin(module.func) is None

    def test_no_source(self):
        """A function made from text with no file keeps its generator."""
        namespace: dict[str, object] = {}
        exec(  # noqa: S102 - a function without a source file
            compile("def func(engagement, ctx):\n    yield 1\n", "<made>", "exec"),
            namespace,
        )

        assert plain_twin(namespace["func"]) is None

    def test_file_edited_after_import(self, tmp_path):
        """A source file that no longer matches the running code gives no twin."""
        module = load_module(
            tmp_path, "twin_edited", "def func(engagement, ctx):\n    yield 1\n"
        )
        path = tmp_path / "twin_edited.py"
        path.write_text("def func(engagement, ctx):\n    yield 2\n", encoding="utf-8")
        linecache.checkcache(str(path))

        assert plain_twin(module.func) is None

    def test_mangled_names(self, tmp_path):
        """A method using private names compiles differently alone: no twin."""
        module = load_module(
            tmp_path,
            "twin_mangled",
            """
            class Rules:
                __limit = 1

                @staticmethod
                def func(engagement, ctx):
                    yield Rules.__limit
            """,
        )

        assert plain_twin(module.Rules.func) is None

    def test_callback_name_is_unused(self, tmp_path):
        """The callback's name differs from every name the function uses."""
        module = load_module(
            tmp_path,
            "twin_names",
            """
            _emit = "global"

            def func(engagement, ctx):
                _emit_ = engagement
                yield (_emit, _emit_)
            """,
        )
        out = []
        plain_twin(module.func)("local", None, out.append)

        assert out == [("global", "local")]

    def test_code_replaced(self):
        """A function given new code gets a new twin."""

        def rule_function(_engagement, _ctx):
            yield 1

        def other(_engagement, _ctx):
            yield 2

        first = plain_twin(rule_function)
        rule_function.__code__ = other.__code__
        out = []
        plain_twin(rule_function)(None, None, out.append)

        assert first is not None
        assert out == [2]

    def test_keyword_defaults_shared(self, tmp_path):
        """Keyword-only defaults are the function's own, even changed later."""
        module = load_module(
            tmp_path,
            "twin_kwdefaults",
            "def func(engagement, ctx, *, n=1):\n    yield n\n",
        )
        module.func.__kwdefaults__["n"] = 7
        out = []
        plain_twin(module.func)(None, None, out.append)

        assert out == [7]


class TestWhenTwinsAreMade:
    def test_not_for_a_small_check(self, monkeypatch):
        """A rule runs as its generator until it has seen COMPILE_AFTER engagements."""
        monkeypatch.setattr(_compile, "COMPILE_AFTER", 10)

        @rule(
            code="TWN001",
            slug="twin-size",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def sized(_engagement, ctx):
            yield ctx.finding("x")

        assert twin_for(sized.func, 6) is None
        assert twin_for(sized.func, 4) is not None

    def test_not_for_other_callables(self):
        """Callables that are not functions have no twin."""
        assert twin_for(print, 10**6) is None


class TestSameReports:
    def test_examples(self):
        """The bundled examples give the same report through twins and generators."""
        engagements = outsourcekit.load(outsourcekit.examples_path())
        twins, gens = both(engagements, as_of=AS_OF, rules=BUILTIN_RULES)

        assert twins.findings
        assert_same(twins, gens)

    def test_rule_errors(self):
        """A rule that raises is recorded alike; its findings there are dropped."""
        engagements = [clean("a"), bare("boom"), clean("c")]
        rules = (*BASIC, fragile, many_findings)
        twins, gens = both(engagements, as_of=AS_OF, rules=rules)

        assert [(e.rule, e.engagement, e.type) for e in twins.rule_errors] == [
            ("TST004", "boom", "ZeroDivisionError")
        ]
        assert "Half-way" not in {f.message for f in twins.findings}
        assert_same(twins, gens)

    @pytest.mark.usefixtures("compiled")
    def test_traceback_names_the_rule_line(self):
        """A twin's traceback points at the line of the rule that raised."""
        report = check([bare("boom")], as_of=AS_OF, rules=[fragile])
        lines, first = inspect.getsourcelines(fragile.func)
        raising = first + next(i for i, t in enumerate(lines) if "1 / 0" in t)

        trace = report.rule_errors[0].traceback
        assert f'rules_for_tests.py", line {raising}, in fragile' in trace

    def test_stop_iteration(self):
        """A StopIteration a rule lets out is the generator's RuntimeError on both."""

        @rule(
            code="TWN003",
            slug="twin-stop",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def stops(_engagement, ctx):
            yield ctx.finding("before")
            yield next(iter(()))

        twins, gens = both([clean("a")], as_of=AS_OF, rules=[stops])

        assert [(e.type, e.message) for e in twins.rule_errors] == [
            ("RuntimeError", "generator raised StopIteration")
        ]
        assert twins.findings == ()
        assert_same(twins, gens)

    def test_stray_values(self):
        """A bare ``yield`` or a stray value is reported alike on both paths."""

        @rule(
            code="TWN002",
            slug="twin-stray",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def stray(_engagement, ctx):
            yield ctx.finding("kept")
            yield
            yield "text"

        twins, gens = both([clean("a"), clean("b")], as_of=AS_OF, rules=[stray])

        assert [(e.type, e.engagement) for e in twins.rule_errors] == [
            ("TypeError", "a"),
            ("TypeError", "b"),
        ]
        assert [f.message for f in twins.findings] == ["kept", "kept"]
        assert_same(twins, gens)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(engagements=portfolios(max_size=3))
    def test_generated_engagements(self, engagements):
        """Any engagements give the same report through twins and generators."""
        twins, gens = both(
            engagements, as_of=dt.date(2026, 11, 22), rules=BUILTIN_RULES
        )

        assert_same(twins, gens)
