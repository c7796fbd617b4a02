"""Score summaries and item analysis, the arithmetic: counts and rows -> figures on the page.

`SummaryState` keeps a class's picked attempts at a set as additive counts and turns them
into facility, discrimination, choices, skills, reliability and discernment; the other
helpers turn `quiz.queries.summaries` rows into the grid, gains and progress. No Flask and
no SQL here: tested without an app or a database.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from . import psychometrics, questiontypes
from .questiontypes import kind_of, skill_name
from .questiontypes.base import Tally

Row = Mapping[str, Any]  # a database row, or anything read like one

PICKS = ("first", "best", "latest", "all")  # "all": every attempt counts, retries too
BINS = 10  # histogram: 0-9 %, 10-19 %, ..., 90-100 %
# A `SummaryState.dump` of another format is ignored (counted anew): raise it when the
# counts change.
SNAPSHOT_FORMAT = 2

# Flags: questions a teacher should look at (classic item-analysis rules of thumb).
TOO_HARD, TOO_EASY, LOW_DISCRIMINATION = 0.30, 0.95, 0.20
FEW_STUDENTS = 10  # below this, item statistics are rough
# Below this many students no question is flagged: with one student every question is either
# "very hard" or "very easy", and with a handful one student's answer decides the flag.
FLAG_MIN_STUDENTS = 5

# Discernment: classify statements whose right label is a verified fact, against those
# whose right label is an attributed claim or a hedged report.
FACT_LABELS = ("fact",)
CLAIM_LABELS = ("claim", "hedged")
BALANCED = 0.20  # |bias| below this is called balanced
# Above this many students the bootstrap draws the class's pooled counts from the normal
# distribution the resampled sums follow (the central limit theorem) instead of resampling
# every student 1000 times: the same interval, in milliseconds rather than seconds.
EXACT_BOOTSTRAP = 500


# Figures ---------------------------------------------------------------------------------

def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from sums; None when either variable does not vary (or n < 3)."""
    if n < 3:
        return None
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if vx <= 1e-12 * n * n or vy <= 1e-12 * n * n:
        return None
    return max(-1.0, min(1.0, (n * sxy - sx * sy) / math.sqrt(vx * vy)))


def bin_label(n: int) -> str:
    """'0-9 %', ..., '90-100 %'."""
    return f"{n * 10}-{n * 10 + (10 if n == BINS - 1 else 9)} %"


def signed(value: float) -> str:
    """Format a figure with its sign, two decimals, and no minus sign on a rounded zero."""
    text = f"{value:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def width_class(fraction: float | None) -> str:
    """A CSS class bar-w-0 ... bar-w-100 (steps of 5) for a bar of this fraction."""
    if fraction is None:
        return "bar-w-0"
    return f"bar-w-{5 * round(max(0.0, min(1.0, fraction)) * 20)}"


def merged_questions(documents: list[dict]) -> list[dict]:
    """The questions of several versions, latest text winning, in the latest order.

    A question that a later version removed keeps its place after the current ones.
    """
    merged: dict[str, dict] = {}
    for document in documents:
        for q in document["questions"]:
            merged.pop(q["id"], None)
            merged[q["id"]] = q
    latest = documents[-1]["questions"] if documents else []
    current = [merged[q["id"]] for q in latest]
    return current + [q for qid, q in merged.items() if qid not in {c["id"] for c in current}]


@dataclass
class QuestionStats:
    """One question's item analysis."""

    number: int
    question: dict
    n: int = 0
    facility: float | None = None
    discrimination: float | None = None
    right: int = 0
    partly: int = 0
    wrong: int = 0
    blank: int = 0
    points: float = 0.0
    max_points: float = 0.0
    choices: list[dict] = field(default_factory=list)  # {"text", "n", "share", "right"}
    parts: list[dict] = field(default_factory=list)    # classify/order: per statement/item
    common_wrong: str | None = None
    common_wrong_n: int = 0
    value_heading: str = "Answer"  # what the choices table calls one chosen value
    figures: psychometrics.QuestionFigures | None = None  # Moodle's SD, weights, efficiency
    distractors: list[dict] = field(default_factory=list)  # wrong options by half of class
    flags: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Count the students who gave an answer (the blanks saw the question, no more)."""
        return self.n - self.blank


def flags_for(facility: float | None, discrimination: float | None) -> list[str]:
    """Say why a teacher should look at a question (empty when nothing stands out)."""
    flags = []
    if facility is not None and facility < TOO_HARD:
        flags.append("very hard (facility below 0.3)")
    if facility is not None and facility > TOO_EASY:
        flags.append("very easy (facility above 0.95)")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append("does not separate stronger from weaker students (discrimination below 0.2)")
    return flags


def describe_answer(q: dict, answer: Any) -> str:
    """Say a whole stored answer in words, for 'most common wrong answer'."""
    return questiontypes.describe_answer(kind_of(q), q, answer)


def _choices(q: dict, counts: list[Row], n: int) -> tuple[list[dict], list[dict]]:
    """Turn answer counts into (choices, parts) rows, listing options nobody chose too."""
    by_part: dict[str | None, dict] = {}
    for r in counts:
        by_part.setdefault(r["part"], {})[r["value"]] = r["n"]
    kind = kind_of(q)
    return kind.summary_rows(Tally(kind, q, by_part, n))


def item_analysis(questions: list[dict], sums: list[Row], counts: list[Row],
                  wrong: list[Row]) -> list[QuestionStats]:
    """Combine the SQL sums with the questions into one QuestionStats per question."""
    by_q = {r["question_id"]: r for r in sums}
    counts_by_q: dict[str, list[Row]] = {}
    for r in counts:
        counts_by_q.setdefault(r["question_id"], []).append(r)
    wrong_by_q = {r["question_id"]: r for r in wrong}
    result = []
    for number, q in enumerate(questions, start=1):
        s = by_q.get(q["id"])
        stats = QuestionStats(number, q)
        if s is not None and s["n"]:
            stats.n = s["n"]
            stats.facility = s["sx"] / s["n"]
            stats.discrimination = pearson(s["ny"], s["sx"], s["sy"], s["sxx"], s["syy"],
                                           s["sxy"]) if s["ny"] == s["n"] else None
            stats.right, stats.partly = s["right"], s["partly"]
            stats.wrong, stats.blank = s["wrong"], s["blank"]
            stats.points, stats.max_points = s["points"], s["max_points"]
            if stats.n >= FLAG_MIN_STUDENTS:
                stats.flags = flags_for(stats.facility, stats.discrimination)
        stats.choices, stats.parts = _choices(q, counts_by_q.get(q["id"], []), stats.n)
        stats.value_heading = kind_of(q).value_heading
        w = wrong_by_q.get(q["id"])
        common = kind_of(q).common_wrong(q, stats.choices, stats.parts,
                                         (json.loads(w["answer"]), w["n"]) if w else None)
        if common is not None:
            stats.common_wrong, stats.common_wrong_n = common
        result.append(stats)
    return result


TOP_VALUES = 100  # values listed per question and part (the most frequent)


def _sql_value(value: Any) -> Any:
    """Return a JSON value as SQLite's json_each gives it (booleans 1/0, nested as text)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return value


