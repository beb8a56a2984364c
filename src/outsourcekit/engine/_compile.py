"""Plain-function twins of generator rules: the same code, without a generator.

A rule is a generator function that yields findings, and the engine collects
them with ``list.extend``. Creating and exhausting a generator for every
engagement costs about three times a plain call, so for a rule whose function
only ever uses ``yield`` as a statement (``yield ctx.finding(...)``), the
engine runs a *twin*: the same function compiled from its own source, with each
``yield X`` statement turned into ``emit(X)``, a call of a callback passed as an
extra last argument (the output list's ``append``). The twin appends exactly
what the generator would have yielded, in the same order, and a rule that
raises leaves behind exactly the findings the generator had yielded.

A twin is made only when that is certain to be the same function:

* the function is a plain generator function (not async), without a closure,
  with two positional parameters and no ``*args``;
* its source is available, and compiling it unchanged gives the very code the
  function runs (so a file edited after the import, or code made at run time,
  is not compiled);
* every ``yield`` of its own body is a statement, not ``yield from`` and not a
  value (``x = yield ...``); nested functions and lambdas are left as they are;
* it names nothing through which it could see its own frame or local
  variables (``locals()``, ``vars()``, ``sys._getframe()``, ``inspect``'s frame
  functions, a traceback's frames), where the extra argument would show.

Otherwise, or if anything at all goes wrong, there is no twin and the
generator runs. Twins are compiled with the function's file name and line
numbers, so a rule's traceback points at its own lines. They are kept per
function (weakly) and remade when the function's code or defaults change.
"""

from __future__ import annotations
import __future__

import ast
import functools
import inspect
import linecache
import operator
import weakref
from collections.abc import Callable
from types import CodeType, FunctionType, ModuleType
from typing import Any

__all__ = ["COMPILE_AFTER", "Emit", "Twin", "plain_twin", "twin_for"]

#: The callback a twin hands each finding to (the output list's ``append``).
Emit = Callable[[Any], object]
#: A twin: the rule's function with the callback as a third argument.
Twin = Callable[[Any, Any, Emit], object]

_NOT_PLAIN = (
    inspect.CO_VARARGS
    | inspect.CO_COROUTINE
    | inspect.CO_ASYNC_GENERATOR
    | inspect.CO_ITERABLE_COROUTINE
)
#: A rule function's positional parameters: (engagement, ctx).
_ARGUMENTS = 2
#: The compiler flags of ``from __future__`` imports, which a twin keeps.
_FUTURE_FLAGS = functools.reduce(
    operator.or_,
    (getattr(__future__, name).compiler_flag for name in __future__.all_feature_names),
)

#: How many engagements a rule runs over in one process before its twin is
#: made. Compiling one costs about as much as running its generator over a few
#: thousand engagements, which a small check never makes up for.
COMPILE_AFTER = 4096

#: Per function: the code and defaults the twin was made from, and the twin
#: (None: the function has none).
_twins: weakref.WeakKeyDictionary[
    FunctionType, tuple[CodeType, object, object, Twin | None]
] = weakref.WeakKeyDictionary()
#: Per function without a twin yet: the engagements it has run over.
_runs: weakref.WeakKeyDictionary[FunctionType, int] = weakref.WeakKeyDictionary()


def twin_for(func: object, engagements: int) -> Twin | None:
    """Return the twin of *func* to run over *engagements* engagements, or None.

    The twin is made (see :func:`plain_twin`) once the function has been asked
    for over at least :data:`COMPILE_AFTER` engagements in this process, these
    included; until then, and when it has none, None: the generator runs.
    """
    if type(func) is not FunctionType or not inspect.isgeneratorfunction(func):
        return None
    if func not in _twins:
        runs = _runs.get(func, 0) + engagements
        if runs < COMPILE_AFTER:
            _runs[func] = runs
            return None
        _runs.pop(func, None)
    return plain_twin(func)


def plain_twin(func: object) -> Twin | None:
    """Return the plain-function twin of the rule function *func*, or None.

    None means the generator runs: *func* is no generator function, or not one
    that can be compiled to a twin safely (see the module's documentation).
    The twin is made once and kept while *func* lives, and made again when
    the function's code or defaults are replaced.
    """
    if type(func) is not FunctionType or not inspect.isgeneratorfunction(func):
        return None
    code, defaults, kwdefaults = func.__code__, func.__defaults__, func.__kwdefaults__
    made = _twins.get(func)
    if (
        made is not None
        and made[0] is code
        and made[1] is defaults
        and made[2] is kwdefaults
    ):
        return made[3]
    try:
        twin = _compile(func)
    except Exception:  # noqa: BLE001 - whatever fails, the generator runs
        twin = None
    _twins[func] = (code, defaults, kwdefaults, twin)
    return twin


