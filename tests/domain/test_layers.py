"""The code's layers flow one way (DESIGN.md §1, §5): domain ← models ← services ← pages →
components, the app module on top. Read from the source with ast: no import runs."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "closeout"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every closeout module `path` imports (relative imports resolved)."""
    here = _module(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("closeout")}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            if target.startswith("closeout") and target != "closeout":
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in node.names if (PACKAGE.parent / f"{target}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()}
    return found


GRAPH = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}
LAYER = [("closeout.domain", 0), ("closeout.routes", 0), ("closeout.settings", 0), ("closeout.db_types", 1), ("closeout.models", 1), ("closeout.services", 2),
         ("closeout.documents", 2), ("closeout.components", 3), ("closeout.pages", 4)]  # fmt: skip


def _layer(module: str) -> int | None:
    return next((rank for prefix, rank in LAYER if module == prefix or module.startswith(prefix + ".")), None)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_nothing_imports_upward(module):
    rank = _layer(module)
    if rank is None:
        return  # the app's own wiring (closeout.py, api, security, jobs, tools) sits on top
    for target in GRAPH[module]:
        target_rank = _layer(target)
        assert target_rank is not None, f"{module} imports {target}, which sits above every layer"
        if rank == 3:  # components are handed things: they read no page, state or data
            assert target_rank <= 0 or target.startswith("closeout.components"), f"{module} imports {target}"
        assert target_rank <= rank, f"{module} imports {target} (a higher layer)"


def test_no_page_opens_a_database_session():
    for module, targets in GRAPH.items():
        if module.startswith("closeout.pages"):
            assert "closeout.services.db" not in targets or "reading" not in (PACKAGE.parent / (module.replace(".", "/") + ".py")).read_text(), module
            assert not {t for t in targets if t == "closeout.models"}, f"{module} reads tables directly"


def test_no_import_circle():
    seen, path = set(), []

    def visit(module):
        if module in path:
            cycle = path[path.index(module):] + [module]
            raise AssertionError("import circle: " + " → ".join(cycle))
        if module in seen:
            return
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target in GRAPH:
                visit(target)
        path.pop()
        seen.add(module)

    for module in sorted(GRAPH):
        visit(module)
