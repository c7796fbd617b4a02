"""Issue 11: throttling nobody can turn against the owner, revocable sessions, an atomic setup
link, private files, no-store pages, password rules, safe redirects, clear database errors,
guarded CSV cells."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

import quiz.db
from quiz import create_app
from quiz.cli import prepare
from quiz.exports import safe_cell
from tests.helpers import PASSWORD, RIGHT, hidden, sign_in

OWNER, ATTACKER = "192.0.2.10", "203.0.113.66"


def attempt(client, username: str, password: str, address: str, **kw):
    """Post the sign-in form from *address*."""
    page = client.get("/teacher/login", environ_base={"REMOTE_ADDR": address})
    return client.post("/teacher/login", environ_base={"REMOTE_ADDR": address}, data={
        "csrf_token": hidden(page.get_data(as_text=True), "csrf_token"),
        "username": username, "password": password}, **kw)


def failures(db) -> int:
    return db.execute("SELECT count(*) FROM login_failure").fetchone()[0]


# Throttling ----------------------------------------------------------------------------

@pytest.fixture
def owner(app, db):
    """ms-lee, who last signed in from OWNER's address."""
    from quiz.views.auth import create_teacher

    with app.app_context():
        create_teacher(db, "ms-lee", PASSWORD)
    assert attempt(app.test_client(), "ms-lee", PASSWORD, OWNER).status_code == 302
    return "ms-lee"


def test_an_attacker_cannot_lock_the_owner_out(app, owner):
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_ATTEMPTS"]):
        assert attempt(attacker, owner, "guess-guess", ATTACKER).status_code == 200
    assert attempt(attacker, owner, PASSWORD, ATTACKER).status_code == 429  # guesses stop
    assert attempt(app.test_client(), owner, PASSWORD, OWNER).status_code == 302


def test_guesses_from_many_addresses_stop_at_the_account_limit_but_not_the_owner(app, owner):
    app.config["LOGIN_ACCOUNT_ATTEMPTS"] = 12
    attacker = app.test_client()
    for n in range(12):  # three guesses from each of four addresses: under the pair limit
        assert attempt(attacker, owner, "guess-guess", f"198.51.100.{n // 3}").status_code == 200
    refused = attempt(attacker, owner, PASSWORD, "198.51.100.200")
    assert refused.status_code == 429
    assert "Too many failed sign-ins. Wait 15 minutes" in refused.get_data(as_text=True)
    assert attempt(app.test_client(), owner, PASSWORD, OWNER).status_code == 302


def test_old_failure_rows_are_pruned(app, owner, db):
    with db:
        db.execute("INSERT INTO login_failure (username, address, at) VALUES ('x', 'y', ?)",
                   (time.time() - 16 * 60,))
    attempt(app.test_client(), owner, "guess-guess", ATTACKER)
    assert [r[0] for r in db.execute("SELECT username FROM login_failure")] == [owner]


@pytest.mark.parametrize("username", ["x" * 41, "a" * 1_900_000, "ms lee", "<script>"])
def test_a_bad_username_is_refused_before_anything_is_stored(app, owner, db, username):
    response = attempt(app.test_client(), username, "whatever-it-is", ATTACKER)
    assert response.status_code == 200
    assert "Use 2 to 40 letters, digits" in response.get_data(as_text=True)
    assert failures(db) == 0


def test_the_current_password_check_is_throttled_like_a_sign_in(teacher, app, db):
    page = "/teacher/password"
    new = {"password": "a new password!", "confirm": "a new password!"}
    for _ in range(app.config["LOGIN_ATTEMPTS"]):
        bad = teacher.post(page, dict(new, current="wrong guess"), form_page=page)
        assert "That is not your current password." in bad.get_data(as_text=True)
    refused = teacher.post(page, dict(new, current=PASSWORD), form_page=page)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    unchanged = attempt(app.test_client(), "ms-lee", "a new password!", OWNER)
    assert "do not match" in unchanged.get_data(as_text=True)


# Sessions ------------------------------------------------------------------------------

