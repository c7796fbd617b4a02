"""Totals are exact: three thirds of a point make one point, everywhere (issue 15).

Ada takes a 12-point set twice through the quiz pages of her class. First: a third of each of
three 1-point classify questions and the 5-point choice question (1/3 + 1/3 + 1/3 + 5 = 6).
Then: one classify question whole and the choice question (1 + 5 = 6). Rounded per question
the first made 5.9999: "best" took the second, the histogram put 50 % in the 40 % band, and
the students' CSV showed 5.9999.
"""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from quiz import caches, queries
from quiz.views.summaries import compute_summary
from tests.helpers import ALL_TYPES, Student, class_with_set, hidden

LABELS = [{"id": "fact", "text": "Verified fact"}, {"id": "claim", "text": "Attributed claim"}]


def _classify(n: int) -> dict:
    return {"id": f"q-sort{n}", "type": "classify", "prompt": f"Sort these ({n}).",
            "explanation": "Who says so decides.", "difficulty": "easy", "skill": "attribution",
            "labels": LABELS, "statements": [
                {"id": f"s{i}", "text": f"Statement {i} of {n}.", "label": "fact",
                 "explanation": "A public record."} for i in (1, 2, 3)]}


def _choice(qid: str, points: int) -> dict:
    return {"id": qid, "type": "choice", "prompt": f"Pick one ({qid}).", "points": points,
            "explanation": "The mayor said it.", "difficulty": "easy", "skill": "source",
            "options": [{"id": "a", "text": "The mayor", "correct": True, "explanation": "Yes."},
                        {"id": "b", "text": "Jo Bloggs", "explanation": "No."}]}


@pytest.fixture
def thirds(questions_dir):
    raw = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    raw.update(id="thirds", questions=[_classify(1), _classify(2), _classify(3),
                                       _choice("q-big", 5), _choice("q-left", 4)])
    (questions_dir / "thirds.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")


def _one_third(n: int) -> dict:
    return {f"q-q-sort{n}-s1": "fact", f"q-q-sort{n}-s2": "claim", f"q-q-sort{n}-s3": "claim"}


THIRDS = {**_one_third(1), **_one_third(2), **_one_third(3), "q-q-big": "a"}
WHOLE = {"q-q-sort1-s1": "fact", "q-q-sort1-s2": "fact", "q-q-sort1-s3": "fact",
         "q-q-big": "a"}


@pytest.fixture
def taken(thirds, app, db, client):
    """Ada's two attempts, through the join and quiz pages; the ids a teacher needs."""
    made = class_with_set(db, "thirds")
    page = client.get("/join").get_data(as_text=True)
    assert client.post("/join", data={"csrf_token": hidden(page, "csrf_token"),
                                      "code": made["code"], "name": "Ada"}).status_code == 302
    student = Student(client)
    for answers in (THIRDS, WHOLE):
        assert student.start("thirds").status_code == 302
        assert student.submit(answers, slug="thirds").status_code == 303
    return made


def test_three_thirds_make_the_same_total_as_one_whole(taken, db):
    totals = [tuple(r) for r in db.execute("SELECT points, max_points FROM attempt ORDER BY id")]
    assert totals == [(6.0, 12.0), (6.0, 12.0)]
    thirds = db.execute("SELECT points FROM response WHERE question_id = 'q-sort1' "
                        "ORDER BY attempt_id").fetchone()[0]
    assert thirds == 1 / 3  # stored as the nearest float, not rounded to 0.3333


def test_best_picks_the_earlier_of_equal_attempts_and_bins_fifty_percent_at_fifty(taken, db):
    first = db.execute("SELECT min(id) FROM attempt").fetchone()[0]
    ids = queries.picked_ids(db, taken["class_id"], taken["set_id"], "best")
    assert ids == f"[{first}]"
    # The set summary's histogram (pick best): 6 of 12 points is the 50-59 % bin.
    document = caches.document_of(queries.class_set(db, taken["class_id"], taken["set_id"]))
    histogram = compute_summary(db, taken["class_id"], taken["set_id"], document,
                                "best").histogram
    assert histogram[5] == 1 and sum(histogram) == 1


def test_the_students_csv_shows_six(taken, app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(taken["owner"]), True
    response = client.get(f"/teacher/classes/{taken['class_id']}/summary/sets/{taken['set_id']}"
                          "/students.csv?pick=first")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1][4:7] == ["6.0", "12.0", "50.0"]
