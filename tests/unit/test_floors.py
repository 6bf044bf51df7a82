"""The floors of the package (docs/architecture.md): the pure core loads no database and no web framework, what
only reads never asks what writes, and no two modules import each other. So a wrong import fails here rather than
in a review."""

import ast
import subprocess
import sys
from pathlib import Path

import burden_tracker

PACKAGE = Path(burden_tracker.__file__).parent


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name; migrations are Alembic's scripts, not ours to import."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "migrations" not in parts:
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def imports_of(name: str) -> set[str]:
    """The package's modules that this one imports, at its top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found |= {f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                      for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {module for module in found if module in MODULES and module != name}


def test_the_pure_core_loads_neither_the_database_nor_flask():
    """In a fresh interpreter: this one has loaded everything already."""
    loaded = ("import sys, burden_tracker.hours, burden_tracker.workflow; "
              "print(sorted({name.split('.')[0] for name in sys.modules} & {'sqlalchemy', 'sqlmodel', 'flask', "
              "'psycopg'} | set(sys.modules) & {'burden_tracker.db', 'burden_tracker.models'}))")
    result = subprocess.run([sys.executable, "-c", loaded], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_what_only_reads_never_asks_what_writes_nor_the_web():
    upward = {name: sorted(module for module in imports_of(name) if module.startswith((
        "burden_tracker.services", "burden_tracker.views", "burden_tracker.cli")))
        for name in MODULES if name.startswith("burden_tracker.queries")}
    assert {name: modules for name, modules in upward.items() if modules} == {}


def test_no_two_modules_import_each_other():
    """The app package itself is left out: create_app registers the command line, which serves create_app."""
    graph = {name: imports_of(name) - {"burden_tracker"} for name in MODULES if name != "burden_tracker"}
    reaches = {name: set() for name in graph}
    for start in graph:
        waiting = list(graph[start])
        while waiting:
            module = waiting.pop()
            if module not in reaches[start]:
                reaches[start].add(module)
                waiting.extend(graph[module])
    assert sorted(name for name in graph if name in reaches[name]) == []