def copy_of(app, client):
    """A second browser holding a copy of *client*'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_signing_out_ends_every_copy_of_the_session(teacher, app):
    stolen = copy_of(app, teacher.client)
    elsewhere = app.test_client()
    assert sign_in(elsewhere, "ms-lee").status_code == 302
    assert stolen.get("/teacher/").status_code == 200
    teacher.post("/teacher/logout")
    assert stolen.get("/teacher/").headers["Location"].startswith("/teacher/login")
    assert elsewhere.get("/teacher/").headers["Location"].startswith("/teacher/login")
    assert sign_in(app.test_client(), "ms-lee").status_code == 302  # signing in again works


def test_a_new_password_ends_other_sessions_but_not_this_one(teacher, app):
    stolen = copy_of(app, teacher.client)
    page = "/teacher/password"
    ok = teacher.post(page, {"current": PASSWORD, "password": "a new password!",
                             "confirm": "a new password!"}, form_page=page)
    assert ok.status_code == 302
    assert teacher.get("/teacher/").status_code == 200
    assert stolen.get("/teacher/").headers["Location"].startswith("/teacher/login")


# The setup link ------------------------------------------------------------------------

def test_eight_posts_racing_with_one_setup_link_make_one_account(app, db, monkeypatch):
    from quiz.views import auth

    token = prepare(app)
    clients = [app.test_client() for _ in range(8)]
    pages = [c.get(f"/teacher/setup/{token}").get_data(as_text=True) for c in clients]
    real_hash = auth.hash_password

    def slow_hash(password):  # scrypt's time, so that every request is past the checks
        time.sleep(0.2)
        return real_hash(password)

    monkeypatch.setattr(auth, "hash_password", slow_hash)
    statuses = []

    def post(n: int) -> None:
        response = clients[n].post(f"/teacher/setup/{token}", data={
            "csrf_token": hidden(pages[n], "csrf_token"), "username": f"head{n}",
            "password": PASSWORD, "confirm": PASSWORD})
        # A post that arrives after the winner committed finds the link gone (404); one that
        # raced it to the end is sent to sign in. On a loaded machine either can happen.
        statuses.append(response.headers.get("Location", response.status_code))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.execute("SELECT count(*) FROM teacher").fetchone()[0] == 1
    assert len(statuses) == 8 and statuses.count("/teacher/") == 1
    assert all(s in ("/teacher/login", 404) for s in statuses if s != "/teacher/"), statuses


def test_a_new_start_invalidates_earlier_setup_links(app, client):
    first, second = prepare(app), prepare(app)
    assert client.get(f"/teacher/setup/{first}").status_code == 404
    assert client.get(f"/teacher/setup/{second}").status_code == 200


# Files ---------------------------------------------------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_files_and_backups_are_private(tmp_path, questions_dir, monkeypatch):
    os.umask(0o022)  # the usual umask, which made them 0644 before
    folder = tmp_path / "instance"
    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(folder))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "QUESTIONS_DIR": str(questions_dir),
                      "DATABASE": str(folder / "sourcecheck.sqlite")})
    prepare(app)
    with app.test_client() as client:
        assert client.get("/").status_code == 200  # a kept connection: -wal and -shm exist
        database = app.config["DATABASE"]
        assert mode(folder) == 0o700
        for name in (database, database + "-wal", database + "-shm"):
            assert mode(name) == 0o600, name
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "copy.sqlite") == 0o600


def test_a_start_makes_an_older_installs_database_private(app):
    os.chmod(app.config["DATABASE"], 0o644)
    prepare(app)
    assert mode(app.config["DATABASE"]) == 0o600


# Caching -------------------------------------------------------------------------------

def every_get_path(app, class_id: int, set_id: int, token: str):
    values = {"set_id": set_id, "class_id": class_id, "student_id": 1, "qid": "q-choice",
              "fmt": "yaml", "direction": "up", "token": token, "slug": "all-types",
              "filename": "app.css"}
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            if rule.endpoint == "bootstrap.static":
                values["filename"] = "css/bootstrap.min.css"
            yield rule.endpoint, rule.build({k: values.get(k, 1) for k in rule.arguments})[1]


def test_nothing_but_static_files_may_be_stored_by_a_browser(app, teacher, student, db):
    student.submit(RIGHT)
    token = db.execute("SELECT token FROM attempt").fetchone()[0]
    teacher.post("/teacher/classes/new", {"name": "Mine"}, form_page="/teacher/classes/new")
    class_id = db.execute("SELECT id FROM class").fetchone()[0]
    set_id = db.execute("SELECT id FROM question_set").fetchone()[0]
    paths = list(every_get_path(app, class_id, set_id, token))
    assert len(paths) >= 25
    for endpoint, path in paths:
        for client in (teacher.client, student.client):
            response = client.get(path)
            response.close()  # a static file is sent from an open file
            cache = response.headers.get("Cache-Control", "")
            if endpoint in ("static", "bootstrap.static"):
                assert response.status_code == 200 and "no-store" not in cache, path
            else:
                assert cache == "no-store", (endpoint, path, response.status_code)
    for path in (f"/results/{token}", f"/teacher/classes/{class_id}/summary/scores.csv",
                 f"/teacher/sets/{set_id}/export.yaml", "/teacher/"):
        response = teacher.get(path) if path.startswith("/teacher") else student.client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


# Passwords -----------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "message"), [
    ("aaaaaaaaaa", "too few different characters"),
    ("1234567890", "a run of keys or letters"),
    ("abcdefghijkl", "a run of keys or letters"),
    ("password12", "one of the most common"),
    ("Qwertyuiop!", "one of the most common"),
    ("mr-new-and-more", "Do not put your username"),
    ("short", "at least 10 characters"),
])
def test_weak_passwords_are_refused_with_a_reason(teacher, db, password, message):
    page = "/teacher/teachers/new"
    response = teacher.post(page, {"username": "mr-new", "password": password,
                                   "confirm": password}, form_page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'value="mr-new"' in html  # the username typed is kept
    assert db.execute("SELECT count(*) FROM teacher WHERE username = 'mr-new'").fetchone()[0] == 0


def test_a_new_password_is_checked_against_the_username_too(teacher):
    page = "/teacher/password"
    response = teacher.post(page, {"current": PASSWORD, "password": "ms-lee-2024!",
                                   "confirm": "ms-lee-2024!"}, form_page=page)
    assert "Do not put your username" in response.get_data(as_text=True)


# Redirects after sign-in ---------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/teacher/\r\nSet-Cookie: owned=1", "/teacher/\nLocation: https://evil.example/",
    "/\t/evil.example", "/teacher/\x00", "/tëacher/", "https:/evil.example",
])
def test_next_with_control_characters_never_reaches_a_header(owner, app, target):
    client = app.test_client()
    page = client.get("/teacher/login").get_data(as_text=True)
    response = client.post("/teacher/login", query_string={"next": target}, data={
        "csrf_token": hidden(page, "csrf_token"), "username": owner, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/teacher/"
    assert "owned" not in response.headers.get("Set-Cookie", "")


# Database errors -----------------------------------------------------------------------

def test_a_database_never_created_says_how_to_create_it(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "DATABASE": str(tmp_path / "never.sqlite")})
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "database is not set up" in html
    assert "sourcecheck serve" in html and "sourcecheck init-db" in html
    assert "disk" not in html and "Traceback" not in html


def test_a_signed_in_teacher_on_a_database_never_created_is_told_how_to_create_it(teacher, app):
    # The server restarted after its database file went: the teacher's cookie outlives it.
    quiz.db._local.db.close()
    quiz.db._local.db = None
    for suffix in ("", "-wal", "-shm"):
        Path(app.config["DATABASE"] + suffix).unlink(missing_ok=True)
    for path in ("/teacher/", "/teacher/classes/new", "/"):
        response = teacher.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert "database is not set up" in html, path
        assert "sourcecheck serve" in html and "sourcecheck init-db" in html, path


# CSV -----------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\uff1dHYPERLINK()", "\uff0b1", "\uff0d1",
    "\uff20x", "|cmd", ";x", " =1+1", "\u200b=1", "\ufeff@x", "\u00a0\u3000+1",
])
def test_csv_cells_a_spreadsheet_would_run_are_guarded(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ada", "O'Neil", " Ada", "1+1", "a=b", 3, -2.5])
def test_csv_cells_that_are_plain_pass_unchanged(cell):
    assert safe_cell(cell) == cell


def test_downloads_name_one_charset(teacher, db):
    teacher.post("/teacher/classes/new", {"name": "Mine"}, form_page="/teacher/classes/new")
    class_id = db.execute("SELECT id FROM class").fetchone()[0]
    set_id = db.execute("SELECT id FROM question_set").fetchone()[0]
    for path, expected in [(f"/teacher/classes/{class_id}/summary/scores.csv", "text/csv"),
                           (f"/teacher/sets/{set_id}/export.gift", "text/plain"),
                           (f"/teacher/sets/{set_id}/export.yaml", "application/yaml")]:
        assert teacher.get(path).headers["Content-Type"] == f"{expected}; charset=utf-8"


def test_a_session_from_before_the_upgrade_ends_at_the_next_sign_out(teacher, app, db):
    teacher_id = db.execute("SELECT id FROM teacher").fetchone()[0]
    old = app.test_client()
    with old.session_transaction() as session:
        session["_user_id"] = str(teacher_id)  # how sessions named a teacher before
    assert old.get("/teacher/").status_code == 200
    teacher.post("/teacher/logout")
    assert old.get("/teacher/").headers["Location"].startswith("/teacher/login")
