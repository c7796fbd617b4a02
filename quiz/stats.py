"""Score summaries and item analysis for one class, computed in SQL.

Every figure over attempts is an aggregate computed by SQLite (json_each / json_extract over
the stored answers); Python only receives one row per question, option, bin or student
shown, and turns those sums into the figures on the page with the small pure helpers below.
No Flask here. Functions take the connection first and never write to the database.

Which attempt of each student counts (`pick`):
  first   the student's first attempt at the set in this class (item analysis default:
          answers before any feedback or practice)
  best    the attempt with the highest percentage (the earliest of equals)
  latest  the most recent attempt
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from .scoring import fold

Row = sqlite3.Row

PICKS = ("first", "best", "latest")
_OF_SET = """a.class_id = :class_id AND a.student_id IS NOT NULL
              AND a.version_id IN (SELECT id FROM set_version WHERE set_id = :set_id)"""
# Fixed SQL fragments (no value is ever formatted into SQL: values are bound parameters).
_PICK_IDS = {
    "first": f"SELECT min(a.id) AS id FROM attempt a WHERE {_OF_SET} GROUP BY a.student_id",  # noqa: S608  # nosec B608
    "latest": f"SELECT max(a.id) AS id FROM attempt a WHERE {_OF_SET} GROUP BY a.student_id",  # noqa: S608  # nosec B608
    # The best percentage, then the earliest attempt that reached it.
    "best": f"""SELECT min(a.id) AS id FROM attempt a JOIN (
                    SELECT a.student_id, max(a.points / a.max_points) AS top FROM attempt a
                    WHERE {_OF_SET} GROUP BY a.student_id) b
                ON b.student_id = a.student_id AND a.points / a.max_points = b.top
                WHERE {_OF_SET} GROUP BY a.student_id""",  # noqa: S608  # nosec B608
}
BINS = 10  # histogram: 0-9 %, 10-19 %, ..., 90-100 %

# Flags: questions a teacher should look at (classic item-analysis rules of thumb).
TOO_HARD, TOO_EASY, LOW_DISCRIMINATION = 0.30, 0.95, 0.20
FEW_STUDENTS = 10  # below this, item statistics are rough

# Discernment: classify statements whose right label is a verified fact, against those
# whose right label is an attributed claim or a hedged report.
FACT_LABELS = ("fact",)
CLAIM_LABELS = ("claim", "hedged")
BALANCED = 0.20  # |bias| below this is called balanced


def picked_ids(db: sqlite3.Connection, class_id: int, set_id: int, pick: str) -> str:
    """Pick one attempt per student of a class at a set; return their ids as a JSON array.

    The JSON text goes straight back into the summary queries (`:ids`), so each page picks
    once, however many figures it shows.
    """
    _check(pick)
    return db.execute(
        f"SELECT json_group_array(id) FROM ({_PICK_IDS[pick]})",  # noqa: S608  # nosec B608
        {"class_id": class_id, "set_id": set_id},
    ).fetchone()[0]


# The picked attempts, from the JSON array of their ids.
_PICKED = """picked AS MATERIALIZED (
        SELECT a.id, a.student_id, a.points, a.max_points, a.created_at, a.version_id
        FROM json_each(:ids) j JOIN attempt a ON a.id = j.value)"""


def _check(pick: str) -> None:
    if pick not in PICKS:
        raise ValueError(f"pick must be one of {PICKS}, not {pick!r}")


# Sets of a class -------------------------------------------------------------------------

def class_set_overview(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List the sets a class is assigned or has answered: students, attempts, mean, last date.

    The mean is over each student's first attempt, as on the set summary by default.
    """
    return db.execute(
        """WITH sets AS (
               SELECT set_id FROM class_set WHERE class_id = :class_id
               UNION
               SELECT DISTINCT v.set_id FROM attempt a JOIN set_version v ON v.id = a.version_id
               WHERE a.class_id = :class_id),
           per_student AS (
               SELECT v.set_id, min(a.id) AS first_id, count(*) AS n,
                      max(a.created_at) AS last_at
               FROM attempt a JOIN set_version v ON v.id = a.version_id
               WHERE a.class_id = :class_id AND a.student_id IS NOT NULL
               GROUP BY v.set_id, a.student_id),
           per_set AS (
               SELECT f.set_id, count(*) AS students, total(f.n) AS attempts,
                      max(f.last_at) AS last_attempt, avg(a.points / a.max_points) AS mean_first
               FROM per_student f JOIN attempt a ON a.id = f.first_id GROUP BY f.set_id)
           SELECT s.id, s.slug, s.owner_id, cur.document, coalesce(ps.students, 0) AS students,
                  coalesce(ps.attempts, 0) AS attempts, ps.mean_first, ps.last_attempt
           FROM sets JOIN question_set s ON s.id = sets.set_id
           JOIN latest_version cur ON cur.set_id = s.id
           LEFT JOIN per_set ps ON ps.set_id = s.id
           ORDER BY s.id""",
        {"class_id": class_id},
    ).fetchall()


