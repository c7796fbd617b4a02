"""Scores are counted in integers: the same points, verdicts and totals as Fraction arithmetic."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from quiz import scoring
from quiz.questiontypes.base import exact, points_result, result, shared_result, weight_fraction

POINTS = [0, 1, 2, 3, 7, 1.5, 0.1, 2.3, 1 / 3, 2.0, 10**20 + 1]


def reference(points: Fraction, top_value) -> tuple[float, float, str, Fraction]:
    """Score as Fractions do: clamp to [0, top], then the verdict."""
    top = exact(top_value)
    points = max(Fraction(0), min(top, points))
    verdict = "right" if points == top else "wrong" if points == 0 else "partly"
    return float(points), float(top), verdict, points


@pytest.mark.parametrize("top", POINTS)
def test_a_share_of_the_points_scores_as_fractions_do(top):
    q = {"points": top}
    for out_of in range(1, 8):
        for got in range(-3, out_of + 3):
            r = shared_result(q, got, out_of, False, {})
            expected = reference(exact(top) * got / out_of, top)
            assert (r.points, r.max_points, r.verdict, r.exact) == expected
            assert type(r.exact) is Fraction


@pytest.mark.parametrize("top", POINTS)
def test_any_exact_points_score_as_fractions_do(top):
    rng = random.Random(17)
    for _ in range(200):
        points = Fraction(rng.randint(-50, 10**6), rng.randint(1, 10**4))
        r = result(points, {"points": top}, False, {})
        assert (r.points, r.max_points, r.verdict, r.exact) == reference(points, top)


def test_a_blank_answer_is_blank_whatever_it_scores():
    assert points_result({"points": 2}, 0, 1, True, {}).verdict == "blank"


def test_an_integer_weight_is_the_same_fraction_as_before():
    for weight in range(-150, 201):
        stated = exact(weight) / 100 if weight else Fraction(0)
        assert weight_fraction(weight) == stated.limit_denominator(100)
    assert weight_fraction(33.33333) == Fraction(1, 3)  # Moodle's rounding, as before


def test_a_total_is_the_float_of_the_exact_sum():
    rng = random.Random(3)
    for _ in range(500):
        results = {str(i): result(Fraction(rng.randint(0, 900), rng.choice([1, 3, 7, 9, 10**9])),
                                  {"points": rng.choice(POINTS)}, False, {})
                   for i in range(rng.randint(0, 20))}
        assert scoring.total(results) == float(sum(r.exact for r in results.values()))
    thirds = {str(i): shared_result({"points": 1}, 1, 3, False, {}) for i in range(3)}
    assert scoring.total(thirds) == 1.0
