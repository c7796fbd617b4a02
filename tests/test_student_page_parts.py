"""The quiz page put together from parts rendered once: the same page, byte for byte."""

from __future__ import annotations

import pytest

from quiz import caches, create_app
from quiz.cli import prepare
from tests.conftest import ROOT
from tests.helpers import Student, hidden, inputs, soup


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """An app with every bundled set and the all-types test set."""
    folder = tmp_path_factory.mktemp("parts")
    app = create_app({"TESTING": True, "SECRET_KEY": "parts-secret",
                      "DATABASE": str(folder / "test.sqlite"),
                      "QUESTIONS_DIR": str(ROOT / "questions")})
    prepare(app)
    with app.app_context():
        from quiz import queries
        from quiz.db import get_db
        slugs = [row["slug"] for row in queries.published_sets(get_db())]
    return app, slugs


def page_both_ways(client, slug: str, monkeypatch) -> tuple[str, str]:
    """The same quiz page from parts, then rendered whole; the CSRF token taken out."""
    made, parts = [], caches.blank_questions
    with monkeypatch.context() as patch:
        patch.setattr(caches, "blank_questions", lambda *args: made.append(parts(*args))
                      or made[-1])
        fast = client.get(f"/sets/{slug}/quiz").get_data(as_text=True)
    assert made and made[-1] is not None  # the page was put together from parts
    with monkeypatch.context() as patch:
        patch.setattr(caches, "blank_questions", lambda *args: None)
        whole = client.get(f"/sets/{slug}/quiz").get_data(as_text=True)
    return (fast.replace(hidden(fast, "csrf_token"), ""),
            whole.replace(hidden(whole, "csrf_token"), ""))


def test_every_bundled_quiz_page_from_parts_is_the_page_rendered_whole(bundled, monkeypatch):
    app, slugs = bundled
    assert len(slugs) >= 6
    for slug in slugs:
        for name in ("Ada", "Bo", "Cy"):  # each its own order and option values
            s = Student(app.test_client())
            s.start(slug, name=name)
            fast, whole = page_both_ways(s.client, slug, monkeypatch)
            assert 'data-question' in fast
            assert fast == whole, slug


def test_pages_from_parts_keep_each_students_order_and_values(app, monkeypatch):
    pages = []
    for name in ("Ada", "Bo"):
        s = Student(app.test_client())
        s.start(name=name)
        fast, whole = page_both_ways(s.client, "all-types", monkeypatch)
        assert fast == whole
        pages.append(fast)
    radios = [[i["value"] for i in inputs(page) if i.get("name") == "q-q-choice"]
              for page in pages]
    assert len(radios[0]) == len(radios[1]) >= 3
    assert set(radios[0]).isdisjoint(radios[1])  # values differ on every page


@pytest.mark.parametrize(("typed", "where"), [
    ("\x02", "        text: The council voted 7 to 2."),  # a statement: it has no value
    ("\x02", "        text: The mayor\n"),  # an option: its value must not reach the label
    ("\x01", "        text: The council voted 7 to 2."),
], ids=["value-mark-in-statement", "value-mark-in-option", "cut-mark-in-statement"])
def test_a_question_holding_a_part_mark_is_rendered_whole(tmp_path, typed, where):
    # The parts are cut at two control characters; one typed into a question must not cut it.
    from tests.helpers import ALL_TYPES
    text = ALL_TYPES.read_text(encoding="utf-8")
    assert where in text
    escaped = typed.encode("unicode_escape").decode()  # YAML's "\x02" in double quotes
    marked = where.replace("text: The ", f'text: "The {escaped}').rstrip("\n") + '"'
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "all-types.yaml").write_text(
        text.replace(where.rstrip("\n"), marked, 1), encoding="utf-8")
    app = create_app({"TESTING": True, "SECRET_KEY": "parts-secret",
                      "DATABASE": str(tmp_path / "test.sqlite"),
                      "QUESTIONS_DIR": str(tmp_path / "questions")})
    prepare(app)
    s = Student(app.test_client())
    s.start("all-types", name="Ada")
    page = s.client.get("/sets/all-types/quiz")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "voted 7 to 2" in html
    values = [i["value"] for i in inputs(html) if i.get("name") == "q-q-choice"]
    labels = " ".join(label.get_text() for label in soup(html).select("label.form-check-label"))
    assert values and not any(v in labels for v in values)  # no option value shown as text
    assert "mayor" in labels
