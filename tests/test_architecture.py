"""The folders are the architecture: the import graph of cleaner/ (every import, including those
inside functions) has no cycle, only cli/ imports cli/ (and nothing imports integrations/), no
module imports another room's private names, each room imports only what its ``__init__`` allows,
and cleaner/ itself holds few modules."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cleaner"
MAX_TOP_MODULES = 8
#: what each room may import (a room, or one module of it), as its ``__init__`` docstring says
#: (change both together); a room not listed (cli, report, the top-level modules but model) is
#: not restricted here
MAY_IMPORT = {
    "cleaner.model": set(),
    "cleaner.extras": set(),
    "cleaner.families": {"cleaner.model", "cleaner.ruleset.registry"},
    "cleaner.ruleset": {"cleaner.model", "cleaner.families"},
    "cleaner.engine": {"cleaner.model", "cleaner.ruleset"},
    "cleaner.authoring": {"cleaner.model", "cleaner.ruleset", "cleaner.engine", "cleaner.pipeline"},
    "cleaner.pipeline": {"cleaner", "cleaner.api", "cleaner.model", "cleaner.ruleset",
                         "cleaner.extract", "cleaner.extras"},
    "cleaner.integrations": {"cleaner", "cleaner.api", "cleaner.model"},
}  # fmt: skip
#: rooms at the end of the flow: nothing outside them imports them (but the entry point)
LEAVES = ("cleaner.cli", "cleaner.integrations")
#: the entry point ``python -m cleaner`` runs the command line
CLI_ENTRY = {"cleaner.__main__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room(module: str) -> str:
    """The subpackage a module lives in (``cleaner.engine``), or ``cleaner`` for the top."""
    sub = ".".join(module.split(".")[:2])
    return sub if sub in _packages() else "cleaner"


@cache
def _packages() -> frozenset[str]:
    return frozenset(_module_name(p) for p in PACKAGE.rglob("__init__.py"))


def _is_package(module: str) -> bool:
    return module in _packages()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``import from`` names (relative imports included)."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


class Import:
    """One imported name: ``target`` is the cleaner module it loads, ``name`` the name taken from
    it (``None`` for ``import x`` or a submodule)."""

    def __init__(self, source: str, target: str, name: str | None, line: int) -> None:
        self.source, self.target, self.name, self.line = source, target, name, line

    def __repr__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{modules()[self.source].relative_to(PACKAGE.parent)}:{self.line} imports {what}"


@cache
def imports() -> tuple[Import, ...]:
    """Every import of a cleaner module by a cleaner module, wherever it is written."""
    known = modules()
    out: list[Import] = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases: dict[str, str] = {}  # a local name bound to a cleaner module
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "cleaner":
                        out.append(Import(source, a.name, None, node.lineno))
                        if a.asname:
                            aliases[a.asname] = a.name
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(source, node)
                if target.split(".")[0] != "cleaner":
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in known:  # a submodule
                        out.append(Import(source, sub, None, node.lineno))
                        aliases[a.asname or a.name] = sub
                    else:
                        out.append(Import(source, target, a.name, node.lineno))
        for node in ast.walk(tree):  # module._private through an imported module
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")):  # fmt: skip
                out.append(Import(source, aliases[node.value.id], node.attr, node.lineno))
    return tuple(out)


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in modules()}
    for imp in imports():
        if imp.target in edges and imp.target != imp.source:
            edges[imp.source].add(imp.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_function_level_imports() -> None:
    """The graph is only as good as its parser: an import inside a function is an edge."""
    edges = graph()
    assert "cleaner.extract" in edges["cleaner"]  # clean_html imports it when called
    assert "cleaner.engine.run" in edges["cleaner.api"]


def test_cycles_are_found() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    found = cycles(graph())
    details = [
        [imp for imp in imports() if imp.source in comp and imp.target in comp] for comp in found
    ]
    assert not found, "\n".join(f"cycle {c}:\n  " + "\n  ".join(map(repr, d))
                                for c, d in zip(found, details, strict=True))  # fmt: skip


def test_only_cli_imports_cli() -> None:
    bad = [imp for imp in imports() if room(imp.target) in LEAVES
           and room(imp.source) != room(imp.target) and imp.source not in CLI_ENTRY]  # fmt: skip
    assert not bad, "\n".join(map(repr, bad))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_names_across_rooms() -> None:
    bad = [imp for imp in imports() if room(imp.source) != room(imp.target)
           and _private(imp.name or "")]  # fmt: skip
    bad += [imp for imp in imports() if room(imp.source) != room(imp.target)
            and any(_private(p) for p in imp.target.split("."))]  # fmt: skip
    assert not bad, "\n".join(map(repr, bad))


def _unit(module: str) -> str:
    """The room of a module, or the module itself at the top (``cleaner.model``)."""
    return room(module) if room(module) != "cleaner" else module


def test_rooms_import_only_what_their_docstring_allows() -> None:
    bad = [imp for imp in imports() if _unit(imp.source) in MAY_IMPORT
           and _unit(imp.target) != _unit(imp.source)
           and not {_unit(imp.target), imp.target} & MAY_IMPORT[_unit(imp.source)]]  # fmt: skip
    assert not bad, "\n".join(map(repr, bad))


def test_at_most_eight_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


@pytest.mark.parametrize("package", sorted(p for p in _packages() if p != "cleaner"))
def test_every_room_says_what_it_is_for(package: str) -> None:
    doc = ast.get_docstring(ast.parse(modules()[package].read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"{package}/__init__.py needs a docstring: what the room is for"


def test_tests_do_not_import_benchmark_scripts() -> None:
    """Benchmarks measure; tests assert. A test that loads a benchmark script (by import, or by
    a path such as ``ROOT / "benchmarks" / "x.py"``) ties the suite to measurement code."""
    bad = []
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue  # this test names the folder
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # docstrings
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [] if id(node) in docs else [node.value.replace("/", ".")]
            else:
                continue
            if any(n == "benchmarks" or n.startswith("benchmarks.") for n in names):
                bad.append(f"{path.name}:{node.lineno}")
    assert not bad, bad
