"""Reliability, distractors and discernment on the set summary, against tables done by hand.

The pure formulas are checked in tests/test_psychometrics.py; these tests check the wiring:
four students join a class and answer a three-question set through the real join and quiz
forms, and the summary page and the question CSV must show what the table below gives.

             q1   q2   q3   total      (each a choice question of three options, 1 point)
    Ann       1    1    1     3
    Ben       1    1    0     2
    Cat       1    0    1     2
    Dan       0    0    0     0

Question variances (n - 1): q1 = 0.75 / 3 = 1/4, q2 = q3 = 1 / 3; their sum 11/12.
Totals 3, 2, 2, 0: mean 1.75, variance 4.75 / 3 = 19/12, SD = sqrt(19/12) = 1.258 (41.9 %
of 3 points). Alpha = 3/2 * (1 - (11/12) / (19/12)) = 3/2 * 8/19 = 12/19 = 0.632.
Error ratio = sqrt(1 - 12/19) = sqrt(7/19) = 60.7 %; SEM = SD * error ratio = sqrt(7/12) =
0.764 points.
Covariance with the total: q1 1.75 / 3 = 7/12, q2 = q3 = 1.5 / 3 = 1/2; effective weight
q1 = sqrt(7/12) / (sqrt(7/12) + 2 sqrt(1/2)) = 35.1 %, q2 = q3 = 32.5 %.
Discriminative efficiency: q1 with the rest (2, 1, 1, 0): covariance 1/3, the most possible
(scores sorted) 1/3, so 100 %; q2 with the rest (2, 1, 2, 0): 0.5 / 3 against 1.5 / 3 when
sorted (0, 0, 1, 1 with 0, 1, 2, 2), so 33.3 %. Random guess: one option of three, 33.3 %.
Question SD (share of its points): q1 sqrt(1/4) = 50 %, q2 sqrt(1/3) = 57.7 %.
"""

from __future__ import annotations

import csv
import io
import random

import pytest
import yaml

from quiz import analysis, caches, psychometrics, queries, transactions
from quiz.questiontypes import kind_of
from tests.helpers import ALL_TYPES, Student, class_with_set, hidden, soup


def _choice(n: int) -> dict:
    return {"id": f"q{n}", "type": "choice", "prompt": f"Who says so ({n})?",
            "explanation": "The mayor said it.", "difficulty": "easy", "skill": "source",
            "options": [{"id": "a", "text": f"The mayor ({n})", "correct": True,
                         "explanation": "Yes."},
                        {"id": "b", "text": f"Jo Bloggs ({n})", "explanation": "No."},
                        {"id": "c", "text": f"A neighbour ({n})", "explanation": "No."}]}


TABLE = {"Ann": "aaa", "Ben": "aab", "Cat": "aba", "Dan": "bcb"}


@pytest.fixture
def three(questions_dir):
    raw = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    raw.update(id="three", questions=[_choice(1), _choice(2), _choice(3)])
    (questions_dir / "three.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")


def join_and_answer(app, code: str, name: str, picks: str, slug: str = "three") -> None:
    """One student's browser: join the class by its code, then answer the set."""
    client = app.test_client()
    page = client.get("/join").get_data(as_text=True)
    assert client.post("/join", data={"csrf_token": hidden(page, "csrf_token"), "code": code,
                                      "name": name}).status_code == 302
    student = Student(client)
    assert student.start(slug, name).status_code == 302
    answers = {f"q-q{n}": pick for n, pick in enumerate(picks, start=1)}
    assert student.submit(answers, slug=slug).status_code == 303


@pytest.fixture
def taught(three, app, db):
    """The class of the table above; the teacher's client and the ids."""
    made = class_with_set(db, "three")
    owner, class_id, code = made["owner"], made["class_id"], made["code"]
    set_row = {"id": made["set_id"]}
    for name, picks in TABLE.items():
        join_and_answer(app, code, name, picks)
    teacher = app.test_client()
    with teacher.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(owner), True
    return {"client": teacher, "class_id": class_id, "set_id": set_row["id"],
            "base": f"/teacher/classes/{class_id}/summary/sets/{set_row['id']}"}


def facts(page) -> dict[str, str]:
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in page.find_all("dt")}


def test_the_page_shows_the_tests_reliability(taught):
    page = soup(taught["client"].get(taught["base"]).get_data(as_text=True))
    section = page.find("section", attrs={"aria-labelledby": "reliability-h"})
    got = facts(section)
    assert got == {"Standard deviation": "1.26 points (41.9%)",
                   "Coefficient of internal consistency": "0.63",
                   "Error ratio": "60.7%",
                   "Standard error of measurement": "0.76 points"}
    text = section.get_text(" ", strip=True)
    assert "Small class:" in text and "fewer than 10 attempts" in text
    assert "Cronbach's alpha" in text  # each figure explained in one line


