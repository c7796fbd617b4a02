"""A stored submit checks its CSRF token as strictly as the form would, without building it."""

from __future__ import annotations

from tests.helpers import Student


def count(db) -> int:
    return db.execute("SELECT count(*) FROM attempt").fetchone()[0]


def refused_with_answers_kept(response, db) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your answers are still here." in html and 'value="kept answer"' in html
    assert count(db) == 0


def test_a_token_of_another_browser_is_refused(app, student, db):
    other = Student(app.test_client())
    other.start(name="Bo")
    _, theirs = other.open_quiz()
    _, fields = student.open_quiz()
    response = student.submit({"q-q-text": "kept answer"},
                              fields=dict(fields, csrf_token=theirs["csrf_token"]))
    refused_with_answers_kept(response, db)


def test_a_token_with_a_changed_signature_is_refused(student, db):
    _, fields = student.open_quiz()
    signed, signature = fields["csrf_token"].rsplit(".", 1)
    # The first character, not the last: the last holds padding bits that decode the same.
    forged = f"{signed}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    response = student.submit({"q-q-text": "kept answer"}, fields=dict(fields, csrf_token=forged))
    refused_with_answers_kept(response, db)


def test_a_token_signed_under_an_earlier_secret_is_refused(app, student, db):
    _, fields = student.open_quiz()
    assert student.submit({"q-q-text": "first"}, fields=fields).status_code == 303
    student.client.post("/sets/all-types/again", data={"csrf_token": fields["csrf_token"]})
    _, signed_before = student.open_quiz()  # a new page, its token signed under SECRET_KEY
    app.config["WTF_CSRF_SECRET_KEY"] = "a CSRF secret of its own"
    response = student.submit({"q-q-text": "kept answer"}, fields=signed_before)
    assert response.status_code == 400 and 'value="kept answer"' in response.get_data(
        as_text=True)
    assert count(db) == 1
    _, signed_now = student.open_quiz()
    assert signed_now["submit_key"] == signed_before["submit_key"]
    assert student.submit({"q-q-text": "second"}, fields=signed_now).status_code == 303
    assert count(db) == 2
