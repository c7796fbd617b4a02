"""Question types are one unit each: a seventh type needs its class, two templates, a fixture.

The end-to-end test registers a throwaway type from here (a class and two template strings)
and runs it through every place a type shows: the set file, the quiz page, submitting,
scoring, the results page and the editor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import ChoiceLoader, DictLoader
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from quiz import questionsets, questiontypes, scoring
from quiz.questiontypes import REGISTRY, QuestionType, Row
from quiz.questiontypes.base import result, single
from tests.helpers import ALL_TYPES, ROOT, Student, hidden

QUIZ = ROOT / "quiz"


class Number(QuestionType):
    """A whole number typed by the student (a throwaway type for this test)."""

    name = "number"
    title = "A number"
    about = "Students type a whole number."

    @classmethod
    def parse(cls, raw: dict, out: dict, check) -> None:
        out["answer"] = raw.get("answer")
        if not isinstance(out["answer"], int) or isinstance(out["answer"], bool):
            check.add("answer", "must be a whole number")

    @classmethod
    def read(cls, q: dict, form, n_sentences: int, page) -> Any:
        value = single(form, f"q-{q['id']}")
        if value is not None and not value.strip().isdigit():
            raise scoring.TamperedResponse("not a number")
        return None if value is None else int(value)

    @classmethod
    def score(cls, q: dict, answer: Any) -> scoring.Result:
        return result(1 if answer == q["answer"] else 0, q, answer is None, {})

    @classmethod
    def key(cls, q: dict) -> Any:
        return q["answer"]

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        status = "blank" if answer is None else "right" if answer == q["answer"] else "wrong"
        return [Row(f"You typed {answer}", status, "Your answer", None,
                    f"NUMBER-EXPLAINED the answer is {q['answer']}.")]

    @classmethod
    def editor_fields(cls) -> dict:
        return {"answer": StringField("The number", validators=[
            DataRequired("Write the number."), Regexp(r"^\d+$", message="Digits only.")])}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"answer": str(q["answer"])}

    @classmethod
    def form_values(cls, form) -> dict:
        return {"answer": int(form.answer.data)}


TEMPLATES = {
    "student/types/number.html":
        '<input class="form-control" type="text" inputmode="numeric" name="{{ name }}" '
        'id="{{ name }}" value="{{ given or \'\' }}" aria-label="NUMBER-INPUT">',
    "teacher/types/number.html":
        "{% from '_macros.html' import field %}{{ field(form.answer) }}",
}
NUMBER_QUESTION = {"id": "q-number", "type": "number", "prompt": "How many councillors voted?",
                   "explanation": "Count them.", "difficulty": "easy", "skill": "source",
                   "answer": 9}


@pytest.fixture
def number_type(monkeypatch):
    monkeypatch.setitem(REGISTRY, "number", Number)
    return Number


@pytest.fixture
def number_set(number_type, questions_dir: Path) -> dict:
    """A set file with a choice question and a number question, in the questions folder."""
    raw = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    raw.update(id="numbers", questions=[raw["questions"][0], NUMBER_QUESTION])
    (questions_dir / "numbers.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    return raw


@pytest.fixture
def number_app(number_set, app):
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    return app


def test_a_seventh_type_parses_from_a_set_file(number_set):
    document = questionsets.parse_set(number_set, "numbers.yaml")
    assert document["questions"][1]["answer"] == 9
    bad = dict(number_set, questions=[dict(NUMBER_QUESTION, answer="nine")])
    with pytest.raises(questionsets.InvalidSetError) as caught:
        questionsets.parse_set(bad, "numbers.yaml")
    assert caught.value.problems == [
        "numbers.yaml: question 1 (q-number): answer: must be a whole number"]


def test_a_seventh_type_runs_end_to_end(number_app, db):
    client = number_app.test_client()
    student = Student(client)
    assert student.start("numbers").status_code == 302
    html, fields = student.open_quiz("numbers")
    assert 'aria-label="NUMBER-INPUT"' in html and 'name="q-q-number"' in html

    response = student.submit({"q-q-choice": "a", "q-q-number": "9"}, slug="numbers")
    assert response.status_code == 303
    results = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "NUMBER-EXPLAINED the answer is 9." in results and "You typed 9" in results
    attempt = db.execute("SELECT points, max_points FROM attempt").fetchone()
    assert tuple(attempt) == (2.0, 2.0)
    stored = db.execute("SELECT answer, verdict FROM response WHERE question_id = 'q-number'")
    assert tuple(stored.fetchone()) == ("9", "right")


def test_a_seventh_type_is_written_in_the_editor(number_app, number_set, make_teacher, db):
    from quiz import transactions

    teacher = make_teacher()
    owner = db.execute("SELECT id FROM teacher").fetchone()[0]
    document = questionsets.parse_set(dict(number_set, questions=[number_set["questions"][0]]),
                                      "numbers.yaml")
    set_id = transactions.add_teacher_set(db, document, owner)

    edit = teacher.get(f"/teacher/sets/{set_id}/edit").get_data(as_text=True)
    assert f"/teacher/sets/{set_id}/questions/new/number" in edit and "A number" in edit
    new = f"/teacher/sets/{set_id}/questions/new/number"
    page = teacher.get(new).get_data(as_text=True)
    assert 'name="answer"' in page and "New question: A number" in page
    response = teacher.post(new, {
        "csrf_token": hidden(page, "csrf_token"), "prompt": "How many voted against?",
        "explanation": "Two did.", "difficulty": "easy", "skill": "source", "points": "1",
        "answer": "2"})
    assert response.status_code == 302
    saved = db.execute("SELECT document FROM set_version WHERE set_id = ?", (set_id,))
    question = yaml.safe_load(saved.fetchone()[0])["questions"][1]
    assert (question["type"], question["answer"]) == ("number", 2)
    again = teacher.get(f"/teacher/sets/{set_id}/questions/{question['id']}/edit")
    assert 'value="2"' in again.get_data(as_text=True)


# No module or template outside quiz/questiontypes/ dispatches on a question's type.
TYPE = r"""["'](choice|multi|classify|evidence|order|text)["']"""
DISPATCH = re.compile(
    r"""\[["']type["']\]\s*(==|!=|in\b)"""          # q["type"] == ..., q['type'] in (...)
    rf"""|\b(kind|qtype|type)\s*(==|!=)\s*{TYPE}"""   # kind == "choice"
    rf"""|\.type\s*(==|!=)\s*{TYPE}"""                # {% if q.type == 'order' %}
    rf"""|\.type\s+in\s*[(\[]\s*{TYPE}""")           # q.type in ('classify', 'order')


def _sources() -> list[Path]:
    files = [p for p in QUIZ.rglob("*.py") if "questiontypes" not in p.parts]
    return files + sorted((ROOT / "templates").rglob("*.html"))


def test_no_type_dispatch_outside_the_package():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if DISPATCH.search(line)]
    assert found == []