def test_the_page_shows_each_questions_figures(taught):
    page = soup(taught["client"].get(taught["base"]).get_data(as_text=True))
    table = page.find("table", class_="question-figures")
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in table.find("tbody").find_all("tr")]
    assert rows == [["1", "50%", "33.3%", "33.3%", "35.1%", "100%"],
                    ["2", "57.7%", "33.3%", "33.3%", "32.5%", "33.3%"],
                    ["3", "57.7%", "33.3%", "33.3%", "32.5%", "33.3%"]]


def test_the_question_csv_carries_the_figures(taught):
    body = taught["client"].get(f"{taught['base']}/questions.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    got = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["Standard deviation (0-1)"], r["Random guess score (0-1)"],
             r["Intended weight (0-1)"], r["Effective weight (0-1)"],
             r["Discriminative efficiency (0-1)"]) for r in got] == [
        ("0.5", "0.333", "0.333", "0.351", "1.0"),
        ("0.577", "0.333", "0.333", "0.325", "0.333"),
        ("0.577", "0.333", "0.333", "0.325", "0.333")]


def _opts(right: int, wrong: int) -> list[dict]:
    return ([{"id": f"r{i}", "correct": True} for i in range(right)]
            + [{"id": f"w{i}", "correct": False} for i in range(wrong)])


@pytest.mark.parametrize(("question", "guess"), [
    ({"type": "choice", "points": 1, "options": _opts(1, 3)}, 1 / 4),
    # 15 non-empty ticks of a, b (right), c, d: a or b alone 1/2 each, a+b 1, a+b+c or
    # a+b+d 1/2 each, the other ten 0: 3 / 15.
    ({"type": "multi", "points": 2, "options": _opts(2, 2)}, 3 / 15),
    ({"type": "multi", "points": 1, "options": _opts(1, 0)}, 1.0),
    # Weighted (Moodle): a partly right option of 50 % counts as half: (1 + 0.5 + 0) / 3.
    ({"type": "choice", "points": 2, "options": _opts(1, 1) + [
        {"id": "p", "correct": False, "weight": 50}]}, 0.5),
    # Weighted ticks 60 / 40 / -100: the seven non-empty ticks score 0.6, 0.4, 0, 1, 0, 0, 0.
    ({"type": "multi", "points": 1, "options": [
        {"id": "a", "correct": True, "weight": 60}, {"id": "b", "correct": True, "weight": 40},
        {"id": "c", "correct": False, "weight": -100}]}, 2 / 7),
    ({"type": "classify", "points": 1, "labels": [{"id": "fact"}, {"id": "claim"}]}, 1 / 2),
    ({"type": "order", "points": 1, "items": [{"id": "x"}, {"id": "y"}, {"id": "z"}]}, 1 / 2),
    ({"type": "text", "points": 1}, 0.0),
    ({"type": "evidence", "points": 1}, 0.0),
])
def test_each_type_knows_its_random_guess_score(question, guess):
    assert kind_of(question).random_guess(question) == pytest.approx(guess)


# Discernment: d', c and their interval -------------------------------------------------------

def _class_sorting(app, db, labels: list[dict]) -> dict:
    """A class whose students answer only the all-types sorting question (s1 fact, s2 claim)."""
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, "9C")
    row = queries.set_by_slug(db, "all-types")
    document = caches.shared_document(db, row)
    for n, given in enumerate(labels):
        student_id = transactions.join_class(db, class_id, f"S{n:02d}")
        answers = {q["id"]: None for q in document["questions"]} | {"q-classify": given}
        transactions.record_attempt(db, row["version_id"], document, answers, f"S{n:02d}",
                                    f"key{n}", class_id=class_id, student_id=student_id)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(owner), True
    return {"client": client, "url": f"/teacher/classes/{class_id}/summary/sets/{row['id']}"}


def test_a_leaning_every_student_shares_is_named(app, db):
    # Twelve students call both the fact and the claim a fact: H = F = 12.5 / 13, so
    # c = -z(12.5 / 13) = -1.77 and d' = 0; every resample is the same class.
    made = _class_sorting(app, db, [{"s1": "fact", "s2": "fact"}] * 12)
    text = soup(made["client"].get(made["url"]).get_data(as_text=True)).get_text(" ", strip=True)
    assert "Bias (c) -1.77 (95% interval -1.77 to -1.77)" in text
    assert "Telling apart (d′) 0.00" in text and "Leaning: credulous" in text
    assert "Which statements count:" in text and "left unlabelled are left out" in text