def class_set(db: sqlite3.Connection, class_id: int, set_id: int) -> Row | None:
    """Return a set the class is assigned or has answered, with its current version."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, v.document FROM question_set s
           JOIN latest_version v ON v.set_id = s.id
           WHERE s.id = :set_id AND (
               EXISTS (SELECT 1 FROM class_set WHERE class_id = :class_id AND set_id = s.id)
               OR EXISTS (SELECT 1 FROM attempt a WHERE a.class_id = :class_id AND a.version_id
                          IN (SELECT id FROM set_version WHERE set_id = s.id)))""",
        {"class_id": class_id, "set_id": set_id},
    ).fetchone()


def answered_versions(db: sqlite3.Connection, class_id: int, set_id: int) -> list[Row]:
    """List the versions of a set this class answered (oldest first), with their documents."""
    return db.execute(
        """SELECT v.id, v.number, v.document FROM set_version v
           WHERE v.set_id = :set_id AND EXISTS (
               SELECT 1 FROM attempt a WHERE a.class_id = :class_id AND a.version_id = v.id)
           ORDER BY v.number""",
        {"class_id": class_id, "set_id": set_id},
    ).fetchall()


# One class at one set --------------------------------------------------------------------

def score_overview(db: sqlite3.Connection, class_id: int, set_id: int, ids: str) -> Row:
    """Students, attempts, mean, median, min, max (fractions) and the dates of the attempts."""
    return db.execute(
        f"""WITH {_PICKED},
            ranked AS (SELECT points / max_points AS score,
                              row_number() OVER (ORDER BY points / max_points) AS rn
                       FROM picked),
            counted AS (SELECT count(*) AS n FROM picked),
            every AS (SELECT count(*) AS attempts, min(created_at) AS first_at,
                             max(created_at) AS last_at
                      FROM attempt WHERE class_id = :class_id AND student_id IS NOT NULL
                      AND version_id IN (SELECT id FROM set_version WHERE set_id = :set_id))
            SELECT counted.n AS students, every.attempts, every.first_at, every.last_at,
                   (SELECT avg(score) FROM ranked) AS mean,
                   (SELECT min(score) FROM ranked) AS min,
                   (SELECT max(score) FROM ranked) AS max,
                   (SELECT avg(score) FROM ranked
                    WHERE rn IN ((counted.n + 1) / 2, (counted.n + 2) / 2)) AS median,
                   (SELECT min(created_at) FROM picked) AS picked_first_at,
                   (SELECT max(created_at) FROM picked) AS picked_last_at
            FROM counted, every""",  # noqa: S608 (a fixed fragment)  # nosec B608
        {"class_id": class_id, "set_id": set_id, "ids": ids},
    ).fetchone()


def score_histogram(db: sqlite3.Connection, ids: str) -> list[int]:
    """Count the picked attempts in ten bins of percentage: 0-9, ..., 80-89, 90-100."""
    rows = db.execute(
        f"""WITH {_PICKED}
            SELECT min({BINS - 1}, CAST(points * {BINS} / max_points + 1e-9 AS INTEGER)) AS bin,
                   count(*) AS n
            FROM picked GROUP BY bin""",  # noqa: S608 (a fixed fragment)  # nosec B608
        {"ids": ids},
    ).fetchall()
    counts = [0] * BINS
    for r in rows:
        counts[r["bin"]] = r["n"]
    return counts


