"""Faults: many students at once through a real server, double submits, a full or read-only
database, and a backup taken while students submit."""

from __future__ import annotations

import http.client
import os
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from werkzeug.serving import make_server

import quiz.db
from quiz import create_app, scoring
from quiz.cli import prepare
from tests.helpers import RIGHT, ROOT, hidden

QUESTIONS = 6  # in tests/data/all-types.yaml
SAVE_ERROR = "SourceCheck cannot save right now"


class Browser:
    """One student's browser: its own cookies, a fresh connection per request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if fields is not None:
                body = urlencode(fields, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.headers, text
        finally:
            conn.close()

    def open_quiz(self, name: str) -> dict:
        """Start the all-types set; return the quiz page's hidden fields."""
        status, _, page = self.request("GET", "/sets/all-types")
        assert status == 200
        status, _, _ = self.request("POST", "/sets/all-types",
                                    {"csrf_token": hidden(page, "csrf_token"), "name": name})
        assert status == 302
        status, _, page = self.request("GET", "/sets/all-types/quiz")
        assert status == 200
        return {"csrf_token": hidden(page, "csrf_token"),
                "submit_key": hidden(page, "submit_key")}

    def submit(self, fields: dict):
        # Option ids as the page's values: live_app's secret key and this page's key.
        page = scoring.PageKey("test-secret", fields["submit_key"])
        answers = {k: ([page.token(k[2:], i) for i in v] if isinstance(v, list) else
                       page.token(k[2:], v)) if k in ("q-q-choice", "q-q-multi") else v
                   for k, v in RIGHT.items()}
        return self.request("POST", "/sets/all-types/quiz", dict(fields, **answers))


@pytest.fixture
def live_app(tmp_path: Path, questions_dir: Path):
    """The app as production runs it (TESTING off), on a fresh database."""
    app = create_app({"SECRET_KEY": "test-secret", "DATABASE": str(tmp_path / "live.sqlite"),
                      "QUESTIONS_DIR": str(questions_dir)})
    prepare(app)
    return app


@pytest.fixture
def server(live_app):
    """A real threaded HTTP server on 127.0.0.1 (one thread per request), in this process."""
    httpd = make_server("127.0.0.1", 0, live_app, threaded=True)
    # Checking for shutdown every 20 ms, not every 0.5 s: shutdown() waits for the check.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(10)
    httpd.server_close()


def stored(app):
    return closing(sqlite3.connect(app.config["DATABASE"], timeout=10))


def attempts_and_responses(db: sqlite3.Connection) -> tuple[int, int, int]:
    """(attempts, responses, attempts whose response count is not QUESTIONS)."""
    return (db.execute("SELECT count(*) FROM attempt").fetchone()[0],
            db.execute("SELECT count(*) FROM response").fetchone()[0],
            db.execute(f"""SELECT count(*) FROM attempt a WHERE (SELECT count(*) FROM response r
                           WHERE r.attempt_id = a.id) != {QUESTIONS}""").fetchone()[0])


def at_once(n: int, work) -> list:
    """Run work(i) in n threads that all pass a barrier together; return the results."""
    barrier = threading.Barrier(n, timeout=30)

    def run(i):
        return work(i, barrier)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n), timeout=60))


def test_fifty_students_submit_at_once_each_stored_once(server, live_app, caplog):
    browsers = [Browser(server) for _ in range(50)]

    def work(i, barrier):
        fields = browsers[i].open_quiz(f"Student {i}")
        barrier.wait()
        status, headers, text = browsers[i].submit(fields)
        return fields["submit_key"], status, headers.get("Location", ""), text

    results = at_once(50, work)
    assert [r[1] for r in results] == [303] * 50, [r[3][:300] for r in results if r[1] != 303]
    assert all("/results/" in r[2] for r in results)
    assert len({r[2] for r in results}) == 50
    assert "database is locked" not in caplog.text
    with stored(live_app) as db:
        keys = {k for (k,) in db.execute("SELECT submit_key FROM attempt")}
        assert keys == {r[0] for r in results}
        assert attempts_and_responses(db) == (50, 50 * QUESTIONS, 0)
    # The results pages are there.
    status, _, page = browsers[0].request("GET", urlsplit(results[0][2]).path)
    assert status == 200 and "out of 7" in page


def test_fifty_threads_double_submitting_store_one_attempt_per_page(server, live_app, caplog):
    pages = 10  # each quiz page is sent by 5 threads at the same moment
    browsers = [Browser(server) for _ in range(pages)]
    fields = [b.open_quiz(f"Clicker {i}") for i, b in enumerate(browsers)]

    def work(i, barrier):
        browser = Browser(server)
        browser.cookies = dict(browsers[i % pages].cookies)
        barrier.wait()
        status, headers, _ = browser.submit(fields[i % pages])
        return i % pages, status, headers.get("Location", "")

    results = at_once(50, work)
    assert [r[1] for r in results] == [303] * 50
    by_page: dict[int, set[str]] = {}
    for page, _, location in results:
        by_page.setdefault(page, set()).add(location)
    assert all(len(locations) == 1 for locations in by_page.values())  # same results page
    assert len({loc for locs in by_page.values() for loc in locs}) == pages
    assert "database is locked" not in caplog.text
    with stored(live_app) as db:
        assert attempts_and_responses(db) == (pages, pages * QUESTIONS, 0)


