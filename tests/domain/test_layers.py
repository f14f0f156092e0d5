"""The code's layers flow one way (DESIGN.md §1): the contracts are import-linter's, declared in
pyproject.toml ([tool.importlinter]) and run here so `make test` fails on an import that crosses
them, as `make lint` does. Pages and components also never open a database session: read from
what they call, with ast (no import runs)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "closeout"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120)


def test_the_layer_contracts_hold():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_import_across_a_layer_breaks_a_contract(tmp_path):
    """The contracts bite: a scratch copy with one crossing of each kind is refused, each by
    the contract that forbids it."""
    shutil.copytree(PACKAGE, tmp_path / "closeout", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    crossings = {
        "domain/readiness.py": "from ..services import cases  # upward",
        "pages/home.py": "from ..models import Case  # a page reading a table",
        "components/focus.py": "from ..services import db  # a component fetching data",
        "domain/text.py": "import sqlalchemy  # the domain touching the database",
    }
    for module, line in crossings.items():
        with (tmp_path / "closeout" / module).open("a") as source:
            source.write(f"\n{line}\n")
    (tmp_path / "closeout" / "stray.py").write_text('"""A module with no place in the layers."""\n')
    out = _lint_imports(tmp_path).stdout
    assert "closeout.domain.readiness -> closeout.services.cases" in out
    assert "closeout.pages.home -> closeout.models" in out
    assert "closeout.components.focus -> closeout.services.db" in out
    assert "closeout.domain.text -> sqlalchemy" in out
    assert "closeout.stray" in out  # the layers are exhaustive: a new module must be placed
    assert "Contracts: 0 kept, 5 broken." in out, out


# What opens a database session or connection, by qualified name after the module's imports.
SESSION_OPENERS = {
    "reflex.session", "reflex.asession", "reflex.model.session", "reflex.model.asession", "reflex.model.get_engine",
    "reflex.model.get_async_engine", "sqlmodel.Session", "sqlmodel.create_engine", "sqlalchemy.create_engine",
    "sqlalchemy.orm.Session", "sqlalchemy.orm.sessionmaker", "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.create_async_engine", "closeout.services.db.transaction",
    "closeout.services.db.joined_transaction", "closeout.services.db.reading",
}  # fmt: skip


def _names(tree: ast.Module, module: str) -> dict[str, str]:
    """Local name → what it stands for, from the module's imports (relative ones resolved)."""
    package = module.split(".")[:-1]
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            source = ".".join(p for p in (base, node.module or "") if p)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{source}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute) and (head := _dotted(node.value)):
        return [*head, node.attr]
    return None


def session_openings(source: str, module: str) -> list[str]:
    """`line: name` for every call to (or hand-over of, as in `to_thread(db.reading)`) a session opener."""
    tree = ast.parse(source)
    names = _names(tree, module)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load) and (parts := _dotted(node)):
            qualified = ".".join([names.get(parts[0], parts[0]), *parts[1:]])
            if qualified in SESSION_OPENERS:
                found.append(f"{node.lineno}: {qualified}")
    return found


SCREEN_MODULES = sorted(p for folder in ("pages", "components") for p in (PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SCREEN_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_page_or_component_opens_a_database_session(path):
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    assert session_openings(path.read_text(), module) == [], f"{module} opens a session: call a service instead"


@pytest.mark.parametrize(
    "source",
    [
        "import reflex as rx\nwith rx.session() as s: pass",
        "import reflex\nreflex.model.get_engine()",
        "from reflex import model\nmodel.get_engine()",
        "from sqlmodel import Session as S\nS(engine)",
        "from ..services.db import reading\nwith reading() as s: pass",
        "import asyncio\nfrom ..services import db\nasyncio.to_thread(db.transaction)",
        "from ...services import db\nwith db.joined_transaction(): pass",
    ],
)
def test_the_session_check_sees_each_way_of_opening_one(source):
    module = "closeout.pages.sign_submit.x" if "..." in source else "closeout.pages.x"
    assert session_openings(source, module), source


def test_the_session_check_lets_service_calls_and_words_pass():
    source = "from ..services import db, auth\ndb.reachable()\nauth.actor_for_session(session_token)\nsession = 1\n"
    assert session_openings(source, "closeout.pages.health") == []
