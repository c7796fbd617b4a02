"""Tests for quiz.psychometrics, against figures worked out by hand on small tables."""

from __future__ import annotations

from collections import Counter
from statistics import fmean

import pytest

from quiz import psychometrics as pm

# Four students, three questions worth 1, 1 and 2 points. Worked by hand:
# totals 4, 2, 1, 1 (mean 2, sample variance 6/3 = 2); question variances 1/3, 1/3, 2/3;
# alpha = 3/2 * (1 - (4/3) / 2) = 0.5; SEM = sqrt(2) * sqrt(0.5) = 1.
TABLE = [[1, 1, 2], [1, 0, 1], [0, 1, 0], [0, 0, 1]]
MAX = [1, 1, 2]


def reliability(table):
    """The reliability the set summary shows for these rows (it keeps them as counts)."""
    totals = Counter(sum(row) for row in table)
    return pm.reliability_from_counts(totals, [Counter(row[i] for row in table)
                                               for i in range(len(table[0]))])


def question_figures(table, max_points, guess):
    """The per-question figures the set summary shows for these rows (from counts)."""
    pairs = [Counter((row[i], sum(row)) for row in table) for i in range(len(max_points))]
    return pm.question_figures_from_counts(pairs, max_points, guess)


def test_reliability_by_hand() -> None:
    r = reliability(TABLE)
    assert r.students == 4 and r.mean == 2
    assert r.sd == pytest.approx(2 ** 0.5)
    assert r.alpha == pytest.approx(0.5)
    assert r.error_ratio == pytest.approx(0.5 ** 0.5)
    assert r.sem == pytest.approx(1.0)
    assert r.small  # four students is below the caution threshold


def test_reliability_of_three_students_two_questions() -> None:
    # totals 2, 1, 0 (variance 1); question variances 1/3 and 1/3: alpha = 2 * (1 - 2/3).
    r = reliability([[1, 1], [1, 0], [0, 0]])
    assert r.alpha == pytest.approx(2 / 3)
    assert r.sem == pytest.approx((1 / 3) ** 0.5)


@pytest.mark.parametrize("scores", [
    [[1, 0]],                    # one student: no spread
    [[1, 1], [1, 1], [1, 1]],    # every total equal: no spread
    [[1], [0], [1]],             # one question: alpha needs two
])
def test_reliability_undefined(scores) -> None:
    r = reliability(scores)
    assert r.alpha is None and r.sem is None


def test_question_figures_by_hand() -> None:
    # cov(q, total): 2/3, 1/3, 1 (they add up to the variance of totals, 2).
    # Effective weight: sqrt(cov) / (sqrt(2/3) + sqrt(1/3) + 1).
    # Discriminative efficiency: cov(q, rest) / cov of the same lists sorted:
    # q1 (1/3) / (1/3) = 1; q2 0 / (2/3) = 0; q3 (1/3) / (2/3) = 0.5.
    figures = question_figures(TABLE, MAX, [0.5, 0.25, 0.0])
    roots = (2 / 3) ** 0.5 + (1 / 3) ** 0.5 + 1
    assert [f.effective_weight for f in figures] == pytest.approx(
        [(2 / 3) ** 0.5 / roots, (1 / 3) ** 0.5 / roots, 1 / roots])
    assert [f.discriminative_efficiency for f in figures] == pytest.approx([1.0, 0.0, 0.5])
    assert [f.intended_weight for f in figures] == pytest.approx([0.25, 0.25, 0.5])
    assert [f.sd for f in figures] == pytest.approx([(1 / 3) ** 0.5, (1 / 3) ** 0.5,
                                                    (1 / 6) ** 0.5])
    assert [f.random_guess for f in figures] == [0.5, 0.25, 0.0]


def test_negative_covariance_has_no_effective_weight() -> None:
    # The second question is answered right only by the students who do worst overall.
    figures = question_figures([[1, 0, 1], [1, 0, 1], [0, 1, 0]], [1, 1, 1], [0, 0, 0])
    assert figures[1].effective_weight is None
    assert figures[0].effective_weight == pytest.approx(0.5)


def test_detection_by_hand() -> None:
    # H = 7.5 / 11 = 0.6818 -> z = 0.4728; F = 2.5 / 11 = 0.2273 -> z = -0.7479 (normal table).
    d = pm.detection(facts=10, facts_called_fact=7, claims=10, claims_called_fact=2)
    assert d.d_prime == pytest.approx(0.4728 + 0.7479, abs=2e-4)
    assert d.c == pytest.approx(-(0.4728 - 0.7479) / 2, abs=2e-4)
    assert pm.detection(0, 0, 5, 1) is None


def test_detection_agrees_with_the_bias_on_the_summary() -> None:
    from quiz.analysis import Discernment

    counts = Discernment(facts=8, facts_right=5, claims=12, claims_right=9, claims_as_fact=3)
    assert pm.detection(8, 5, 12, 3).c == pytest.approx(counts.bias)


@pytest.mark.parametrize(("pre", "post", "gain"), [
    (40, 70, 0.5), (50, 50, 0.0), (80, 60, -1.0), (0, 25, 0.25), (100, 100, None),
])
def test_normalised_gain(pre, post, gain) -> None:
    assert pm.normalised_gain(pre, post) == (pytest.approx(gain) if gain is not None else None)


def test_class_gain_uses_class_means() -> None:
    # Means: pre 50, post 75 -> (75 - 50) / (100 - 50) = 0.5 (not the mean of the two gains,
    # 0.5 and 0.5 here, which a second pair would change differently).
    assert pm.class_gain([(40, 70), (60, 80)]) == pytest.approx(0.5)
    assert pm.class_gain([(0, 100), (90, 90)]) == pytest.approx((95 - 45) / 55)
    assert pm.class_gain([]) is None


def test_bootstrap_interval_is_stable_and_holds_the_value() -> None:
    rows = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1] * 3
    first = pm.bootstrap(rows, fmean)
    assert first == pm.bootstrap(rows, fmean)  # seeded: a reload shows the same interval
    assert first.low <= first.value <= first.high
    assert first.low < first.high
    assert first.spans(0.7) and not first.spans(0.95)


def test_bootstrap_needs_two_rows() -> None:
    assert pm.bootstrap([1], fmean) is None
