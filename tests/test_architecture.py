"""The package's import graph keeps its layers: data flows one way.

The graph is read from the source, imports inside functions included and
``if TYPE_CHECKING:`` blocks left out, so that it shows what runs. docs/architecture.md
explains the layers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"
PACKAGE = "outsourcekit"

#: Each module's layer, by the longest matching name prefix.
LAYER_OF = {
    "outsourcekit": "base",
    "outsourcekit._version": "base",
    "outsourcekit._suggest": "base",
    "outsourcekit._dates": "base",
    "outsourcekit._gc": "base",
    "outsourcekit._shorten": "base",
    "outsourcekit._sources": "base",
    "outsourcekit._descriptors": "base",
    "outsourcekit.hookspecs": "base",
    "outsourcekit.model": "model",
    "outsourcekit._source": "parse",
    "outsourcekit._convert": "parse",
    "outsourcekit._schema": "parse",
    "outsourcekit.examples": "parse",
    "outsourcekit._discover": "parse",
    "outsourcekit._jsonl": "parse",
    "outsourcekit.io": "io",
    "outsourcekit._imports": "io",
    "outsourcekit.engine": "engine",
    "outsourcekit.config": "config",
    "outsourcekit.plugins": "plugins",
    "outsourcekit.builtin": "builtin",
    "outsourcekit._api": "surface",
    "outsourcekit._history": "surface",
    "outsourcekit.notebook": "surface",
    "outsourcekit.exporters": "surface",
    "outsourcekit.importers": "surface",
    "outsourcekit.testing": "surface",
    "outsourcekit.dask": "surface",
    "outsourcekit._jobs": "surface",
    "outsourcekit.cli": "cli",
    "outsourcekit.__main__": "cli",
}

#: What each layer may import besides itself: data flows one way.
MAY_IMPORT = {
    "base": set(),
    "model": {"base"},
    "parse": {"base", "model"},
    "io": {"base", "model", "parse"},
    "engine": {"base", "model"},
    "config": {"base", "model", "parse", "io", "engine"},
    "plugins": {"base", "model", "engine"},
    "builtin": {"base", "model", "io", "engine", "config", "plugins"},
    "surface": {
        "base",
        "model",
        "parse",
        "io",
        "engine",
        "config",
        "plugins",
        "builtin",
    },
    "cli": {
        "base",
        "model",
        "parse",
        "io",
        "engine",
        "config",
        "plugins",
        "builtin",
        "surface",
    },
}


def _modules() -> dict[str, Path]:
    found = {}
    for file in (SRC / PACKAGE).rglob("*.py"):
        parts = list(file.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


MODULES = _modules()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def _targets(module: str, node: ast.Import | ast.ImportFrom, package: bool) -> set[str]:
    """Return the package's modules an import statement imports."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]
    out = set()
    for written in names:
        name = written
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith(PACKAGE):
            out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, file in MODULES.items():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, (ast.Import, ast.ImportFrom))
                and id(node) not in skipped
            ):
                edges |= _targets(module, node, file.name == "__init__.py")
        edges.discard(module)
        # A submodule's import of its own package's __init__ is how Python
        # imports it anyway; it is no edge of the design.
        graph[module] = {t for t in edges if not module.startswith(f"{t}.")}
    return graph


GRAPH = _graph()


def _layer(module: str) -> str:
    name = module
    while name not in LAYER_OF:
        name = name.rpartition(".")[0]
    return LAYER_OF[name]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return a cycle of the graph, if it has one, as the list of its modules."""
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return [sorted(set(error.args[1]))]
    return []


class TestImportGraph:
    def test_every_module_has_a_layer(self):
        """Each module of the package belongs to a layer named in the design."""
        top = {".".join(m.split(".")[:2]) for m in MODULES}

        assert [] == sorted(top - set(LAYER_OF))

    def test_no_cycles(self):
        """No module imports, even inside a function, one that imports it back."""
        assert [] == _cycles(GRAPH)

    def test_layers_import_downwards(self):
        """A module imports only its own layer and the layers below it."""
        wrong = sorted(
            f"{m} ({_layer(m)}) imports {t} ({_layer(t)})"
            for m, targets in GRAPH.items()
            for t in targets
            if _layer(t) != _layer(m) and _layer(t) not in MAY_IMPORT[_layer(m)]
        )

        assert [] == wrong

    def test_builtins_use_public_apis(self):
        """Built-in plugins import only what a third-party plugin could."""
        private = sorted(
            f"{m} imports {t}"
            for m, targets in GRAPH.items()
            if _layer(m) == "builtin"
            for t in targets
            if _layer(t) != "builtin"
            and any(part.startswith("_") for part in t.split("."))
        )

        assert [] == private

    def test_finds_cycles(self):
        """The cycle finder itself finds a cycle of three."""
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        assert [["a", "b", "c"]] == _cycles(graph)

    def test_sees_imports_inside_functions(self):
        """The graph holds imports made inside functions (the CLI loads when run)."""
        assert {"outsourcekit.cli"} == GRAPH["outsourcekit.__main__"]


@pytest.mark.parametrize(
    ("statement", "forbidden"),
    [
        (
            "import outsourcekit as ok; ok.from_dict({'id': 'a'})",
            ("outsourcekit.builtin", ".rules"),
        ),
        ("import outsourcekit.model", ("outsourcekit.notebook", "outsourcekit.io")),
        (
            "import outsourcekit.engine",
            (
                "outsourcekit.notebook",
                "outsourcekit.plugins",
                "outsourcekit.io",
                "outsourcekit.cli",
                "outsourcekit.builtin",
            ),
        ),
    ],
)
def test_imports_at_run_time(statement, forbidden):
    """What a statement imports at run time stays within its layers."""
    code = (
        f"import sys; {statement}; "
        "print('\\n'.join(m for m in sys.modules if m.startswith('outsourcekit')))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    loaded = result.stdout.split()
    assert [] == [m for m in loaded if any(f in m for f in forbidden)]
