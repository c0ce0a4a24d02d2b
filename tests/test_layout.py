"""The shape the README's "How it is built" promises, held by the code itself."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import deploycheck

PACKAGE = Path(deploycheck.__file__).parent
LONGEST_FUNCTION = 60
MOST_TOP_MODULES = 10


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_few_modules_at_the_top():
    top = sorted(path.stem for path in PACKAGE.glob("*.py"))
    assert len(top) <= MOST_TOP_MODULES, top


def test_no_function_is_long():
    long = [
        f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for name, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    ]
    assert long == []


def test_underscore_is_always_the_deferred_translation():
    # `_` is deploycheck.core.deferred_text.later everywhere; gettext and gettext_lazy go by their names.
    other = [
        f"{name}: {alias.name} as _"
        for name, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == "_" and (node.module, alias.name) != ("deploycheck.core.deferred_text", "later")
    ]
    assert other == []


def _imports_at_load(tree: ast.Module, known: set[str]) -> set[str]:
    """The deploycheck modules a module imports as it loads (not inside functions, not for typing)."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & known


def test_no_import_cycle():
    trees = dict(modules())
    # A package is loaded before its modules anyway: importing a parent is no cycle.
    graph = {
        name: {target for target in _imports_at_load(tree, set(trees)) if not name.startswith(f"{target}.")}
        for name, tree in trees.items()
    }
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            current, path = stack.pop()
            for target in graph[current]:
                if target == start:
                    cycles.append(" -> ".join([*path, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    assert cycles == []
