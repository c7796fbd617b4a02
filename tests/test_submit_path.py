"""The quiz submit's success path (issue 17): checked as strictly, built and stored cheaper."""

from __future__ import annotations

import pytest

from quiz import forms
from tests.helpers import RIGHT, Student, hidden, option_checked


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_stored_submit_builds_no_form(student, db, monkeypatch):
    built = []
    real = forms.QuizForm.__init__
    monkeypatch.setattr(forms.QuizForm, "__init__",
                        lambda self, *a, **kw: built.append(1) or real(self, *a, **kw))
    _, fields = student.open_quiz()
    built.clear()
    response = student.submit(RIGHT, fields=fields)
    assert response.status_code == 303
    assert built == []  # no form, so no CSRF token signed for a redirect that never shows it
    assert count(db, "attempt") == 1


def test_a_csrf_token_of_another_browser_is_refused_and_keeps_answers(app, student, db):
    other = Student(app.test_client())
    other.start(name="Bo")
    _, theirs = other.open_quiz()
    _, fields = student.open_quiz()
    fields["csrf_token"] = theirs["csrf_token"]
    response = student.submit({"q-q-text": "kept answer", "q-q-choice": "c"}, fields=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="kept answer"' in html and option_checked(student.client, html, "q-choice", "c")
    assert count(db, "attempt") == 0


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "has spaces in it!!", "é" * 20])
def test_a_submit_key_the_page_cannot_send_is_refused_and_keeps_answers(student, db, key):
    _, fields = student.open_quiz()
    fields["submit_key"] = key
    response = student.submit({"q-q-text": "kept answer"}, fields=fields)
    assert response.status_code == 400
    assert 'value="kept answer"' in response.get_data(as_text=True)
    assert count(db, "attempt") == 0


@pytest.mark.parametrize("value", ["", "false"])
def test_a_false_confirmation_asks_again(student, db, value):
    _, fields = student.open_quiz()
    response = student.submit({"q-q-text": "my answer"}, fields=dict(fields, confirm_blank=value),
                              confirm=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Unanswered questions score 0." in html
    assert 'value="my answer"' in html
    assert hidden(html, "submit_key") == fields["submit_key"]
    assert count(db, "attempt") == 0


def test_a_stored_submit_answers_a_bare_303_with_every_security_header_once(student):
    response = student.submit(RIGHT)
    assert response.status_code == 303 and response.get_data() == b""
    assert response.headers["Location"].startswith("/results/")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                 "Referrer-Policy", "Cache-Control"):
        assert len(response.headers.getlist(name)) == 1, name
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("path", "no_store"), [
    ("/static/app.css", False),  # send_file's own Cache-Control is kept
    ("/favicon.ico", True),  # send_file's, replaced: not a static endpoint
    ("/", True),
])
def test_security_headers_are_added_once_to_files_and_pages(client, path, no_store):
    response = client.get(path)
    response.close()  # a file response holds the file open
    assert response.status_code == 200
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert len(response.headers.getlist("Cache-Control")) == 1
    assert (response.headers["Cache-Control"] == "no-store") is no_store


def test_the_authors_answers_are_folded_once_not_on_every_submit(monkeypatch):
    from quiz import questionsets, scoring
    from quiz.questiontypes import text
    from tests.helpers import ALL_TYPES

    question = next(q for q in questionsets.load_file(ALL_TYPES)["questions"]
                    if q["type"] == "text")
    question = dict(question, **{key: [dict(a, text=a["text"] + " (once)") for a in question[key]]
                                 for key in ("answers", "wrong_answers")})  # new to the cache
    folded = []
    real = text.fold
    monkeypatch.setattr(text, "fold", lambda value: folded.append(value) or real(value))
    assert scoring.score(question, "no such answer").verdict == "wrong"
    folded.clear()
    assert scoring.score(question, "the daily planet").verdict == "wrong"
    assert scoring.score(question, "test gazette, once").verdict == "right"
    assert folded == ["the daily planet", "test gazette, once"]  # only the students' answers


def traced_submit(app, student, fields=None) -> list[str]:
    """Submit the right answers; return every SQL statement the view ran."""
    from quiz import db as quiz_db

    fields = fields or student.open_quiz()[1]
    statements: list[str] = []
    with app.app_context():
        quiz_db.get_db().set_trace_callback(statements.append)  # the view's own connection
    try:
        assert student.submit(RIGHT, fields=fields).status_code == 303
    finally:
        with app.app_context():
            quiz_db.get_db().set_trace_callback(None)
    return statements


def test_a_page_of_the_current_version_reads_no_version_again(app, student):
    statements = traced_submit(app, student)
    assert sum("FROM question_set s" in s for s in statements) == 1  # the set by its slug


def test_a_submit_stores_its_responses_in_one_insert(app, student, db):
    inserts = [s for s in traced_submit(app, student) if s.startswith("INSERT INTO response")]
    assert len(inserts) == 1
    stored = db.execute("SELECT question_id, answer, verdict FROM response").fetchall()
    assert len(stored) == 6 and {row["verdict"] for row in stored} == {"right"}
    assert {row["question_id"]: row["answer"] for row in stored}["q-text"] == '"test GAZETTE!"'


def test_responses_past_one_statement_are_all_stored_in_one_transaction(app, db):
    from quiz import queries, transactions

    with app.app_context():
        version = db.execute("SELECT id FROM set_version").fetchone()["id"]
    document = {"questions": [{"id": f"q{n}", "type": "text", "points": 1,
                               "answers": [{"text": "yes", "explanation": "."}],
                               "wrong_answers": []} for n in range(250)]}
    answers = {f"q{n}": "yes" if n % 2 else None for n in range(250)}
    token = transactions.record_attempt(db, version, document, answers, "Ada", "k" * 20)
    attempt = queries.attempt_by_token(db, token)
    stored = queries.responses(db, attempt["id"])
    assert [r["position"] for r in stored] == list(range(250))
    assert [r["answer"] for r in stored][:2] == [None, '"yes"']
    assert attempt["points"] == 125
