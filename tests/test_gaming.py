"""Nothing a quiz page sends predicts the key: answering by position or value scores chance.

Every choice and multi option on a quiz page carries an opaque per-page value
(`scoring.PageKey`), in a shuffled order. These tests answer bundled, GIFT-imported and
editor-written sets (whose authored ids follow writing order, the right option first) by
position and by value, over many pages, and check the score stays near chance.
"""

from __future__ import annotations

from collections import defaultdict
from math import sqrt

import pytest

from quiz import caches, imports, questionsets, scoring, transactions
from quiz.db import connect
from tests.helpers import ROOT, Student, inputs

PAGES = 40
STRATEGIES = {
    "first radio": lambda values: values[0],
    "last radio": lambda values: values[-1],
    "smallest value": min,
    "largest value": max,
}

GIFT = """::Who::Who gives the figure? {=The mayor ~Jo Bloggs ~The Gazette ~Nobody}

::Source::What is the source of the claim? {=An official report ~A rumour ~A tweet}

::Hedge::Which word hedges? {=reportedly ~said ~voted ~added}
"""


def editor_set() -> dict:
    """A set as the editor writes it: options lettered a, b, c... in writing order."""
    raw = questionsets.load_file(ROOT / "tests/data/all-types.yaml")
    raw = dict(raw, id="editor-set", questions=[
        {"id": f"q-{n}", "type": "choice", "prompt": f"Question {n}?", "points": 1,
         "skill": "source", "difficulty": "easy", "explanation": "Because.", "evidence": [],
         "options": [{"id": letter, "text": f"Option {letter} of {n}", "correct": letter == "a",
                      "explanation": "Why."} for letter in "abcd"]}
        for n in range(1, 6)])
    return questionsets.parse_set(raw, "editor-set", None)


@pytest.fixture
def gaming_app(app, questions_dir):
    """The app with the bundled sets, a GIFT import and an editor-style set, all published."""
    db = connect(app.config["DATABASE"])
    documents, problems = questionsets.check(ROOT / "questions")
    assert not problems
    gift = imports.read_import("imported.gift", GIFT, questions_dir).document
    for document in [*documents, dict(gift, published=True), editor_set()]:
        transactions.store_document(db, dict(document, published=True))
    db.close()
    return app


def option_inputs(html: str) -> list[tuple[str, str, str]]:
    """Return (question id, element id, value) of each answer option on a quiz page, in order."""
    return [(field["name"].removeprefix("q-"), field.get("id"), field.get("value"))
            for field in inputs(html)
            if field.get("type") in ("radio", "checkbox")
            and "form-check-input" in field.get("class", [])
            and field.get("name", "").startswith("q-")]


def choice_questions(document: dict) -> list[dict]:
    return [q for q in document["questions"] if q["type"] in ("choice", "multi")]


def pages(app, slug: str):
    """Yield (page key, {question id: [option values in page order]}) for fresh quiz pages."""
    student = Student(app.test_client())
    for _ in range(PAGES):
        student.start(slug)  # a new attempt: the quiz page is the same until one is started
        html, fields = student.open_quiz(slug)
        options = defaultdict(list)
        for qid, element_id, value in option_inputs(html):
            assert element_id == f"q-{qid}-{value}"  # the id says no more than the value
            options[qid].append(value)
        yield scoring.PageKey(app.config["SECRET_KEY"], fields["submit_key"]), html, options


def test_answering_by_position_or_value_scores_chance(gaming_app):
    documents = questionsets.check(ROOT / "questions")[0]
    slugs = [d["id"] for d in documents] + ["imported", "editor-set"]
    db = connect(gaming_app.config["DATABASE"])
    by_slug = {slug: caches.shared_document(db, queries_row(db, slug)) for slug in slugs}
    db.close()
    hits = dict.fromkeys(STRATEGIES, 0.0)
    chance = variance = 0.0
    meaning: dict[tuple[str, str], tuple[str, int]] = {}
    for slug, document in by_slug.items():
        questions = {q["id"]: q for q in choice_questions(document) if q["type"] == "choice"}
        for n, (page, html, options) in enumerate(pages(gaming_app, slug)):
            for qid, q in questions.items():
                values = options[qid]
                ids = page.options(q)
                assert sorted(values) == sorted(ids)
                for o in q["options"]:  # no authored id appears as a value or an element id
                    assert f'value="{o["id"]}"' not in html or o["id"].isdigit()
                for value in values:
                    assert meaning.setdefault((slug, value), (qid, n)) == (qid, n), \
                        "a value meant an option on two pages"
                right = next(o["id"] for o in q["options"] if o["correct"])
                for name, pick in STRATEGIES.items():
                    hits[name] += ids[pick(values)] == right
                p = 1 / len(values)
                chance += p
                variance += p * (1 - p)
    margin = 4 * sqrt(variance)  # four standard deviations of the number of lucky hits
    assert chance > 150  # ~900 question pages: 4 sd is about ±50 hits around ~220
    for name, got in hits.items():
        assert abs(got - chance) < margin, f"{name}: {got} right, chance {chance:.0f}±{margin:.0f}"


def queries_row(db, slug: str):
    from quiz import queries

    return queries.set_by_slug(db, slug)


def test_always_answering_a_through_the_quiz_scores_chance_not_full_marks(gaming_app):
    """The reported attack: `a` everywhere scored 14 of 14; now `a` is no value at all."""
    student = Student(gaming_app.test_client())
    student.start("editor-set")
    _, fields = student.open_quiz("editor-set")
    answers = {f"q-q-{n}": "a" for n in range(1, 6)}  # sent as they are, not as page values
    response = student.client.post("/sets/editor-set/quiz", data=dict(fields, **answers))
    assert response.status_code == 400
    assert "This answer sheet was changed" in response.get_data(as_text=True)
