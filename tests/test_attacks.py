"""Attacks: forged posts, other people's ids, script and SQL in every field, oversized bodies."""

from __future__ import annotations

import io

import pytest
import yaml

from tests.helpers import RIGHT, Student, hidden

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQLI = "x'); DROP TABLE attempt; --"


def post_rules(app):
    """Every URL rule that accepts POST, with placeholder ids filled in."""
    values = {"slug": "all-types", "set_id": 1, "class_id": 1, "student_id": 1, "token": "x",
              "qid": "q-choice", "fmt": "yaml", "direction": "up"}
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule.endpoint, rule.build({k: values.get(k, 1) for k in rule.arguments})[1]


def test_every_post_without_a_csrf_token_is_refused(app, teacher, student, db):
    rules = list(post_rules(app))
    assert len(rules) >= 15
    for endpoint, path in rules:
        clients = [student.client] + ([teacher.client] if path.startswith("/teacher") else [])
        for client in clients:
            response = client.post(path, data={"name": "x", "username": "x", "password": "x"})
            assert response.status_code == 400, (endpoint, path, response.status_code)
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM class").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == 1  # bundled only


def teacher_get_rules(app):
    values = {"set_id": 1, "class_id": 1, "student_id": 1, "qid": "q-choice", "fmt": "yaml",
              "direction": "up",
              "token": "x", "set_slug": "all-types"}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/teacher/") and "GET" in rule.methods \
                and not rule.endpoint.startswith(("auth.login", "auth.setup")):
            yield rule.rule, rule.build({k: values.get(k, 1) for k in rule.arguments})[1]


def test_every_teacher_page_sends_anonymous_visitors_to_sign_in(app, client):
    rules = list(teacher_get_rules(app))
    assert len(rules) >= 10
    for rule, path in rules:
        response = client.get(path)
        assert response.status_code == 302, rule
        assert response.headers["Location"].startswith("/teacher/login?next="), rule


def test_every_teacher_post_sends_anonymous_visitors_to_sign_in(app, client, db):
    # A valid CSRF token, so that it is the sign-in check that refuses.
    token = hidden(client.get("/teacher/login").get_data(as_text=True), "csrf_token")
    rules = [(e, p) for e, p in post_rules(app) if p.startswith("/teacher/")
             and not e.startswith(("auth.login", "auth.setup", "auth.logout"))]
    assert len(rules) >= 15
    for endpoint, path in rules:
        response = client.post(path, data={"csrf_token": token, "name": "x"})
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/teacher/login?next="), endpoint
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == 1


def test_ids_of_another_teacher_and_missing_ids_look_the_same(teacher, other_teacher, db):
    teacher.post("/teacher/classes/new", {"name": "Mine"}, form_page="/teacher/classes/new")
    class_id = db.execute("SELECT id FROM class").fetchone()[0]
    theirs = other_teacher.get(f"/teacher/classes/{class_id}")
    missing = other_teacher.get("/teacher/classes/99999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.get_data() == missing.get_data()


def xss_set(raw_set: dict) -> dict:
    raw_set["id"] = "xss-set"
    raw_set["title"] = f"Title {XSS}"
    raw_set["intro"] = f"Intro {XSS}"
    raw_set["takeaways"] = [f"Takeaway {XSS}"]
    raw_set["article"]["title"] = f"Article {XSS}"
    raw_set["article"]["text"] += f"\n\nA sentence with {XSS} inside.\n"
    q = raw_set["questions"][0]
    q["prompt"] = f"Prompt {XSS}"
    q["explanation"] = f"Explanation {XSS}"
    q["options"][0]["text"] = f"Option {XSS}"
    q["options"][0]["explanation"] = f"Why {XSS}"
    return raw_set


def test_script_in_every_field_is_shown_as_text_everywhere(teacher, db, app, raw_set):
    body = yaml.safe_dump(xss_set(raw_set))
    response = teacher.post("/teacher/sets/import", {
        "file": (io.BytesIO(body.encode()), "x.yaml")}, form_page="/teacher/sets/import",
        content_type="multipart/form-data")
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    teacher.post(f"/teacher/sets/{set_id}/publish")
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    teacher.post("/teacher/classes/new", {"name": f"Class {XSS}"},
                 form_page="/teacher/classes/new")
    class_id, code = db.execute("SELECT id, code FROM class").fetchone()
    teacher.post(f"/teacher/classes/{class_id}/sets", {"sets": [str(set_id)]},
                 form_page=f"/teacher/classes/{class_id}")
    student = Student(app.test_client())
    page = student.client.get("/join").get_data(as_text=True)
    student.client.post("/join", data={"csrf_token": hidden(page, "csrf_token"), "code": code,
                                       "name": f"N{XSS}"[:60]})
    quiz_html, fields = student.open_quiz(slug)
    results = student.submit({"q-q-choice": "a"}, slug=slug, fields=fields)
    pages = [quiz_html, student.client.get(results.headers["Location"]).get_data(as_text=True),
             student.client.get("/class").get_data(as_text=True)]
    pages += [teacher.get(p).get_data(as_text=True) for p in (
        "/teacher/", f"/teacher/sets/{set_id}", f"/teacher/sets/{set_id}/key",
        f"/teacher/sets/{set_id}/preview", f"/teacher/classes/{class_id}")]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in pages[1]


@pytest.mark.parametrize("name", [SQLI, "' OR '1'='1", "Robert\"; --", "1; SELECT * FROM teacher"])
def test_sql_in_student_names_is_stored_as_text(client, db, name):
    s = Student(client)
    s.start(name=name)
    s.submit(RIGHT)
    assert db.execute("SELECT student_name FROM attempt").fetchone()[0] == name
    assert db.execute("SELECT count(*) FROM response").fetchone()[0] == 6


@pytest.mark.parametrize("path", ["/sets/' OR 1=1 --", "/sets/all-types'--/quiz",
                                  "/results/' OR '1'='1", "/teacher/sets/1 OR 1=1"])
def test_sql_in_urls_changes_nothing(client, db, path):
    assert client.get(path).status_code in (302, 404)
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == 1


@pytest.mark.parametrize("username", ["' OR '1'='1", "admin'--", SQLI])
def test_sql_in_login_does_not_sign_in(teacher, app, db, username):
    client = app.test_client()
    page = client.get("/teacher/login").get_data(as_text=True)
    response = client.post("/teacher/login", data={"csrf_token": hidden(page, "csrf_token"),
                                                    "username": username, "password": "' OR 1=1"})
    # Refused by the username rules before any query (issue 11), and never signed in.
    assert response.status_code == 200 and "Use 2 to 40 letters" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM teacher").fetchone()[0] == 1


def test_sql_in_join_code_is_just_a_wrong_code(client):
    page = client.get("/join").get_data(as_text=True)
    html = client.post("/join", data={"csrf_token": hidden(page, "csrf_token"),
                                      "code": "' OR 1=1--", "name": "x"}).get_data(as_text=True)
    assert "No class has that code." in html


def test_oversized_body_gets_413(student, app):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    _, fields = student.open_quiz()
    response = student.submit({"q-q-text": "x" * 20_000}, fields=fields)
    assert response.status_code == 413
    assert "That is too large" in response.get_data(as_text=True)


def test_error_pages_carry_no_stack_trace(app, client, monkeypatch):
    from quiz import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queries, "published_sets", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internals" not in html and "Traceback" not in html
    assert "Something went wrong" in html
