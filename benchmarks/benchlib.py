"""Shared by the load benchmarks: start and stop servers, right answers for a bundled set."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import escape

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


class QuizPage:
    """What one quiz page gives its answer sheet: the CSRF token, the submit key, the signed
    set version, and each choice/multi option's opaque value (scoring.PageKey).

    Read it from the page's HTML, as a browser would (`read`), or compute it from the
    server's secret (`computed`) for a load generator that skips the GET of each page.
    """

    def __init__(self, csrf: str, submit_key: str, version: str,
                 values: dict[tuple[str, str], str] | None = None, key=None):
        self.csrf, self.submit_key, self.version = csrf, submit_key, version
        self._values, self._key = values or {}, key

    @classmethod
    def read(cls, html: str, document: dict) -> QuizPage:
        """Read the hidden fields and the option values of a quiz page; an option is found by
        its label, as a student picks it."""
        labels = {(q["id"], escape(o["text"])): o["id"] for q in document["questions"]
                  if q["type"] in ("choice", "multi") for o in q["options"]}
        values = {}
        for name, value, label in OPTION.findall(html):
            option = labels.get((name[2:], label))
            if option is not None:
                values[(name[2:], option)] = value
        return cls(CSRF.search(html).group(1), SUBMIT_KEY.search(html).group(1),
                   VERSION.search(html).group(1), values)

    @classmethod
    def computed(cls, secret: str, csrf: str, version_id: int,
                 submit_key: str | None = None) -> QuizPage:
        """Compute what a quiz page would carry, with a new submit key unless one is given.

        Only a benchmark that owns the server's instance folder may do this: it reads the
        `secret_key` file there (`instance_secret`). The CSRF token comes from a page the
        same browser session did fetch.
        """
        from quiz.scoring import PageKey

        key = PageKey(secret, submit_key or secrets.token_urlsafe(24))
        return cls(csrf, key.submit_key, key.sign_version(version_id), key=key)

    def token(self, question_id: str, option_id: str) -> str:
        """Return the value this page gives one option."""
        if self._key is not None:
            return self._key.token(question_id, option_id)
        return self._values[(question_id, option_id)]

    @property
    def version_id(self) -> int:
        """The set version the page shows (the id its signed `version` field names)."""
        return int(self.version.partition(".")[0])

    def fields(self) -> dict[str, str]:
        """The hidden fields the page sends with its answers."""
        return {"csrf_token": self.csrf, "submit_key": self.submit_key, "version": self.version}


def instance_secret(instance: Path) -> str:
    """The secret key of a server whose instance folder this benchmark made and owns."""
    return (Path(instance) / "secret_key").read_text().strip()


MARKS = "rwb"  # right, wrong, blank


def answers(document: dict, page=None, marks: str | None = None) -> dict[str, str | list[str]]:
    """The form fields a student sends: each question answered right (r), wrong (w) or left
    blank (b) as *marks* says, one letter per question (default: all right).

    *page* (a QuizPage or a scoring.PageKey) gives choice and multi options their page
    values; without it they are sent as option ids, which only read_answers without a page
    key accepts (in-process cuts and scripts). Blank answers need `confirm_blank`.
    """
    form: dict[str, str | list[str]] = {}
    marks = marks or "r" * len(document["questions"])
    for q, mark in zip(document["questions"], marks, strict=True):
        if mark == "b":
            continue
        name, kind, right = f"q-{q['id']}", q["type"], mark == "r"
        if kind in ("choice", "multi"):
            picked = [o["id"] for o in q["options"] if o["correct"] == right]
            picked = picked[:1] if kind == "choice" or not right else picked
            values = [page.token(q["id"], o) for o in picked] if page is not None else picked
            form[name] = values[0] if kind == "choice" else values
        elif kind == "evidence":
            keyed = [a["sentence"] for a in q["answers"]]
            wrong = next(n for n in range(1, 10_000) if n not in keyed)
            form[name] = [str(n) for n in keyed] if right else [str(wrong)]
        elif kind == "classify":
            labels = [lab["id"] for lab in q["labels"]]
            for s in q["statements"]:
                form[f"{name}-{s['id']}"] = s["label"] if right else next(
                    lab for lab in labels if lab != s["label"])
        elif kind == "order":
            count = len(q["items"])
            for n, item in enumerate(q["items"], start=1):
                form[f"{name}-{item['id']}"] = str(n if right else count + 1 - n)
        elif kind == "text":
            form[name] = q["answers"][0]["text"] if right else "I do not know"
        else:
            raise ValueError(kind)
    if "b" in marks:
        form["confirm_blank"] = "y"
    return form


def right_answers(document: dict, page=None) -> dict[str, str | list[str]]:
    """The form fields a student sends who answers every question right (see `answers`)."""
    return answers(document, page)


def answer_sheet(document: dict, page: QuizPage, marks: str | None = None) -> dict:
    """The whole form a quiz page sends: the answers and the page's hidden fields."""
    return dict(answers(document, page, marks), **page.fields())


def max_points(document: dict) -> float:
    return sum(float(q["points"]) for q in document["questions"])


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')
SUBMIT_KEY = re.compile(r'name="submit_key" type="hidden" value="([^"]*)"')
VERSION = re.compile(r'name="version" type="hidden" value="([^"]*)"')
# A choice or multi option of the quiz page (templates/student/_question.html) and its label.
OPTION = re.compile(r'<input class="form-check-input" type="(?:radio|checkbox)" name="(q-[^"]+)"'
                    r' id="[^"]*" value="([^"]*)"[^>]*>\s*<label class="form-check-label" '
                    r'for="[^"]*">([^<]*)</label>')


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

    def open_quiz(self, name: str, document: dict, slug: str = SLUG) -> QuizPage:
        """Start a set as a student with this name; return what its quiz page carries."""
        status, _, page = self.request("GET", f"/sets/{slug}")
        assert status == 200, status
        status, _, _ = self.request("POST", f"/sets/{slug}",
                                    {"csrf_token": CSRF.search(page).group(1), "name": name})
        assert status == 302, status
        status, _, page = self.request("GET", f"/sets/{slug}/quiz")
        assert status == 200, status
        return QuizPage.read(page, document)


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
    browser = Browser(server.port)
    state: dict[str, str] = {}

    def call(method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        status, headers, text = browser.request(method, path, fields)
        return status, headers.get("Location", ""), text

    document = set_document()

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
            state["page"], expect = QuizPage.read(text, document), 200
        elif step == "submit answers":
            # A new page key per submit without the quiz page's GET: computed from the secret
            # of the instance folder this benchmark made, as that page would have carried it.
            if "secret" not in state:
                state["secret"] = instance_secret(server.instance)
            page = QuizPage.computed(state["secret"], state["page"].csrf,
                                     state["page"].version_id)
            status, location, _ = call("POST", f"/sets/{SLUG}/quiz",
                                       answer_sheet(document, page))
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
