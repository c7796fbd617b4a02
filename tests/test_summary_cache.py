"""A set summary is computed once per state of the class's attempts, and never shown stale.

Three students answer the all-types set's sorting question (s1 is a fact, s2 a claim); the
summary page is read, the class changes (a new attempt, a retry, two students merged, one
removed) and the page must show the change at once.
"""

from __future__ import annotations

import random

import pytest

from quiz import analysis, caches, psychometrics, queries, transactions
from quiz.views.summaries import compute_summary
from tests.helpers import soup

RIGHT, CREDULOUS = {"s1": "fact", "s2": "claim"}, {"s1": "fact", "s2": "fact"}


@pytest.fixture
def sorting(app, db):
    """A class at the all-types set, a signed-in client, and a way to add an attempt."""
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, "9C")
    row = queries.set_by_slug(db, "all-types")
    document = caches.shared_document(db, row)
    made = {"n": 0}

    def attempt(student_id: int, given: dict) -> None:
        made["n"] += 1
        answers = {q["id"]: None for q in document["questions"]} | {"q-classify": given}
        transactions.record_attempt(db, row["version_id"], document, answers, "x",
                                    f"key{made['n']}", class_id=class_id,
                                    student_id=student_id)

    students = [transactions.join_class(db, class_id, name) for name in ("Ann", "Ben", "Cat")]
    for student_id in students:
        attempt(student_id, RIGHT)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(owner), True
    url = f"/teacher/classes/{class_id}/summary/sets/{row['id']}"

    def text(pick: str = "first") -> str:
        html = client.get(f"{url}?pick={pick}").get_data(as_text=True)
        return soup(html).get_text(" ", strip=True)

    return {"db": db, "class_id": class_id, "set_id": row["id"], "document": document,
            "students": students, "attempt": attempt, "text": text}


def test_an_unchanged_class_reuses_its_summary(sorting):
    s = sorting
    first = compute_summary(s["db"], s["class_id"], s["set_id"], s["document"], "first")
    again = compute_summary(s["db"], s["class_id"], s["set_id"], s["document"], "first")
    latest = compute_summary(s["db"], s["class_id"], s["set_id"], s["document"], "latest")
    assert again is first  # computed once ...
    assert latest is not first  # ... per pick


def test_a_new_student_shows_at_once(sorting):
    assert "3 students, from 3 attempts" in sorting["text"]()
    student = transactions.join_class(sorting["db"], sorting["class_id"], "Dan")
    sorting["attempt"](student, CREDULOUS)
    assert "4 students, from 4 attempts" in sorting["text"]()


def test_a_retry_shows_at_once_though_the_first_attempts_are_the_same(sorting):
    assert "3 students, from 3 attempts" in sorting["text"]()
    sorting["attempt"](sorting["students"][0], CREDULOUS)
    assert "3 students, from 4 attempts" in sorting["text"]()
    assert "4 attempts by 3 students" in sorting["text"]("all")


def test_merged_and_removed_students_show_at_once(sorting):
    s = sorting
    s["attempt"](s["students"][0], CREDULOUS)
    assert "4 attempts by 3 students" in s["text"]("all")
    transactions.merge_students(s["db"], s["students"][1], s["students"][2])
    assert "4 attempts by 2 students" in s["text"]("all")  # the same attempts, fewer students
    transactions.remove_student(s["db"], s["students"][0])
    assert "2 attempts by 1 student " in s["text"]("all")


def test_one_set_of_resamples_gives_both_intervals_of_two_bootstraps():
    rng = random.Random(3)
    rows = [(3, rng.randint(0, 3), 3, rng.randint(0, 3)) for _ in range(40)]
    both = psychometrics.bootstrap_each(rows, analysis._pooled_detection, ("c", "d_prime"))
    assert both == (psychometrics.bootstrap(rows, lambda s: analysis._pooled_detection(s).c),
                    psychometrics.bootstrap(rows,
                                            lambda s: analysis._pooled_detection(s).d_prime))


@pytest.mark.parametrize("students", [40, 800])  # a full bootstrap, and its normal limit
def test_students_grouped_by_their_counts_give_the_same_discernment(students):
    rng = random.Random(5)
    per = [(3, rng.randint(0, 3), 3, rng.randint(0, 3)) for _ in range(students)]
    one_by_one = analysis.discernment_from_counts([
        {"label": "fact", "answered": 3 * students, "correct": sum(p[1] for p in per),
         "said_fact": sum(p[1] for p in per)},
        {"label": "claim", "answered": 3 * students, "correct": sum(3 - p[3] for p in per),
         "said_fact": sum(p[3] for p in per)}])
    # One by one: a bootstrap resampling every student's row.
    one_by_one.bias_interval, one_by_one.d_prime_interval = psychometrics.bootstrap_each(
        per, analysis._pooled_detection, ("c", "d_prime"))
    combos: dict[tuple, int] = {}
    for p in per:
        combos[p] = combos.get(p, 0) + 1
    grouped = analysis.discernment_from_combinations([
        {"f": f, "fr": fr, "c": c, "cr": c - cf, "cf": cf, "h": 0, "hr": 0, "n": n}
        for (f, fr, c, cf), n in sorted(combos.items())])
    assert len(combos) <= 16  # four values of two counts
    assert (grouped.facts, grouped.facts_right, grouped.claims, grouped.claims_right,
            grouped.claims_as_fact) == (one_by_one.facts, one_by_one.facts_right,
                                        one_by_one.claims, one_by_one.claims_right,
                                        one_by_one.claims_as_fact)
    for name in ("bias_interval", "d_prime_interval"):
        a, b = getattr(grouped, name), getattr(one_by_one, name)
        assert a.value == pytest.approx(b.value)
        # Resampling the same students in another order moves an end by the bootstrap's own
        # noise (about 0.02 with 1000 draws), never more.
        assert (a.low, a.high) == pytest.approx((b.low, b.high), abs=0.05)
