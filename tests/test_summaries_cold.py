"""The set summary's counts give the figures of every student, and of every answer.

Students with equal scores are counted together (`analysis.SummaryState` keeps how many
students had each score): the reliability figures from those counts equal the figures over
every student's row; and one pass over the responses gives the choices, the halves' choices
and the common wrong answer.
"""

from __future__ import annotations

import math
from collections import Counter
from statistics import covariance, fmean, variance

import pytest

from quiz import analysis, psychometrics

# Four questions of 1, 1, 2 and 1 points; the rows repeat, as in a large class.
ROWS = [[1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.5, 0.0],
        [1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 2.0, 1.0]]


def _counts(rows):
    """Count a table as the summary does: students per total, per score, per (score, total)."""
    totals = Counter(sum(row) for row in rows)
    k = len(rows[0])
    marginals = [Counter(row[i] for row in rows) for i in range(k)]
    pairs = [Counter((row[i], sum(row)) for row in rows) for i in range(k)]
    return totals, marginals, pairs


def test_counts_give_the_figures_of_every_student():
    totals, marginals, pairs = _counts(ROWS)
    assert totals == {4.0: 4, 3.0: 2, 0.5: 1}  # seven students, three distinct totals
    found = psychometrics.reliability_from_counts(totals, marginals)
    # The same figures over every student's row, with the standard library.
    every = [sum(row) for row in ROWS]
    columns = [[row[i] for row in ROWS] for i in range(4)]
    alpha = 4 / 3 * (1 - sum(variance(c) for c in columns) / variance(every))
    assert found.students == 7
    assert found.mean == pytest.approx(fmean(every), abs=1e-12)
    assert found.sd == pytest.approx(variance(every) ** 0.5, abs=1e-12)
    assert found.alpha == pytest.approx(alpha, abs=1e-12)
    assert found.error_ratio == pytest.approx((1 - alpha) ** 0.5, abs=1e-12)
    assert found.sem == pytest.approx(variance(every) ** 0.5 * (1 - alpha) ** 0.5, abs=1e-12)
    points, guess = [1.0, 1.0, 2.0, 1.0], [0.25, 0.25, 0.0, 0.5]
    figures = psychometrics.question_figures_from_counts(pairs, points, guess)
    covs = [covariance(c, every) for c in columns]
    roots = sum(math.sqrt(c) for c in covs if c > 0)
    for i, f in enumerate(figures):
        rest = [t - x for t, x in zip(every, columns[i], strict=True)]
        best = covariance(sorted(columns[i]), sorted(rest))
        assert f.sd == pytest.approx(variance([x / points[i] for x in columns[i]]) ** 0.5,
                                     abs=1e-12)
        assert f.intended_weight == pytest.approx(points[i] / 5)
        assert f.effective_weight == (pytest.approx(math.sqrt(covs[i]) / roots, abs=1e-12)
                                      if covs[i] >= 0 else None)
        assert f.discriminative_efficiency == pytest.approx(
            covariance(columns[i], rest) / best, abs=1e-12)
        assert f.random_guess == guess[i]


def test_hand_computed_alpha_from_counts():
    # Two questions, scores (1, 1) twice and (0, 0) twice: each question's variance is 1/3,
    # the totals' 4/3, so alpha = 2 * (1 - (2/3) / (4/3)) = 1.
    found = psychometrics.reliability_from_counts({2.0: 2, 0.0: 2}, [{1.0: 2, 0.0: 2}] * 2)
    assert found.students == 4
    assert found.alpha == pytest.approx(1.0)
    assert found.sd == pytest.approx((4 / 3) ** 0.5)


def _choice(qid, options, right):
    return {"id": qid, "type": "choice", "prompt": "?", "points": 1, "skill": "",
            "options": [{"id": o, "text": o.upper(), "correct": o == right} for o in options]}


def _state(questions):
    return analysis.SummaryState("all", questions, {}, [1])


def _attempt(state, share, answers):
    """Count one attempt of *share* of the points, answering {question: (answer, verdict)}."""
    state.apply({"points": share, "max_points": 1.0, "version_id": 1}, [
        {"question_id": qid, "answer": answer, "verdict": verdict, "points": 0.0,
         "max_points": 1.0} for qid, (answer, verdict) in answers.items()], 1)


def test_one_pass_gives_choices_halves_and_the_common_wrong_answer():
    state = _state([_choice("q1", "abc", "a"), _choice("q4", "yz", "y")])
    # Eight strong attempts (0.9; six answered nothing counted here), three at the median
    # (0.5), eight weak (0.1).
    for _ in range(6):
        _attempt(state, 0.9, {})
    for _ in range(2):
        _attempt(state, 0.9, {"q1": ('"b"', "wrong"),
                              "q2": ('{"s1": "fact", "s2": "claim"}', "right")})
    _attempt(state, 0.1, {"q1": ('"b"', "wrong"), "q2": ('{"s1": "claim", "s2": "claim"}',
                                                          "partly")})
    _attempt(state, 0.5, {"q1": ('"a"', "right"), "q3": ("[2, 3]", "partly"),
                          "q4": ('"z"', "wrong")})
    for _ in range(2):
        _attempt(state, 0.5, {"q1": ('"a"', "right")})
    _attempt(state, 0.1, {"q1": ('"c"', "wrong"), "q3": ('["x"]', "wrong")})
    for _ in range(2):
        _attempt(state, 0.1, {"q1": ('"c"', "wrong")})
    for _ in range(4):
        _attempt(state, 0.1, {"q1": (None, "blank")})
    counts, wrong = state.tallies()
    got = {(r["question_id"], r["part"], r["value"]): r["n"] for r in counts}
    assert got == {("q1", None, "b"): 3, ("q1", None, "a"): 3, ("q1", None, "c"): 3,
                   ("q2", "s1", "fact"): 2, ("q2", "s1", "claim"): 1, ("q2", "s2", "claim"): 3,
                   ("q3", None, 2): 1, ("q3", None, 3): 1, ("q3", None, "x"): 1,
                   ("q4", None, "z"): 1}
    # Ties are listed as SQLite orders values: numbers before text, text by code point.
    assert [r["value"] for r in counts if r["question_id"] == "q3"] == [2, 3, "x"]
    assert [r["value"] for r in counts if r["question_id"] == "q1"] == ["a", "b", "c"]
    sizes, halves = state.half_rows()
    assert sizes == {1: 8, 0: 8}
    half = {(r["strong"], r["question_id"], r["part"], r["value"]): r["n"] for r in halves}
    assert half == {(1, "q1", None, "b"): 2, (0, "q1", None, "b"): 1, (0, "q1", None, "c"): 3}
    # q4's "z" came from the median's student: in neither half.
    # The most common wrong answer; of two equally common, the first in SQLite's order.
    assert {r["question_id"]: (r["answer"], r["n"]) for r in wrong} == {
        "q1": ('"b"', 3), "q3": ('["x"]', 1), "q4": ('"z"', 1)}


def test_values_past_the_top_hundred_are_left_out():
    state = _state([])
    for n in range(200):
        for _ in range(1 + (n == 150)):
            _attempt(state, 0.0, {"q": (f'"{n:03d}"', "wrong")})
    counts, _ = state.tallies()
    assert len(counts) == analysis.TOP_VALUES
    assert counts[0]["value"] == "150" and counts[-1]["value"] == "098"
