"""The scoring rules of every question type, without an app."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quiz import questionsets, scoring
from tests.helpers import ALL_TYPES, RIGHT, WRONG

DOC = questionsets.load_file(ALL_TYPES)
Q = {q["id"]: q for q in DOC["questions"]}


def form(fields: dict) -> MultiDict:
    items = []
    for key, value in fields.items():
        items.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return MultiDict(items)


def result(qid: str, fields: dict) -> scoring.Result:
    answers = scoring.read_answers(DOC, form(fields))
    return scoring.score(Q[qid], answers[qid])


@pytest.mark.parametrize("qid", list(Q))
def test_all_right_scores_full_points(qid):
    r = result(qid, RIGHT)
    assert (r.points, r.verdict) == (Q[qid]["points"], "right")


@pytest.mark.parametrize("qid", list(Q))
def test_all_wrong_scores_zero(qid):
    r = result(qid, WRONG)
    assert (r.points, r.verdict) == (0, "wrong")


@pytest.mark.parametrize("qid", list(Q))
def test_empty_scores_zero_as_blank(qid):
    r = result(qid, {})
    assert (r.points, r.max_points, r.verdict) == (0, Q[qid]["points"], "blank")


@pytest.mark.parametrize(("qid", "fields", "points"), [
    # multi, 2 points, k = 2 correct: each right +1, each wrong -1, floor 0
    ("q-multi", {"q-q-multi": ["a"]}, 1.0),
    ("q-multi", {"q-q-multi": ["a", "c"]}, 0.0),
    ("q-multi", {"q-q-multi": ["a", "b", "c"]}, 1.0),
    ("q-multi", {"q-q-multi": ["a", "b", "c", "d"]}, 0.0),
    ("q-multi", {"q-q-multi": ["c"]}, 0.0),
    # classify: half the points per statement
    ("q-classify", {"q-q-classify-s1": "fact"}, 0.5),
    ("q-classify", {"q-q-classify-s1": "fact", "q-q-classify-s2": "fact"}, 0.5),
    # evidence: like multi over sentences (k = 2)
    ("q-evidence", {"q-q-evidence": ["4"]}, 0.5),
    ("q-evidence", {"q-q-evidence": ["4", "3"]}, 0.0),
    ("q-evidence", {"q-q-evidence": ["4", "5", "3"]}, 0.5),
    # order: 3 pairs; (vote, mayor) (vote, paper) (mayor, paper)
    ("q-order", {"q-q-order-vote": "2", "q-q-order-mayor": "1", "q-q-order-paper": "3"}, 2 / 3),
    ("q-order", {"q-q-order-vote": "1", "q-q-order-paper": "3"}, 1 / 3),
    ("q-order", {"q-q-order-vote": "1", "q-q-order-mayor": "1", "q-q-order-paper": "2"}, 2 / 3),
])
def test_partial_credit(qid, fields, points):
    r = result(qid, fields)
    assert r.points == pytest.approx(points, abs=1e-4)
    assert r.verdict == ("partly" if 0 < points < Q[qid]["points"] else
                         "wrong" if points == 0 else "right")


@pytest.mark.parametrize("typed", ["Test Gazette", "test gazette", "TEST-GAZETTE.", "Tést Gäzette",
                                   "  test\tgazette ", "TestGazette"])
def test_text_answers_fold_case_accents_punctuation_and_spacing(typed):
    assert result("q-text", {"q-q-text": typed}).verdict == "right"


@pytest.mark.parametrize("typed", ["Gazette", "Test Gazettes", "AP"])
def test_text_answers_that_do_not_match_score_zero(typed):
    assert result("q-text", {"q-q-text": typed}).points == 0


@pytest.mark.parametrize("fields", [
    {"q-q-choice": "z"},                                  # unknown option
    {"q-q-choice": ["a", "b"]},                           # two answers to a one-answer question
    {"q-q-multi": ["a", "a"]},                            # duplicate option
    {"q-q-multi": ["a", "x"]},                            # unknown option
    {"q-q-classify-s1": "opinion"},                       # unknown label
    {"q-q-classify-s1": ["fact", "claim"]},               # two labels for one statement
    {"q-q-evidence": ["99"]},                             # no such sentence
    {"q-q-evidence": ["4", "4"]},                         # duplicate sentence
    {"q-q-evidence": ["four"]},
    {"q-q-order-vote": "9"},                              # no such position
    {"q-q-text": "x" * 201},                              # longer than the page allows
    {"q-q-nope": "a"},                                    # a question that is not in the set
    {"q-q-classify-s9": "fact"},                          # a statement that is not in it
])
def test_tampered_forms_are_refused(fields):
    with pytest.raises(scoring.TamperedResponse):
        scoring.read_answers(DOC, form(fields))


def test_order_with_a_repeated_position_is_reported_to_the_student():
    answers = scoring.read_answers(DOC, form({"q-q-order-vote": "1", "q-q-order-mayor": "1"}))
    assert scoring.answer_problem(Q["q-order"], answers["q-order"]) == (
        "Each position can be used only once.")


def test_student_view_holds_no_key_and_no_explanations():
    for q in DOC["questions"]:
        view = scoring.student_view(q, "seed")
        text = repr(view)
        assert "correct" not in text and "explanation" not in text and "label': '" not in text
        assert "answers" not in view and "distractors" not in view


def test_shuffle_is_stable_per_attempt_and_differs_between_attempts():
    q = dict(Q["q-multi"], shuffle=True)
    orders = {tuple(o["text"] for o in scoring.student_view(q, f"seed{n}")["options"])
              for n in range(20)}
    assert len(orders) > 1
    page = scoring.PageKey("secret", "same")
    assert scoring.student_view(q, "same", page) == scoring.student_view(q, "same", page)


def test_options_carry_page_values_never_their_ids():
    q = Q["q-multi"]
    first = scoring.student_view(q, "k1", scoring.PageKey("secret", "k1"))["options"]
    second = scoring.student_view(q, "k2", scoring.PageKey("secret", "k2"))["options"]
    assert all(set(o) == {"value", "text"} for o in first)
    ids = {o["id"] for o in q["options"]}
    assert not ids & {o["value"] for o in first + second}
    assert not {o["value"] for o in first} & {o["value"] for o in second}


def test_an_option_id_is_refused_where_the_page_gave_a_value():
    page = scoring.PageKey("secret", "k1")
    with pytest.raises(scoring.TamperedResponse) as caught:
        scoring.read_answers(DOC, form({"q-q-choice": "a", "q-q-text": "kept"}), page)
    assert caught.value.questions == ("q-choice",) and caught.value.answers["q-text"] == "kept"
    answers = scoring.read_answers(DOC, form({"q-q-choice": page.token("q-choice", "b")}), page)
    assert answers["q-choice"] == "b"


def test_a_signed_version_is_read_back_only_by_its_page():
    page = scoring.PageKey("secret", "k1")
    signed = page.sign_version(7)
    assert page.version(signed) == 7
    assert scoring.PageKey("secret", "k2").version(signed) is None
    assert page.version(signed.replace("7.", "8.")) is None
    assert page.version("7") is None and page.version(None) is None


@pytest.mark.parametrize("value", ["²", "٤", "4" * 5000, "0", "-1", "4 ", "99"])
def test_evidence_sentence_numbers_are_strict(value):
    with pytest.raises(scoring.TamperedResponse):
        scoring.read_answers(DOC, form({"q-q-evidence": value}))


def test_order_items_are_always_shuffled():
    q = dict(Q["q-order"], shuffle=False)
    orders = {tuple(i["id"] for i in scoring.student_view(q, f"s{n}")["items"]) for n in range(20)}
    assert len(orders) > 1


def test_fold():
    assert scoring.fold("  Ahn Myeong-chul! ") == scoring.fold("ahn myeongchul")
    assert scoring.fold("Café") == "cafe"


# --- weights, as Moodle scores them ------------------------------------------------------------

def options(*specs) -> list[dict]:
    """Build options from (id, correct, weight or None) triples."""
    out = []
    for oid, correct, weight in specs:
        option = {"id": oid, "text": oid.upper(), "correct": correct, "explanation": "x"}
        if weight is not None:
            option["weight"] = weight
        out.append(option)
    return out


COLOURS = {"id": "c", "type": "multi", "points": 2, "options": options(
    ("a", True, 50), ("b", False, -100), ("c", False, 0), ("d", True, 50))}
THIRDS = {"id": "t", "type": "multi", "points": 1, "options": options(
    ("a", True, 33.33333), ("b", True, 33.33333), ("c", True, 33.33333), ("d", False, -100))}
UNWEIGHTED = {"id": "u", "type": "multi", "points": 1, "options": options(
    ("a", True, None), ("b", True, None), ("c", False, None))}
# Weights that disagree with the ticks (a teacher unticked a) score equal shares.
DISAGREEING = {"id": "x", "type": "multi", "points": 1, "options": options(
    ("a", False, 50), ("b", True, 50), ("c", False, -100))}
PARTIAL_CHOICE = {"id": "p", "type": "choice", "points": 1, "options": options(
    ("a", True, 100), ("b", False, 50), ("c", False, -50), ("d", False, None))}
HOMETOWN = {"id": "h", "type": "text", "points": 1, "answers": [
    {"text": "Nazareth", "explanation": "Yes", "weight": 75},
    {"text": "Bethlehem", "explanation": "Born there", "weight": 25.0}],
    "wrong_answers": [{"text": "Rome", "explanation": "No", "weight": 0}],
    "catch_all_explanation": "Completely wrong"}


@pytest.mark.parametrize(("q", "answer", "points", "verdict"), [
    (COLOURS, ["a", "d"], 2, "right"),
    (COLOURS, ["a"], 1, "partly"),
    (COLOURS, ["a", "c"], 1, "partly"),  # 0 % adds nothing
    (COLOURS, ["a", "c", "d"], 2, "right"),
    (COLOURS, ["a", "b"], 0, "wrong"),  # -100 % subtracts; the total is clamped at 0
    (COLOURS, ["a", "b", "d"], 0, "wrong"),
    (COLOURS, ["c"], 0, "wrong"),
    (COLOURS, [], 0, "blank"),
    (THIRDS, ["a", "b", "c"], 1, "right"),  # 33.33333 % is a third: three make all points
    (THIRDS, ["a"], pytest.approx(1 / 3), "partly"),
    (THIRDS, ["a", "b", "c", "d"], 0, "wrong"),
    (UNWEIGHTED, ["a"], 0.5, "partly"),  # today's rule: 1/k per right
    (UNWEIGHTED, ["a", "c"], 0, "wrong"),  # -1/k per wrong
    (UNWEIGHTED, ["a", "b"], 1, "right"),
    (DISAGREEING, ["b"], 1, "right"),
    (DISAGREEING, ["a", "b"], 0, "wrong"),
    (PARTIAL_CHOICE, "a", 1, "right"),
    (PARTIAL_CHOICE, "b", 0.5, "partly"),  # partial credit on a single-choice option
    (PARTIAL_CHOICE, "c", 0, "wrong"),  # a negative weight never scores below 0
    (PARTIAL_CHOICE, "d", 0, "wrong"),
    (HOMETOWN, "nazareth", 0.75, "partly"),  # the matched answer's weight
    (HOMETOWN, "Bethlehem", 0.25, "partly"),
    (HOMETOWN, "Rome", 0, "wrong"),
    (HOMETOWN, "Galilee", 0, "wrong"),
])
def test_weights_score_as_moodle_does(q, answer, points, verdict):
    r = scoring.score(q, answer)
    assert (r.points, r.verdict) == (points, verdict)


def test_thirds_add_up_to_exactly_the_points():
    assert scoring.score(THIRDS, ["a", "b", "c"]).exact == 1
    assert scoring.score(THIRDS, ["a"]).exact * 3 == 1


def test_a_weighted_answer_is_explained_with_what_it_earned():
    from quiz.feedback import explain_question

    rows = explain_question(PARTIAL_CHOICE, "b", [])
    picked = next(row for row in rows if row.yours)
    assert (picked.status, picked.credit) == ("partly", "earns 50 % of the points (0.5 points)")
    third = next(row for row in explain_question(THIRDS, ["a"], []) if row.text == "A")
    # The rounding is said: a third of a point is counted exactly but shown as 0.33.
    assert third.credit == "earns 33.33333 % of the points (0.3333 points, shown rounded as 0.33)"
    penalty = next(row for row in explain_question(COLOURS, ["b"], []) if row.text == "B")
    assert penalty.credit == "takes away 100 % of the points (2 points)"
    typed = explain_question(HOMETOWN, "Bethlehem", [])[0]
    assert (typed.status, typed.credit) == ("partly", "earns 25 % of the points (0.25 points)")


@pytest.mark.parametrize(("answer", "shown"), [
    ("Galilee", "Completely wrong"),  # matched nothing listed: the catch-all
    ("Rome", "No"),  # a known wrong answer has its own feedback
    ("Nazareth", "Yes"),  # never to a student who answered right
])
def test_catch_all_feedback_only_for_an_answer_that_matched_nothing(answer, shown):
    from quiz.feedback import explain_question

    rows = explain_question(HOMETOWN, answer, [])
    assert rows[0].explanation == shown
    assert all(row.explanation != "Completely wrong" for row in rows[1:])
