"""Score summaries for one class: which attempts count, and what the pages read of them.

The set summary's figures are additive counts kept in Python (`quiz.analysis.SummaryState`):
these queries pick the attempts and read them with their responses, once after a restart and
then only the attempts made since. The class overview, the student grid, the CSVs, gains and
progress are aggregates computed here in SQL. Functions take the connection first and never
write to the database.

Which attempt of each student counts (`pick`):
  first   the student's first attempt at the set in this class (item analysis default:
          answers before any feedback or practice)
  best    the attempt with the highest percentage (the earliest of equals)
  latest  the most recent attempt
  all     every attempt (a student with three tries counts three times)

SQLite-only parts, each kept because no standard form does the job as cheaply here:
`json_each`, `json_group_array`, `json_group_object` and `->>` (answers and documents are
stored as JSON text; PostgreSQL has `jsonb_array_elements`, `json_agg` and `->>`), and
`AS MATERIALIZED` (computes the picked attempts once, as PostgreSQL also accepts);
`total()` (a sum that is 0.0, not NULL, over no value; elsewhere `coalesce(sum(x), 0.0)`)
and `COLLATE NOCASE` (students sorted as a teacher reads names; elsewhere `lower()` or an ICU
collation).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator

from ..analysis import PICKS

Row = sqlite3.Row

_OF_SET = """a.class_id = :class_id AND a.student_id IS NOT NULL
              AND a.version_id IN (SELECT id FROM set_version WHERE set_id = :set_id)"""
# Fixed SQL fragments (no value is ever formatted into SQL: values are bound parameters).
_PICK_IDS = {
    "first": f"SELECT min(a.id) AS id FROM attempt a WHERE {_OF_SET} GROUP BY a.student_id",  # noqa: S608  # nosec B608
    "latest": f"SELECT max(a.id) AS id FROM attempt a WHERE {_OF_SET} GROUP BY a.student_id",  # noqa: S608  # nosec B608
    "all": f"SELECT a.id AS id FROM attempt a WHERE {_OF_SET}",  # noqa: S608  # nosec B608
    # The best percentage, then the earliest attempt that reached it.
    "best": f"""SELECT min(a.id) AS id FROM attempt a JOIN (
                    SELECT a.student_id, max(a.points / a.max_points) AS top FROM attempt a
                    WHERE {_OF_SET} GROUP BY a.student_id) b
                ON b.student_id = a.student_id AND a.points / a.max_points = b.top
                WHERE {_OF_SET} GROUP BY a.student_id""",  # noqa: S608  # nosec B608
}


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

def grid_rows(db: sqlite3.Connection, class_id: int, set_id: int, ids: str,
              limit: int = -1, offset: int = 0) -> Iterator[Row]:
    """Yield each picked attempt's responses, students by name: one row per response.

    `limit` and `offset` count picked attempts (a page of the grid: one per student, unless
    every attempt counts); -1 means all of them.
    """
    return db.execute(
        f"""WITH {_PICKED},
            page AS (SELECT p.*, st.name,
                            (SELECT count(*) FROM attempt a WHERE a.student_id = p.student_id
                             AND a.class_id = :class_id AND a.version_id IN
                                 (SELECT id FROM set_version WHERE set_id = :set_id)) AS attempts
                     FROM picked p JOIN student st ON st.id = p.student_id
                     ORDER BY st.name COLLATE NOCASE, st.id, p.id LIMIT :limit OFFSET :offset)
            SELECT page.student_id, page.name, page.attempts, page.created_at,
                   page.points AS total, page.max_points AS total_max, a.token,
                   r.question_id, r.points, r.max_points, r.verdict
            FROM page JOIN attempt a ON a.id = page.id
            JOIN response r ON r.attempt_id = page.id
            ORDER BY page.name COLLATE NOCASE, page.student_id, page.id, r.position""",  # noqa: S608  # nosec B608
        {"class_id": class_id, "set_id": set_id, "ids": ids, "limit": limit, "offset": offset},
    )


def count_picked(db: sqlite3.Connection, ids: str) -> int:
    """Count the picked attempts (the rows of the student grid)."""
    return db.execute("SELECT json_array_length(?)", (ids,)).fetchone()[0]


_OF_CLASS = "a.class_id = :class_id AND a.student_id IS NOT NULL"
_CLASS_PICK_IDS = {
    "first": f"""SELECT min(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                 WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id""",  # noqa: S608  # nosec B608
    "latest": f"""SELECT max(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                  WHERE {_OF_CLASS} GROUP BY a.student_id, v.set_id""",  # noqa: S608  # nosec B608
    "all": f"SELECT a.id AS id FROM attempt a WHERE {_OF_CLASS}",  # noqa: S608  # nosec B608
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
            ORDER BY st.name COLLATE NOCASE, st.id, s.id, a.id""",  # noqa: S608 (fixed fragments)  # nosec B608
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


# Learning gains and progress -------------------------------------------------------------

# The skill of each question of every version of the given sets (questions keep their skill
# by version: a question edited into another skill counts where it was when answered).
_SKILLS = """skills AS MATERIALIZED (
        SELECT v.id AS version_id, q.value ->> '$.id' AS question_id,
               coalesce(q.value ->> '$.skill', '') AS skill
        FROM set_version v, json_each(v.document, '$.questions') q
        WHERE v.set_id IN (SELECT value FROM json_each(:sets)))"""


def first_attempt_skills(db: sqlite3.Connection, class_id: int, set_ids: list[int],
                         student_id: int | None = None) -> list[Row]:
    """Per student and set: the first attempt's points and maximum, overall and per skill.

    One row per student, set and skill (skill '' holds the whole attempt), oldest attempt
    first; only the class's students, and only *student_id* when given.
    """
    return db.execute(
        f"""WITH {_SKILLS},
            firsts AS (
                SELECT min(a.id) AS id FROM attempt a JOIN set_version v ON v.id = a.version_id
                WHERE a.class_id = :class_id AND a.student_id IS NOT NULL
                  AND (:student_id IS NULL OR a.student_id = :student_id)
                  AND v.set_id IN (SELECT value FROM json_each(:sets))
                GROUP BY a.student_id, v.set_id),
            mine AS (SELECT a.id, a.student_id, st.name, v.set_id, a.created_at, a.points,
                            a.max_points, a.version_id
                     FROM firsts f JOIN attempt a ON a.id = f.id
                     JOIN set_version v ON v.id = a.version_id
                     JOIN student st ON st.id = a.student_id)
            SELECT m.id AS attempt_id, m.student_id, m.name, m.set_id, m.created_at, '' AS skill,
                   m.points, m.max_points FROM mine m
            UNION ALL
            -- Each response's points are the nearest float of a fraction: sums are rounded so
            -- that three thirds make one.
            SELECT m.id, m.student_id, m.name, m.set_id, m.created_at, s.skill,
                   round(total(r.points), 9), total(r.max_points)
            FROM mine m JOIN response r ON r.attempt_id = m.id
            JOIN skills s ON s.version_id = m.version_id AND s.question_id = r.question_id
            GROUP BY m.id, m.student_id, m.name, m.set_id, m.created_at, s.skill
            ORDER BY 5, 1, 6""",  # noqa: S608 (fixed fragments)  # nosec B608
        {"class_id": class_id, "sets": json.dumps(set_ids), "student_id": student_id},
    ).fetchall()


def student_set_ids(db: sqlite3.Connection, class_id: int, student_id: int) -> list[int]:
    """List the sets a student of a class has answered."""
    return [r[0] for r in db.execute(
        """SELECT DISTINCT v.set_id FROM attempt a JOIN set_version v ON v.id = a.version_id
           WHERE a.class_id = ? AND a.student_id = ? ORDER BY v.set_id""",
        (class_id, student_id))]



# The set summary kept up to date (`quiz.caches.set_summary`) --------------------------------

def summary_mark(db: sqlite3.Connection, class_id: int, set_id: int) -> Row:
    """Name the state of a class's attempts at a set: the database file, then how many
    attempts, by how many students, the last id, the sum of their students' ids (an attempt
    moved to another student changes it) and the first and last dates."""
    return db.execute(
        f"""SELECT (SELECT file FROM pragma_database_list WHERE name = 'main') AS file,
                   count(*) AS attempts, count(DISTINCT a.student_id) AS students,
                   coalesce(max(a.id), 0) AS last_id, coalesce(sum(a.student_id), 0) AS ids,
                   min(a.created_at) AS first_at, max(a.created_at) AS last_at
            FROM attempt a WHERE {_OF_SET}""",  # noqa: S608 (a fixed fragment)  # nosec B608
        {"class_id": class_id, "set_id": set_id},
    ).fetchone()


def picked_attempts(db: sqlite3.Connection, ids: str) -> list[Row]:
    """Return the attempts of a JSON array of ids: student, points, date and version."""
    return db.execute(
        """SELECT a.id, a.student_id, a.points, a.max_points, a.created_at, a.version_id
           FROM json_each(:ids) j JOIN attempt a ON a.id = j.value""",
        {"ids": ids},
    ).fetchall()


def attempts_after(db: sqlite3.Connection, class_id: int, set_id: int, after: int) -> list[Row]:
    """Return a class's attempts at a set made after the attempt *after*, oldest first."""
    return db.execute(
        f"""SELECT a.id, a.student_id, a.points, a.max_points, a.created_at, a.version_id
            FROM attempt a WHERE a.id > :after AND {_OF_SET}
            ORDER BY a.id""",  # noqa: S608 (a fixed fragment)  # nosec B608
        {"class_id": class_id, "set_id": set_id, "after": after},
    ).fetchall()


def responses_of(db: sqlite3.Connection, ids: str) -> Iterator[Row]:
    """Yield the responses of a JSON array of attempt ids, attempt by attempt."""
    return db.execute(
        """SELECT r.attempt_id, r.question_id, r.answer, r.verdict, r.points, r.max_points
           FROM json_each(:ids) j JOIN response r ON r.attempt_id = j.value
           ORDER BY j.key, r.position""",
        {"ids": ids},
    )


@contextlib.contextmanager
def read_snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """Read every query inside from one snapshot of the database (a read transaction), so
    that an attempt stored meanwhile is either in all of them or in none."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.rollback()
