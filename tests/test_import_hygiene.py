"""The folders are the layers: imports point down, never in a loop, and modules stay small.

Every module of ``tuipad.core`` and ``tuipad.store`` is found with :mod:`pkgutil`
(not listed by hand) and imported in a fresh interpreter: none may pull in
Textual or rich, nor scikit-learn before a model is needed.  The import graph is
read with :mod:`ast` from every ``import`` and ``from`` statement inside
``tuipad/``, top-level and inside functions alike, leaving out ``TYPE_CHECKING``
blocks (annotations only).
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tuipad

PACKAGE = Path(tuipad.__file__).parent

MAX_LINES = 400
"""No module may grow past this many lines."""

LAYERS = {
    "tuipad.data": 0,
    "tuipad.core": 0,
    "tuipad.store": 1,
    "tuipad.export": 2,
    "tuipad.services": 3,
    "tuipad.background": 3,
    "tuipad.cli": 4,
    "tuipad.ui": 4,
    "tuipad.__main__": 5,
    "tuipad": 5,
}
"""Each module's layer, by its longest matching prefix.  The services export
models through :mod:`tuipad.export`, which needs only the core and the store, so
export sits under the services."""


def _modules(package: str) -> list[str]:
    """Every module of a package, found on disk."""
    root = __import__(package, fromlist=["_"])
    found = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        found.append(info.name)
    return sorted(found)


CORE_AND_STORE = _modules("tuipad.core") + _modules("tuipad.store")


SKLEARN_AT_IMPORT = {
    "tuipad.core.features": "defines the pipeline's scikit-learn transformer, so it subclasses"
    " scikit-learn's base classes; only building or unpickling a model imports it",
    "tuipad.core.calibration": "defines the shipped SVC's estimator, for the same reason",
    "tuipad.core.grid_path": "defines the default model's estimator, for the same reason",
}
"""Core modules that must import scikit-learn when they are imported, and why."""


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


@pytest.mark.parametrize("module", CORE_AND_STORE)
def test_core_and_store_import_neither_textual_rich_nor_scikit_learn(module: str) -> None:
    loaded = _loaded_after_import(module)
    assert not loaded & {"textual", "rich"}
    if module not in SKLEARN_AT_IMPORT:
        assert "sklearn" not in loaded


@pytest.mark.parametrize("module", ["tuipad", "tuipad.cli.main"])
def test_the_public_api_and_the_cli_load_scikit_learn_only_when_needed(module: str) -> None:
    assert not _loaded_after_import(module) & {"textual", "rich", "sklearn"}


# --------------------------------------------------------------------------- the import graph


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _all_modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(
    tree: ast.AST,
    module: str,
    is_package: bool,
    modules: set[str],
    *,
    top_level_only: bool = False,
) -> list[str]:
    """The modules each import statement names, outside ``TYPE_CHECKING`` blocks.

    ``from a import b`` names ``a.b`` when that is one of ``modules``, else ``a``.
    """
    names: list[str] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if top_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")
                parent = parent if is_package else parent[:-1]
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.append(submodule if submodule in modules else base)
        pending.extend(ast.iter_child_nodes(node))
    return names


def import_graph(*, top_level_only: bool = False) -> dict[str, set[str]]:
    """``module -> tuipad modules it imports``.

    The parent packages Python imports on the way are not counted: a package's
    ``__init__`` that re-exports its modules would otherwise close a loop.
    """
    modules = _all_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_names(
            tree, name, path.name == "__init__.py", set(modules), top_level_only=top_level_only
        )
        graph[name] = {other for other in imported if other in modules and other != name}
    return graph


def _layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(f"{p}.")), key=len)
    return LAYERS[prefix]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_there_are_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


def test_a_lower_layer_never_imports_a_higher_one() -> None:
    breaks = {
        (module, other)
        for module, imported in import_graph().items()
        for other in imported
        if _layer(other) > _layer(module)
    }
    assert sorted(breaks) == []


def test_the_graph_reader_sees_function_level_imports_and_skips_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tuipad.ui import app\n"
        "def f():\n    from tuipad.store import paths\n    from . import raster\n"
    )
    names = _imported_names(
        tree, "tuipad.core.drawing", False, {"tuipad.store.paths", "tuipad.core.raster"}
    )
    assert "tuipad.store.paths" in names and "tuipad.core.raster" in names
    assert not any(name.startswith("tuipad.ui") for name in names)


@pytest.mark.parametrize("module", sorted(_all_modules()))
def test_no_module_is_over_400_lines(module: str) -> None:
    lines = len(_all_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"
