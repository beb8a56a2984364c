"""Configuration: which rules run, at which severity, with which options.

:class:`Config` is data. Reading it from files (``outsourcekit.toml``,
``pyproject.toml``, a central waiver file) is :mod:`outsourcekit.config`'s work.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from outsourcekit._shorten import describe_value, short_repr
from outsourcekit._suggest import suggest

from . import _deprecated
from ._errors import ConfigError, kind_of
from ._rule import Rule, Severity, rules_named
from ._waivers import CentralWaiver

__all__ = ["FAIL_ON", "Config", "ConfigError", "Plan", "RulePlan"]

#: The levels ``fail-on`` accepts, from the strictest.
FAIL_ON = ("info", "warning", "error", "never")
_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "severity",
    "rules",
    "waivers",
    "paths",
    "exclude",
    "import-root",
)
_NAMES_EXPECTED = "must be a list of rule codes, prefixes, categories or slugs"
_GLOBS_EXPECTED = 'must be a list of globs, like "drafts" or "archive/*.yaml"'
_PATHS_EXPECTED = "must be a list of files or folders"
_NAME_EXPECTED = "must be a rule code, code prefix, category or slug"
_GLOB_EXPECTED = 'must be a glob, like "drafts" or "archive/*.yaml"'
_PATH_EXPECTED = "must be a file or folder"
_SEVERITIES_EXPECTED = "must be a table of rule = severity"
_RULES_EXPECTED = "must be a table of rule tables"
_MERGE_KEYS = (
    "select",
    "extend_select",
    "ignore",
    "fail_on",
    "severity",
    "rules",
    "waivers",
    "paths",
    "exclude",
)


def _names(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Return the names *value* gives; a value of another kind is left for refusal."""
    given: object = value  # callers without type checks pass anything
    if given is None:
        return None
    if isinstance(given, str):
        return (given,)
    if isinstance(given, Iterable) and not isinstance(given, Mapping):
        return tuple(given)
    return given  # type: ignore[return-value] # refused by the validator


def _names_or_empty(value: str | Iterable[str] | None) -> tuple[str, ...]:
    return () if value is None else _names(value)  # type: ignore[return-value]


def _key(attribute: attrs.Attribute[Any]) -> str:
    """Return the key of a field as files write it: ``extend-select``."""
    return attribute.name.replace("_", "-")


def _check_names(inst: Config, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "select":
        return
    if not isinstance(value, tuple):
        msg = f"{_NAMES_EXPECTED} (got {value!r})"
        raise ConfigError(msg, source=inst.source, key=_key(attribute))
    for item in value:
        if not isinstance(item, str) or not item:
            msg = f"{_NAMES_EXPECTED} (got {item!r})"
            raise ConfigError(msg, source=inst.source, key=_key(attribute))


def _check_globs(inst: Config, attribute: attrs.Attribute[Any], value: object) -> None:
    items = value if isinstance(value, tuple) else (value,)
    for item in items:
        if not isinstance(item, str) or not item:
            msg = f"{_GLOBS_EXPECTED} (got {item!r})"
            raise ConfigError(msg, source=inst.source, key=_key(attribute))


def _check_fail_on(
    inst: Config, _attribute: attrs.Attribute[Any], value: object
) -> None:
    if value not in FAIL_ON:
        raise ConfigError(
            f"must be one of {', '.join(FAIL_ON)} (got {short_repr(value)})",
            source=inst.source,
            key="fail-on",
            suggestion=fail_on_meant(value),
        )


#: Words for "fail on nothing", which their spelling would suggest otherwise of.
_NEVER: Final = frozenset({"no", "none", "off", "false", "0", "nothing"})


def fail_on_meant(value: object) -> str | None:
    """Return the ``fail-on`` level *value* probably meant, None if none is close.

    A word for "fail on nothing" (``no``, ``off``, ``false``) means ``never``,
    though its spelling is closer to another level.
    """
    text = str(value).strip().casefold()
    if value is False or (isinstance(value, str) and text in _NEVER):
        return "never"
    return suggest(text, FAIL_ON)


def _severities(value: Mapping[str, str | Severity] | None) -> dict[str, Severity]:
    given: object = value  # callers without type checks pass anything
    if given is not None and not isinstance(given, Mapping):
        msg = f"{_SEVERITIES_EXPECTED} (got {given!r})"
        raise ConfigError(msg, key="severity")
    return _severity_table(value or {}, _plain_error)


def _plain_error(problem: str, key: str, suggestion: str | None = None) -> ConfigError:
    return ConfigError(problem, key=key, suggestion=suggestion)


def _options(value: Mapping[str, object] | None) -> dict[str, dict[str, Any]]:
    given: object = value  # callers without type checks pass anything
    if given is not None and not isinstance(given, Mapping):
        msg = f"{_RULES_EXPECTED} (got {given!r})"
        raise ConfigError(msg, key="rules")
    out: dict[str, dict[str, Any]] = {}
    for name, options in (value or {}).items():
        if not isinstance(options, Mapping):
            msg = f"must be a table of options (got {options!r})"
            raise ConfigError(msg, key=f"rules.{name}")
        # Names as a file's are read: as text (a name no rule has is refused
        # when the check resolves it).
        out[str(name)] = {str(option): v for option, v in options.items()}
    return out


def _one_path(value: object, key: str, expected: str) -> Path | None:
    """Return the path of the setting *key* (or None), refusing any other value."""
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)) or not os.fspath(value):
        raise ConfigError(f"{expected} (got {value!r})", key=key)
    if "\0" in os.fspath(value):
        msg = f"{expected}, which holds no NUL character (got {value!r})"
        raise ConfigError(msg, key=key)
    return Path(value)