def question_sums(db: sqlite3.Connection, ids: str) -> list[Row]:
    """Per question: counts per verdict and the sums that give facility and discrimination.

    x is the fraction of the question's points a student got; y the fraction of the points
    of the rest of the set (the attempt without this question), for the item-rest correlation.
    """
    return db.execute(
        f"""WITH {_PICKED},
            xy AS (SELECT r.question_id, r.verdict, r.points, r.max_points,
                          r.points / r.max_points AS x,
                          (p.points - r.points) / nullif(p.max_points - r.max_points, 0) AS y
                   FROM picked p JOIN response r ON r.attempt_id = p.id)
            SELECT question_id, count(*) AS n, total(points) AS points,
                   total(max_points) AS max_points,
                   total(x) AS sx, total(y) AS sy, total(x * x) AS sxx, total(y * y) AS syy,
                   total(x * y) AS sxy, count(y) AS ny,
                   count(*) FILTER (WHERE verdict = 'right') AS right,
                   count(*) FILTER (WHERE verdict = 'partly') AS partly,
                   count(*) FILTER (WHERE verdict = 'wrong') AS wrong,
                   count(*) FILTER (WHERE verdict = 'blank') AS blank
            FROM xy GROUP BY question_id""",  # noqa: S608 (a fixed fragment)  # nosec B608
        {"ids": ids},
    ).fetchall()


def answer_counts(db: sqlite3.Connection, ids: str) -> list[Row]:
    """Count what was chosen: per question, part (statement or item, else NULL) and value.

    choice and text: the option id or the typed answer; multi and evidence: each
    option or sentence ticked; classify and order: each statement's label, each item's place.
    At most 100 values per question and part, the most frequent.
    """
    return db.execute(
        f"""WITH {_PICKED},
            -- Identical answers are counted first, so each distinct answer is parsed once.
            answers AS (
                SELECT r.question_id, r.answer, count(*) AS n
                FROM picked p JOIN response r ON r.attempt_id = p.id
                WHERE r.answer IS NOT NULL GROUP BY 1, 2),
            counted AS (
                SELECT a.question_id,
                       CASE json_type(a.answer) WHEN 'object' THEN j.key END AS part,
                       j.value AS value, sum(a.n) AS n
                FROM answers a, json_each(a.answer) j
                GROUP BY 1, 2, 3),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY question_id, part
                                                   ORDER BY n DESC, value) AS rn FROM counted)
            SELECT question_id, part, value, n FROM ranked WHERE rn <= 100""",  # noqa: S608  # nosec B608
        {"ids": ids},
    ).fetchall()


def common_wrong_answers(db: sqlite3.Connection, ids: str) -> list[Row]:
    """Per question, the answer most often given without full marks (JSON), and how often."""
    return db.execute(
        f"""WITH {_PICKED},
            counted AS (SELECT r.question_id, r.answer, count(*) AS n
                        FROM picked p JOIN response r ON r.attempt_id = p.id
                        WHERE r.verdict IN ('wrong', 'partly') GROUP BY 1, 2),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY question_id
                                                   ORDER BY n DESC, answer) AS rn FROM counted)
            SELECT question_id, answer, n FROM ranked WHERE rn = 1""",  # noqa: S608  # nosec B608
        {"ids": ids},
    ).fetchall()


_TRUTH = """truth AS MATERIALIZED (
        SELECT v.id AS version_id, q.value ->> '$.id' AS question_id,
               s.value ->> '$.id' AS statement_id, s.value ->> '$.label' AS label
        FROM set_version v, json_each(v.document, '$.questions') q,
             json_each(q.value, '$.statements') s
        WHERE v.set_id = :set_id AND q.value ->> '$.type' = 'classify'
          AND s.value ->> '$.label' IN ('fact', 'claim', 'hedged'))"""