def _compile(func: FunctionType) -> Twin | None:
    """Compile the twin of *func*, or return None when it cannot be made safely."""
    code = func.__code__
    if (
        code.co_freevars
        or code.co_flags & _NOT_PLAIN
        or code.co_argcount != _ARGUMENTS
        or func.__defaults__
        or _looks_at_itself(code)
    ):
        return None
    node = _source_node(func)
    if node is None:
        return None
    flags = code.co_flags & _FUTURE_FLAGS
    imported = _imported_names(func)
    same = _code_in(_module(node, imported), code, flags)
    if same is None or not _same_code(same, code):
        return None
    emit = _unused_name(code)
    node.body = _yields_to_calls(node.body, emit)
    node.args.args.append(ast.copy_location(ast.arg(arg=emit), node))
    twin_code = _code_in(_module(node, imported), code, flags)
    if twin_code is None or twin_code.co_flags & inspect.CO_GENERATOR:
        return None
    if hasattr(code, "co_qualname"):  # Python 3.11+
        twin_code = twin_code.replace(co_qualname=code.co_qualname)
    twin = FunctionType(twin_code, func.__globals__, func.__name__)
    twin.__kwdefaults__ = func.__kwdefaults__
    twin.__qualname__ = func.__qualname__
    twin.__doc__ = func.__doc__
    return twin


def _source_node(func: FunctionType) -> ast.FunctionDef | None:
    """Return the ``def`` of *func* parsed from its source, at its own lines."""
    code = func.__code__
    lines = linecache.getlines(code.co_filename, func.__globals__)
    first = code.co_firstlineno
    if not 0 < first <= len(lines):
        return None
    # The definition ends at the last line its code comes from (the closing
    # bracket of a call may follow: a few lines more are tried), else where
    # inspect's tokenizer says.
    last = _last_line(code)
    for end in range(last, min(last + 8, len(lines)) + 1):
        node = _parse_def(lines[first - 1 : end], first, code.co_name)
        if node is not None:
            return node
    try:
        found, first = inspect.getsourcelines(func)
    except (OSError, TypeError):
        return None
    return _parse_def(found, first, code.co_name)


def _last_line(code: CodeType) -> int:
    """Return the last line any instruction of *code* (or its nested code) spans."""
    last = code.co_firstlineno
    todo = [code]
    while todo:
        each = todo.pop()
        positions = getattr(each, "co_positions", None)
        if positions is not None:  # Python 3.11+: where each expression ends
            last = max([last, *(p[1] for p in positions() if p[1] is not None)])
        else:
            last = max([last, *(n for _, _, n in each.co_lines() if n is not None)])
        todo.extend(c for c in each.co_consts if isinstance(c, CodeType))
    return last


def _parse_def(lines: list[str], first: int, name: str) -> ast.FunctionDef | None:
    """Parse *lines*, the source of function *name* from line *first*; None if not."""
    text = "".join(lines)
    # Blank lines put the definition at its own line numbers; an indented one
    # (in a function or class) is parsed as the body of an `if`, which takes
    # any indentation.
    indented = text[:1].isspace()
    pad = "\n" * (first - 1 - indented)
    try:
        tree = ast.parse(pad + "if 1:\n" + text if indented else pad + text)
    except (SyntaxError, ValueError):
        return None
    body = tree.body
    if indented and body and isinstance(body[0], ast.If):
        body = body[0].body
    node = body[0] if len(body) == 1 else None
    if not isinstance(node, ast.FunctionDef) or node.name != name:
        return None
    return node


def _module(node: ast.FunctionDef, imported: list[str]) -> ast.Module:
    """Return a module made of the one ``def`` (its decorators kept: never run).

    It imports *imported* first: Python compiles a method call on a name bound
    by an import (``dt.timedelta(...)``) differently, and the names must be
    bound as in the function's own module for its code to come out the same.
    """
    imports: list[ast.stmt] = [
        ast.Import(names=[ast.alias(name=name)]) for name in imported
    ]
    for made in imports:
        ast.fix_missing_locations(ast.copy_location(made, node))
    return ast.Module(body=[*imports, node], type_ignores=[])