def _parts(answer: str) -> list[tuple[str | None, Any]]:
    """Split a stored answer into (part, value) as json_each does: an object's keys are parts."""
    value = json.loads(answer)
    if isinstance(value, dict):
        return [(k, _sql_value(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [(None, _sql_value(v)) for v in value]
    return [(None, _sql_value(value))]


def _sql_order(value: Any) -> tuple:
    """Sort values as SQLite does: NULL, then numbers, then text (by code point)."""
    if value is None:
        return (0, 0)
    return (1, value) if isinstance(value, int | float) else (2, str(value))


FLAWED = "a wrong option drew more of the stronger half than of the weaker (check the key)"


def distractor_analysis(stats: list[QuestionStats], sizes: Mapping[int, int],
                        counts: Iterable[Row]) -> None:
    """Give each question its wrong options as chosen by the stronger and the weaker half.

    *sizes* and *counts* are `SummaryState.half_rows`. A wrong option chosen by a larger
    share of the stronger half than of the weaker is flawed (flagged, with enough students).
    """
    got: dict[tuple, int] = {}
    for r in counts:
        got[(r["question_id"], r["part"], r["value"], r["strong"])] = r["n"]
    strong_n, weak_n = sizes.get(1, 0), sizes.get(0, 0)
    for s in stats:
        q = s.question
        for part, value, text in kind_of(q).distractors(q):
            strong = got.get((q["id"], part, value, 1), 0)
            weak = got.get((q["id"], part, value, 0), 0)
            strong_share = strong / strong_n if strong_n else None
            weak_share = weak / weak_n if weak_n else None
            flawed = (strong_share is not None and weak_share is not None
                      and strong_share > weak_share)
            s.distractors.append({"text": text, "strong": strong, "strong_share": strong_share,
                                  "weak": weak, "weak_share": weak_share, "flawed": flawed})
        if s.n >= FLAG_MIN_STUDENTS and any(d["flawed"] for d in s.distractors):
            s.flags.append(FLAWED)


def skill_scores(stats: list[QuestionStats]) -> list[dict]:
    """The class's score per skill tag: points got over points possible, across questions."""
    totals: dict[str, list[float]] = {}
    for s in stats:
        t = totals.setdefault(s.question["skill"], [0.0, 0.0, 0])
        t[0] += s.points
        t[1] += s.max_points
        t[2] += 1
    return [{"skill": k, "name": skill_name(k), "questions": int(q),
             "score": p / m if m else None} for k, (p, m, q) in totals.items()]


@dataclass
class Discernment:
    """How well facts and claims were told apart, and which way the mistakes lean."""

    facts: int            # fact statements answered
    facts_right: int      # ... labelled "fact"
    claims: int           # claim and hedged statements answered
    claims_right: int     # ... given their own right label
    claims_as_fact: int   # ... labelled "fact" (the credulous mistake)
    hedged: int = 0
    hedged_right: int = 0
    bias_interval: psychometrics.Interval | None = None    # 95 % over students (a class)
    d_prime_interval: psychometrics.Interval | None = None

    @property
    def d_prime(self) -> float | None:
        """Sensitivity d' = z(H) - z(F): how well facts and claims are told apart (0: not)."""
        found = psychometrics.detection(self.facts, self.facts_right, self.claims,
                                        self.claims_as_fact)
        return None if found is None else found.d_prime

    @property
    def class_leaning(self) -> str | None:
        """The leaning the interval supports, else 'not clear yet' (it spans a threshold)."""
        i = self.bias_interval
        if self.bias is None:
            return None
        if i is None or i.spans(BALANCED) or i.spans(-BALANCED):
            return "not clear yet"
        return self.leaning

    @property
    def facts_doubted(self) -> int:
        """Facts not labelled fact (the over-sceptical mistake)."""
        return self.facts - self.facts_right

    @property
    def bias(self) -> float | None:
        """Signal-detection criterion c = -(z(H) + z(F)) / 2, log-linear corrected.

        H = (facts labelled fact + 0.5) / (facts + 1), F = (claims labelled fact + 0.5) /
        (claims + 1). Above 0: reluctant to call anything a fact (over-sceptical); below 0:
        quick to call claims facts (credulous).
        """
        if not self.facts or not self.claims:
            return None
        z = NormalDist().inv_cdf
        hit = (self.facts_right + 0.5) / (self.facts + 1)
        false_alarm = (self.claims_as_fact + 0.5) / (self.claims + 1)
        return -(z(hit) + z(false_alarm)) / 2

    @property
    def leaning(self) -> str | None:
        """'over-sceptical', 'credulous' or 'balanced'."""
        b = self.bias
        if b is None:
            return None
        return "over-sceptical" if b >= BALANCED else "credulous" if b <= -BALANCED else "balanced"


def discernment_from_counts(rows: list[Row]) -> Discernment | None:
    """Build a Discernment from counts per label; None when nothing was answered."""
    by = {r["label"]: r for r in rows}
    fact = by.get("fact")
    claims = [by[k] for k in CLAIM_LABELS if k in by]
    if fact is None and not claims:
        return None
    hedged = by.get("hedged")
    return Discernment(
        facts=fact["answered"] if fact else 0, facts_right=fact["correct"] if fact else 0,
        claims=sum(r["answered"] for r in claims), claims_right=sum(r["correct"] for r in claims),
        claims_as_fact=sum(r["said_fact"] for r in claims),
        hedged=hedged["answered"] if hedged else 0, hedged_right=hedged["correct"] if hedged else 0)


def discernment_from_combinations(rows: list[Row]) -> Discernment | None:
    """Build a class's Discernment, with its intervals, from its combinations of counts."""
    if not rows:
        return None
    total = {k: sum(r[k] * r["n"] for r in rows) for k in ("f", "fr", "c", "cr", "cf", "h", "hr")}
    found = Discernment(facts=total["f"], facts_right=total["fr"], claims=total["c"],
                        claims_right=total["cr"], claims_as_fact=total["cf"], hedged=total["h"],
                        hedged_right=total["hr"])
    combos: dict[tuple[int, int, int, int], int] = {}
    for r in rows:
        key = (r["f"], r["fr"], r["c"], r["cf"])
        combos[key] = combos.get(key, 0) + r["n"]
    _intervals(found, combos)
    return found


def _pooled_detection(rows: list[tuple[int, int, int, int]]) -> psychometrics.Detection | None:
    facts, facts_right, claims, claims_fact = (sum(col) for col in zip(*rows, strict=True))
    return psychometrics.detection(facts, facts_right, claims, claims_fact)


def _normal_draws(combos: Mapping[tuple, int], draws: int, seed: int) -> list:
    """Draw pooled counts as a bootstrap would, from their normal limit (many students).

    *combos* maps each combination of counts to the number of students who had it: the
    mean and covariance are weighted sums over a few hundred combinations, not students.
    """
    n = sum(combos.values())
    k = len(next(iter(combos)))
    mean = [sum(r[i] * w for r, w in combos.items()) / n for i in range(k)]
    cov = [[sum(w * (r[i] - mean[i]) * (r[j] - mean[j]) for r, w in combos.items()) / n
            for j in range(k)] for i in range(k)]
    chol = [[0.0] * k for _ in range(k)]  # Cholesky factor, zero where a count never varies
    for i in range(k):
        for j in range(i + 1):
            rest = cov[i][j] - sum(chol[i][m] * chol[j][m] for m in range(j))
            if i == j:
                chol[i][i] = math.sqrt(rest) if rest > 1e-12 else 0.0
            elif chol[j][j]:
                chol[i][j] = rest / chol[j][j]
    rng = random.Random(seed)  # noqa: S311  # nosec B311  (an interval, not a secret)
    out = []
    for _ in range(draws):
        z = [rng.gauss(0, 1) for _ in range(k)]
        sums = [n * mean[i] + math.sqrt(n) * sum(chol[i][m] * z[m] for m in range(i + 1))
                for i in range(k)]
        out.append(sums)
    return out


def _intervals(found: Discernment, combos: Mapping[tuple[int, int, int, int], int]) -> None:
    """Set the intervals of c and d' from each combination of counts and its students."""
    students = sum(combos.values())
    if students < 2:
        return
    if students <= EXACT_BOOTSTRAP:
        # One row per student again (grouped by combination: the order is fixed, so is the
        # interval); c and d' from the same resamples, drawn once.
        rows = [r for r, w in combos.items() for _ in range(w)]
        found.bias_interval, found.d_prime_interval = psychometrics.bootstrap_each(
            rows, _pooled_detection, ("c", "d_prime"))
        return
    draws = []
    for f, fr, c, cf in _normal_draws(combos, psychometrics.BOOTSTRAP_DRAWS,
                                      psychometrics.BOOTSTRAP_SEED):
        f, c = max(f, 0.0), max(c, 0.0)  # a count drawn from a normal stays a count
        draws.append(psychometrics.detection(f, min(max(fr, 0.0), f), c, min(max(cf, 0.0), c)))
    whole = _pooled_detection([tuple(w * x for x in r) for r, w in combos.items()])
    for name, attr in (("bias_interval", "c"), ("d_prime_interval", "d_prime")):
        values = sorted(getattr(d, attr) for d in draws if d is not None)
        if values and whole is not None:
            setattr(found, name, psychometrics.Interval(
                getattr(whole, attr), values[int(0.025 * (len(values) - 1))],
                values[math.ceil(0.975 * (len(values) - 1))]))


def attempt_discernment(document: dict, responses: Iterable[Row]) -> Discernment | None:
    """One attempt's discernment, from its responses (the results page has them loaded)."""
    truth = {(q["id"], part): label for q in document["questions"]
             for part, label in kind_of(q).labelled_parts(q)
             if label in FACT_LABELS + CLAIM_LABELS}
    counts: dict[str, dict[str, int]] = {}
    for r in responses:
        if not r["answer"]:
            continue
        answer = json.loads(r["answer"])
        if not isinstance(answer, dict):
            continue
        for statement, given in answer.items():
            label = truth.get((r["question_id"], statement))
            if label is None:
                continue
            c = counts.setdefault(label, {"label": label, "answered": 0, "correct": 0,
                                          "said_fact": 0})
            c["answered"] += 1
            c["correct"] += given == label
            c["said_fact"] += given in FACT_LABELS
    return discernment_from_counts(list(counts.values()))


# What the pages show ---------------------------------------------------------------------

@dataclass
class SetSummary:
    """Everything the set summary page shows."""

    pick: str
    overview: Row
    histogram: list[int]
    questions: list[QuestionStats]
    skills: list[dict]
    discernment: Discernment | None
    versions: list[int]  # the version numbers the class answered
    reliability: psychometrics.TestReliability | None = None
    max_points: float = 0.0  # the latest version's total, for the SD as a percentage
    halves: Mapping[int, int] = field(default_factory=dict)  # attempts: 1 stronger, 0 weaker


@dataclass
class GridStudent:
    """One row of the student grid."""

    student_id: int
    name: str
    attempts: int
    created_at: str
    points: float
    max_points: float
    token: str
    cells: dict[str, tuple[str, float, float]]  # question id -> (verdict, points, max)


def grid(rows: Iterable[Row]) -> Iterator[GridStudent]:
    """Group `grid_rows` (one row per response, students in order) into students."""
    current = None
    for r in rows:
        # One row per attempt: with every attempt counted, a student has several.
        if current is None or current.token != r["token"]:
            if current is not None:
                yield current
            current = GridStudent(r["student_id"], r["name"], r["attempts"], r["created_at"],
                                  r["total"], r["total_max"], r["token"], {})
        current.cells[r["question_id"]] = (r["verdict"], r["points"], r["max_points"])
    if current is not None:
        yield current


@dataclass
class StudentSet:
    """A student's attempts at one set, with the questions to show as columns."""

    set_id: int
    title: str
    questions: list[dict]
    attempts: list[dict]  # {"row": attempt row, "verdicts": {question id: verdict}}
    total: int = 0        # attempts at this set in all (only the latest are listed)


def student_sets(attempts: list[Row], documents: dict[int, dict]) -> list[StudentSet]:
    """Group a student's attempts by set; columns are the questions of every version."""
    result: list[StudentSet] = []
    for a in attempts:
        if not result or result[-1].set_id != a["set_id"]:
            result.append(StudentSet(a["set_id"], "", [], [], a["of_set"]))
        result[-1].attempts.append({"row": a, "verdicts": json.loads(a["verdicts"])})
    for group in result:
        # Version ids grow with version numbers: sorted ids are oldest first.
        docs = [documents[v] for v in sorted({a["row"]["version_id"] for a in group.attempts})]
        group.questions = merged_questions(docs)
        group.title = docs[-1]["title"]
    return result


# Learning gains (pre-test and post-test) and progress across sets --------------------------

@dataclass
class GainStudent:
    """One student's first attempt at the pre-test and at the post-test (fractions 0-1)."""

    student_id: int
    name: str
    pre: float | None = None
    post: float | None = None
    points: dict[str, tuple[float, float]] = field(default_factory=dict)  # "pre"/"post"
    skills: dict[str, dict[str, float | None]] = field(default_factory=dict)  # skill -> side

    @property
    def change(self) -> float | None:
        """Return post - pre (a fraction of the maximum); None without both."""
        return None if self.pre is None or self.post is None else self.post - self.pre

    @property
    def g(self) -> float | None:
        """Return this student's normalised gain; None without both, or a full pre-test."""
        if self.change is None:
            return None
        return psychometrics.normalised_gain(100 * self.pre, 100 * self.post)

    @property
    def went_down(self) -> bool:
        """Say whether the post-test score is below the pre-test score."""
        return self.change is not None and self.change < -1e-9


@dataclass
class SkillGain:
    """A skill's class means before and after, with Hake's g and its interval."""

    skill: str
    name: str
    students: int
    pre: float
    post: float
    g: psychometrics.Interval | None
    g_value: float | None


@dataclass
class Gains:
    """A class's learning gains from a pre-test to a post-test."""

    paired: list[GainStudent]
    pre_only: list[GainStudent]
    post_only: list[GainStudent]
    pre: float | None
    post: float | None
    g: float | None                       # Hake's g from the class means
    interval: psychometrics.Interval | None  # its 95 % bootstrap interval over students
    skills: list[SkillGain]

    @property
    def went_down(self) -> list[GainStudent]:
        """The students whose post-test score is below their pre-test score."""
        return [s for s in self.paired if s.went_down]


def _mean_gain(pairs) -> float | None:
    """Hake's g from (pre, post) fractions: the statistic the bootstrap resamples."""
    return psychometrics.class_gain([(100 * p, 100 * q) for p, q in pairs])


def _with_interval(pairs: list[tuple[float, float]]):
    g = _mean_gain(pairs)
    return g, (psychometrics.bootstrap(pairs, _mean_gain) if g is not None else None)


def gains(rows: Iterable[Row], pre_set: int, post_set: int) -> Gains:
    """Turn `first_attempt_skills` rows of two sets into each student's and the class's gain.

    A skill counts for a student when both attempts had questions of that skill; the class's
    g per skill is over those students.
    """
    students: dict[int, GainStudent] = {}
    for r in rows:
        side = "pre" if r["set_id"] == pre_set else "post" if r["set_id"] == post_set else None
        if side is None:
            continue
        s = students.setdefault(r["student_id"], GainStudent(r["student_id"], r["name"]))
        share = r["points"] / r["max_points"] if r["max_points"] else None
        if r["skill"] == "":
            setattr(s, side, share)
            s.points[side] = (r["points"], r["max_points"])
        elif share is not None:
            s.skills.setdefault(r["skill"], {})[side] = share
    ordered = sorted(students.values(), key=lambda s: (s.name.casefold(), s.student_id))
    paired = [s for s in ordered if s.pre is not None and s.post is not None]
    g, interval = _with_interval([(s.pre, s.post) for s in paired])
    skill_pairs: dict[str, list[tuple[float, float]]] = {}
    for s in paired:
        for skill, sides in s.skills.items():
            if "pre" in sides and "post" in sides:
                skill_pairs.setdefault(skill, []).append((sides["pre"], sides["post"]))
    order = {k: i for i, k in enumerate(questiontypes.SKILLS)}
    skills = []
    for skill in sorted(skill_pairs, key=lambda k: (order.get(k, len(order)), k)):
        pairs = skill_pairs[skill]
        value, spread = _with_interval(pairs)
        skills.append(SkillGain(skill, skill_name(skill), len(pairs),
                                sum(p for p, _ in pairs) / len(pairs),
                                sum(q for _, q in pairs) / len(pairs), spread, value))
    return Gains(
        paired, [s for s in ordered if s.post is None], [s for s in ordered if s.pre is None],
        sum(s.pre for s in paired) / len(paired) if paired else None,
        sum(s.post for s in paired) / len(paired) if paired else None, g, interval, skills)


@dataclass
class ProgressRow:
    """A student's first attempt at one set: when, the score, and the score per skill."""

    set_id: int
    title: str
    created_at: str
    score: float | None
    skills: dict[str, float]


def progress(rows: Iterable[Row], titles: Mapping[int, str]) -> tuple[list[str], list[ProgressRow]]:
    """Return the skills (as columns) and a row per set, in the order the sets were taken."""
    result: list[ProgressRow] = []
    by_attempt: dict[int, ProgressRow] = {}
    for r in rows:
        row = by_attempt.get(r["attempt_id"])
        if row is None:
            row = by_attempt[r["attempt_id"]] = ProgressRow(
                r["set_id"], titles.get(r["set_id"], ""), r["created_at"], None, {})
            result.append(row)
        share = r["points"] / r["max_points"] if r["max_points"] else None
        if r["skill"] == "":
            row.score = share
        elif share is not None:
            row.skills[r["skill"]] = share
    order = {k: i for i, k in enumerate(questiontypes.SKILLS)}
    skills = sorted({k for row in result for k in row.skills},
                    key=lambda k: (order.get(k, len(order)), k))
    return skills, result


# The set summary kept up to date as attempts arrive ---------------------------------------

def _bump(counts: dict, key: Any, by: int) -> None:
    """Add *by* to a count, dropping it at zero (equal states hold equal dicts)."""
    n = counts.get(key, 0) + by
    if n:
        counts[key] = n
    else:
        del counts[key]


class SummaryState:
    """A class's picked attempts at one set, as ADDITIVE counts: every figure of the set
    summary follows from them (`summary`), and one attempt's contribution depends on that
    attempt alone, so an attempt is added (or, replaced as a student's best or latest,
    taken away) without reading any other.

    Invariant: after `load` or any `arrive`, every count equals the count over the attempts
    that `queries.picked_ids` picks among the class's attempts at the set with id <= last_id;
    `mark()` names those attempts as `queries.summary_mark` does. Figures are derived in an
    order-independent way (exact sums, `math.fsum`, sorted keys), so equal counts give an
    equal summary, however they were reached. Totals are keyed by their stored values: exact.
    """

    def __init__(self, pick: str, questions: list[dict], documents: Mapping[int, dict],
                 version_numbers: list[int]):
        self.pick, self.questions, self.version_numbers = pick, questions, version_numbers
        self.versions = set(documents)
        self.column = {q["id"]: i for i, q in enumerate(questions)}
        # Per (version, question): the fact/claim/hedged label of each classify statement.
        self.truth = {(vid, q["id"]): labels for vid, doc in documents.items()
                      for q in doc["questions"] if q.get("type") == "classify"
                      for labels in [{s["id"]: s.get("label") for s in q.get("statements", [])
                                      if s.get("label") in FACT_LABELS + CLAIM_LABELS}]
                      if labels}
        self.distractor_keys = {(q["id"], part, value) for q in questions
                                for part, value, _ in kind_of(q).distractors(q)}
        # student id -> picked (id, points, max, created_at, version); "all": attempts counted
        self.picked: dict[int, Any] = {}
        self.scores: dict[tuple[float, float], int] = {}      # (points, max) -> attempts
        self.sums: dict[tuple, int] = {}     # (question, verdict, points, max, total, max)
        self.chosen: dict[tuple, int] = {}   # (question, part, value) -> answers
        self.wrong: dict[tuple, int] = {}    # (question, answer JSON) that earned nothing
        self.halves: dict[tuple, int] = {}   # (question, part, distractor, total, max)
        self.pairs: list[dict] = [{} for _ in questions]  # per question: (points, row total)
        self.totals: dict[float, int] = {}   # the score table's row totals
        self.combos: dict[tuple, int] = {}   # discernment counts (f, fr, c, cr, cf, h, hr)
        # Every attempt of the class at the set, picked or not (the "attempts made" line).
        self.attempts, self.student_sum, self.last_id = 0, 0, 0
        self.first_at: str | None = None
        self.last_at: str | None = None
        self._parsed: dict[str, list] = {}

    def mark(self) -> tuple:
        """Name the attempts counted, as `queries.summary_mark` names the database's."""
        return (self.attempts, len(self.picked), self.last_id, self.student_sum,
                self.first_at, self.last_at)

    def load(self, mark: Row, attempts: Iterable[Row], responses: Iterable[Row]) -> None:
        """Count the picked attempts and their responses (ordered by attempt), read with
        *mark* in one snapshot."""
        (self.attempts, _, self.last_id, self.student_sum, self.first_at,
         self.last_at) = tuple(mark)[1:]
        by_id = {}
        for a in attempts:
            by_id[a["id"]] = a
            if self.pick == "all":
                self.picked[a["student_id"]] = self.picked.get(a["student_id"], 0) + 1
            else:
                self.picked[a["student_id"]] = _entry(a)
        current, rows = None, []
        for r in responses:
            if r["attempt_id"] != current:
                if current is not None:
                    self.apply(by_id.pop(current), rows, 1)
                current, rows = r["attempt_id"], []
            rows.append(r)
        if current is not None:
            self.apply(by_id.pop(current), rows, 1)
        for a in by_id.values():  # an attempt without responses still counts
            self.apply(a, [], 1)
        self.counted()

    def counted(self) -> None:
        """Drop what only counting needs: the parsed answers (a state lives on in memory)."""
        self._parsed.clear()

    def plan(self, new: Iterable[Row]) -> list[tuple[int, Any]]:
        """Take attempts made since `last_id` (oldest first): return what to count (+1) and
        what to take away (-1), as (sign, attempt), picking as `queries.picked_ids` does."""
        ops: list[tuple[int, Any]] = []
        for a in new:
            self.attempts += 1
            self.student_sum += a["student_id"]
            self.last_id = max(self.last_id, a["id"])
            self.first_at = min(self.first_at or a["created_at"], a["created_at"])
            self.last_at = max(self.last_at or a["created_at"], a["created_at"])
            student = a["student_id"]
            old = self.picked.get(student)
            if self.pick == "all":
                self.picked[student] = (old or 0) + 1
                ops.append((1, a))
                continue
            if old is not None:
                if self.pick == "first":
                    continue
                # best: a higher share only (the earlier of equals); latest: always newer
                if self.pick == "best" and not a["points"] / a["max_points"] > old[1] / old[2]:
                    continue
                ops.append((-1, {"id": old[0], "points": old[1], "max_points": old[2],
                                 "created_at": old[3], "version_id": old[4],
                                 "student_id": student}))
            self.picked[student] = _entry(a)
            ops.append((1, a))
        return ops

    def _parts(self, answer: str) -> list:
        parts = self._parsed.get(answer)
        if parts is None:
            if len(self._parsed) >= 100_000:
                self._parsed.clear()
            parts = self._parsed[answer] = _parts(answer)
        return parts

    def apply(self, a: Row, responses: Iterable[Row], sign: int) -> None:
        """Add (sign 1) or take away (-1) one attempt's contribution to every count."""
        total, top = a["points"], a["max_points"]
        _bump(self.scores, (total, top), sign)
        row = [0.0] * len(self.questions)
        labels = {"f": 0, "fr": 0, "c": 0, "cr": 0, "cf": 0, "h": 0, "hr": 0}
        seen = in_table = False
        for r in responses:
            qid, answer, verdict = r["question_id"], r["answer"], r["verdict"]
            _bump(self.sums, (qid, verdict, r["points"], r["max_points"], total, top), sign)
            if verdict == "wrong":
                _bump(self.wrong, (qid, answer), sign)
            i = self.column.get(qid)
            if i is not None:
                row[i], in_table = r["points"], True
            if answer is None:
                continue
            for part, value in self._parts(answer):
                _bump(self.chosen, (qid, part, value), sign)
                if (qid, part, value) in self.distractor_keys:
                    _bump(self.halves, (qid, part, value, total, top), sign)
            truth = self.truth.get((a["version_id"], qid))
            if truth:
                given = json.loads(answer)
                if isinstance(given, dict):
                    for statement, value in given.items():
                        label = truth.get(statement)
                        if label is None:
                            continue
                        seen = True
                        if label == "fact":
                            labels["f"] += 1
                            labels["fr"] += value == "fact"
                        else:
                            labels["c"] += 1
                            labels["cr"] += value == label
                            labels["cf"] += value == "fact"
                            if label == "hedged":
                                labels["h"] += 1
                                labels["hr"] += value == "hedged"
        if seen:
            _bump(self.combos, tuple(labels.values()), sign)
        if in_table:  # a row of the score table (a question not in the version counts 0)
            t = sum(row)
            _bump(self.totals, t, sign)
            for pairs, x in zip(self.pairs, row, strict=True):
                _bump(pairs, (x, t), sign)

    # A snapshot on disk, so a restarted worker need not count every attempt again ---------

    # The width of each count's key. Written as columns (one list per key field, then the
    # counts): JSON reads flat lists of numbers 3-4 times faster than 48,000 small lists.
    _COUNTS = {"scores": 2, "sums": 6, "chosen": 3, "wrong": 2, "halves": 5, "combos": 7}
    # Counts whose keys end in an attempt's exact (total, max): written as an index into the
    # snapshot's "scale" of distinct totals, since JSON reads an int far faster than a float.
    _SCALED = ("sums", "halves")

    def dump(self) -> dict:
        """Return the counts as plain JSON data (`restore` reads them back), with the pick,
        questions and versions they were counted for."""
        scale = list(self.scores)
        index = {score: i for i, score in enumerate(scale)}
        picked = list(self.picked.items())
        if self.pick == "all":
            columns = [[p for _, p in picked]]
        else:  # (id, score index, date, version): a replacement reads the rest again
            columns = [[p[0] for _, p in picked], [index[p[1], p[2]] for _, p in picked],
                       [p[3] for _, p in picked], [p[4] for _, p in picked]]
        counts = {name: _columns(getattr(self, name), w) for name, w in self._COUNTS.items()
                  if name not in self._SCALED and name != "scores"}
        for name in self._SCALED:
            keys = list(getattr(self, name))
            width = self._COUNTS[name] - 2
            counts[name] = [*([k[i] for k in keys] for i in range(width)),
                            [index[k[-2:]] for k in keys], list(getattr(self, name).values())]
        return {"format": SNAPSHOT_FORMAT, "pick": self.pick,
                "questions": [q["id"] for q in self.questions],
                "versions": sorted(self.versions), "mark": list(self.mark()),
                "scores": _columns(self.scores, 2),
                "picked": [[s for s, _ in picked], *columns], **counts,
                "totals": _columns(self.totals, 0),
                "pairs": [_columns(p, 2) for p in self.pairs]}

    def restore(self, data: Mapping) -> bool:
        """Take the counts of a `dump` into this empty state; False if they were counted for
        another pick, other questions or other versions. Malformed data raises ValueError."""
        try:
            if (data["format"] != SNAPSHOT_FORMAT or data["pick"] != self.pick
                    or data["questions"] != [q["id"] for q in self.questions]
                    or data["versions"] != sorted(self.versions)):
                return False
            (self.attempts, _, self.last_id, self.student_sum, self.first_at,
             self.last_at) = data["mark"]
            self.scores = _uncolumns(data["scores"], 2)
            scale = list(self.scores)
            students, *fields = data["picked"]
            if self.pick == "all":
                [counts] = fields
                self.picked = dict(zip(students, counts, strict=True))
            else:
                ids, at, dates, versions = fields
                self.picked = dict(zip(students, (
                    (i, *scale[s], d, v)
                    for i, s, d, v in zip(ids, at, dates, versions, strict=True)), strict=True))
            for name, width in self._COUNTS.items():
                if name in self._SCALED:
                    *fields, at, counts = data[name]
                    if len(fields) != width - 2:
                        raise ValueError(f"{name}: {len(fields) + 2} columns, not {width + 1}")
                    keys = (k + scale[s] for k, s in zip(zip(*fields, strict=True), at,
                                                          strict=True))
                    setattr(self, name, dict(zip(keys, counts, strict=True)))
                elif name != "scores":
                    setattr(self, name, _uncolumns(data[name], width))
            self.totals = _uncolumns(data["totals"], 0)
            self.pairs = [_uncolumns(p, 2) for p in data["pairs"]]
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise ValueError(f"not a summary snapshot: {e}") from e
        if len(self.pairs) != len(self.questions) or len(self.picked) != data["mark"][1]:
            raise ValueError("not a summary snapshot: its counts do not match its mark")
        return True

    # What the page shows, from the counts alone ------------------------------------------

    def overview(self) -> dict:
        """Return the overview: students, attempts, mean, median, min, max and dates."""
        n = sum(self.scores.values())
        by_score: dict[float, int] = {}
        for (total, top), k in self.scores.items():
            by_score[total / top] = by_score.get(total / top, 0) + k
        ordered = sorted(by_score.items())
        if self.pick == "all":
            picked_first, picked_last = self.first_at, self.last_at
        else:
            dates = [p[3] for p in self.picked.values()]
            picked_first, picked_last = (min(dates), max(dates)) if dates else (None, None)
        return {"students": len(self.picked), "counted": n, "attempts": self.attempts,
                "first_at": self.first_at, "last_at": self.last_at,
                "mean": math.fsum(s * k for s, k in ordered) / n if n else None,
                "min": ordered[0][0] if ordered else None,
                "max": ordered[-1][0] if ordered else None,
                "median": _median_of(ordered, n),
                "picked_first_at": picked_first, "picked_last_at": picked_last}

    def histogram(self) -> list[int]:
        """Count the picked attempts in ten bins of percentage: 0-9, ..., 80-89, 90-100."""
        counts = [0] * BINS
        for (total, top), k in self.scores.items():
            counts[min(BINS - 1, int(total * BINS / top + 1e-9))] += k
        return counts

    def question_sums(self) -> list[dict]:
        """Per question: counts per verdict and the sums that give facility and discrimination."""
        acc: dict[str, dict] = {}
        for (qid, verdict, points, top, total, total_top), k in self.sums.items():
            s = acc.get(qid)
            if s is None:
                s = acc[qid] = {"n": 0, "points": [], "max_points": [], "sx": [], "sy": [],
                                "sxx": [], "syy": [], "sxy": [], "ny": 0, "right": 0,
                                "partly": 0, "wrong": 0, "blank": 0}
            s["n"] += k
            s[verdict] += k
            s["points"].append(k * points)
            s["max_points"].append(k * top)
            x = points / top if top else None
            rest = total_top - top
            y = (total - points) / rest if rest else None
            if x is not None:
                s["sx"].append(k * x)
                s["sxx"].append(k * x * x)
            if y is not None:
                s["ny"] += k
                s["sy"].append(k * y)
                s["syy"].append(k * y * y)
                if x is not None:
                    s["sxy"].append(k * x * y)
        rows = []
        for qid, s in acc.items():
            row = {k: (math.fsum(v) if isinstance(v, list) else v) for k, v in s.items()}
            row["points"] = round(row["points"], 9)
            rows.append({"question_id": qid, **row})
        return rows

    def median(self) -> float | None:
        """Return the median share of the picked attempts (the halves split there)."""
        by_score: dict[float, int] = {}
        for (total, top), k in self.scores.items():
            by_score[total / top] = by_score.get(total / top, 0) + k
        return _median_of(sorted(by_score.items()), sum(by_score.values()))

    def half_rows(self) -> tuple[dict[int, int], list[dict]]:
        """Return the sizes of the stronger (1) and weaker (0) half and their distractor counts."""
        m = self.median()
        sizes = {0: 0, 1: 0}
        if m is None:
            return sizes, []

        def half(total: float, top: float) -> int | None:
            score = total / top
            return None if abs(score - m) <= 1e-9 else int(score > m + 1e-9)

        # Each distinct total once: tens of thousands of distractor counts share a few hundred.
        sides = {score: half(*score) for score in self.scores}
        for score, k in self.scores.items():
            side = sides[score]
            if side is not None:
                sizes[side] += k
        got: dict[tuple, int] = {}
        for (qid, part, value, total, top), k in self.halves.items():
            side = sides.get((total, top), -1)
            if side == -1:
                side = half(total, top)
            if side is not None:
                key = (side, qid, part, value)
                got[key] = got.get(key, 0) + k
        return sizes, [{"strong": s, "question_id": q, "part": p, "value": v, "n": k}
                       for (s, q, p, v), k in got.items()]

    def summary(self) -> SetSummary:
        """Return the set summary these counts give (READ ONLY once handed out)."""
        questions = self.questions
        counts, wrong = self.tallies()
        items = item_analysis(questions, self.question_sums(), counts, wrong)
        halves, half_counts = self.half_rows()
        distractor_analysis(items, halves, half_counts)
        discernment = discernment_from_combinations(
            [dict(zip(("f", "fr", "c", "cr", "cf", "h", "hr"), combo, strict=True), n=k)
             for combo, k in sorted(self.combos.items())])
        found = None
        if self.totals and items:
            figures = psychometrics.question_figures_from_counts(
                self.pairs, [float(q["points"]) for q in questions],
                [kind_of(q).random_guess(q) for q in questions])
            for s, f in zip(items, figures, strict=True):
                s.figures = f
            found = psychometrics.reliability_from_counts(self.totals, self.pairs_marginals())
        return SetSummary(self.pick, self.overview(), self.histogram(), items,
                          skill_scores(items), discernment, list(self.version_numbers), found,
                          sum(float(q["points"]) for q in questions), halves)

    def tallies(self) -> tuple[list[dict], list[dict]]:
        """Return the choices (at most TOP_VALUES per question and part, the most frequent, ties
        in SQLite's order) and each question's most common wrong answer."""
        by_part: dict[tuple, list] = {}
        for (qid, part, value), n in self.chosen.items():
            by_part.setdefault((qid, part), []).append((value, n))
        chosen = [{"question_id": qid, "part": part, "value": value, "n": n}
                  for (qid, part) in sorted(by_part, key=lambda k: (k[0], k[1] is not None,
                                                                      str(k[1])))
                  for value, n in sorted(by_part[(qid, part)],
                                         key=lambda v: (-v[1], _sql_order(v[0])))[:TOP_VALUES]]
        by_q: dict[str, list] = {}
        for (qid, answer), n in self.wrong.items():
            by_q.setdefault(qid, []).append((answer, n))
        wrong = []
        for qid in sorted(by_q):
            answer, n = min(by_q[qid], key=lambda a: (-a[1], _sql_order(a[0])))
            wrong.append({"question_id": qid, "answer": answer, "n": n})
        return chosen, wrong

    def pairs_marginals(self) -> list[dict[float, int]]:
        """Return, per question, how many attempts scored each number of points on it."""
        out = []
        for pairs in self.pairs:
            marginal: dict[float, int] = {}
            for (x, _), k in pairs.items():
                marginal[x] = marginal.get(x, 0) + k
            out.append(marginal)
        return out


def _entry(a: Row) -> tuple:
    """What a state keeps of a student's picked attempt: enough to take it away again."""
    return (a["id"], a["points"], a["max_points"], a["created_at"], a["version_id"])


def _columns(counts: dict, width: int) -> list[list]:
    """Write counts as columns: one list per field of their keys (*width*, 0 for a bare
    key), then the counts."""
    keys = list(counts)
    fields = [[k[i] for k in keys] for i in range(width)] if width else [keys]
    return [*fields, list(counts.values())]


def _uncolumns(columns: list[list], width: int) -> dict:
    """Read back what `_columns` wrote (ValueError if it is not that)."""
    if len(columns) != max(width, 1) + 1:
        raise ValueError(f"counts with {len(columns)} columns, not {max(width, 1) + 1}")
    *fields, counts = columns
    keys = zip(*fields, strict=True) if width else fields[0]
    return dict(zip(keys, counts, strict=True))


def _median_of(ordered: list[tuple[float, int]], n: int) -> float | None:
    """The median of sorted (value, count) pairs, as SQL's row_number() positions give it."""
    if not n:
        return None
    want = ((n + 1) // 2, (n + 2) // 2)
    found, seen = [], 0
    for value, k in ordered:
        while len(found) < 2 and seen < want[len(found)] <= seen + k:
            found.append(value)
        seen += k
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2