@pytest.mark.parametrize("line", [
    'if q["type"] == "evidence":', "if kind == 'choice':", "{% if q.type == 'order' %}",
    "{% elif kind == 'text' %}", "r.question['type'] in ('classify', 'order')",
    "{% if row.right and q.type in ('classify', 'order') %}", "if qtype == 'evidence'",
])
def test_the_dispatch_search_finds_what_it_looks_for(line):
    assert DISPATCH.search(line)


def test_one_registry_and_one_wording_of_skills():
    assert list(REGISTRY) == ["choice", "multi", "classify", "evidence", "order", "text"]
    for name, kind in REGISTRY.items():
        assert kind.name == name
        assert (ROOT / "templates/student/types" / f"{name}.html").is_file()
        assert (ROOT / "templates/teacher/types" / f"{name}.html").is_file()
    assert questionsets.SKILLS == questiontypes.SKILLS == tuple(questiontypes.SKILL_NAMES)
    from quiz import feedback, question_forms

    assert feedback.SKILL_NAMES is questiontypes.SKILL_NAMES
    choices = question_forms.QuestionForm.skill.kwargs["choices"]
    assert [(c.value, c.label) for c in choices] == list(questiontypes.SKILL_NAMES.items())


@pytest.mark.parametrize(("qid", "key", "i", "weight", "message"), [
    ("q-choice", "options", 0, 50, "option 1.weight: the correct option earns all the points"),
    ("q-choice", "options", 1, 100, "option 2.weight: only the correct option earns all"),
    ("q-text", "answers", 0, 0, "answers 1.weight: an accepted answer earns more than 0 %"),
    ("q-text", "wrong_answers", 0, 25, "wrong_answers 1.weight: a known wrong answer earns"),
])
def test_weights_that_cannot_score_as_written_are_refused(raw_set, qid, key, i, weight,
                                                          message):
    question = next(q for q in raw_set["questions"] if q["id"] == qid)
    question[key][i]["weight"] = weight
    with pytest.raises(questionsets.InvalidSetError) as caught:
        questionsets.parse_set(raw_set, "x.yaml")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_weights_that_score_are_kept(raw_set):
    by_id = {q["id"]: q for q in raw_set["questions"]}
    by_id["q-choice"]["options"][0]["weight"] = 100
    by_id["q-choice"]["options"][1]["weight"] = 50
    by_id["q-text"]["answers"][0]["weight"] = 75
    by_id["q-text"]["wrong_answers"][0]["weight"] = -50
    doc = questionsets.parse_set(raw_set, "x.yaml")
    stored = {q["id"]: q for q in doc["questions"]}
    assert scoring.score(stored["q-choice"], "b").points == 0.5
    assert scoring.score(stored["q-text"], "test gazette").points == 0.75
    assert scoring.score(stored["q-text"], "AP").points == 0