def _imported_names(func: FunctionType) -> list[str]:
    """Return the global names of *func* that its module most likely imported.

    Modules, and classes or functions of other modules. A guess wrong either
    way only makes the code compile differently, which :func:`_compile` sees.
    """
    names: set[str] = set()
    todo = [func.__code__]
    while todo:
        each = todo.pop()
        names.update(each.co_names)
        todo.extend(c for c in each.co_consts if isinstance(c, CodeType))
    found = func.__globals__
    own = func.__module__
    return sorted(
        name
        for name in names
        if name in found
        and (
            isinstance(found[name], ModuleType)
            or getattr(found[name], "__module__", own) != own
        )
    )


def _code_in(module: ast.Module, like: CodeType, flags: int) -> CodeType | None:
    """Compile *module* and return its function's code (named and placed as *like*)."""
    compiled = compile(module, like.co_filename, "exec", flags=flags, dont_inherit=True)
    for const in compiled.co_consts:
        if (
            isinstance(const, CodeType)
            and const.co_name == like.co_name
            and const.co_firstlineno == like.co_firstlineno
        ):
            return const
    return None


def _same_code(compiled: CodeType, original: CodeType) -> bool:
    """Whether *compiled* is the code of *original* (bytecode, constants, names).

    Only the flag marking a function defined inside another may differ: the
    source is compiled on its own.
    """
    nested = inspect.CO_NESTED
    if compiled.co_flags | nested != original.co_flags | nested:
        return False
    return compiled.replace(co_flags=original.co_flags) == original


#: Names through which a function can see its own frame or local variables,
#: where a twin differs from the generator (an extra argument, no generator).
_INTROSPECTION = frozenset(
    {
        "locals",
        "vars",
        "dir",
        "eval",
        "exec",
        "_getframe",
        "currentframe",
        "stack",
        "trace",
        "getframeinfo",
        "f_locals",
        "f_code",
        "f_back",
        "gi_frame",
        "tb_frame",
        "__traceback__",
        "exc_info",
    }
)


def _looks_at_itself(code: CodeType) -> bool:
    """Whether *code* (or code nested in it) names a way to see its own frame."""
    todo = [code]
    while todo:
        each = todo.pop()
        if not _INTROSPECTION.isdisjoint(each.co_names):
            return True
        todo.extend(c for c in each.co_consts if isinstance(c, CodeType))
    return False


def _unused_name(code: CodeType) -> str:
    """Return a parameter name that no name of *code* (nested code too) is."""
    used: set[str] = set()
    todo = [code]
    while todo:
        each = todo.pop()
        used.update(each.co_varnames, each.co_names, each.co_cellvars, each.co_freevars)
        todo.extend(c for c in each.co_consts if isinstance(c, CodeType))
    name = "_emit"
    while name in used:
        name += "_"
    return name


def _yields_to_calls(body: list[ast.stmt], emit: str) -> list[ast.stmt]:
    """Return *body* with each ``yield X`` statement turned into ``emit(X)``.

    Only statements are visited, down through compound statements but not into
    nested functions or classes (their own scopes): a ``yield`` anywhere else
    (used as a value, or ``yield from``) stays, and its function remains a
    generator, which :func:`_compile` refuses.
    """
    out: list[ast.stmt] = []
    for statement in body:
        value = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(value, ast.Yield):
            found = value.value
            if found is None:  # a bare `yield`: the generator yields None
                found = ast.copy_location(ast.Constant(value=None), value)
            callee = ast.copy_location(ast.Name(id=emit, ctx=ast.Load()), value)
            call = ast.Call(func=callee, args=[found], keywords=[])
            ast.copy_location(call, value)
            out.append(ast.copy_location(ast.Expr(value=call), statement))
            continue
        if not isinstance(statement, _OWN_SCOPES):
            _rewrite_blocks(statement, emit)
        out.append(statement)
    return out


def _rewrite_blocks(node: ast.AST, emit: str) -> None:
    """Rewrite the statement blocks inside a compound statement (see above)."""
    for field, value in ast.iter_fields(node):
        if not isinstance(value, list) or not value:
            continue
        if isinstance(value[0], ast.stmt):
            setattr(node, field, _yields_to_calls(value, emit))
        else:  # except handlers, match cases: each has a block
            for part in value:
                if isinstance(part, (ast.ExceptHandler, ast.match_case)):
                    part.body = _yields_to_calls(part.body, emit)


_OWN_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
