"""Reliability, sensitivity and gains: the statistics a department head asks of a test.

Pure module: no Flask, no SQL. Every function takes plain numbers (counts of students per
score, or a few rows) and returns plain numbers, so each can be checked by hand on a small
table. The definitions follow Moodle's quiz statistics report where Moodle has the figure
(standard deviation, coefficient of internal consistency, error ratio, standard error,
intended and effective weight, discriminative efficiency), signal-detection theory for d' and
c, and Hake (1998) for the normalised gain.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean
from typing import Any

# Below this many students a figure is shown with a caution: alpha and item statistics from a
# handful of students swing wildly from one student to the next.
SMALL_CLASS = 10
# Bootstrap draws for a confidence interval, and its seed: the interval is the same each time
# the page is drawn, so a teacher who reloads does not see it move.
BOOTSTRAP_DRAWS = 1000
BOOTSTRAP_SEED = 20151


def _variance(values: Sequence[float], weights: Sequence[int]) -> float:
    """Return the sample variance (n - 1), as Moodle's report uses; 0 for fewer than two.

    *weights*: how many students each value stands for.
    """
    return _covariance(values, values, weights)


def _covariance(xs: Sequence[float], ys: Sequence[float], ws: Sequence[int]) -> float:
    # Exact sums (fsum): equal students counted as one weighted value give the same figure.
    n = sum(ws)
    if n < 2:
        return 0.0
    mx = math.fsum(w * x for w, x in zip(ws, xs, strict=True)) / n
    my = math.fsum(w * y for w, y in zip(ws, ys, strict=True)) / n
    return math.fsum(w * (x - mx) * (y - my)
                     for w, x, y in zip(ws, xs, ys, strict=True)) / (n - 1)


@dataclass(frozen=True)
class TestReliability:
    """How consistent a test's scores are, for one group of attempts."""

    students: int
    mean: float
    sd: float                 # standard deviation of total scores, in points
    alpha: float | None       # Cronbach's alpha (Moodle: coefficient of internal consistency)
    error_ratio: float | None  # sqrt(1 - alpha): the share of the spread that is noise
    sem: float | None         # standard error of measurement, in points: sd * error ratio

    @property
    def small(self) -> bool:
        """Say whether too few students took the test for these figures to be trusted."""
        return self.students < SMALL_CLASS


@dataclass(frozen=True)
class QuestionFigures:
    """Moodle's per-question figures beside facility and discrimination."""

    sd: float                              # standard deviation of the question's score share
    random_guess: float                    # expected score share of a blind guess
    intended_weight: float                 # its points / the test's points
    effective_weight: float | None         # its share of the spread of total scores
    discriminative_efficiency: float | None  # discrimination as a share of the most possible


def _max_covariance(xs: Sequence[float], ys: Sequence[float],
                    weights: Sequence[int]) -> float:
    """Return the largest covariance the two lists could have if paired in the best order.

    Each value stands for *weights* students: the sorted lists are paired student by student,
    a run of equal students at a time.
    """
    left = sorted(zip(xs, weights, strict=True))
    right = sorted(zip(ys, weights, strict=True))
    px, py, pw = [], [], []
    i = j = 0
    wi, wj = (left[0][1], right[0][1]) if left else (0, 0)
    while i < len(left) and j < len(right):
        take = min(wi, wj)
        if take:
            px.append(left[i][0])
            py.append(right[j][0])
            pw.append(take)
        wi, wj = wi - take, wj - take
        if not wi:
            i += 1
            wi = left[i][1] if i < len(left) else 0
        if not wj:
            j += 1
            wj = right[j][1] if j < len(right) else 0
    return _covariance(px, py, pw)


@dataclass(frozen=True)
class Interval:
    """A figure with its 95 % bootstrap interval."""

    value: float
    low: float
    high: float

    def spans(self, threshold: float) -> bool:
        """Say whether the interval reaches across *threshold* (so no side can be claimed)."""
        return self.low < threshold < self.high


def bootstrap(rows: Sequence, statistic: Callable[[Sequence], float | None],
              draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED) -> Interval | None:
    """Return *statistic* over *rows* with a 95 % percentile interval, resampling the rows."""
    value = statistic(rows)
    if value is None or len(rows) < 2:
        return None
    # Resampling for an interval, not a secret: a seeded generator keeps the page stable.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    samples = sorted(v for v in (statistic(rng.choices(rows, k=len(rows)))
                                 for _ in range(draws)) if v is not None)
    if not samples:
        return None
    low = samples[int(0.025 * (len(samples) - 1))]
    high = samples[math.ceil(0.975 * (len(samples) - 1))]
    return Interval(value, low, high)