def fill_to_the_last_page(path: str) -> None:
    """Fill the database's last free space: the next attempt needs a page it cannot get."""
    with closing(sqlite3.connect(path)) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        version = db.execute("SELECT id FROM set_version").fetchone()[0]
        n = 0
        for size in (200, 20, 1):  # big rows, then small ones into every gap
            while True:
                n += 1
                try:
                    with db:
                        db.execute("INSERT INTO attempt (token, submit_key, version_id, "
                                   "student_name, points, max_points) VALUES (?, ?, ?, ?, 0, 0)",
                                   (f"t{n}", f"k{n}", version, "x" * size))
                except sqlite3.OperationalError as exc:
                    assert "full" in str(exc)
                    break


def _patched_connect(monkeypatch, pragma_or_uri: str):
    real = quiz.db.connect

    def connect(path: str) -> sqlite3.Connection:
        if pragma_or_uri == "mode=ro":
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10,
                                 check_same_thread=False)
            db.row_factory = sqlite3.Row
            return db
        db = real(path)
        if pragma_or_uri == "full":
            # No page may be added: the next write that needs one fails with SQLITE_FULL.
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages}")
        else:
            db.execute(pragma_or_uri)
        return db

    monkeypatch.setattr(quiz.db, "connect", connect)


@pytest.mark.parametrize("fault", ["full", "mode=ro", "PRAGMA query_only = ON"])
def test_a_database_that_cannot_be_written_gives_the_503_page(
        fault, server, live_app, monkeypatch, caplog):
    # Through the real server: each request runs in a new thread, so it opens a new
    # connection (through the patched connect) whether connections are kept per thread or not.
    browser = Browser(server)
    fields = browser.open_quiz("Ada")
    if fault == "full":
        fill_to_the_last_page(live_app.config["DATABASE"])
    with stored(live_app) as db:
        before = db.execute("SELECT count(*) FROM attempt").fetchone()[0]
    _patched_connect(monkeypatch, fault)
    status, headers, page = browser.submit(fields)
    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert SAVE_ERROR in page and "disk may be full or read-only" in page
    assert "Traceback" not in page and "sqlite3" not in page
    expected = "database or disk is full" if fault == "full" else "readonly database"
    assert expected in caplog.text  # the reason is logged for whoever runs the server
    # Reading still works while writing does not.
    assert browser.request("GET", "/")[0] == 200
    with stored(live_app) as db:
        assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == before
    # When the disk has room again, the same quiz page submits normally.
    monkeypatch.undo()
    assert browser.submit(fields)[0] == 303
    with stored(live_app) as db:
        assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == before + 1


def test_backup_during_a_burst_is_consistent_and_the_app_starts_on_it(
        server, live_app, tmp_path, questions_dir):
    writers, most_each = 8, 300  # bounded; the writers stop once the backup is done
    browsers = [Browser(server) for _ in range(writers)]
    pages = [b.open_quiz(f"Writer {i}") for i, b in enumerate(browsers)]
    statuses: list[int] = []
    some_stored, backup_done = threading.Event(), threading.Event()
    after_backup = [0] * writers

    def write(i):
        for n in range(most_each):
            fields = dict(pages[i], submit_key=f"writer-{i:02d}-submit-{n:04d}")
            statuses.append(browsers[i].submit(fields)[0])
            if len(statuses) >= 3 * writers:
                some_stored.set()
            if backup_done.is_set():
                after_backup[i] += 1
                if after_backup[i] >= 3:
                    return

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    try:
        assert some_stored.wait(30)
        target = tmp_path / "backup.sqlite"
        env = dict(os.environ, SOURCECHECK_DATABASE=live_app.config["DATABASE"],
                   SOURCECHECK_INSTANCE=str(tmp_path / "instance"),
                   SOURCECHECK_QUESTIONS_DIR=str(questions_dir))
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup",
                               str(target)], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
    finally:
        backup_done.set()
        for t in threads:
            t.join(60)
    assert done.returncode == 0, done.stderr
    assert "Backed up" in done.stdout
    assert set(statuses) == {303}
    total = len(statuses)
    assert all(n == 3 for n in after_backup)  # every writer kept submitting after the copy

    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        attempts, responses, partial = attempts_and_responses(copy)
        assert 0 < attempts < total and partial == 0
        assert responses == attempts * QUESTIONS
        token = copy.execute("SELECT token FROM attempt WHERE submit_key LIKE 'writer-00-%' "
                             "LIMIT 1").fetchone()[0]
    with stored(live_app) as live:
        assert attempts_and_responses(live) == (total, total * QUESTIONS, 0)

    # The app starts on the copy (as after a restore) and shows an attempt from it.
    restored = create_app({"SECRET_KEY": "test-secret", "DATABASE": str(target),
                           "QUESTIONS_DIR": str(questions_dir)})
    prepare(restored)
    client = restored.test_client()
    assert client.get("/").status_code == 200
    client.set_cookie("session", browsers[0].cookies["session"])  # results open in their browser
    page = client.get(f"/results/{token}")
    assert page.status_code == 200 and "out of 7" in page.get_data(as_text=True)