def _waivers_path(value: str | os.PathLike[str] | None) -> Path | None:
    return _one_path(value, "waivers", "must be the path of a waiver file")


def _import_root(value: str | os.PathLike[str] | None) -> Path | None:
    return _one_path(value, "import-root", "must be the path of a folder")


def _paths(
    value: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
) -> tuple[Path, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        value = (value,)
    given: object = value  # callers without type checks pass anything
    if not isinstance(given, Iterable) or isinstance(given, Mapping):
        raise ConfigError(f"{_PATHS_EXPECTED} (got {given!r})", key="paths")
    items = tuple(given)
    for item in items:
        if not isinstance(item, (str, os.PathLike)) or not os.fspath(item):
            raise ConfigError(f"{_PATHS_EXPECTED} (got {item!r})", key="paths")
        if "\0" in os.fspath(item):
            msg = f"{_PATHS_EXPECTED}, which hold no NUL character (got {item!r})"
            raise ConfigError(msg, key="paths")
    return tuple(Path(v) for v in items)


def _entries(
    value: Iterable[CentralWaiver] | None,
) -> tuple[CentralWaiver, ...] | None:
    given: object = value  # callers without type checks pass anything
    if given is None:
        return None
    if not isinstance(given, Iterable):
        msg = f"must hold CentralWaiver entries (got {given!r})"
        raise ConfigError(msg, key="central_waivers")
    return tuple(given)


def _check_entries(
    _inst: Config,
    _attribute: attrs.Attribute[Any],
    value: tuple[object, ...] | None,
) -> None:
    for index, entry in enumerate(value or ()):
        if not isinstance(entry, CentralWaiver):
            kind = type(entry).__name__
            msg = f"must hold CentralWaiver entries (got {entry!r} that is a {kind})"
            raise ConfigError(msg, key=f"central_waivers[{index}]")


def _plain_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@attrs.frozen(kw_only=True)
class Config:
    """What to check and how: rule selection, severities, options and waivers.

    ``select`` and ``ignore`` name rules by code (``OSK601``), code prefix
    (``OSK6``), category (``confidentiality``) or slug (``missing-nda``);
    ``select=None`` selects every rule; ``extend_select`` adds to the selection.
    ``paths`` are what ``outsourcekit check`` reads when given none, and
    ``exclude`` globs of files and folders never read while walking a
    directory (both relative to the configuration's folder). ``severity``
    overrides rules' severities and ``rules`` sets rule options, both keyed by
    code or slug. ``waivers`` is
    the path of a central waiver file and ``central_waivers`` its entries once
    read (None: not read); :func:`outsourcekit.config.read_config` and
    :func:`outsourcekit.config.with_waivers` read it. Names, the central
    waivers' rules included, are checked against the rules when a check runs.
    """

    select: tuple[str, ...] | None = attrs.field(
        default=None, converter=_names, validator=_check_names
    )
    ignore: tuple[str, ...] = attrs.field(
        default=(), converter=_names_or_empty, validator=_check_names
    )
    #: Rules added to the default or configured selection (as in ruff).
    extend_select: tuple[str, ...] = attrs.field(
        default=(), converter=_names_or_empty, validator=_check_names
    )
    #: What ``outsourcekit check`` reads when given no path (files or folders).
    paths: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    #: Globs of files and folders never read while walking a directory.
    exclude: tuple[str, ...] = attrs.field(
        default=(), converter=_names_or_empty, validator=_check_globs
    )
    fail_on: str = attrs.field(default="error", validator=_check_fail_on)
    severity: Mapping[str, Severity] = attrs.field(factory=dict, converter=_severities)
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict, converter=_options
    )
    waivers: Path | None = attrs.field(default=None, converter=_waivers_path)
    #: The folder below which an engagement's ``imports:`` may name files,
    #: besides the engagement file's own folder (relative to the configuration).
    import_root: Path | None = attrs.field(default=None, converter=_import_root)
    central_waivers: tuple[CentralWaiver, ...] | None = attrs.field(
        default=None, converter=_entries, validator=_check_entries
    )
    #: The file this configuration came from, for messages.
    source: str | None = attrs.field(default=None, eq=False)
    #: The dotted prefix of its keys in that file (``tool.outsourcekit.``).
    key_prefix: str = attrs.field(default="", eq=False, repr=False)
    #: The line of each key and list item in that file, by the dotted key that
    #: messages name (``tool.outsourcekit.select[1]``), for messages.
    lines: Mapping[str, int] = attrs.field(
        factory=dict, converter=_plain_mapping, eq=False, repr=False
    )
    #: The settings given as command-line flags, with their flag
    #: (``{"select": "--select"}``): their problems are the flag's.
    flags: Mapping[str, str] = attrs.field(
        factory=dict, converter=_plain_mapping, eq=False, repr=False
    )
    #: The :meth:`merge` that set each ``severity`` and ``rules`` entry (1 for
    #: the first, absent for the configuration's own), by dotted key
    #: (``severity.no-pm-tool``): a later merge's entry wins over an earlier
    #: one naming the same rule the other way, by code or by slug.
    layers: Mapping[str, int] = attrs.field(
        factory=dict, converter=_plain_mapping, eq=False, repr=False
    )

    # -- reading ----------------------------------------------------------------

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, Any],
        *,
        source: str | os.PathLike[str] | None = None,
        root: str | os.PathLike[str] | None = None,
        key_prefix: str = "",
        lines: Mapping[str, int] | None = None,
    ) -> Config:
        """Build a configuration from file data with kebab-case keys (``fail-on``).

        A relative ``waivers`` path is taken from *root*, by default the folder of
        *source*; the waiver file is not read here. *lines* gives the line of
        each key in *source* by its dotted key, *key_prefix* included, as
        :func:`outsourcekit.config.read_config` finds them. Unknown keys and
        wrong types raise :class:`ConfigError` naming *source*, the line, the key
        and the closest known key.
        """
        src = None if source is None else str(source)
        where = dict(lines or {})

        def fail(problem: str, key: str, suggestion: str | None = None) -> ConfigError:
            full = key_prefix + key
            return ConfigError(
                problem,
                source=src,
                key=full,
                suggestion=suggestion,
                line=_line_of(where, full),
            )

        given: object = mapping  # callers without type checks pass anything
        if not isinstance(given, Mapping):
            msg = f"the configuration must be a mapping of keys, got {kind_of(given)}"
            raise ConfigError(msg, source=src, line=_line_of(where, key_prefix))
        base = Path(root) if root is not None else _folder(src)
        kwargs: dict[str, Any] = {}
        for key, value in mapping.items():
            if key not in _READERS:
                problem = f"unknown key {key!r}"
                suggestion = suggest(str(key), _KEYS)
                if suggestion is None and isinstance(value, Mapping):
                    # Some tools' sections sit beside their settings; ours in `rules`.
                    table = f"{key_prefix}rules.{key}"
                    # Which rules there are is known only once they are chosen.
                    problem += (
                        f": if it holds a rule's options, they are set under {table}"
                    )
                raise fail(problem, str(key), suggestion)
            field, reader = _READERS[key]
            kwargs[field] = reader(value, fail, key, base)
        return cls(**kwargs, source=src, key_prefix=key_prefix, lines=where)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Config:
        """Read a configuration file (deprecated).

        Deprecated: use :func:`outsourcekit.config.read_config`, which this calls.
        """
        return _deprecated.config_from_file(path)

    @classmethod
    def discover(cls, start_dir: str | os.PathLike[str] | None = None) -> Config:
        """Find the configuration for *start_dir* (deprecated).

        Deprecated: use :func:`outsourcekit.config.find_config`, which this calls.
        """
        return _deprecated.config_discover(start_dir)

    def merge(self, **overrides: Any) -> Config:
        """Return this configuration with *overrides* (as the command line gives them).

        ``select``, ``extend_select``, ``ignore``, ``fail_on``, ``waivers``,
        ``paths`` and ``exclude`` replace the file's;
        ``severity`` and ``rules`` are merged into it (rule by rule, option by
        option, whether the override names a rule by code and the file by slug
        or the other way round). An override of None means "not given" and
        changes nothing.
        """
        unknown = sorted(set(overrides) - set(_MERGE_KEYS))
        if unknown:
            best = suggest(unknown[0], _MERGE_KEYS)
            hint = "" if best is None else f" (did you mean {best!r}?)"
            msg = f"Config.merge() got an unknown setting {unknown[0]!r}{hint}"
            raise TypeError(msg)
        changes = {k: v for k, v in overrides.items() if v is not None}
        if "waivers" in changes:
            changes["central_waivers"] = None
        changes["lines"] = _drop_lines(self, changes)
        changes["flags"] = {
            k: v for k, v in self.flags.items() if k.replace("-", "_") not in changes
        }
        layer = max(self.layers.values(), default=0) + 1
        layers = dict(self.layers)
        if "severity" in changes:
            given = _severities(changes["severity"])
            layers.update(dict.fromkeys((f"severity.{n}" for n in given), layer))
            changes["severity"] = {**self.severity, **given}
        if "rules" in changes:
            merged = {k: dict(v) for k, v in self.rules.items()}
            given_options = _options(changes["rules"])
            layers.update(dict.fromkeys((f"rules.{n}" for n in given_options), layer))
            for name, options in given_options.items():
                # An option replaces the file's however either spells it.
                spelt = {_option_key(o) for o in options}
                kept = {
                    o: v
                    for o, v in merged.get(name, {}).items()
                    if _option_key(o) not in spelt
                }
                merged[name] = {**kept, **options}
            changes["rules"] = merged
        changes["layers"] = layers
        return attrs.evolve(self, **changes)

    # -- resolving against the rules -------------------------------------------

    def load_waivers(self) -> tuple[CentralWaiver, ...]:
        """Return the central waivers, reading the file if need be (deprecated).

        Deprecated: the entries are ``central_waivers`` once read;
        :func:`outsourcekit.config.read_waivers` reads a waiver file.
        """
        return _deprecated.load_waivers(self)

    def resolve(self, rules: Iterable[Rule]) -> Plan:
        """Decide once per run which *rules* run, at what severity, with what options.

        The plan also holds the central waivers. Raise :class:`ConfigError` for
        a name no rule has (with the closest one), a central waiver naming no
        rule, a rule named twice (by code and by slug), an unknown option or a
        value of the wrong type.
        """
        return _Resolver(self, tuple(rules)).plan()

    def _error(
        self,
        problem: str,
        key: str,
        suggestion: str | None = None,
        *,
        at: str | None = None,
    ) -> ConfigError:
        """Return the error about *key*, located at *at* (default: *key*).

        A setting given as a command-line flag is the flag's problem; one read
        from a file is the file's, at the line the key (or list item) is on.
        """
        flag = self.flags.get(_setting(key))
        if flag is not None:
            return ConfigError(problem, key=key, flag=flag, suggestion=suggestion)
        return ConfigError(
            problem,
            source=self.source,
            key=self.key_prefix + key,
            suggestion=suggestion,
            line=_line_of(self.lines, self.key_prefix + (at or key)),
        )


