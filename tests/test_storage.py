"""The database: first start, reloading sets, versions that keep old scores, settings."""

from __future__ import annotations

import os
import stat

import yaml

from quiz import create_app
from quiz.db import MIGRATIONS, connect, migrate
from tests.helpers import RIGHT


def load(runner, folder) -> str:
    result = runner.invoke(args=["load-questions", str(folder)])
    return result.output


def test_first_start_creates_schema_and_loads_sets(db):
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT slug FROM question_set")] == ["all-types"]


def test_migrating_again_changes_nothing(db):
    migrate(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_loading_again_never_duplicates(runner, db, questions_dir):
    assert "0 added, 0 updated, 1 unchanged" in load(runner, questions_dir)
    assert db.execute("SELECT count(*) FROM set_version").fetchone()[0] == 1


def test_changed_file_becomes_a_new_version_and_old_attempts_keep_their_scores(
        runner, db, questions_dir, raw_set, student):
    first = student.submit(RIGHT).headers["Location"]
    raw_set["questions"][0]["options"][0]["correct"] = False   # the key changes under them
    raw_set["questions"][0]["options"][1]["correct"] = True
    raw_set["questions"][0]["prompt"] = "A changed prompt?"
    (questions_dir / "all-types.yaml").write_text(yaml.safe_dump(raw_set))
    assert "0 added, 1 updated" in load(runner, questions_dir)
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == 1
    assert db.execute("SELECT max(number) FROM set_version").fetchone()[0] == 2
    old = student.client.get(first).get_data(as_text=True)
    assert "scored 7 out of 7" in old and "Who gives the cost of the work?" in old
    assert "A changed prompt?" in student.client.get("/sets/all-types/quiz").get_data(
        as_text=True)


def test_new_file_is_added_and_invalid_file_refused_whole(runner, db, questions_dir, raw_set):
    raw_set["id"] = "second-set"
    (questions_dir / "second.yaml").write_text(yaml.safe_dump(raw_set))
    raw_set["id"] = "broken-set"
    raw_set["questions"][1]["type"] = "poll"
    (questions_dir / "broken.yaml").write_text(yaml.safe_dump(raw_set))
    output = load(runner, questions_dir)
    assert "broken.yaml: question 2 (q-multi): type: 'poll'" in output
    assert "1 added, 0 updated, 1 unchanged, 1 problems" in output
    slugs = {r[0] for r in db.execute("SELECT slug FROM question_set")}
    assert slugs == {"all-types", "second-set"}


def test_secret_key_is_generated_per_install_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.delenv("SOURCECHECK_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert first == second and len(first) == 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "other"))
    assert create_app().config["SECRET_KEY"] != first


def test_settings_come_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setenv("SOURCECHECK_DATABASE", str(tmp_path / "elsewhere.sqlite"))
    monkeypatch.setenv("SOURCECHECK_SESSION_COOKIE_SECURE", "true")
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "elsewhere.sqlite")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_attempt_and_responses_are_one_transaction(app, student, db, monkeypatch):
    from quiz import queries

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(queries, "insert_responses", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert student.submit(RIGHT).status_code == 500
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 0


def test_foreign_keys_are_enforced(tmp_path):
    conn = connect(str(tmp_path / "fk.sqlite"))
    migrate(conn)
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.IntegrityError), conn:
        conn.execute("INSERT INTO set_version (set_id, number, content_hash, document) "
                     "VALUES (999, 1, 'x', '{}')")
    conn.close()


def test_backup_is_a_complete_database_the_app_can_start_on(runner, student, tmp_path, app):
    student.submit(RIGHT)
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = connect(str(target))
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM attempt").fetchone()[0] == 1
    copy.close()
    restored = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(target),
                           "QUESTIONS_DIR": app.config["QUESTIONS_DIR"]})
    assert "Every type" in restored.test_client().get("/").get_data(as_text=True)
