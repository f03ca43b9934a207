"""Public API docstrings (issue 18, item 8): in the modules below, every public function,
class and method has a docstring, and one that takes parameters has more than a bare line
(numpydoc sections: Parameters, Returns, Raises). Public: no leading underscore, at module
or class level."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "transcript_alliance"
FOLDERS = ["read", "segment", "comparison", "deid", "annotate/markers"]
FILES = [
    "annotate/style.py",
    "io.py",
    "schema.py",
    "session.py",
    "session_types.py",
    "nlp.py",
    "errors.py",
    "run/pipeline.py",
]
LATER: set[str] = set()


def _modules() -> list[Path]:
    found = [p for folder in FOLDERS for p in sorted((PACKAGE / folder).rglob("*.py"))]
    found += [PACKAGE / name for name in FILES]
    return [p for p in found if p.relative_to(PACKAGE).as_posix() not in LATER]


def _public(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            out.append((node.name, node))
            if isinstance(node, ast.ClassDef):
                out += [
                    (f"{node.name}.{n.name}", n)
                    for n in node.body
                    if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
                ]
    return out


def _parameters(node: ast.AST) -> list[str]:
    if not isinstance(node, ast.FunctionDef):
        return []
    a = node.args
    names = [x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]]
    return [n for n in names if n not in {"self", "cls"}]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_public_api_is_documented(path: Path) -> None:
    problems = []
    for name, node in _public(ast.parse(path.read_text(encoding="utf-8"))):
        doc = ast.get_docstring(node)
        if not doc:
            problems.append(f"{name}: no docstring")
        elif _parameters(node) and "\n" not in doc.strip():
            problems.append(f"{name}: takes {', '.join(_parameters(node))} but has one line")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_every_public_name_in_the_package_has_a_docstring(path: Path) -> None:
    """The whole package (cli/, annotate/classifier/, estimate/, report/, run/ too): a
    docstring on every public function, class and method; the modules above also hold the
    numpydoc sections wherever parameters are taken."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [name for name, node in _public(tree) if not ast.get_docstring(node)]
    assert not missing, ", ".join(missing)


def test_the_rule_catches_a_bare_line() -> None:
    tree = ast.parse('def f(x):\n    """Bare."""\n\nclass C:\n    def m(self):\n        pass\n')
    found = {name: ast.get_docstring(node) for name, node in _public(tree)}
    assert found == {"f": "Bare.", "C": None, "C.m": None}
    assert _parameters(tree.body[0]) == ["x"]