def discernment_counts(db: sqlite3.Connection, set_id: int, ids: str) -> list[Row]:
    """Per right label (fact, claim, hedged): statements answered, labelled right, called fact."""
    return db.execute(
        f"""WITH {_PICKED}, {_TRUTH},
            -- Identical answers are counted first, so each distinct answer is parsed once.
            answers AS (
                SELECT p.version_id, r.question_id, r.answer, count(*) AS n
                FROM picked p JOIN response r ON r.attempt_id = p.id
                WHERE r.answer IS NOT NULL AND r.question_id IN (SELECT question_id FROM truth)
                GROUP BY 1, 2, 3)
            SELECT t.label, sum(a.n) AS answered,
                   coalesce(sum(a.n) FILTER (WHERE j.value = t.label), 0) AS correct,
                   coalesce(sum(a.n) FILTER (WHERE j.value = 'fact'), 0) AS said_fact
            FROM answers a
            JOIN truth t ON t.version_id = a.version_id AND t.question_id = a.question_id
            JOIN json_each(a.answer) j ON j.key = t.statement_id
            GROUP BY t.label""",  # noqa: S608 (fixed fragments)  # nosec B608
        {"set_id": set_id, "ids": ids},
    ).fetchall()


def grid_rows(db: sqlite3.Connection, class_id: int, set_id: int, ids: str,
              limit: int = -1, offset: int = 0) -> Iterator[Row]:
    """Yield each picked attempt's responses, students by name: one row per response.

    `limit` and `offset` count students (a page of the grid); -1 means all of them.
    """
    return db.execute(
        f"""WITH {_PICKED},
            page AS (SELECT p.*, st.name,
                            (SELECT count(*) FROM attempt a WHERE a.student_id = p.student_id
                             AND a.class_id = :class_id AND a.version_id IN
                                 (SELECT id FROM set_version WHERE set_id = :set_id)) AS attempts
                     FROM picked p JOIN student st ON st.id = p.student_id
                     ORDER BY st.name COLLATE NOCASE, st.id LIMIT :limit OFFSET :offset)
            SELECT page.student_id, page.name, page.attempts, page.created_at,
                   page.points AS total, page.max_points AS total_max, a.token,
                   r.question_id, r.points, r.max_points, r.verdict
            FROM page JOIN attempt a ON a.id = page.id
            JOIN response r ON r.attempt_id = page.id
            ORDER BY page.name COLLATE NOCASE, page.student_id, r.position""",  # noqa: S608  # nosec B608
        {"class_id": class_id, "set_id": set_id, "ids": ids, "limit": limit, "offset": offset},
    )


def count_students(db: sqlite3.Connection, class_id: int, set_id: int) -> int:
    """Count the students of a class with an attempt at a set."""
    return db.execute(
        """SELECT count(DISTINCT student_id) FROM attempt WHERE class_id = ?
           AND version_id IN (SELECT id FROM set_version WHERE set_id = ?)""",
        (class_id, set_id),
    ).fetchone()[0]


_OF_CLASS = "a.class_id = :class_id AND a.student_id IS NOT NULL"
_CLASS_PICK_IDS = {
    "first": f"""SELECT min(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                 WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id""",  # noqa: S608  # nosec B608
    "latest": f"""SELECT max(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                  WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id""",  # noqa: S608  # nosec B608
    "best": f"""SELECT min(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                JOIN (SELECT a.student_id, v.set_id, max(a.points / a.max_points) AS top
                      FROM attempt a JOIN set_version v ON v.id = a.version_id
                      WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id) b
                ON b.student_id = a.student_id AND b.set_id = v.set_id
                   AND a.points / a.max_points = b.top
                WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id""",  # noqa: S608  # nosec B608
}


def class_scores(db: sqlite3.Connection, class_id: int, pick: str) -> Iterator[Row]:
    """Yield one row per student and set: the picked attempt's score (for a gradebook)."""
    _check(pick)
    return db.execute(
        f"""WITH counts AS (SELECT a.student_id, v.set_id, count(*) AS n
                            FROM attempt a JOIN set_version v ON v.id = a.version_id
                            WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id)
            SELECT st.name, s.id AS set_id, s.slug, v.number, a.created_at, a.points,
                   a.max_points, c.n
            FROM ({_CLASS_PICK_IDS[pick]}) ids JOIN attempt a ON a.id = ids.id
            JOIN set_version v ON v.id = a.version_id JOIN question_set s ON s.id = v.set_id
            JOIN student st ON st.id = a.student_id
            JOIN counts c ON c.student_id = a.student_id AND c.set_id = s.id
            ORDER BY st.name COLLATE NOCASE, st.id, s.id""",  # noqa: S608 (fixed fragments)  # nosec B608
        {"class_id": class_id},
    )


# One student -----------------------------------------------------------------------------

