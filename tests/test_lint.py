"""ruff and bandit pass, with the rule sets pinned in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "quiz", "tests", "benchmarks", "app.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_nothing():
    result = run("bandit", "-q", "-c", "pyproject.toml", "-r", "quiz", "app.py")
    assert result.returncode == 0, result.stdout + result.stderr
