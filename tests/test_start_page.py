"""The start page and its header: a student's visit loads no teacher; a teacher's header stays."""

from __future__ import annotations

import pytest

from quiz import db as quiz_db
from tests.helpers import Student, class_with_set, hidden, join_class, soup


def header_links(html: str) -> list[str]:
    """Return the site header's link and button texts, in order."""
    return [a.get_text(strip=True) for a in soup(html).select("header a, header button")]


def statements_of(app, client, path: str) -> list[str]:
    """Return the SQL statements a GET of *path* runs."""
    statements: list[str] = []
    with app.app_context():
        quiz_db.get_db().set_trace_callback(statements.append)  # the view's own connection
        try:
            assert client.get(path).status_code == 200
        finally:
            quiz_db.get_db().set_trace_callback(None)
    return statements


def test_a_first_visit_stores_only_the_csrf_token_in_the_session(client):
    # Flask-Login's loader used to run for every page and write "_fresh" into each student's
    # cookie; a student's session holds only what SourceCheck put there.
    assert client.get("/sets/all-types").status_code == 200
    with client.session_transaction() as session:
        assert set(session) == {"csrf_token"}


@pytest.mark.parametrize("member", [False, True])
def test_a_students_start_page_never_asks_for_a_teacher(app, db, client, member):
    if member:
        client = join_class(app, class_with_set(db, "all-types")["code"], "Ada").client
    statements = statements_of(app, client, "/sets/all-types")
    assert statements and not [s for s in statements if "teacher" in s.lower()]


def test_a_visitor_sees_the_visitors_header_on_the_start_page(client):
    html = client.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "Join a class", "Teachers"]


def test_a_class_member_sees_my_class_on_the_start_page(app, db):
    student = join_class(app, class_with_set(db, "all-types")["code"], "Ada")
    html = student.client.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "My class"]
    assert "You are answering as <strong>Ada</strong>" in html


def test_a_signed_in_teacher_keeps_their_header_on_the_start_page(app, teacher):
    html = teacher.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "Teacher", "Sign out"]
    # The header's sign-out form carries a CSRF token that signs the teacher out.
    response = teacher.client.post("/teacher/logout",
                                   data={"csrf_token": hidden(html, "csrf_token")})
    assert response.status_code == 302
    html = teacher.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "Join a class", "Teachers"]


def test_a_teacher_whose_session_was_ended_elsewhere_sees_the_visitors_header(app, db, teacher):
    from quiz import transactions

    with app.app_context():
        teacher_id = db.execute("SELECT id FROM teacher WHERE username = 'ms-lee'").fetchone()[0]
        transactions.end_sessions(db, teacher_id)
    html = teacher.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "Join a class", "Teachers"]


def test_the_dashboard_still_greets_the_teacher_by_name(teacher):
    assert "Hello, ms-lee" in teacher.get("/teacher/").get_data(as_text=True)


def test_a_student_who_started_a_quiz_keeps_the_visitors_header(client):
    Student(client).start()
    html = client.get("/sets/all-types").get_data(as_text=True)
    assert header_links(html) == ["", "Question sets", "Join a class", "Teachers"]
    assert 'value="Ada"' in html


def test_the_headers_links_are_built_once_and_follow_the_script_root(client):
    # base.html's fixed links are cached per script root: a second root gets its own.
    plain = client.get("/sets/all-types").get_data(as_text=True)
    mounted = client.get("/sets/all-types", base_url="http://localhost/school")
    mounted = mounted.get_data(as_text=True)
    again = client.get("/sets/all-types").get_data(as_text=True)
    links = [(tag.name, tag.get("href") or tag.get("src"))
             for tag in soup(plain).select("link[href], header a, header img")]
    assert ("link", "/static/app.css") in links and ("a", "/join") in links
    assert ("img", "/static/wordmark.svg") in links and ("a", "/teacher/login") in links
    for name, url in links:
        assert f'"/school{url}"' in mounted and f'"{url}"' in again, (name, url)
    assert '"/school/favicon.ico"' in mounted