def _option_key(name: object) -> str:
    """Return an option's name with ``-`` and ``_`` alike, as rules read it."""
    return str(name).replace("_", "-")


_STEP = re.compile(r"(?:\.[^.\[]*|\[[^\]]*\])\Z")


def _setting(key: str) -> str:
    """Return the setting a dotted key is under: ``rules`` for ``rules.x.y``."""
    return re.split(r"[.\[]", key, maxsplit=1)[0]


def _line_of(lines: Mapping[str, int], key: str) -> int | None:
    """Return the line of *key* in *lines*, else of its nearest parent key.

    ``rules.micromanagement.max-per-week`` falls back to ``rules.micromanagement``
    and ``rules``; ``select[1]`` to ``select``.
    """
    while key:
        line = lines.get(key)
        if line is not None:
            return line
        shorter = _STEP.sub("", key)
        if shorter == key:
            return None
        key = shorter
    return None


def _drop_lines(config: Config, changes: Mapping[str, Any]) -> dict[str, int]:
    """Return the lines of *config* that still hold after *changes* (from Python).

    A replaced setting loses the lines of all its keys; a merged table
    (``severity``, ``rules``) those of the rules it names.
    """
    gone: list[str] = []
    for field, value in changes.items():
        name = field.replace("_", "-")
        if field in {"severity", "rules"}:
            gone.extend(f"{name}.{rule}" for rule in value)
        else:
            gone.append(name)
    prefixes = [config.key_prefix + g for g in gone]
    return {
        key: line
        for key, line in config.lines.items()
        if not any(key == p or key.startswith((f"{p}.", f"{p}[")) for p in prefixes)
    }


