"""The data path is the folder layout: stages import only earlier stages, nothing
imports in a circle (imports inside functions included), and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src" / "clearance"

# load -> resolve -> evaluate -> report, and what sits beside and above them;
# a module may import its own stage and any earlier one, never a later one
STAGES = [
    {"clearance", "errors", "resources", "safe_text", "schema"},
    {"loading"},
    {"policy"},
    {"manifest", "bundle"},
    {"resolve"},
    {"evaluate"},
    {"gateways"},  # gateway readers and drift: their findings go through waivers like any
    {"waivers"},
    {"report"},
    {"pipeline"},
    {"audit", "advise"},
    {"cli", "__main__"},
]
RANK = {name: i for i, names in enumerate(STAGES) for name in names}
# a module that must grow past the size a reader takes in at once says why here
LARGE: dict[str, str] = {}
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every clearance module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("clearance"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("clearance")}
    return {m for m in found if m in modules}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_no_stage_imports_a_later_one() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        if _stage(name) not in RANK:
            wrong.append(f"{name}: in no stage of tests/test_architecture.py")
            continue
        for imported in _imports(path, modules):
            if RANK[_stage(imported)] > RANK[_stage(name)]:
                wrong.append(f"{name} imports {imported}, a later stage")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # a package's __init__ imported by its own modules is how Python loads them: not a cycle
    real = [c for c in cycles if not all(c[0].startswith(m) or m.startswith(c[0]) for m in c)]
    assert not real, "\n".join(" -> ".join(c) for c in real)


def test_modules_stay_small() -> None:
    big = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and rel not in LARGE:
            big.append(f"{rel}: {lines} lines")
    assert not big, "\n".join(big)


def test_the_cli_only_parses_and_calls() -> None:
    # the commands' work lives in pipeline/, audit/, report/: a CLI module reaches the
    # bundle, manifests or evaluation only through them
    modules = _modules()
    allowed = {"cli", "pipeline", "report", "audit", "errors", "resources", "clearance",
               "gateways", "advise", "schema", "safe_text"}
    # the result's types, which the exit code and the report read
    allowed_modules = {"clearance.evaluate.findings"}
    wrong = [
        f"{name} imports {imported}"
        for name, path in modules.items() if _stage(name) == "cli"
        for imported in _imports(path, modules)
        if _stage(imported) not in allowed and imported not in allowed_modules
    ]
    assert not wrong, "\n".join(wrong)
