"""Shared by the load benchmarks: start and stop servers, right answers for a bundled set."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
BIN = Path(sys.executable).parent
PY = str(BIN / "python")
SLUG = "who-says-so"  # a bundled set: a real article and a dozen questions of every type

# How each variant starts SourceCheck, and the hello app served the same way.
VARIANTS = {
    "waitress-request": {  # exactly the README: connection per request
        "app": [str(BIN / "sourcecheck"), "serve"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "waitress"],
    },
    "waitress-thread": {
        "app": [PY, str(HERE / "serve_variant.py"), "waitress-thread"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "waitress"],
    },
    "gunicorn-thread": {
        "app": [PY, str(HERE / "serve_variant.py"), "gunicorn-thread"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "gunicorn"],
    },
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on 127.0.0.1:port, with its output in a log file."""

    def __init__(self, cmd: list[str], instance: Path, log: Path, port: int | None = None):
        self.port = port or free_port()
        self.instance = instance
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, SOURCECHECK_INSTANCE=str(instance), PYTHONUNBUFFERED="1")
        self.log = open(log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen([*cmd, "--port", str(self.port)], env=env, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see "
                                   f"{self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server not ready in {timeout} s; see {self.log.name}")

    def kill9(self) -> None:
        """SIGKILL the server's process group (gunicorn's workers too)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def set_document(slug: str = SLUG) -> dict:
    from quiz import questionsets

    return questionsets.load_file(ROOT / "questions" / f"{slug}.yaml")


def right_answers(document: dict) -> dict[str, str | list[str]]:
    """The form fields a student sends who answers every question right."""
    form: dict[str, str | list[str]] = {}
    for q in document["questions"]:
        name = f"q-{q['id']}"
        kind = q["type"]
        if kind == "choice":
            form[name] = next(o["id"] for o in q["options"] if o["correct"])
        elif kind == "multi":
            form[name] = [o["id"] for o in q["options"] if o["correct"]]
        elif kind == "evidence":
            form[name] = [str(a["sentence"]) for a in q["answers"]]
        elif kind == "classify":
            for s in q["statements"]:
                form[f"{name}-{s['id']}"] = s["label"]
        elif kind == "order":
            for n, item in enumerate(q["items"], start=1):
                form[f"{name}-{item['id']}"] = str(n)
        elif kind == "text":
            form[name] = q["answers"][0]["text"]
        else:
            raise ValueError(kind)
    return form


def max_points(document: dict) -> float:
    return sum(float(q["points"]) for q in document["questions"])


def check_database(path: Path, keys: list[str] | None = None) -> dict:
    """Integrity, attempts, responses, and (given the submit keys sent) exactly-once."""
    import sqlite3

    db = sqlite3.connect(path, timeout=30)
    try:
        out = {
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
            "attempts": db.execute("SELECT count(*) FROM attempt").fetchone()[0],
            "responses": db.execute("SELECT count(*) FROM response").fetchone()[0],
            "attempts_with_wrong_response_count": db.execute(
                """SELECT count(*) FROM attempt a JOIN set_version v ON v.id = a.version_id
                   WHERE (SELECT count(*) FROM response r WHERE r.attempt_id = a.id)
                         != json_array_length(v.document, '$.questions')""").fetchone()[0],
        }
        if keys is not None:
            stored = {k for (k,) in db.execute("SELECT submit_key FROM attempt")}
            out["sent"] = len(keys)
            out["sent_distinct"] = len(set(keys))
            out["sent_not_stored"] = len(set(keys) - stored)
            out["stored_not_sent"] = len(stored - set(keys))
        return out
    finally:
        db.close()
