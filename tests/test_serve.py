"""`sourcecheck serve`: prepares the database, then picks the server for the platform."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from quiz import cli


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Run `sourcecheck serve` with the servers replaced by recorders."""
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "instance"))
    calls = []
    monkeypatch.setattr(cli, "_serve_gunicorn",
                        lambda app, host, port, threads: calls.append(("gunicorn", port, threads)))
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append(
        ("waitress", kw["port"], kw["threads"])))

    def run(*args: str, platform: str = "linux"):
        monkeypatch.setattr(cli.sys, "platform", platform)
        result = CliRunner().invoke(cli.main, ["serve", *args])
        assert result.exit_code == 0, result.output
        return result.output, calls

    return run


@pytest.mark.parametrize(("platform", "args", "server"), [
    ("linux", [], "gunicorn"),
    ("darwin", [], "gunicorn"),
    ("win32", [], "waitress"),
    ("linux", ["--server", "waitress"], "waitress"),
])
def test_serve_picks_the_server_for_the_platform(served, monkeypatch, platform, args, server):
    # Preparing the database is the same on every platform (the next test runs it).
    monkeypatch.setattr(cli, "prepare", lambda app: None)
    output, calls = served("--port", "5123", *args, platform=platform)
    assert calls == [(server, 5123, 8)]
    assert "SourceCheck is at http://127.0.0.1:5123/" in output


def test_first_start_loads_the_sets_and_prints_a_setup_link(served):
    output, _ = served()
    assert "Question sets: 5 added" in output
    assert "http://127.0.0.1:5000/teacher/setup/" in output
