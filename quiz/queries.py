"""Every SQL statement of SourceCheck, each in a named function.

Functions take the connection first and never commit: the caller owns the transaction
(`with db:` around one unit of work).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

Row = sqlite3.Row


# Question sets ------------------------------------------------------------------------

def published_sets(db: sqlite3.Connection) -> list[Row]:
    """List published bundled sets with their current version's document."""
    return db.execute(
        """SELECT s.id, s.slug, v.id AS version_id, v.document
           FROM question_set s JOIN set_version v ON v.id = (
               SELECT id FROM set_version WHERE set_id = s.id ORDER BY number DESC LIMIT 1)
           WHERE s.published AND s.owner_id IS NULL ORDER BY s.id"""
    ).fetchall()


def set_by_slug(db: sqlite3.Connection, slug: str) -> Row | None:
    """Return a set with its current version, by slug."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash, v.document
           FROM question_set s JOIN set_version v ON v.set_id = s.id
           WHERE s.slug = ? ORDER BY v.number DESC LIMIT 1""",
        (slug,),
    ).fetchone()


def insert_set(db: sqlite3.Connection, slug: str, owner_id: int | None, published: bool) -> int:
    """Create a question set and return its id."""
    return db.execute(
        "INSERT INTO question_set (slug, owner_id, published) VALUES (?, ?, ?)",
        (slug, owner_id, int(published)),
    ).lastrowid


def set_published(db: sqlite3.Connection, set_id: int, published: bool) -> None:
    """Publish or unpublish a set."""
    db.execute("UPDATE question_set SET published = ? WHERE id = ?", (int(published), set_id))


def insert_version(db: sqlite3.Connection, set_id: int, content_hash: str,
                   document: dict) -> int:
    """Store a new version of a set's content and return its id."""
    return db.execute(
        """INSERT INTO set_version (set_id, number, content_hash, document)
           VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM set_version WHERE set_id = ?),
                   ?, ?)""",
        (set_id, set_id, content_hash, json.dumps(document)),
    ).lastrowid


def version(db: sqlite3.Connection, version_id: int) -> Row | None:
    """Return one version of a set."""
    return db.execute(
        "SELECT v.*, s.slug FROM set_version v JOIN question_set s ON s.id = v.set_id "
        "WHERE v.id = ?",
        (version_id,),
    ).fetchone()


# Attempts -----------------------------------------------------------------------------

def insert_attempt(db: sqlite3.Connection, *, token: str, submit_key: str, version_id: int,
                   student_name: str, points: float, max_points: float) -> int | None:
    """Store an attempt; return its id, or None when this quiz page was already submitted."""
    cursor = db.execute(
        """INSERT INTO attempt (token, submit_key, version_id, student_name, points, max_points)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (submit_key) DO NOTHING""",
        (token, submit_key, version_id, student_name, points, max_points),
    )
    return cursor.lastrowid if cursor.rowcount else None


def insert_responses(db: sqlite3.Connection, attempt_id: int,
                     rows: list[tuple[str, int, Any, float, float, str]]) -> None:
    """Store every response of an attempt: (question id, position, answer, points, max, verdict)."""
    db.executemany(
        """INSERT INTO response (attempt_id, question_id, position, answer, points, max_points,
                                 verdict) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(attempt_id, qid, pos, None if answer is None else json.dumps(answer), pts, top, verdict)
         for qid, pos, answer, pts, top, verdict in rows],
    )


def attempt_token_for_key(db: sqlite3.Connection, submit_key: str) -> str | None:
    """Return the results token of the attempt made from one quiz page."""
    row = db.execute("SELECT token FROM attempt WHERE submit_key = ?", (submit_key,)).fetchone()
    return row["token"] if row else None


def attempt_by_token(db: sqlite3.Connection, token: str) -> Row | None:
    """Return an attempt with the version it answered."""
    return db.execute(
        """SELECT a.*, v.document, s.slug FROM attempt a
           JOIN set_version v ON v.id = a.version_id JOIN question_set s ON s.id = v.set_id
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