def _folder(source: str | None) -> Path | None:
    return None if source is None else Path(source).parent


Fail = Callable[..., ConfigError]
_SEVERITY_WORDS = tuple(s.value for s in Severity)


def _read_texts(
    value: object, fail: Fail, key: str, expected: str, item_expected: str
) -> tuple[str, ...]:
    """Return the texts of a list setting (or of one text), refusing anything else.

    A wrong item is refused at its own key and line (``select[1]``), naming
    the item, not the whole list.
    """
    if isinstance(value, str) and value:
        return (value,)
    if not isinstance(value, list):
        raise fail(f"{expected} (got {describe_value(value)})", key)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item:
            msg = f"{item_expected} (got {describe_value(item)})"
            raise fail(msg, f"{key}[{index}]")
    return tuple(value)


def _read_names(
    value: object, fail: Fail, key: str, _base: Path | None
) -> tuple[str, ...]:
    return _read_texts(value, fail, key, _NAMES_EXPECTED, _NAME_EXPECTED)


def _read_paths(
    value: object, fail: Fail, key: str, base: Path | None
) -> tuple[Path, ...]:
    items = _read_texts(value, fail, key, _PATHS_EXPECTED, _PATH_EXPECTED)
    for index, item in enumerate(items):
        if "\0" in item:  # no file has such a name: refused before it is looked for
            shown = describe_value(item)
            msg = f"{_PATH_EXPECTED}, which holds no NUL character (got {shown})"
            raise fail(msg, key if isinstance(value, str) else f"{key}[{index}]")
    return tuple(base / v if base is not None else Path(v) for v in items)