def student_attempts(db: sqlite3.Connection, class_id: int, student_id: int,
                     per_set: int = 50) -> list[Row]:
    """List a student's latest attempts per set in a class (oldest first), with verdicts.

    `of_set` is how many attempts the student made at that set in all.
    """
    return db.execute(
        """WITH mine AS (
               SELECT a.id, a.token, a.created_at, a.points, a.max_points, a.version_id,
                      v.set_id, v.number,
                      row_number() OVER (PARTITION BY v.set_id ORDER BY a.id DESC) AS rn,
                      count(*) OVER (PARTITION BY v.set_id) AS of_set
               FROM attempt a JOIN set_version v ON v.id = a.version_id
               WHERE a.class_id = ? AND a.student_id = ?)
           SELECT mine.*, (SELECT json_group_object(r.question_id, r.verdict)
                           FROM response r WHERE r.attempt_id = mine.id) AS verdicts
           FROM mine WHERE rn <= ? ORDER BY set_id, id""",
        (class_id, student_id, per_set),
    ).fetchall()


def versions_by_id(db: sqlite3.Connection, version_ids: Iterable[int]) -> list[Row]:
    """Return set versions with their documents, by id."""
    ids = sorted(version_ids)
    return db.execute(
        "SELECT id, set_id, number, document FROM set_version WHERE id IN "
        "(SELECT value FROM json_each(?))", (json.dumps(ids),),
    ).fetchall()


# Pure helpers ----------------------------------------------------------------------------

def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from sums; None when either variable does not vary (or n < 3)."""
    if n < 3:
        return None
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if vx <= 1e-12 * n * n or vy <= 1e-12 * n * n:
        return None
    return max(-1.0, min(1.0, (n * sxy - sx * sy) / math.sqrt(vx * vy)))


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle ones); for tests and small lists."""
    if not values:
        return None
    s, mid = sorted(values), len(values) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


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
    flags: list[str] = field(default_factory=list)


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


def _value_text(q: dict, value: Any) -> str:
    """Name one chosen value: an option's text, a sentence, a label, a position, typed text."""
    kind = q["type"]
    if kind in ("choice", "multi"):
        return next((o["text"] for o in q["options"] if o["id"] == value), str(value))
    if kind == "evidence":
        return f"Sentence {value}"
    if kind == "classify":
        return next((lab["text"] for lab in q["labels"] if lab["id"] == value), str(value))
    if kind == "order":
        return f"Position {value}"
    return str(value)


def describe_answer(q: dict, answer: Any) -> str:
    """Say a whole stored answer in words, for 'most common wrong answer'."""
    if answer is None or answer in ("", [], {}):
        return "(no answer)"
    kind = q["type"]
    if kind in ("multi", "evidence"):
        return "; ".join(_value_text(q, v) for v in answer)
    if kind == "order":
        items = {i["id"]: i["text"] for i in q["items"]}
        return " → ".join(items.get(k, k) for k, _ in sorted(answer.items(), key=lambda kv: kv[1]))
    if kind == "classify":
        statements = {s["id"]: s["text"] for s in q["statements"]}
        return "; ".join(f"{statements.get(k, k)}: {_value_text(q, v)}" for k, v in answer.items())
    return _value_text(q, answer)


def _right_values(q: dict) -> dict[str | None, set]:
    kind = q["type"]
    if kind in ("choice", "multi"):
        return {None: {o["id"] for o in q["options"] if o["correct"]}}
    if kind == "evidence":
        return {None: {a["sentence"] for a in q["answers"]}}
    if kind == "classify":
        return {s["id"]: {s["label"]} for s in q["statements"]}
    if kind == "order":
        return {i["id"]: {n} for n, i in enumerate(q["items"], start=1)}
    return {None: set()}


