"""The wheel (`pip install .`, not `-e`) carries the templates, static files and question sets.

Building calls the same PEP 517 hook as `pip wheel`, with the backend installed by the test
extra, so it runs offline. `.ci/run` goes further: it installs the wheel with its
dependencies into a fresh virtual environment and serves a quiz from another folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

DATA_FOLDERS = ("templates", "static", "questions")
BUILD = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the checkout, so the build leaves nothing in it."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    for name in ("quiz", *DATA_FOLDERS):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-c", BUILD, str(out)], cwd=source,
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    return out / built.stdout.strip().splitlines()[-1]


def test_the_wheel_carries_every_template_static_file_and_question_set(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"quiz/{path.relative_to(ROOT).as_posix()}"
                for folder in DATA_FOLDERS for path in (ROOT / folder).rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}
    expected |= {f"quiz/{path.name}" for path in (ROOT / "quiz").glob("*.py")}
    assert {"quiz/templates/base.html", "quiz/static/app.css",
            "quiz/questions/who-says-so.yaml"} <= expected
    assert sorted(expected - names) == []
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "instance/"))]


SERVE_ONE_QUIZ = """
import quiz
from quiz import create_app
from quiz.cli import prepare

app = create_app()
prepare(app)
client = app.test_client()
print(quiz.__file__)
print(app.instance_path)
for path in ("/", "/sets/who-says-so", "/static/app.css"):
    response = client.get(path)
    print(path, response.status_code, response.get_data(as_text=True).count("Who says so"))
"""


def test_installed_from_the_wheel_the_app_serves_a_quiz_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)  # what pip does with a pure-Python wheel
    elsewhere = tmp_path / "school"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    env["PYTHONPATH"] = str(site)  # ahead of the checkout's editable install
    result = subprocess.run([sys.executable, "-c", SERVE_ONE_QUIZ], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "5 added" in result.stdout  # the bundled sets, from inside the package
    lines = [line for line in result.stdout.splitlines() if not line.startswith("Question sets")]
    assert lines[0] == str(site / "quiz" / "__init__.py")  # the wheel's copy ran
    assert lines[1] == str(elsewhere / "instance")  # never inside site-packages
    assert (elsewhere / "instance" / "sourcecheck.sqlite").is_file()
    pages = {line.split()[0]: line.split()[1:] for line in lines if line.startswith("/")}
    assert pages["/"][0] == "200" and int(pages["/"][1]) >= 1  # the set is listed
    assert pages["/sets/who-says-so"][0] == "200"
    assert pages["/static/app.css"][0] == "200"
    assert not (site / "instance").exists()
