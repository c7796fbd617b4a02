"""Fixtures: an app on a temporary database, a client, and helpers that act as a student."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from contextlib import closing
from functools import partial
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import FileSystemBytecodeCache

from quiz import create_app
from quiz.db import connect, migrate
from tests.helpers import (
    ALL_TYPES,
    PASSWORD,
    ROOT,
    Student,
    TeacherClient,
    load_yaml,
    sign_in,
)

ALL_TYPES_RAW = load_yaml(ALL_TYPES.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def delete_output_dir():
    """Keep test-results/ between runs (pytest-playwright would empty it at every start)."""


@pytest.fixture(scope="session", autouse=True)
def shared_template_cache(tmp_path_factory):
    """Compile each template once per run, not once per app.

    Compiling the templates was over half of a test's set-up (measured with cProfile), and
    the suite makes some 300 apps. Flask passes `jinja_options` to every app's Jinja
    environment, so apps made directly by a test share the cache too.
    """
    cache = FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))
    saved = Flask.jinja_options
    Flask.jinja_options = {**saved, "bytecode_cache": cache}
    yield cache
    Flask.jinja_options = saved


def make_questions_dir(folder: Path) -> Path:
    """Fill *folder* with the all-types test set and the bundled article."""
    if folder.is_dir():
        return folder
    (folder / "articles").mkdir(parents=True)
    shutil.copy(ALL_TYPES, folder)
    shutil.copy(ROOT / "questions/articles/north-korea-overseas-workers.yaml", folder / "articles")
    return folder


def make_app(folder: Path, prepared: Path | None = None):
    """Return an app with CSRF on, a fresh database in *folder* and the all-types set loaded.

    With *prepared* (a database `prepare` made beside a questions folder), the new database
    is a copy of it while *folder*'s questions folder holds the same files: preparing
    (migrations, reading the set files, storing the set) cost more CPU than the rest of
    making an app, and what it stores does not depend on where the folder is. A test that
    adds or changes a set file before asking for the app gets it prepared as before.
    """
    from quiz.cli import prepare

    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(folder / "test.sqlite"),
        "QUESTIONS_DIR": str(make_questions_dir(folder / "questions")),
        # Fast hashing for tests only; installs keep Werkzeug's default, scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    if prepared is None or not same_files(prepared.parent / "questions", folder / "questions"):
        prepare(app)
    else:
        copy_database(prepared, Path(app.config["DATABASE"]))
    return app


def same_files(one: Path, other: Path) -> bool:
    """Say whether two folders hold the same files with the same bytes."""
    def files(folder: Path) -> dict[Path, bytes]:
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return files(one) == files(other)


def copy_database(source: Path, target: Path) -> None:
    """Copy the database at *source* to a new private file at *target*, in WAL mode."""
    with closing(sqlite3.connect(source)) as original, closing(connect(str(target))) as copy:
        original.backup(copy)  # SQLite's backup API: a consistent copy, page by page
        migrate(copy)  # sets WAL mode, as `prepare` does; the schema is already current


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory) -> Path:
    """A database as `prepare` leaves it for the all-types set: each app starts on a copy."""
    return Path(make_app(tmp_path_factory.mktemp("prepared")).config["DATABASE"])


@pytest.fixture(scope="session")
def app_maker(prepared_database):
    """Make an app in a folder: for module-scoped fixtures that the `app` fixture cannot serve."""
    return partial(make_app, prepared=prepared_database)


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """A folder holding the all-types test set and the bundled article."""
    return make_questions_dir(tmp_path / "questions")


@pytest.fixture
def app(tmp_path: Path, questions_dir: Path, prepared_database: Path):
    """An app with CSRF on, a fresh database and the all-types set loaded."""
    return make_app(tmp_path, prepared_database)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A connection to the app's database, to read back what was stored."""
    conn = connect(app.config["DATABASE"])
    migrate(conn)
    yield conn
    conn.close()


@pytest.fixture
def raw_set() -> dict:
    """The all-types set as raw data, to change one thing in a test."""
    return copy.deepcopy(ALL_TYPES_RAW)


@pytest.fixture
def student(client) -> Student:
    s = Student(client)
    assert s.start().status_code == 302
    return s


@pytest.fixture
def make_teacher(app, db):
    """Create a teacher account and return a client signed in as them."""
    from quiz.views.auth import create_teacher

    def make(username: str = "ms-lee") -> TeacherClient:
        with app.app_context():
            create_teacher(db, username, PASSWORD)
        client = app.test_client()
        assert sign_in(client, username).status_code == 302
        return TeacherClient(client, username)

    return make


@pytest.fixture
def teacher(make_teacher) -> TeacherClient:
    return make_teacher("ms-lee")


@pytest.fixture
def other_teacher(make_teacher) -> TeacherClient:
    return make_teacher("mr-kay")
