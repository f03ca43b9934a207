"""The package's import graph has no cycle, counting imports inside functions too: a
function-level import that closes a loop only hides the cycle, it does not remove it.
(Lazy imports for speed are fine where they close no loop.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "transcript_alliance"
NAME = PACKAGE.name


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports anywhere in its file (module level, in
    functions, under TYPE_CHECKING), relative imports resolved. `from pkg import x`
    counts as importing `pkg.x` when that is a module, else `pkg`."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a function: a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_walker_sees_function_level_and_relative_imports():
    edges = {
        "p.a": imports_of(
            "p.a", _write("a.py", "def f():\n    from .b import g\n"), {"p.a", "p.b"}
        ),
        "p.b": imports_of("p.b", _write("b.py", "from . import a\n"), {"p", "p.a", "p.b"}),
    }
    assert edges == {"p.a": {"p.b"}, "p.b": {"p.a"}}
    assert cycles(edges) == [["p.a", "p.b"]]


def _write(name: str, text: str) -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / name).write_text(text)
    return folder / name


def test_the_graph_covers_the_package():
    edges = graph()
    assert f"{NAME}.run.coding" in edges
    assert f"{NAME}.run.batch" in edges[f"{NAME}.run.coding"]
    assert f"{NAME}.run.pipeline" in edges[f"{NAME}.run.batch"]


@pytest.mark.parametrize("group", cycles(graph()) or [None])
def test_no_import_cycles(group):
    assert group is None, f"import cycle among: {' <-> '.join(group)}"
