"""Shared by the load benchmarks: start and stop servers, right answers for a bundled set."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
# The checkout whose code is measured: this one, or another given by SOURCECHECK_CHECKOUT.
# Every server is started with its PYTHONPATH and working folder set to it, and reports the
# `quiz` package it imported; Server.wait_ready refuses a server that imported another one.
ROOT = Path(os.environ.get("SOURCECHECK_CHECKOUT") or HERE.parent).resolve()
sys.path.insert(0, str(ROOT))  # this process too (locust's driver reads the set with quiz)
BIN = Path(sys.executable).parent
PY = str(BIN / "python")
SLUG = "who-says-so"  # a bundled set: a real article and a dozen questions of every type

# How each variant starts SourceCheck, and the hello app served the same way.
VARIANTS = {
    "waitress": {  # exactly the README: `sourcecheck serve`, a connection kept per thread
        "app": [str(BIN / "sourcecheck"), "serve", "--server", "waitress"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "waitress"],
    },
    "waitress-per-request": {  # the old flaskr pattern, for comparison
        "app": [PY, str(HERE / "serve_variant.py"), "waitress-per-request"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "waitress"],
    },
    "gunicorn": {  # exactly the README on Linux: `sourcecheck serve`, quiz/serving.py's worker
        "app": [str(BIN / "sourcecheck"), "serve", "--server", "gunicorn"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "gunicorn"],
    },
    "gunicorn-gthread": {  # before issue 11: gunicorn's own gthread worker, the real app
        "app": [PY, str(HERE / "serve_variant.py"), "gunicorn"],
        "hello": [PY, str(HERE / "hello_app.py"), "--server", "gunicorn"],
    },
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on 127.0.0.1:port, with its output in a log file."""

    def __init__(self, cmd: list[str], instance: Path, log: Path, port: int | None = None,
                 extra_env: dict[str, str] | None = None):
        self.port = port or free_port()
        self.instance = instance
        self.url = f"http://127.0.0.1:{self.port}"
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        env = dict(os.environ, SOURCECHECK_INSTANCE=str(instance), PYTHONUNBUFFERED="1",
                   PYTHONPATH=path, **(extra_env or {}))
        self.log_path = Path(log)
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
                        self.check_code()
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server not ready in {timeout} s; see {self.log.name}")

    def check_code(self) -> None:
        """Refuse a server that says it serves another checkout's `quiz` than ROOT's."""
        said = re.findall(r"Serving the code in (.+)", self.log_path.read_text(errors="replace"))
        if said and Path(said[-1].strip()) != ROOT / "quiz":
            raise RuntimeError(f"the server imported {said[-1].strip()}, not {ROOT / 'quiz'}")

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


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')


class Browser:
    """One student's browser on 127.0.0.1 (http.client): keeps its cookies, and either one
    kept-alive connection (as a real browser does) or a new connection per request (so a
    killed server fails only the requests in flight)."""

    def __init__(self, port: int, keep_alive: bool = True, timeout: float = 30):
        self.port, self.keep_alive, self.timeout = port, keep_alive, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields: dict | None = None):
        """Send a request (fields: a form, URL-encoded); return (status, headers, text)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            text = r.read().decode()
        finally:
            if not self.keep_alive:
                self.close()
        for cookie in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return r.status, r.headers, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def open_quiz(self, name: str, slug: str = SLUG) -> str:
        """Start a set as a student with this name; return the quiz page's CSRF token."""
        status, _, page = self.request("GET", f"/sets/{slug}")
        assert status == 200, status
        status, _, _ = self.request("POST", f"/sets/{slug}",
                                    {"csrf_token": CSRF.search(page).group(1), "name": name})
        assert status == 302, status
        status, _, page = self.request("GET", f"/sets/{slug}/quiz")
        assert status == 200, status
        return CSRF.search(page).group(1)


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


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a server's process group (gunicorn's
    workers too). Linux only: read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[2]) == pid:  # field 5, pgrp: the server was started in its own session
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def step_costs(server: Server, steps: list[str], count: int = 200) -> dict[str, float]:
    """Server CPU ms per request for each step, one browser alone on one kept-alive
    connection, *count* requests of each step in a row (after 20 to warm up).

    Steps: "hello" (GET /) and "insert" (POST /insert) on hello_app, or the student flow:
    "start page", "post name", "quiz page", "submit answers", "results". The server's CPU is
    read before and after each series, so the client's own CPU is not counted.
    """
    import secrets

    browser = Browser(server.port)
    state: dict[str, str] = {}

    def call(method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        status, headers, text = browser.request(method, path, fields)
        return status, headers.get("Location", ""), text

    answers = right_answers(set_document())

    def do(step: str) -> None:
        if step == "hello":
            status, _, _ = call("GET", "/")
            expect = 200
        elif step == "insert":  # hello_app's one-insert endpoint
            status, _, _ = call("POST", "/insert", {})
            expect = 303
        elif step == "start page":
            status, _, text = call("GET", f"/sets/{SLUG}")
            state["csrf"], expect = CSRF.search(text).group(1), 200
        elif step == "post name":
            status, _, _ = call("POST", f"/sets/{SLUG}",
                                {"csrf_token": state["csrf"], "name": "Ada Lovelace"})
            expect = 302
        elif step == "quiz page":
            status, _, text = call("GET", f"/sets/{SLUG}/quiz")
            state["csrf"], expect = CSRF.search(text).group(1), 200
        elif step == "submit answers":
            status, location, _ = call("POST", f"/sets/{SLUG}/quiz", dict(
                answers, csrf_token=state["csrf"], submit_key=secrets.token_urlsafe(24)))
            state["results"], expect = location.split("://", 1)[-1].split("/", 1)[-1], 303
        elif step == "results":
            status, _, _ = call("GET", "/" + state["results"])
            expect = 200
        else:
            raise ValueError(step)
        if status != expect:
            raise RuntimeError(f"{step}: status {status}, expected {expect}")

    out = {}
    try:
        for step in steps:
            for _ in range(20):
                do(step)
            before = server_cpu(server.proc.pid)
            for _ in range(count):
                do(step)
            out[step] = 1000 * (server_cpu(server.proc.pid) - before) / count
    finally:
        browser.close()
    return out
