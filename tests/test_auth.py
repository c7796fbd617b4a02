"""Teacher accounts: no default password, setup link, sign-in, throttling, safe redirects."""

from __future__ import annotations

import pytest

from quiz import create_app
from quiz.cli import prepare
from tests.helpers import PASSWORD, hidden, sign_in


def test_no_account_exists_until_one_is_made(db):
    assert db.execute("SELECT count(*) FROM teacher").fetchone()[0] == 0


def test_setup_link_creates_the_first_account_once(app, client, db):
    token = prepare(app)
    assert token
    page = client.get(f"/teacher/setup/{token}").get_data(as_text=True)
    response = client.post(f"/teacher/setup/{token}", data={
        "csrf_token": hidden(page, "csrf_token"), "username": "head", "password": PASSWORD,
        "confirm": PASSWORD})
    assert response.headers["Location"] == "/teacher/"
    assert client.get("/teacher/").status_code == 200
    assert client.get(f"/teacher/setup/{token}").status_code == 404  # used up
    assert prepare(app) is None  # no new link once a teacher exists
    row = db.execute("SELECT password_hash FROM teacher WHERE username = 'head'").fetchone()
    assert row[0].startswith("pbkdf2:sha256:1000$") and PASSWORD not in row[0]


def test_installs_hash_passwords_with_scrypt(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "x.db")})
    from quiz.views.auth import hash_password

    with app.app_context():
        assert hash_password("a long password").startswith("scrypt:")


def test_a_wrong_setup_token_is_404(client):
    assert client.get("/teacher/setup/guess").status_code == 404


def test_create_teacher_command_reads_the_password_from_stdin(runner, client):
    result = runner.invoke(args=["create-teacher", "ms-ng", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client, "ms-ng").headers["Location"] == "/teacher/"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["create-teacher", "x y", "--password-stdin"], PASSWORD, "not a valid username"),
    (["create-teacher", "short", "--password-stdin"], "tiny", "at least 10 characters"),
    (["create-teacher", "x" * 41, "--password-stdin"], PASSWORD, "not a valid username"),
    (["create-teacher", "ms-ng", "--password-stdin"], "1234567890", "a run of keys"),
    (["create-teacher", "ms-ng", "--password-stdin"], "password12", "most common"),
    (["create-teacher", "ms-ng", "--password-stdin"], "ms-ng-is-here", "your username"),
])
def test_create_teacher_command_refuses_bad_input(runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin + "\n")
    assert result.exit_code != 0 and message in result.output


def test_sign_in_with_a_wrong_password_fails_without_saying_which_part(teacher, app):
    client = app.test_client()
    html = sign_in(client, "ms-lee", "wrong password").get_data(as_text=True)
    assert "That username and password do not match." in html
    html2 = sign_in(client, "nobody", "wrong password").get_data(as_text=True)
    assert "That username and password do not match." in html2


def test_five_failures_for_one_account_make_the_sixth_wait(teacher, app):
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, "ms-lee", "nope").status_code == 200
    response = sign_in(client, "ms-lee", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed sign-ins. Wait 15 minutes" in response.get_data(as_text=True)


def test_failures_expire_after_the_window(teacher, app, monkeypatch):
    import time

    client = app.test_client()
    for _ in range(5):
        sign_in(client, "ms-lee", "nope")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    assert sign_in(client, "ms-lee", PASSWORD).status_code == 302


def test_failures_from_one_address_are_throttled_across_accounts(teacher, app):
    client = app.test_client()
    for n in range(app.config["LOGIN_ADDRESS_ATTEMPTS"]):
        assert sign_in(client, f"guess{n}", "nope").status_code == 200
    assert sign_in(client, "ms-lee", PASSWORD).status_code == 429


@pytest.mark.parametrize(("target", "expected"), [
    ("/teacher/classes/new", "/teacher/classes/new"),
    ("https://evil.example/", "/teacher/"),
    ("//evil.example/", "/teacher/"),
    ("/\\evil.example", "/teacher/"),
    ("javascript:alert(1)", "/teacher/"),
])
def test_next_only_redirects_within_the_site(teacher, app, target, expected):
    client = app.test_client()
    page = client.get("/teacher/login").get_data(as_text=True)
    response = client.post("/teacher/login", query_string={"next": target}, data={
        "csrf_token": hidden(page, "csrf_token"), "username": "ms-lee", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_sign_out_needs_a_post_with_csrf(teacher):
    assert teacher.client.post("/teacher/logout").status_code == 400
    assert teacher.post("/teacher/logout").headers["Location"] == "/"
    assert teacher.get("/teacher/").status_code == 302


def test_change_password(teacher, app):
    page = "/teacher/password"
    bad = teacher.post(page, {"current": "wrong", "password": "a new password!",
                              "confirm": "a new password!"}, form_page=page)
    assert "That is not your current password." in bad.get_data(as_text=True)
    ok = teacher.post(page, {"current": PASSWORD, "password": "a new password!",
                             "confirm": "a new password!"}, form_page=page)
    assert ok.status_code == 302
    assert sign_in(app.test_client(), "ms-lee", "a new password!").status_code == 302


def test_teacher_creates_a_colleague(teacher, app):
    page = "/teacher/teachers/new"
    taken = teacher.post(page, {"username": "ms-lee", "password": PASSWORD,
                                "confirm": PASSWORD}, form_page=page)
    assert "That username is taken." in taken.get_data(as_text=True)
    teacher.post(page, {"username": "mr-new", "password": PASSWORD, "confirm": PASSWORD},
                 form_page=page)
    assert sign_in(app.test_client(), "mr-new").status_code == 302


def test_session_cookie_is_httponly_and_samesite(teacher):
    cookie = teacher.client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_secure_cookie_setting_for_https_deployments(app):
    assert "Secure" not in app.test_client().get("/teacher/login").headers["Set-Cookie"]
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = app.test_client().get("/teacher/login").headers["Set-Cookie"]
    assert cookie.startswith("session=") and "; Secure" in cookie


def test_behind_a_trusted_proxy_throttling_counts_the_client_address(tmp_path, db):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "TRUSTED_PROXIES": 1,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "DATABASE": str(tmp_path / "proxy.sqlite")})
    prepare(app)
    client = app.test_client()

    def attempt(address: str):
        page = client.get("/teacher/login").get_data(as_text=True)
        return client.post("/teacher/login", headers={"X-Forwarded-For": address}, data={
            "csrf_token": hidden(page, "csrf_token"), "username": f"u{address}",
            "password": "wrong"})

    for _ in range(5):
        attempt("203.0.113.7")
    assert attempt("203.0.113.7").status_code == 429
    assert attempt("198.51.100.9").status_code == 200  # another pupil's address is not locked
