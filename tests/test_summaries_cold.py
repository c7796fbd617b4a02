"""The set summary's faster paths give the figures of the slow ones.

Equal students are collapsed into one weighted row before the reliability figures, and one
pass over the responses gives the choices, the halves' choices and the common wrong answer.
"""

from __future__ import annotations

import pytest

from quiz import analysis, psychometrics

# Four questions of 1, 1, 2 and 1 points; the rows repeat, as in a large class.
ROWS = [[1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.5, 0.0],
        [1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 2.0, 1.0]]


def test_weighted_rows_give_the_figures_of_every_student():
    table, weights = analysis.collapsed(ROWS)
    assert len(table) == 4 and sorted(weights) == [1, 1, 2, 3]
    every = psychometrics.reliability(ROWS)
    weighted = psychometrics.reliability(table, weights)
    assert weighted.students == every.students == 7
    for name in ("mean", "sd", "alpha", "error_ratio", "sem"):
        assert getattr(weighted, name) == pytest.approx(getattr(every, name), abs=1e-12)
    points, guess = [1.0, 1.0, 2.0, 1.0], [0.25, 0.25, 0.0, 0.5]
    for w, e in zip(psychometrics.question_figures(table, points, guess, weights),
                    psychometrics.question_figures(ROWS, points, guess), strict=True):
        for name in ("sd", "intended_weight", "effective_weight", "discriminative_efficiency"):
            assert getattr(w, name) == pytest.approx(getattr(e, name), abs=1e-12)


def test_hand_computed_alpha_from_collapsed_rows():
    # Two questions, scores (1, 1) twice and (0, 0) twice: each question's variance is 1/3,
    # the totals' 4/3, so alpha = 2 * (1 - (2/3) / (4/3)) = 1.
    found = psychometrics.reliability([[1.0, 1.0], [0.0, 0.0]], [2, 2])
    assert found.students == 4
    assert found.alpha == pytest.approx(1.0)
    assert found.sd == pytest.approx((4 / 3) ** 0.5)


def _group(qid, answer, verdict, strong, n):
    return {"question_id": qid, "answer": answer, "verdict": verdict, "strong": strong, "n": n}


def test_one_pass_gives_choices_halves_and_the_common_wrong_answer():
    groups = [
        _group("q1", '"b"', "wrong", 1, 2), _group("q1", '"b"', "wrong", 0, 1),
        _group("q1", '"a"', "right", None, 3), _group("q1", '"c"', "wrong", 0, 3),
        _group("q1", None, "blank", 0, 4),
        _group("q2", '{"s1": "fact", "s2": "claim"}', "right", 1, 2),
        _group("q2", '{"s1": "claim", "s2": "claim"}', "partly", 0, 1),
        _group("q3", "[2, 3]", "partly", None, 1), _group("q3", '["x"]', "wrong", 0, 1),
    ]
    counts, halves, wrong = analysis.answer_tallies(groups)
    got = {(r["question_id"], r["part"], r["value"]): r["n"] for r in counts}
    assert got == {("q1", None, "b"): 3, ("q1", None, "a"): 3, ("q1", None, "c"): 3,
                   ("q2", "s1", "fact"): 2, ("q2", "s1", "claim"): 1, ("q2", "s2", "claim"): 3,
                   ("q3", None, 2): 1, ("q3", None, 3): 1, ("q3", None, "x"): 1}
    # Ties are listed as SQLite orders values: numbers before text, text by code point.
    assert [r["value"] for r in counts if r["question_id"] == "q3"] == [2, 3, "x"]
    assert [r["value"] for r in counts if r["question_id"] == "q1"] == ["a", "b", "c"]
    half = {(r["strong"], r["question_id"], r["part"], r["value"]): r["n"] for r in halves}
    assert half[(1, "q1", None, "b")] == 2 and half[(0, "q1", None, "b")] == 1
    assert (1, "q1", None, "a") not in half  # the median's students are in neither half
    # The most common wrong answer; of two equally common, the first in SQLite's order.
    assert {r["question_id"]: (r["answer"], r["n"]) for r in wrong} == {
        "q1": ('"b"', 3), "q3": ('["x"]', 1)}


def test_values_past_the_top_hundred_are_left_out():
    groups = [_group("q", f'"{n:03d}"', "wrong", None, 1 + (n == 150)) for n in range(200)]
    counts, _, _ = analysis.answer_tallies(groups)
    assert len(counts) == analysis.TOP_VALUES
    assert counts[0]["value"] == "150" and counts[-1]["value"] == "098"
