"""The layers stay as the README draws them: model <- ledger <- catalog <- {cli, publish, web}.

Imports are read from the source (every ``import`` and ``from ... import``, those inside
functions too), so a wrong import fails here with the file, the line and the name.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import longarm

PACKAGE = Path(longarm.__file__).parent
BASE = {"model", "geo", "textdecode"}
FEEDERS = {"extract", "scan", "archive"}
# What each part of longarm may import besides itself ("longarm" is the package's own __init__).
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "geo": {"model"},
    "textdecode": set(),
    "ledger": BASE,
    "catalog": BASE | {"ledger"},
    "extract": BASE | {"ledger", "catalog"},
    "scan": BASE | {"ledger", "catalog", "extract"},
    "archive": BASE | {"ledger", "catalog"},
    "publish": BASE | {"ledger", "catalog", "archive"},
    "web": BASE | {"ledger", "catalog", "publish", "archive", "extract"},
    "cli": BASE | {"ledger", "catalog", "publish", "web", "archive", "extract", "scan"},
    "__main__": {"cli"},
}
PRESENTATION_LIBRARIES = {"click", "rich"}


def part_of(module: str) -> str:
    """longarm.catalog.rows -> catalog; longarm -> longarm."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("") if path.is_relative_to(PACKAGE.parent) else path
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            # `from longarm.catalog import rows` imports a module, `from longarm.catalog import Catalog` a name
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((node.lineno, submodule if submodule in MODULES else base))
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


MODULES = {module_name(p) for p in sources()}


def test_each_part_imports_only_the_layers_below_it() -> None:
    wrong = []
    for path in sources():
        part = part_of(module_name(path))
        if part == "longarm":
            continue
        for line, name in imports(path):
            if not name.startswith("longarm.") or name == "longarm.__version__":
                continue
            target = part_of(name)
            if target in (part, "__version__") or target in ALLOWED.get(part, set()):
                continue
            wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {part} imports {name}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_only_the_cli_imports_click_or_rich() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for path in sources()
        if part_of(module_name(path)) != "cli"
        for line, name in imports(path)
        if name.split(".")[0] in PRESENTATION_LIBRARIES
    ]
    assert not wrong, "click and rich belong to longarm.cli:\n" + "\n".join(wrong)


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports form no cycle (an import inside a function runs later and is not counted)."""
    graph: dict[str, set[str]] = defaultdict(set)
    known = MODULES
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        top += [n for block in tree.body if isinstance(block, ast.If) for n in block.body
                if isinstance(n, ast.Import | ast.ImportFrom) and not _is_type_checking(block)]  # fmt: skip
        lines = {n.lineno for n in top}
        for line, name in imports(path):
            if line in lines:
                target = next((m for m in (name, name.rpartition(".")[0]) if m in known), None)
                if target and target != module_name(path):
                    graph[module_name(path)].add(target)
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_checks_catch_a_wrong_import(tmp_path: Path) -> None:
    """The import reader sees lazy and relative imports, so a stray one cannot hide."""
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from longarm.cli import main\n    import click\n", encoding="utf-8")
    assert [name for _line, name in imports(path)] == ["longarm.cli", "click"]
    path.write_text("from longarm.catalog import rows, Catalog\n", encoding="utf-8")
    assert [name for _line, name in imports(path)] == ["longarm.catalog.rows", "longarm.catalog"]