def _read_globs(
    value: object, fail: Fail, key: str, _base: Path | None
) -> tuple[str, ...]:
    return _read_texts(value, fail, key, _GLOBS_EXPECTED, _GLOB_EXPECTED)


def _read_fail_on(value: object, fail: Fail, key: str, _base: Path | None) -> str:
    if not isinstance(value, str) or value not in FAIL_ON:
        raise fail(
            f"must be one of {', '.join(FAIL_ON)} (got {describe_value(value)})",
            key,
            fail_on_meant(value),
        )
    return value


def _read_waivers(value: object, fail: Fail, key: str, base: Path | None) -> Path:
    return _read_path(value, fail, key, base, "must be the path of a waiver file")


def _read_import_root(value: object, fail: Fail, key: str, base: Path | None) -> Path:
    return _read_path(value, fail, key, base, "must be the path of a folder")


def _read_path(
    value: object, fail: Fail, key: str, base: Path | None, expected: str
) -> Path:
    """Return the path *value* of the setting *key*, below *base* if relative."""
    if not isinstance(value, str) or not value:
        msg = f"{expected} (got {describe_value(value)})"
        raise fail(msg, key)
    if "\0" in value:
        msg = f"{expected}, which holds no NUL character (got {describe_value(value)})"
        raise fail(msg, key)
    return base / value if base is not None else Path(value)


