"""The package tree is the pipeline: subpackages import only downwards, and nothing in a circle.

core <- load <- check <- {diff, site} <- publish <- cli. `errors` sits under everything;
`scaffold` (the `new` and `schema` commands) uses only core. Imports are read from the
source with `ast`, type-only imports included: a loop is a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
# The layer of each top-level room; a module may import its own layer or lower ones.
LAYERS = {"errors": 0, "core": 1, "load": 2, "check": 3, "diff": 4, "site": 4,
          "scaffold": 4, "ingest": 4, "publish": 5, "cli": 6, "__init__": 0}  # fmt: skip
FLAT = {"__init__", "errors", "cli", "scaffold"}


def module_name(path: Path) -> str:
    """Return the dotted name of a module file under the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Return the generator modules a file imports (absolute dotted names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "generator" or target.startswith("generator."):
                for alias in node.names:  # `from . import x` may name a module
                    sub = f"{target}.{alias.name}"
                    found.add(sub if _is_module(sub) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("generator")}
    return found - {name}


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def room(module: str) -> str:
    """Return the top-level room of a module: `generator.site.views` -> `site`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_room_has_a_layer() -> None:
    assert {room(m) for m in GRAPH} == set(LAYERS)


def test_only_a_handful_of_modules_stay_flat() -> None:
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    assert flat == FLAT


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_back_up(module: str) -> None:
    upward = [t for t in GRAPH[module] if LAYERS[room(t)] > LAYERS[room(module)]]
    assert upward == [], f"{module} imports from a higher layer"


def test_no_import_loop() -> None:
    """Depth-first search for a back edge anywhere in the module graph."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (loop := visit(target)):
                return loop
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            loop = visit(module)
            assert loop is None, "import loop: " + " -> ".join(loop or [])


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=module_name)
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_the_graph_is_read() -> None:
    """Guard the test itself: known edges are seen, including `from . import x`."""
    assert "generator.core.model" in GRAPH["generator.load.registry"]
    assert "generator.site.sections" in GRAPH["generator.site.build"]
    assert "generator.check.rules.signals" in GRAPH["generator.check.rules"]
