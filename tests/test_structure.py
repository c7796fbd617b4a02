"""Where things live: SQL only in quiz/queries, transactions only in quiz/transactions,
pure modules free of Flask and SQL."""

from __future__ import annotations

import ast
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import quiz
from quiz import queries

QUIZ = Path(quiz.__file__).parent


def _sources(skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {str(p.relative_to(QUIZ)): p.read_text(encoding="utf-8") for p in QUIZ.rglob("*.py")
            if not str(p.relative_to(QUIZ)).startswith(skip)}


def test_every_query_of_an_area_is_reachable_as_queries_name():
    for area in pkgutil.iter_modules(queries.__path__):
        module = __import__(f"quiz.queries.{area.name}", fromlist=["x"])
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                assert getattr(queries, name) is fn, f"queries/__init__.py misses {name}"


SQL = re.compile(r"""["'](\s*)(SELECT|INSERT|UPDATE|DELETE|WITH)\s""")


def test_sql_lives_in_queries_and_db_only():
    found = [path for path, text in _sources(("queries/",)).items()
             if path not in ("db.py",) and SQL.search(text)]
    assert found == []


def test_only_transactions_open_a_transaction():
    found = [path for path, text in _sources().items()
             if re.search(r"with (get_)?db(\(\))?( as \w+)?:", text)
             and path not in ("transactions.py",)]
    assert found == []


@pytest.mark.parametrize("module", ["analysis", "exports", "imports", "questionsets", "scoring",
                                    "feedback", "drafting", "gift", "sentences", "setchecks",
                                    "psychometrics"])
def test_pure_modules_import_no_flask_and_no_database(module):
    tree = ast.parse((QUIZ / f"{module}.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    relative = {node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level}
    assert not imported & {"flask", "flask_wtf", "flask_login", "sqlite3", "werkzeug"}
    assert not relative & {"db", "queries", "transactions", "caches"}
