"""The quiz page put together from parts rendered once: the same page, byte for byte."""

from __future__ import annotations

import pytest

from quiz import caches, create_app
from quiz.cli import prepare
from tests.conftest import ROOT
from tests.helpers import Student, hidden, inputs


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
