"""Every setting and every command is documented in the README."""

from __future__ import annotations

import re

import pytest

from quiz import cli, create_app
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FLASK_DEFAULTS = set(create_app.__globals__["Flask"].default_config)


# Flask's and the extensions' own settings that SourceCheck changes, and so documents.
OVERRIDDEN = {"SECRET_KEY", "MAX_CONTENT_LENGTH", "SESSION_COOKIE_SECURE",
              "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "WTF_CSRF_TIME_LIMIT",
              "BOOTSTRAP_SERVE_LOCAL"}


def own_settings(app) -> set[str]:
    """Return the settings SourceCheck adds or changes."""
    added = {k for k in app.config if k not in FLASK_DEFAULTS
             and not k.startswith(("WTF_", "BOOTSTRAP_")) and k != "TESTING"}
    return added | OVERRIDDEN


def test_every_setting_is_documented(app):
    settings = own_settings(app)
    assert "DATABASE" in settings and "QUESTIONS_DIR" in settings
    for key in settings:
        assert f"`{key}`" in README, f"{key} is not in the README's settings table"


@pytest.mark.parametrize("command", list(cli.main.commands))
def test_every_sourcecheck_command_is_documented(command):
    assert f"| `sourcecheck {command}" in README, f"{command} is not in the commands table"


def test_the_docs_name_only_commands_that_exist():
    docs = [README, *(p.read_text(encoding="utf-8") for p in (ROOT / "questions").glob("*.md"))]
    for text in docs:
        assert "python -m quiz" not in text  # the modules' own mains are gone
        for name in re.findall(r"(?:sourcecheck|flask --app app) ([a-z][a-z-]+)", text):
            assert name in cli.main.commands, name


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    install, test = blocks[1].split(" && ")  # the second set-up command runs the tests
    assert test == ".venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci  # a line of its own: exactly the README's command, no extra options
    assert any(line.startswith(".venv/bin/pip install") and "'.[test]'" in line for line in ci)
