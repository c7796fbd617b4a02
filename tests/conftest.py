"""Fixtures: an app on a temporary database, a client, and helpers that act as a student."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from quiz import create_app
from quiz.db import connect, migrate
from tests.helpers import ALL_TYPES, PASSWORD, ROOT, Student, TeacherClient, sign_in


@pytest.fixture(scope="session")
def delete_output_dir():
    """Keep test-results/ between runs (pytest-playwright would empty it at every start)."""


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """A folder holding the all-types test set and the bundled article."""
    folder = tmp_path / "questions"
    (folder / "articles").mkdir(parents=True)
    shutil.copy(ALL_TYPES, folder)
    shutil.copy(ROOT / "questions/articles/north-korea-overseas-workers.yaml", folder / "articles")
    return folder


@pytest.fixture
def app(tmp_path: Path, questions_dir: Path):
    """An app with CSRF on, a fresh database and the all-types set loaded."""
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "test.sqlite"),
        "QUESTIONS_DIR": str(questions_dir),
        # Fast hashing for tests only; installs keep Werkzeug's default, scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    from quiz.cli import prepare

    prepare(app)
    return app


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
    return copy.deepcopy(yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8")))


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