def _read_severity(
    value: object, fail: Fail, key: str, _base: Path | None
) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        msg = f"{_SEVERITIES_EXPECTED} (got {describe_value(value)})"
        raise fail(msg, key)
    return _severity_table(value, fail)


def _severity_table(value: Mapping[Any, object], fail: Fail) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for name, level in value.items():
        if isinstance(level, Severity):
            out[str(name)] = level
        elif isinstance(level, str) and level in _SEVERITY_WORDS:
            out[str(name)] = Severity(level)
        else:
            raise fail(
                f"must be one of error, warning, info (got {describe_value(level)})",
                f"severity.{name}",
                suggest(str(level), _SEVERITY_WORDS),
            )
    return out


def _read_rules(
    value: object, fail: Fail, key: str, _base: Path | None
) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        msg = f"{_RULES_EXPECTED} (got {describe_value(value)})"
        raise fail(msg, key)
    out: dict[str, dict[str, Any]] = {}
    for name, options in value.items():
        if not isinstance(options, Mapping):
            msg = f"must be a table of options (got {describe_value(options)})"
            raise fail(msg, f"rules.{name}")
        out[str(name)] = dict(options)
    return out


_READERS: dict[str, tuple[str, Callable[..., Any]]] = {
    "select": ("select", _read_names),
    "extend-select": ("extend_select", _read_names),
    "paths": ("paths", _read_paths),
    "exclude": ("exclude", _read_globs),
    "ignore": ("ignore", _read_names),
    "fail-on": ("fail_on", _read_fail_on),
    "severity": ("severity", _read_severity),
    "rules": ("rules", _read_rules),
    "waivers": ("waivers", _read_waivers),
    "import-root": ("import_root", _read_import_root),
}


@attrs.frozen(kw_only=True)
class RulePlan:
    """One selected rule as it runs: its severity and its validated options.

    ``configured`` says the severity was set in the configuration, so that every
    finding of the rule has it, even one the rule raised above its default.
    """

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]
    configured: bool = False


@attrs.frozen(kw_only=True)
class Plan:
    """What one run does, resolved from configuration and rules once per run.

    ``rules`` are the selected rules ordered by code; ``names`` are the codes and
    slugs of the selected rules (for :meth:`Context.is_selected`); ``waivers``
    the central waivers, each naming a known rule.
    """

    rules: tuple[RulePlan, ...]
    names: frozenset[str]
    waivers: tuple[CentralWaiver, ...] = ()

    def is_selected(self, name: str) -> bool:
        """Whether the rule with this code or slug runs."""
        return name in self.names or name.upper() in self.names