def _choices(q: dict, counts: list[Row], n: int) -> tuple[list[dict], list[dict]]:
    """Turn answer counts into (choices, parts) rows, listing options nobody chose too."""
    right = _right_values(q)
    by_part: dict[str | None, dict] = {}
    for r in counts:
        by_part.setdefault(r["part"], {})[r["value"]] = r["n"]
    kind = q["type"]

    def rows(part: str | None, values: list) -> list[dict]:
        got = by_part.get(part, {})
        listed = values + [v for v in sorted(got, key=lambda v: -got[v]) if v not in values]
        return [{"value": v, "text": _value_text(q, v), "n": got.get(v, 0),
                 "share": got.get(v, 0) / n if n else 0.0, "right": v in right.get(part, ())}
                for v in listed]

    if kind in ("choice", "multi"):
        return rows(None, [o["id"] for o in q["options"]]), []
    if kind == "evidence":
        return rows(None, sorted({a["sentence"] for a in q["answers"]} |
                                 {d["sentence"] for d in q["distractors"]})), []
    if kind == "text":  # typed answers: grouped the way scoring compares them
        folded: dict[str, dict] = {}
        for value, n_value in by_part.get(None, {}).items():
            entry = folded.setdefault(fold(str(value)), {"value": value, "n": 0})
            entry["n"] += n_value
        accepted = {fold(a["text"]) for a in q["answers"]}
        return sorted(({"value": e["value"], "text": e["value"], "n": e["n"],
                        "share": e["n"] / n if n else 0.0, "right": key in accepted}
                       for key, e in folded.items()), key=lambda c: (-c["n"], c["text"])), []
    if kind == "classify":
        return [], [{"text": s["text"], "right_text": _value_text(q, s["label"]),
                     "choices": rows(s["id"], [lab["id"] for lab in q["labels"]])}
                    for s in q["statements"]]
    return [], [{"text": i["text"], "right_text": f"Position {n}",
                 "choices": rows(i["id"], list(range(1, len(q["items"]) + 1)))}
                for n, i in enumerate(q["items"], start=1)]


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
            stats.flags = flags_for(stats.facility, stats.discrimination)
        stats.choices, stats.parts = _choices(q, counts_by_q.get(q["id"], []), stats.n)
        w = wrong_by_q.get(q["id"])
        if q["type"] == "text":
            top = next((c for c in stats.choices if not c["right"]), None)
            if top:
                stats.common_wrong, stats.common_wrong_n = top["text"], top["n"]
        elif q["type"] == "classify":
            worst = max(((p["text"], c) for p in stats.parts for c in p["choices"]
                         if not c["right"] and c["n"]), key=lambda pc: pc[1]["n"], default=None)
            if worst:
                stats.common_wrong = f"“{worst[0]}” labelled {worst[1]['text']}"
                stats.common_wrong_n = worst[1]["n"]
        elif w is not None:
            stats.common_wrong = describe_answer(q, json.loads(w["answer"]))
            stats.common_wrong_n = w["n"]
        result.append(stats)
    return result


def skill_scores(stats: list[QuestionStats]) -> list[dict]:
    """The class's score per skill tag: points got over points possible, across questions."""
    from .feedback import SKILL_NAMES

    totals: dict[str, list[float]] = {}
    for s in stats:
        t = totals.setdefault(s.question["skill"], [0.0, 0.0, 0])
        t[0] += s.points
        t[1] += s.max_points
        t[2] += 1
    return [{"skill": k, "name": SKILL_NAMES.get(k, k), "questions": int(q),
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
    """Build a Discernment from `discernment_counts` rows; None when nothing was answered."""
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


def attempt_discernment(document: dict, responses: Iterable[Row]) -> Discernment | None:
    """One attempt's discernment, from its responses (the results page has them loaded)."""
    truth = {(q["id"], s["id"]): s["label"] for q in document["questions"]
             if q["type"] == "classify" for s in q["statements"]
             if s["label"] in FACT_LABELS + CLAIM_LABELS}
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


# CSV -------------------------------------------------------------------------------------

# What starts a formula in Excel, LibreOffice or Google Sheets (full-width forms included,
# which some spreadsheets fold to ASCII), and DDE's "|" and ";".
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20",
              "|", ";")
# Characters a spreadsheet may skip before reading a formula: whitespace, zero-width, BOM.
_INVISIBLE = (" \u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
              "\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\x0b\x0c")


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.lstrip(_INVISIBLE).startswith(_DANGEROUS):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield a CSV file in pieces: UTF-8 BOM first (Excel), CRLF line ends, cells guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(c) for c in row])
        yield buffer.getvalue()


def number(value: float | None, places: int = 3) -> float | str:
    """A figure for a CSV cell: rounded, or empty when there is none."""
    return "" if value is None else round(value, places)


# Putting it together (still no Flask: the pages and the command share these) ----------

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


