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
