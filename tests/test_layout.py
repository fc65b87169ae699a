"""The folder tree is the pipeline: stages import only earlier stages, never each other in a
cycle, and nothing in ``analysis`` imports the developer tools."""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.paths import ROOT

PACKAGE = ROOT / "analysis"
#: Stage rank: a module may import modules of its own stage or of a lower rank only.
RANK = {
    "vocab": 0, "paths": 0, "errors": 0, "io": 0, "text": 0, "__init__": 0,
    "source": 1, "respondents": 1, "weighting": 1, "stats": 1,
    "estimates": 2,
    "audit": 3, "plot": 3,
    "figures": 4,
    "tooling": 5,
}  # fmt: skip


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = _module(path).rsplit(".", node.level)[0]
            found.add(f"{base}.{node.module}" if node.module else base)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_stages_import_only_earlier_stages():
    problems = []
    for module, path in MODULES.items():
        for target in _imports(path):
            if not target.startswith("analysis.") or target not in MODULES:
                continue
            if RANK[_stage(target)] > RANK[_stage(module)]:
                problems.append(f"{module} imports {target}")
    assert not problems, problems


def test_no_import_cycles():
    graph = {m: {t for t in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*stack, node, nxt]
            if nxt not in state and (cycle := visit(nxt, [*stack, node])):
                return cycle
        state[node] = 2
        return None

    for module in graph:
        if module not in state:
            cycle = visit(module, [])
            assert cycle is None, " -> ".join(cycle)


def test_the_package_does_not_import_the_developer_tools_or_read_the_sources():
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        assert not any(t.startswith("tools") for t in _imports(path)), module
        assert "shared/seeds" not in text, module