def questions_of(db: sqlite3.Connection, class_id: int, set_id: int,
                 current: dict) -> tuple[list[dict], list[int]]:
    """The questions to analyse (every version the class answered) and those versions."""
    versions = answered_versions(db, class_id, set_id)
    documents = [json.loads(v["document"]) for v in versions] or [current]
    return merged_questions(documents), [v["number"] for v in versions]


def set_summary(db: sqlite3.Connection, class_id: int, set_id: int, current: dict,
                pick: str = "first") -> SetSummary:
    """Compute the whole summary of one class at one set (picking the attempts once)."""
    questions, versions = questions_of(db, class_id, set_id, current)
    ids = picked_ids(db, class_id, set_id, pick)
    analysis = item_analysis(questions, question_sums(db, ids), answer_counts(db, ids),
                             common_wrong_answers(db, ids))
    return SetSummary(pick, score_overview(db, class_id, set_id, ids),
                      score_histogram(db, ids), analysis, skill_scores(analysis),
                      discernment_from_counts(discernment_counts(db, set_id, ids)), versions)


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
        if current is None or current.student_id != r["student_id"]:
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


def percent(points: float, max_points: float) -> float | str:
    """A percentage for a CSV cell, one decimal place."""
    return round(100 * points / max_points, 1) if max_points else ""


def grid_csv(db: sqlite3.Connection, class_id: int, set_id: int, questions: list[dict],
             pick: str) -> Iterator[str]:
    """The student grid as CSV: one row per student, a column of points per question.

    A question left blank is an empty cell, so 0 always means answered and wrong.
    """
    header = ["Student", "Attempt", "Attempts", "Date (UTC)", "Points", "Max points",
              "Percent"] + [f"Q{n} {q['id']} ({q['points']:g} pt)"
                            for n, q in enumerate(questions, start=1)]

    def rows() -> Iterator[list]:
        for s in grid(grid_rows(db, class_id, set_id, picked_ids(db, class_id, set_id, pick))):
            cells = []
            for q in questions:
                verdict, got, _ = s.cells.get(q["id"], ("blank", 0.0, 0.0))
                cells.append("" if verdict == "blank" else number(got, 4))
            yield [s.name, pick, s.attempts, s.created_at.replace("T", " ").rstrip("Z"),
                   number(s.points, 4), number(s.max_points, 4),
                   percent(s.points, s.max_points)] + cells

    return csv_lines(header, rows())


def questions_csv(summary: SetSummary) -> Iterator[str]:
    """The per-question table as CSV."""
    header = ["Number", "Question id", "Type", "Skill", "Question", "Points", "Answered",
              "Facility", "Discrimination (item-rest r)", "Right", "Partly", "Wrong", "Blank",
              "Most common wrong answer", "Given by", "Look at it because"]
    return csv_lines(header, (
        [s.number, s.question["id"], s.question["type"], s.question["skill"],
         s.question["prompt"], s.question["points"], s.n, number(s.facility),
         number(s.discrimination), s.right, s.partly, s.wrong, s.blank, s.common_wrong or "",
         s.common_wrong_n or "", "; ".join(s.flags)]
        for s in summary.questions))


def class_csv(db: sqlite3.Connection, class_id: int, pick: str) -> Iterator[str]:
    """Every student's score at every set of the class, one row each (for a gradebook).

    A set is named by its current title (one name per set, whichever version a student
    answered), with its id in a column of its own.
    """
    header = ["Student", "Set", "Set id", "Version", "Attempt", "Attempts", "Date (UTC)",
              "Points", "Max points", "Percent"]
    titles: dict[int, str] = {}

    def title(set_id: int) -> str:
        # Once per set, not per row: the title sits inside a document of some 30 KB.
        if set_id not in titles:
            titles[set_id] = db.execute(
                "SELECT json_extract(document, '$.title') FROM latest_version WHERE set_id = ?",
                (set_id,)).fetchone()[0]
        return titles[set_id]

    return csv_lines(header, (
        [r["name"], title(r["set_id"]), r["slug"], r["number"], pick, r["n"],
         r["created_at"].replace("T", " ").rstrip("Z"), number(r["points"], 4),
         number(r["max_points"], 4), percent(r["points"], r["max_points"])]
        for r in class_scores(db, class_id, pick)))