class _Resolver:
    """Matches configuration names against one run's rules."""

    def __init__(self, config: Config, rules: Sequence[Rule]) -> None:
        self.config = config
        self.rules = tuple(sorted(rules, key=lambda r: r.code))
        self.by_name: dict[str, Rule] = {}
        for r in self.rules:
            for name in (r.code, r.slug):
                other = self.by_name.get(name)
                if other is not None and other is not r:
                    msg = (
                        f"two rules are named {name!r}: {_label(other)} and {_label(r)}"
                    )
                    raise ValueError(msg)
                self.by_name[name] = r
        self.categories = {r.category for r in self.rules}

    def plan(self) -> Plan:
        chosen = self._selected()
        severity = self._by_rule(self.config.severity, "severity")
        options = self._by_rule(self.config.rules, "rules")
        validated = {
            code: self._options(code, tables) for code, tables in options.tables.items()
        }
        plans = tuple(
            RulePlan(
                rule=r,
                severity=severity.values.get(r.code, r.severity),
                # A copy for this run: a rule that changes a list it was given
                # changes it for this check alone.
                options=copy.deepcopy({**r.defaults, **validated.get(r.code, {})}),
                configured=r.code in severity.values,
            )
            for r in self.rules
            if r.code in chosen
        )
        names = frozenset(n for p in plans for n in (p.rule.code, p.rule.slug))
        return Plan(rules=plans, names=names, waivers=self._waivers())

    def _waivers(self) -> tuple[CentralWaiver, ...]:
        """Return the central waivers, each checked to name a known rule."""
        config = self.config
        entries = config.central_waivers
        if entries is None and config.waivers is not None:
            raise ConfigError(
                f"the central waiver file {os.fspath(config.waivers)!r} is not read: "
                "the engine reads no files; read the configuration with "
                "outsourcekit.config.read_config() or with_waivers(), or check "
                "with outsourcekit.check()",
                key="waivers",
            )
        entries = () if entries is None else entries
        for index, entry in enumerate(entries):
            name = entry.waiver.rule
            if name in self.by_name or name.upper() in self.by_name:
                continue
            problem, suggestion = self._no_rule(name)
            raise ConfigError(
                problem,
                source=entry.source,
                key=entry.key or f"central_waivers[{index}].rule",
                line=entry.line,
                suggestion=suggestion,
            )
        return entries

    def _no_rule(self, name: str) -> tuple[str, str | None]:
        """Return the problem of *name*, where one rule is asked for, and a suggestion.

        A code prefix or a category names its rules rather than suggest the
        closest code, as the others are meant too.
        """
        problem = f"no rule has the code or slug {short_repr(name)}"
        several = rules_named(name, self.rules)
        if several is None:
            return problem, suggest(name, self.by_name)
        return f"{problem}: it is {several}; name each rule by its code or slug", None

    def _match(self, selector: str, key: str) -> set[str]:
        if selector in self.by_name:
            return {self.by_name[selector].code}
        if selector in self.categories:
            return {r.code for r in self.rules if r.category == selector}
        upper = selector.upper()
        found = {r.code for r in self.rules if r.code.startswith(upper)}
        if found:
            return found
        choices = [*self.by_name, *self.categories]
        given = {
            "select": self.config.select or (),
            "extend-select": self.config.extend_select,
        }.get(key, self.config.ignore)
        shown = short_repr(selector)
        problem = f"no rule has the code, code prefix, category or slug {shown}"
        suggestion = suggest(selector, choices)
        # A file's item is one name: the flags' commas and spaces do not apply.
        names = [part.strip() for part in selector.split(",") if part.strip()]
        if len(names) > 1:
            listed = ", ".join(f'"{name}"' for name in names)
            problem += f": each item names one; write [{listed}]"
            suggestion = None
        elif names and names[0] != selector:
            left = " and ".join(
                what
                for what, there in (
                    ("the comma", "," in selector),
                    ("spaces", selector.replace(",", "") != names[0]),
                )
                if there
            )
            problem += f': write it without {left}, "{names[0]}"'
            suggestion = None
        raise self.config._error(  # noqa: SLF001 - the config reports its own errors
            problem,
            key,
            suggestion,
            at=f"{key}[{given.index(selector)}]" if selector in given else None,
        )

    def _selected(self) -> set[str]:
        """Return the codes of the rules that run.

        ``ignore`` wins over ``select`` and ``extend-select``. Command-line
        flags win over the file's settings, as ruff's do: with ``--select``,
        the file's ``extend-select`` and ``ignore`` do not apply, and the rules
        ``--extend-select`` names run even when the file's ``ignore`` names
        them. The file's names are checked all the same.
        """
        config = self.config
        flags = config.flags
        select = config.select
        if select is None:
            chosen = {r.code for r in self.rules}
        else:
            chosen = set()
            for selector in select:
                chosen |= self._match(selector, "select")
        extended: set[str] = set()
        for selector in config.extend_select:
            extended |= self._match(selector, "extend-select")
        ignored: set[str] = set()
        for selector in config.ignore:
            ignored |= self._match(selector, "ignore")
        if "select" in flags:  # the whole selection: the file's changes go
            if "extend-select" not in flags:
                extended = set()
            if "ignore" not in flags:
                ignored = set()
        if "extend-select" in flags and "ignore" not in flags:
            return (chosen - ignored) | extended
        return (chosen | extended) - ignored

    def _by_rule(self, table: Mapping[str, Any], key: str) -> _ByRule:
        """Return the entries of *table* (``severity`` or ``rules``) by rule code.

        A rule named both by code and by slug is an error, unless a later
        :meth:`Config.merge` gave one of the names: then its entry wins (for
        ``rules``, option by option).
        """
        values: dict[str, Any] = {}
        used: dict[str, str] = {}
        tables: dict[str, list[tuple[str, Any]]] = {}
        layers = self.config.layers
        for name, value in table.items():
            r = self.by_name.get(name) or self.by_name.get(name.upper())
            if r is None:
                problem, suggestion = self._no_rule(name)
                raise self.config._error(problem, f"{key}.{name}", suggestion)  # noqa: SLF001
            earlier = used.get(r.code)
            if earlier is not None:
                layer = layers.get(f"{key}.{name}", 0)
                if layer == layers.get(f"{key}.{earlier}", 0):
                    msg = (
                        f"names rule {r.code} twice, as {earlier!r} and as "
                        f"{name!r}; use one of them"
                    )
                    raise self.config._error(msg, f"{key}.{name}")  # noqa: SLF001
                if layer < layers.get(f"{key}.{earlier}", 0):
                    tables[r.code].insert(0, (name, value))
                    continue
            used[r.code] = name
            values[r.code] = value
            tables.setdefault(r.code, []).append((name, value))
        return _ByRule(values=values, tables=tables)

    def _options(
        self, code: str, tables: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> dict[str, Any]:
        """Return the validated options of rule *code*, from its *tables*.

        *tables* are the rule's option tables with the name each gives the
        rule, earliest first: a later table's option replaces an earlier's.
        """
        r = self.by_name[code]
        raw: list[tuple[str, str, Any]] = []
        for index, (name, options) in enumerate(tables):
            later = {_option_key(o) for _, table in tables[index + 1 :] for o in table}
            raw += [
                (name, option, value)
                for option, value in options.items()
                if _option_key(option) not in later
            ]
        out: dict[str, Any] = {}
        given: dict[str, str] = {}  # the spelling each option was given in
        for name, option, value in raw:
            own = r.option_name(option)
            key = f"rules.{name}.{option}"
            if own is not None and own in given:
                msg = (
                    f"names option {own.replace('_', '-')!r} of rule {r.code} twice, "
                    f"as {given[own]!r} and as {option!r}; use one of them"
                )
                raise self.config._error(msg, key)  # noqa: SLF001
            if own is None:
                known = sorted(o.replace("_", "-") for o in r.options)
                listed = ", ".join(known) or "none"
                problem = (
                    f"rule {r.code} ({r.slug}) has no option {option!r} "
                    f"(options: {listed})"
                )
                if option == "severity":
                    table = f"{self.config.key_prefix}severity.{name}"
                    problem += f"; a rule's severity is set under {table}"
                raise self.config._error(  # noqa: SLF001
                    problem, key, suggest(option.replace("_", "-"), known)
                )
            given[own] = option
            try:
                out[own] = r.options[own].validate(option, value)
            except ValueError as exc:
                problem = str(exc)
                if self.config.source is not None:
                    problem = _as_written(problem, value)
                raise self.config._error(problem, key) from None  # noqa: SLF001
        return out


def _as_written(problem: str, value: object) -> str:
    """Return an option's *problem* with a null or boolean *value* as files write it.

    A rule shows the value it refuses as Python does (``got None that is
    null``); a file's reader knows it as ``null``, ``true`` or ``false``.
    """
    if value is not None and not isinstance(value, bool):
        return problem
    return re.sub(
        rf"\(got {value!r} that is [^;)]*",
        lambda _: f"(got {describe_value(value)}",
        problem,
        count=1,
    )


@attrs.frozen
class _ByRule:
    values: dict[str, Any]
    #: Each rule's entries with the name each gives it, earliest first.
    tables: dict[str, list[tuple[str, Any]]]


def _label(r: Rule) -> str:
    return f"{r.code} ({r.slug}) from {r.plugin or 'the rules given'}"