def bootstrap_each(rows: Sequence, statistic: Callable[[Sequence], Any],
                   names: Sequence[str], draws: int = BOOTSTRAP_DRAWS,
                   seed: int = BOOTSTRAP_SEED) -> tuple[Interval | None, ...]:
    """Return an interval for each named attribute of *statistic*, from one set of resamples.

    The same as `bootstrap` once per attribute (the same seed draws the same resamples), at
    the cost of one.
    """
    whole = statistic(rows)
    if whole is None or len(rows) < 2:
        return (None,) * len(names)
    rng = random.Random(seed)  # noqa: S311  # nosec B311  (an interval, not a secret)
    found = [statistic(rng.choices(rows, k=len(rows))) for _ in range(draws)]
    result = []
    for name in names:
        samples = sorted(getattr(f, name) for f in found if f is not None)
        result.append(Interval(getattr(whole, name), samples[int(0.025 * (len(samples) - 1))],
                               samples[math.ceil(0.975 * (len(samples) - 1))])
                      if samples else None)
    return tuple(result)


@dataclass(frozen=True)
class Detection:
    """Signal detection over fact/claim labels: d' (telling apart) and c (leaning)."""

    d_prime: float
    c: float


def detection(facts: int, facts_called_fact: int, claims: int,
              claims_called_fact: int) -> Detection | None:
    """Return d' = z(H) - z(F) and c = -(z(H) + z(F)) / 2, with the log-linear correction.

    H = (facts called fact + 0.5) / (facts + 1); F = (claims called fact + 0.5) / (claims + 1).
    None when there were no facts or no claims to tell apart.
    """
    if not facts or not claims:
        return None
    z = NormalDist().inv_cdf
    hit = z((facts_called_fact + 0.5) / (facts + 1))
    false_alarm = z((claims_called_fact + 0.5) / (claims + 1))
    return Detection(hit - false_alarm, -(hit + false_alarm) / 2)


def normalised_gain(pre: float, post: float) -> float | None:
    """Return Hake's g = (post - pre) / (100 - pre) for percentages; None when pre is 100."""
    if pre >= 100:
        return None
    return (post - pre) / (100 - pre)


def class_gain(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Return the class's normalised gain from its mean pre and post percentages (Hake)."""
    if not pairs:
        return None
    return normalised_gain(fmean(p for p, _ in pairs), fmean(q for _, q in pairs))


def _columns(counts: Mapping) -> tuple[list, list[int]]:
    return list(counts), list(counts.values())


def reliability_from_counts(totals: Mapping[float, int],
                            items: Sequence[Mapping[float, int]]) -> TestReliability | None:
    """Return the reliability of a test from counts: students per total score, and per
    question, students per score on it (the variances need only each column's own
    distribution, not the table of every student's scores).

    alpha = k / (k - 1) * (1 - sum of question variances / variance of totals); undefined
    (None) with fewer than two questions, two students, or totals that do not vary.
    """
    if not totals:
        return None
    values, ws = _columns(totals)
    students = sum(ws)
    k = len(items)
    variance = _variance(values, ws)
    sd = math.sqrt(variance)
    alpha = error_ratio = sem = None
    if k >= 2 and students >= 2 and variance > 0:
        spread = sum(_variance(*_columns(c)) for c in items)
        alpha = k / (k - 1) * (1 - spread / variance)
        error_ratio = math.sqrt(max(0.0, 1 - alpha))
        sem = sd * error_ratio
    mean = math.fsum(w * t for w, t in zip(ws, values, strict=True)) / students
    return TestReliability(students, mean, sd, alpha, error_ratio, sem)


def question_figures_from_counts(pairs: Sequence[Mapping[tuple[float, float], int]],
                                 max_points: Sequence[float],
                                 random_guess: Sequence[float]) -> list[QuestionFigures]:
    """Return each question's figures from counts: per question, students per (score on the
    question, total score); every figure needs only these pairs.

    Effective weight (Moodle): 100 * sqrt(cov(q, total)) / the sum of that over the questions
    whose covariance is not negative; None for a question whose covariance is negative.
    Discriminative efficiency (Moodle): 100 * cov(q, rest) / the largest covariance the same
    two lists of scores could reach, where rest is the total without this question.
    """
    k = len(max_points)
    top = sum(max_points) or 1.0
    columns = []
    for i in range(k):
        keys, ws = _columns(pairs[i])
        xs = [x for x, _ in keys]
        columns.append((xs, [t for _, t in keys], ws))
    covariances = [_covariance(xs, ts, ws) if ws else 0.0 for xs, ts, ws in columns]
    roots = sum(math.sqrt(c) for c in covariances if c > 0)
    figures = []
    for i, (xs, ts, ws) in enumerate(columns):
        rest = [t - x for t, x in zip(ts, xs, strict=True)]
        best = _max_covariance(xs, rest, ws) if ws else 0.0
        cov = covariances[i]
        share = [x / max_points[i] for x in xs] if max_points[i] else xs
        figures.append(QuestionFigures(
            sd=math.sqrt(_variance(share, ws)) if ws else 0.0,
            random_guess=random_guess[i],
            intended_weight=max_points[i] / top,
            effective_weight=(math.sqrt(cov) / roots if cov >= 0 and roots else None),
            discriminative_efficiency=(_covariance(xs, rest, ws) / best if best > 0 else None),
        ))
    return figures
