"""The `sourcecheck` command: every command, run without an activated environment too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

from quiz import cli
from tests.helpers import ALL_TYPES, PASSWORD, ROOT

ARTICLE = ROOT / "questions" / "articles" / "north-korea-overseas-workers.yaml"


@pytest.fixture
def sourcecheck(monkeypatch, tmp_path):
    """Run `sourcecheck ...` as the console script does, on an instance in tmp_path."""
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("SOURCECHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; put it back afterwards

    def run(*args: str, stdin: str | None = None):
        return CliRunner().invoke(cli.main, list(args), input=stdin)

    return run


def test_the_console_script_is_the_command_group():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"sourcecheck": "quiz.cli:main"}


def test_every_command_runs_both_ways(app):
    flask_commands = set(app.cli.commands)
    assert set(cli.main.commands) == flask_commands | {"serve"}
    assert {"init-db", "load-questions", "check-questions", "create-teacher", "import-set",
            "export-set", "export-results", "read-article", "sentences",
            "backup"} <= flask_commands


def test_sourcecheck_builds_the_app_for_commands_that_need_one(sourcecheck, tmp_path):
    result = sourcecheck("create-teacher", "ms-ng", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Teacher account 'ms-ng' created." in result.output
    assert (tmp_path / "instance" / "sourcecheck.sqlite").is_file()
    result = sourcecheck("export-set", "all-types")
    assert result.exit_code == 1 and "No question set has the id 'all-types'" in result.output
    result = sourcecheck("import-set", str(ALL_TYPES))
    assert result.exit_code == 0 and "imported: q-choice (choice)" in result.output
    assert "id: all-types" in sourcecheck("export-set", "all-types").output


@pytest.mark.parametrize("command", [
    [sys.executable, "-c", "from quiz.cli import main; main()"],  # what the script runs
    [sys.executable, "-m", "flask", "--app", str(ROOT / "app.py")],
])
def test_both_entry_points_work_from_another_folder(tmp_path, command):
    env = dict(os.environ, SOURCECHECK_INSTANCE=str(tmp_path / "instance"), PYTHONPATH=str(ROOT))
    result = subprocess.run([*command, "init-db"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "Database at schema version" in result.stdout
    assert (tmp_path / "instance" / "sourcecheck.sqlite").is_file()


def test_sentences_numbers_a_set_file_an_article_file_and_text(sourcecheck, tmp_path):
    lines = sourcecheck("sentences", str(ARTICLE)).output.splitlines()
    assert lines[0].startswith("  1 [headline] North Korea")
    assert lines[2].startswith("  3 [caption] Slaves reportedly")
    assert len(lines) == 24
    from_set = sourcecheck("sentences", str(ALL_TYPES)).output
    assert from_set.startswith("  1 [headline] ")
    text = tmp_path / "article.txt"
    text.write_text("A first sentence. A second one.\n\nA new paragraph.\n", encoding="utf-8")
    assert sourcecheck("sentences", str(text)).output == (
        "  1 A first sentence.\n  2 A second one.\n  3 A new paragraph.\n")


def test_sentences_says_what_is_wrong_with_a_file(sourcecheck, tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text("title: no text here\n", encoding="utf-8")
    result = sourcecheck("sentences", str(path))
    assert result.exit_code == 1 and "no article text" in result.output
    path.write_text("text: [", encoding="utf-8")
    result = sourcecheck("sentences", str(path))
    assert result.exit_code == 1 and "not valid YAML" in result.output


def test_read_article_skips_the_source_header(sourcecheck, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "# source: Test; Title; 2020; url; licence: PD; via: x\n\nA headline here\n\n"
        "Experts said the plan would fail.\n",
        encoding="utf-8",
    )
    result = sourcecheck("read-article", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["text"] for d in data] == ["A headline here", "Experts said the plan would fail."]
    assert data[0]["kind"] == "headline"
    assert data[1]["source"] == "Experts"
    assert "source: Experts [vague-group]" in sourcecheck("read-article", str(path)).output


def test_read_article_takes_an_article_file_with_its_marks(sourcecheck):
    data = json.loads(sourcecheck("read-article", str(ARTICLE), "--json").output)
    assert len(data) == 24
    assert [d["kind"] for d in data[:4]] == ["headline", "body", "caption", "caption"]


def test_check_questions_lists_each_set(sourcecheck):
    result = sourcecheck("check-questions", str(ROOT / "questions"))
    assert result.exit_code == 0, result.output
    assert "ok: " in result.output and "questions)" in result.output
