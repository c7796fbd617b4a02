"""The set summary brought up to date attempt by attempt equals the summary built anew.

A class of the all-types set (every question type: partial credit, classify statements with
fact, claim and hedged labels, typed answers) receives random submits one at a time: new
students, retries better and worse than before, equal retries (best keeps the earlier),
blank attempts. After each, for every pick, the summary kept in the cache (counts updated
from the new attempt only) must equal, figure for figure and exactly, the summary counted
from every attempt the database picks; and it must have been updated, not rebuilt.
"""

from __future__ import annotations

import random

import pytest

from quiz import analysis, caches, queries, transactions
from quiz.views import summaries

BUILD = summaries.build_state  # counting every picked attempt anew, as after a restart


def _answer(q: dict, skill: float, rng: random.Random):
    """A random answer to q: right with chance *skill*, else wrong or partly right."""
    if rng.random() < 0.08:
        return None
    good = rng.random() < skill
    kind = q["type"]
    if kind == "choice":
        options = [o["id"] for o in q["options"] if o.get("correct") == good]
        return rng.choice(options or [o["id"] for o in q["options"]])
    if kind == "multi":
        picked = sorted(o["id"] for o in q["options"]
                        if rng.random() < (skill if o.get("correct") else 1 - skill))
        return picked or None
    if kind == "classify":
        labels = [lab["id"] for lab in q["labels"]]
        return {s["id"]: s["label"] if rng.random() < skill else rng.choice(labels)
                for s in q["statements"] if rng.random() < 0.95}
    if kind == "evidence":
        right = [x["sentence"] for x in q["answers"]]
        others = [d["sentence"] for d in q.get("distractors", [])] or [1]
        picked = {n for n in right if rng.random() < skill}
        if not good:
            picked.add(rng.choice(others))
        return sorted(picked) or None
    if kind == "order":
        ids = [i["id"] for i in q["items"]]
        if not good:
            ids = rng.sample(ids, len(ids))
        return {iid: n for n, iid in enumerate(ids, start=1)}
    return q["answers"][0]["text"] if good else rng.choice(["no idea", "the mayor", ""])


@pytest.fixture
def klass(db):
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, "9D")
    row = queries.set_by_slug(db, "all-types")
    return class_id, row, caches.shared_document(db, row)


def _fresh(db, class_id: int, set_id: int, document: dict, pick: str) -> analysis.SetSummary:
    """The summary counted from every attempt the database picks, as after a restart."""
    return BUILD(db, class_id, set_id, document, pick).summary()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_kept_up_to_date_equals_the_summary_built_anew(db, klass, monkeypatch, seed):
    class_id, row, document = klass
    set_id = row["id"]
    rng = random.Random(seed)
    builds = []
    monkeypatch.setattr(summaries, "build_state", lambda *a: builds.append(a[-1]) or BUILD(*a))
    students: dict[int, list[dict]] = {}
    made = 0

    def submit(student_id: int, answers: dict) -> None:
        nonlocal made
        made += 1
        transactions.record_attempt(db, row["version_id"], document, answers, "x",
                                    f"key{seed}-{made}", class_id=class_id,
                                    student_id=student_id)
        students.setdefault(student_id, []).append(answers)

    for step in range(36):
        roll = rng.random()
        if not students or roll < 0.35:
            student = transactions.join_class(db, class_id, f"Student {step}")
            skill = rng.random()
        else:
            student = rng.choice(sorted(students))
            skill = rng.choice([0.05, 0.5, 0.95])  # a retry: worse, about the same, better
        if roll > 0.9 and students.get(student):
            answers = dict(students[student][0])  # the same answers: an equal score
        elif roll > 0.85:
            answers = {q["id"]: None for q in document["questions"]}  # all blank
        else:
            answers = {q["id"]: _answer(q, skill, rng) for q in document["questions"]}
        submit(student, answers)
        for pick in analysis.PICKS:
            kept = summaries.compute_summary(db, class_id, set_id, document, pick)
            assert kept == _fresh(db, class_id, set_id, document, pick), (step, pick)
    # Counted from scratch once per pick (the first request), then only brought up to date.
    assert sorted(builds) == sorted(analysis.PICKS)
    kept = summaries.compute_summary(db, class_id, set_id, document, "best")
    assert kept.overview["counted"] == len(students)
    assert kept.overview["attempts"] == made


def test_merged_and_removed_students_rebuild_the_counts(db, klass):
    class_id, row, document = klass
    set_id = row["id"]
    rng = random.Random(9)
    ids = [transactions.join_class(db, class_id, name) for name in ("Ann", "Ben", "Cat")]
    for n, student in enumerate(ids * 2):
        answers = {q["id"]: _answer(q, rng.random(), rng) for q in document["questions"]}
        transactions.record_attempt(db, row["version_id"], document, answers, "x",
                                    f"m{n}", class_id=class_id, student_id=student)
    for pick in analysis.PICKS:
        summaries.compute_summary(db, class_id, set_id, document, pick)
    transactions.merge_students(db, ids[0], ids[1])
    for pick in analysis.PICKS:
        kept = summaries.compute_summary(db, class_id, set_id, document, pick)
        assert kept == _fresh(db, class_id, set_id, document, pick)
        assert kept.overview["students"] == 2
    transactions.remove_student(db, ids[2])
    for pick in analysis.PICKS:
        kept = summaries.compute_summary(db, class_id, set_id, document, pick)
        assert kept == _fresh(db, class_id, set_id, document, pick)
        assert kept.overview["students"] == 1
        assert kept.overview["counted"] == (4 if pick == "all" else 1)
