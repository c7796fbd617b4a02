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


PURE = ["analysis", "exports", "imports", "questionsets", "scoring", "feedback", "drafting",
        "gift", "sentences", "setchecks", "psychometrics", "presentation",
        *(f"{package}/{p.stem}" for package in ("attribution", "questiontypes")
          for p in (QUIZ / package).glob("*.py"))]


@pytest.mark.parametrize("module", PURE)
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


def test_readme_names_every_module_where_things_live():
    readme = (QUIZ.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Where things live", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(quiz/[\w/]+(?:\.py|/))`", section))
    modules = {f"quiz/{p.relative_to(QUIZ).as_posix()}" for p in QUIZ.rglob("*.py")}
    modules = {m[: -len("__init__.py")] if m.endswith("/__init__.py") and m != "quiz/__init__.py"
               else m for m in modules}
    assert sorted(modules - named) == []


# What quiz/__init__.py itself defines (not submodules, which may have come from elsewhere).
FACTORY_NAMES = {node.name for node in ast.parse((QUIZ / "__init__.py").read_text(
    encoding="utf-8")).body if isinstance(node, ast.FunctionDef)} | {"ROOT", "PACKAGE", "DATA"}


def test_tests_and_benchmarks_import_only_modules_that_exist():
    # An editable install elsewhere would quietly serve a module that moved away from here.
    root = QUIZ.parent
    missing = []
    for path in [*root.glob("tests/**/*.py"), *root.glob("benchmarks/*.py")]:
        text = path.read_text(encoding="utf-8")
        names = re.findall(r"^\s*(?:from|import) (quiz(?:\.\w+)+)", text, flags=re.M)
        blocks = re.findall(r"^\s*from quiz import (?:\(([\w,\s]+)\)|([\w, ]+))", text,
                            flags=re.M)
        for block in (a or b for a, b in blocks):
            names += [f"quiz.{n.split(' as ')[0].strip()}" for n in block.split(",") if n.strip()]
        for name in names:
            parts = name.split(".")[1:]
            base = QUIZ.joinpath(*parts)
            if not (base.with_suffix(".py").exists() or base.is_dir()
                    or len(parts) == 1 and parts[0] in FACTORY_NAMES):
                missing.append(f"{path.relative_to(root)}: {name}")
    assert missing == []


# Tests read pages with the HTML parser (tests.helpers.soup, hidden, inputs): a regex over
# markup breaks when an attribute moves, and passes on markup a browser would read otherwise.
# A regex literal holding a tag (`<td`, `</a`) or attribute syntax (`="`) reads markup.
MARKUP = re.compile(r"""(?<!\?P)(?<!\?)</?[A-Za-z]|=\\?["']""")
# Test files let off this rule, as paths from the project root; none at present.
READS_MARKUP_WITH_REGEX: set[str] = set()


def _markup_regexes(source: str) -> list[str]:
    """Return the regex literals in *source* that hold markup, as `line: pattern`."""
    tree = ast.parse(source)
    names = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
             and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
             for target in node.targets if isinstance(target, ast.Name)}

    def text(node) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return names.get(node.id, "")
        if isinstance(node, ast.JoinedStr):
            return "".join(text(part) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            return text(node.value)
        return ""

    return [f"{node.lineno}: {text(node.args[0])}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
            and node.args and MARKUP.search(text(node.args[0]))]


def test_tests_read_html_with_the_parser_not_regexes():
    root = QUIZ.parent
    found = [f"{path.relative_to(root)}:{hit}" for path in sorted(root.glob("tests/**/*.py"))
             if path.relative_to(root).as_posix() not in READS_MARKUP_WITH_REGEX
             for hit in _markup_regexes(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize(("source", "reads_markup"), [
    ("""OPTION = re.compile(r'<input class="form-check-input" type="(radio|checkbox)"')""", True),
    ("""token = re.search(r'name="csrf_token" value="([^"]*)"', page)""", True),
    ("""re.findall(r"Hedges</td><td>0 / 2", html)""", True),
    ("""ROW = r"<tr>(.*?)</tr>"\nre.findall(ROW, html)""", True),
    ("""re.search(rf"<a href={url}>", html)""", True),
    ("""re.search(r"/teacher/sets/(\\d+)/edit", response.headers["Location"])""", False),
    ("""re.fullmatch(r"(?P<code>[A-Z2-9]{6})", code)""", False),
    ("""re.search(r"\\.narrow-form\\s*\\{[^}]*max-width:\\s*30rem", css)""", False),
    ("""re.compile(rf"^\\s*{re.escape(text)}\\s*$")""", False),
])
def test_a_regex_literal_holding_markup_is_found(source, reads_markup):
    assert bool(_markup_regexes(source)) is reads_markup
