"""Attempts and their responses: stored once per quiz page, read back for results."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

Row = sqlite3.Row


# Attempts -----------------------------------------------------------------------------

def insert_attempt(db: sqlite3.Connection, *, token: str, submit_key: str, version_id: int,
                   student_name: str, points: float, max_points: float,
                   class_id: int | None = None, student_id: int | None = None,
                   session_hash: str | None = None) -> int | None:
    """Store an attempt; return its id, or None when this quiz page was already submitted."""
    # ON CONFLICT ... DO NOTHING (SQLite and PostgreSQL) makes a double submit a no-op without
    # a second round trip or a failed statement inside the transaction.
    cursor = db.execute(
        """INSERT INTO attempt (token, submit_key, version_id, student_name, points, max_points,
                                class_id, student_id, session_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submit_key) DO NOTHING""",
        (token, submit_key, version_id, student_name, points, max_points, class_id, student_id,
         session_hash),
    )
    return cursor.lastrowid if cursor.rowcount else None


# Responses per INSERT: one statement for any real set (a set has at most 200 questions),
# and 7 x 100 placeholders stay under the 999 of SQLite builds older than 3.32.
RESPONSES_PER_STATEMENT = 100
_INSERT_RESPONSES = ("INSERT INTO response (attempt_id, question_id, position, answer, points, "
                     "max_points, verdict) VALUES")


def insert_responses(db: sqlite3.Connection, attempt_id: int,
                     rows: list[tuple[str, int, Any, float, float, str]]) -> None:
    """Store every response of an attempt: (question id, position, answer, points, max, verdict)."""
    # One multi-row INSERT instead of executemany's statement per row: a tenth of a submit.
    for start in range(0, len(rows), RESPONSES_PER_STATEMENT):
        chunk = rows[start:start + RESPONSES_PER_STATEMENT]
        values = [value for qid, pos, answer, pts, top, verdict in chunk for value in (
            attempt_id, qid, pos, None if answer is None else json.dumps(answer), pts, top,
            verdict)]
        # Only "(?, ...)" groups are joined into the text: every value is a parameter.
        groups = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
        db.execute(f"{_INSERT_RESPONSES} {groups}", values)


def attempt_token_for_key(db: sqlite3.Connection, submit_key: str) -> str | None:
    """Return the results token of the attempt made from one quiz page."""
    row = db.execute("SELECT token FROM attempt WHERE submit_key = ?", (submit_key,)).fetchone()
    return row["token"] if row else None


def attempt_by_token(db: sqlite3.Connection, token: str) -> Row | None:
    """Return an attempt with the version it answered (not its document)."""
    return db.execute(
        """SELECT a.*, v.content_hash, s.slug, s.id AS set_id,
                  coalesce(c.hold_explanations, 0) AS hold_explanations, c.name AS class_name,
                  coalesce(c.one_attempt, 0) AS one_attempt, coalesce(c.is_open, 1) AS class_open
           FROM attempt a
           JOIN set_version v ON v.id = a.version_id JOIN question_set s ON s.id = v.set_id
           LEFT JOIN class c ON c.id = a.class_id
           WHERE a.token = ?""",
        (token,),
    ).fetchone()


def responses(db: sqlite3.Connection, attempt_id: int) -> list[Row]:
    """List the responses of an attempt in question order."""
    return db.execute(
        "SELECT * FROM response WHERE attempt_id = ? ORDER BY position", (attempt_id,)
    ).fetchall()


def count_attempts(db: sqlite3.Connection) -> int:
    """Count every stored attempt."""
    return db.execute("SELECT count(*) FROM attempt").fetchone()[0]


def attempt_for_key(db: sqlite3.Connection, submit_key: str) -> Row | None:
    """Return the attempt made from one quiz page: its token, browser and set."""
    return db.execute(
        """SELECT a.token, a.session_hash, v.set_id FROM attempt a
           JOIN set_version v ON v.id = a.version_id WHERE a.submit_key = ?""",
        (submit_key,),
    ).fetchone()