def test_a_leaning_the_interval_does_not_settle_is_not_claimed(app, db):
    # Two credulous students and two who get both right: c = -(z(4.5/5) + z(2.5/5)) / 2 =
    # -0.64 (credulous), but a resample of four students can hold no credulous one at all.
    made = _class_sorting(app, db, [{"s1": "fact", "s2": "fact"}] * 2
                          + [{"s1": "fact", "s2": "claim"}] * 2)
    text = soup(made["client"].get(made["url"]).get_data(as_text=True)).get_text(" ", strip=True)
    assert "Bias (c) -0.64" in text and "Leaning: not clear yet" in text
    assert "The bias alone says credulous" in text


def test_many_students_get_the_interval_a_full_bootstrap_would_give():
    rng = random.Random(7)
    rows = []
    for n in range(800):  # above EXACT_BOOTSTRAP: drawn from the normal limit
        facts, claims = 3, 3
        rows.append((n, facts, rng.randint(1, 3), claims, rng.randint(0, 2)))
    combos: dict[tuple, int] = {}  # students per combination of counts, as the summary keeps
    for _, f, fr, c, cf in rows:
        combos[(f, fr, c, c - cf, cf)] = combos.get((f, fr, c, c - cf, cf), 0) + 1
    d = analysis.discernment_from_combinations([
        {"f": f, "fr": fr, "c": c, "cr": cr, "cf": cf, "h": 0, "hr": 0, "n": n}
        for (f, fr, c, cr, cf), n in sorted(combos.items())])
    exact = psychometrics.bootstrap(
        [r[1:] for r in rows], lambda s: analysis._pooled_detection(s).c, draws=300)
    assert d.bias_interval.value == pytest.approx(exact.value)
    assert d.bias_interval.low == pytest.approx(exact.low, abs=0.01)
    assert d.bias_interval.high == pytest.approx(exact.high, abs=0.01)


# Distractors by half of the class --------------------------------------------------------------

def test_a_wrong_option_the_stronger_half_chose_is_flagged(three, app, db):
    # Totals: Ann 3, Ben 2, Cat 1, Dan 0, Eve 1; the median is 1, so the stronger half is Ann
    # and Ben, the weaker Dan (Cat and Eve score the median: in neither half).
    # q3's option c: Ben, of the stronger half (1 of 2, 50%), and nobody of the weaker (0%).
    made = class_with_set(db, "three", "7D")
    owner, class_id, code = made["owner"], made["class_id"], made["code"]
    set_row = {"id": made["set_id"]}
    for name, picks in {"Ann": "aaa", "Ben": "aac", "Cat": "abb", "Dan": "bbb",
                        "Eve": "bba"}.items():
        join_and_answer(app, code, name, picks)
    teacher = app.test_client()
    with teacher.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(owner), True
    page = soup(teacher.get(f"/teacher/classes/{class_id}/summary/sets/{set_row['id']}")
                .get_data(as_text=True))
    q3 = page.find("details", id="q-3").find("table", class_="distractor-table")
    assert "(2 stronger, 1 weaker)" in q3.caption.get_text()
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all("td")]
            for tr in q3.find("tbody").find_all("tr")]
    assert rows == [["Jo Bloggs (3)", "0 (0%)", "1 (100%)"],
                    ["A neighbour (3) chosen more by the stronger half", "1 (50%)", "0 (0%)"]]
    q1 = page.find("details", id="q-1").find("table", class_="distractor-table")
    assert not q1.find(class_="flagged")
    flag = page.find("a", class_="alert-link", href="#q-3").find_parent("li").get_text()
    assert "a wrong option drew more of the stronger half" in flag
    assert "students exactly at the median are in neither" in page.get_text(" ", strip=True)


def test_distractor_halves_for_sorting_labels():
    # The all-types class of tests/test_stats.py is checked there; here a pure check that a
    # sorting question lists each wrong label of each statement, worded for the teacher.
    q = {"type": "classify", "id": "q", "labels": [{"id": "fact", "text": "Verified fact"},
                                                   {"id": "claim", "text": "Attributed claim"}],
         "statements": [{"id": "s1", "text": "It rained.", "label": "fact"}]}
    stats = [analysis.QuestionStats(1, q, n=5)]
    analysis.distractor_analysis(stats, {1: 2, 0: 2}, [
        {"question_id": "q", "part": "s1", "value": "claim", "strong": 1, "n": 2}])
    assert stats[0].distractors == [{"text": "“It rained.” labelled Attributed claim",
                                     "strong": 2, "strong_share": 1.0, "weak": 0,
                                     "weak_share": 0.0, "flawed": True}]
    assert stats[0].flags == [analysis.FLAWED]
