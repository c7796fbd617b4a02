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
    """List published bundled sets with their current version (not its document)."""
    return db.execute(
        """SELECT s.id, s.slug, v.id AS version_id, v.content_hash
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.published AND s.owner_id IS NULL ORDER BY s.id"""
    ).fetchall()


def set_by_slug(db: sqlite3.Connection, slug: str) -> Row | None:
    """Return a set with its current version (not its document), by slug."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.slug = ?""",
        (slug,),
    ).fetchone()


def version_document(db: sqlite3.Connection, version_id: int) -> Row | None:
    """Return a version's content hash and document (JSON text)."""
    return db.execute("SELECT content_hash, document FROM set_version WHERE id = ?",
                      (version_id,)).fetchone()


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
                   student_name: str, points: float, max_points: float,
                   class_id: int | None = None, student_id: int | None = None,
                   session_hash: str | None = None) -> int | None:
    """Store an attempt; return its id, or None when this quiz page was already submitted."""
    cursor = db.execute(
        """INSERT INTO attempt (token, submit_key, version_id, student_name, points, max_points,
                                class_id, student_id, session_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submit_key) DO NOTHING""",
        (token, submit_key, version_id, student_name, points, max_points, class_id, student_id,
         session_hash),
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


# Teachers and sign-in ------------------------------------------------------------------

def teacher_by_id(db: sqlite3.Connection, teacher_id: int) -> Row | None:
    """Return a teacher by id."""
    return db.execute("SELECT * FROM teacher WHERE id = ?", (teacher_id,)).fetchone()


def teacher_by_username(db: sqlite3.Connection, username: str) -> Row | None:
    """Return a teacher by username (case does not matter)."""
    return db.execute("SELECT * FROM teacher WHERE username = ?", (username,)).fetchone()


def count_teachers(db: sqlite3.Connection) -> int:
    """Count teacher accounts."""
    return db.execute("SELECT count(*) FROM teacher").fetchone()[0]


def insert_teacher(db: sqlite3.Connection, username: str, password_hash: str) -> int:
    """Create a teacher account and return its id."""
    return db.execute("INSERT INTO teacher (username, password_hash) VALUES (?, ?)",
                      (username, password_hash)).lastrowid


def set_password_hash(db: sqlite3.Connection, teacher_id: int, password_hash: str) -> None:
    """Replace a teacher's password hash, ending every session signed in before."""
    db.execute("UPDATE teacher SET password_hash = ?, session_version = session_version + 1 "
               "WHERE id = ?", (password_hash, teacher_id))


def end_sessions(db: sqlite3.Connection, teacher_id: int) -> None:
    """End every session a teacher has signed in (their session version moves on)."""
    db.execute("UPDATE teacher SET session_version = session_version + 1 WHERE id = ?",
               (teacher_id,))


def record_sign_in(db: sqlite3.Connection, teacher_id: int, address: str) -> None:
    """Remember the address a teacher last signed in from."""
    db.execute("UPDATE teacher SET last_address = ? WHERE id = ?", (address, teacher_id))


def record_login_failure(db: sqlite3.Connection, username: str, address: str, at: float) -> None:
    """Remember one failed sign-in."""
    db.execute("INSERT INTO login_failure (username, address, at) VALUES (?, ?, ?)",
               (username, address, at))


def recent_login_failures(db: sqlite3.Connection, username: str, address: str,
                          since: float) -> dict[str, tuple[int, float | None]]:
    """Count failures since a time, with the oldest, for the pair, the account, the address."""
    row = db.execute(
        """SELECT (SELECT count(*) FROM login_failure
                   WHERE username = ? AND address = ? AND at > ?),
                  (SELECT min(at) FROM login_failure
                   WHERE username = ? AND address = ? AND at > ?),
                  (SELECT count(*) FROM login_failure WHERE username = ? AND at > ?),
                  (SELECT min(at) FROM login_failure WHERE username = ? AND at > ?),
                  (SELECT count(*) FROM login_failure WHERE address = ? AND at > ?),
                  (SELECT min(at) FROM login_failure WHERE address = ? AND at > ?)""",
        (username, address, since, username, address, since, username, since, username, since,
         address, since, address, since),
    ).fetchone()
    return {"pair": (row[0], row[1]), "account": (row[2], row[3]),
            "address": (row[4], row[5])}


def forget_login_failures(db: sqlite3.Connection, before: float) -> None:
    """Delete failures older than the throttling window."""
    db.execute("DELETE FROM login_failure WHERE at < ?", (before,))


def replace_setup_token(db: sqlite3.Connection, token_hash: str) -> None:
    """Store the hash of a new one-time setup token; every earlier one stops working."""
    db.execute("DELETE FROM setup_token")
    db.execute("INSERT INTO setup_token (token_hash) VALUES (?)", (token_hash,))


def setup_token_exists(db: sqlite3.Connection, token_hash: str) -> bool:
    """Say whether a setup token is still valid."""
    return db.execute("SELECT 1 FROM setup_token WHERE token_hash = ?",
                      (token_hash,)).fetchone() is not None


def consume_setup_token(db: sqlite3.Connection, token_hash: str) -> bool:
    """Use up a setup token while no teacher exists; say whether this call used it.

    The DELETE takes SQLite's write lock, so of two requests racing with one token, the
    second finds it gone: only one account is created.
    """
    return db.execute(
        "DELETE FROM setup_token WHERE token_hash = ? AND NOT EXISTS (SELECT 1 FROM teacher)",
        (token_hash,)).rowcount == 1


def delete_setup_tokens(db: sqlite3.Connection) -> None:
    """Invalidate every setup token."""
    db.execute("DELETE FROM setup_token")


# Teachers' sets ------------------------------------------------------------------------

def teacher_sets(db: sqlite3.Connection, owner_id: int) -> list[Row]:
    """List a teacher's own sets with their current version and attempt counts."""
    return db.execute(
        """SELECT s.id, s.slug, s.published, v.number, v.document,
                  (SELECT count(*) FROM attempt a JOIN set_version sv ON sv.id = a.version_id
                   WHERE sv.set_id = s.id) AS attempts
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.owner_id = ? ORDER BY s.id DESC""",
        (owner_id,),
    ).fetchall()


def bundled_sets(db: sqlite3.Connection) -> list[Row]:
    """List every bundled set, published or not."""
    return db.execute(
        """SELECT s.id, s.slug, s.published, v.number, v.document
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.owner_id IS NULL ORDER BY s.id""",
    ).fetchall()


def visible_set(db: sqlite3.Connection, set_id: int, teacher_id: int) -> Row | None:
    """Return a set a teacher may see: their own or a bundled one, with its current version."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash, v.document
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.id = ? AND (s.owner_id = ? OR s.owner_id IS NULL)""",
        (set_id, teacher_id),
    ).fetchone()


def delete_set(db: sqlite3.Connection, set_id: int) -> None:
    """Delete a set with its versions and attempts."""
    db.execute("DELETE FROM question_set WHERE id = ?", (set_id,))


def version_has_attempts(db: sqlite3.Connection, version_id: int) -> bool:
    """Say whether anyone has answered this version."""
    return db.execute("SELECT 1 FROM attempt WHERE version_id = ? LIMIT 1",
                      (version_id,)).fetchone() is not None


def replace_version_document(db: sqlite3.Connection, version_id: int, content_hash: str,
                             document: dict) -> None:
    """Change a version that nobody has answered yet."""
    db.execute("UPDATE set_version SET content_hash = ?, document = ? WHERE id = ?",
               (content_hash, json.dumps(document), version_id))


def slug_taken(db: sqlite3.Connection, slug: str) -> bool:
    """Say whether a set already uses this slug."""
    return db.execute("SELECT 1 FROM question_set WHERE slug = ?", (slug,)).fetchone() is not None


# Classes -------------------------------------------------------------------------------

def teacher_classes(db: sqlite3.Connection, owner_id: int) -> list[Row]:
    """List a teacher's classes with how many students joined."""
    return db.execute(
        """SELECT c.*, (SELECT count(*) FROM student WHERE class_id = c.id) AS students
           FROM class c WHERE owner_id = ? ORDER BY c.id DESC""",
        (owner_id,),
    ).fetchall()


def insert_class(db: sqlite3.Connection, owner_id: int, name: str, code: str) -> int:
    """Create a class and return its id."""
    return db.execute("INSERT INTO class (owner_id, name, code) VALUES (?, ?, ?)",
                      (owner_id, name, code)).lastrowid


def owned_class(db: sqlite3.Connection, class_id: int, owner_id: int) -> Row | None:
    """Return a class if this teacher owns it."""
    return db.execute("SELECT * FROM class WHERE id = ? AND owner_id = ?",
                      (class_id, owner_id)).fetchone()


def class_by_code(db: sqlite3.Connection, code: str) -> Row | None:
    """Return a class by its join code."""
    return db.execute("SELECT * FROM class WHERE code = ?", (code,)).fetchone()


def class_by_id(db: sqlite3.Connection, class_id: int) -> Row | None:
    """Return a class by id."""
    return db.execute("SELECT * FROM class WHERE id = ?", (class_id,)).fetchone()


def update_class(db: sqlite3.Connection, class_id: int, *, name: str, is_open: bool,
                 one_attempt: bool, hold_explanations: bool) -> None:
    """Change a class's name and settings."""
    db.execute(
        """UPDATE class SET name = ?, is_open = ?, one_attempt = ?, hold_explanations = ?
           WHERE id = ?""",
        (name, int(is_open), int(one_attempt), int(hold_explanations), class_id),
    )


def delete_class(db: sqlite3.Connection, class_id: int) -> None:
    """Delete a class with its students and their attempts."""
    db.execute("DELETE FROM class WHERE id = ?", (class_id,))


def class_set_ids(db: sqlite3.Connection, class_id: int) -> list[int]:
    """List the ids of the sets assigned to a class."""
    return [r[0] for r in db.execute(
        "SELECT set_id FROM class_set WHERE class_id = ? ORDER BY set_id", (class_id,))]


def replace_class_sets(db: sqlite3.Connection, class_id: int, set_ids: list[int]) -> None:
    """Assign exactly these sets to a class."""
    db.execute("DELETE FROM class_set WHERE class_id = ?", (class_id,))
    db.executemany("INSERT INTO class_set (class_id, set_id) VALUES (?, ?)",
                   [(class_id, s) for s in set_ids])


def class_sets(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List the published sets assigned to a class, with their current version (no document)."""
    return db.execute(
        """SELECT s.id, s.slug, v.id AS version_id, v.content_hash FROM class_set cs
           JOIN question_set s ON s.id = cs.set_id JOIN latest_version v ON v.set_id = s.id
           WHERE cs.class_id = ? AND s.published ORDER BY s.id""",
        (class_id,),
    ).fetchall()


def assigned_class(db: sqlite3.Connection, class_id: int, set_id: int) -> Row | None:
    """Return a class if this set is assigned to it, else None."""
    return db.execute(
        """SELECT c.* FROM class c JOIN class_set cs ON cs.class_id = c.id
           WHERE c.id = ? AND cs.set_id = ?""",
        (class_id, set_id),
    ).fetchone()


# Students in classes -------------------------------------------------------------------

def student_in_class(db: sqlite3.Connection, class_id: int, name: str) -> Row | None:
    """Return the student of a class with this name (case does not matter)."""
    return db.execute("SELECT * FROM student WHERE class_id = ? AND name = ? COLLATE NOCASE",
                      (class_id, name)).fetchone()


def insert_student(db: sqlite3.Connection, class_id: int, name: str) -> int:
    """Add a student to a class and return their id."""
    return db.execute("INSERT INTO student (class_id, name) VALUES (?, ?)",
                      (class_id, name)).lastrowid


def student_by_id(db: sqlite3.Connection, student_id: int) -> Row | None:
    """Return a student by id."""
    return db.execute("SELECT * FROM student WHERE id = ?", (student_id,)).fetchone()


def roster(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List a class's students with their number of attempts and last activity."""
    return db.execute(
        """SELECT st.id, st.name, st.created_at, st.rejoin_code, count(a.id) AS attempts,
                  max(a.created_at) AS last_attempt
           FROM student st LEFT JOIN attempt a ON a.student_id = st.id
           WHERE st.class_id = ? GROUP BY st.id ORDER BY st.name COLLATE NOCASE""",
        (class_id,),
    ).fetchall()


def move_attempts(db: sqlite3.Connection, from_student: int, to_student: int) -> None:
    """Give one student's attempts to another (merging duplicate names)."""
    db.execute("UPDATE attempt SET student_id = ? WHERE student_id = ?",
               (to_student, from_student))


def delete_student(db: sqlite3.Connection, student_id: int) -> None:
    """Remove a student and their attempts."""
    db.execute("DELETE FROM student WHERE id = ?", (student_id,))


def student_attempt_for_set(db: sqlite3.Connection, student_id: int, set_id: int) -> Row | None:
    """Return a student's latest attempt at a set, if any."""
    return db.execute(
        """SELECT a.token FROM attempt a JOIN set_version v ON v.id = a.version_id
           WHERE a.student_id = ? AND v.set_id = ? ORDER BY a.id DESC LIMIT 1""",
        (student_id, set_id),
    ).fetchone()


def latest_attempts_of_student(db: sqlite3.Connection, student_id: int) -> list[Row]:
    """List a class student's latest attempt at each set: slug, token and score."""
    return db.execute(
        """SELECT s.slug, a.token, a.points, a.max_points FROM attempt a
           JOIN set_version v ON v.id = a.version_id JOIN question_set s ON s.id = v.set_id
           WHERE a.id IN (SELECT max(a2.id) FROM attempt a2
                          JOIN set_version v2 ON v2.id = a2.version_id
                          WHERE a2.student_id = ? GROUP BY v2.set_id)""",
        (student_id,),
    ).fetchall()


def class_attempts(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List a class's attempts, newest first."""
    return db.execute(
        """SELECT a.token, a.student_name, a.points, a.max_points, a.created_at, v.document
           FROM attempt a JOIN set_version v ON v.id = a.version_id
           WHERE a.class_id = ? ORDER BY a.id DESC LIMIT 500""",
        (class_id,),
    ).fetchall()


# Who may see what: page keys, versions shown, rejoin codes, join throttling ------------------

def attempt_for_key(db: sqlite3.Connection, submit_key: str) -> Row | None:
    """Return the attempt made from one quiz page: its token, browser and set."""
    return db.execute(
        """SELECT a.token, a.session_hash, v.set_id FROM attempt a
           JOIN set_version v ON v.id = a.version_id WHERE a.submit_key = ?""",
        (submit_key,),
    ).fetchone()


def set_of_version(db: sqlite3.Connection, version_id: int) -> int | None:
    """Return the id of the set a version belongs to."""
    row = db.execute("SELECT set_id FROM set_version WHERE id = ?", (version_id,)).fetchone()
    return row[0] if row else None


def set_version_row(db: sqlite3.Connection, set_id: int, version_id: int) -> Row | None:
    """Return one version of a set, shaped like `set_by_slug` (no document)."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash
           FROM question_set s JOIN set_version v ON v.set_id = s.id
           WHERE s.id = ? AND v.id = ?""",
        (set_id, version_id),
    ).fetchone()


def insert_student_with_code(db: sqlite3.Connection, class_id: int, name: str,
                             rejoin_code: str) -> int:
    """Add a student to a class with their rejoin code and return their id."""
    return db.execute("INSERT INTO student (class_id, name, rejoin_code) VALUES (?, ?, ?)",
                      (class_id, name, rejoin_code)).lastrowid


def set_rejoin_code(db: sqlite3.Connection, student_id: int, rejoin_code: str) -> None:
    """Give a student a new rejoin code."""
    db.execute("UPDATE student SET rejoin_code = ? WHERE id = ?", (rejoin_code, student_id))


def record_join_failure(db: sqlite3.Connection, address: str, at: float) -> None:
    """Remember one wrong class code or rejoin code sent from an address."""
    db.execute("INSERT INTO join_failure (address, at) VALUES (?, ?)", (address, at))


def recent_join_failures(db: sqlite3.Connection, address: str,
                         since: float) -> tuple[int, float | None]:
    """Count an address's wrong codes since a time, and give the oldest of them."""
    row = db.execute("SELECT count(*), min(at) FROM join_failure WHERE address = ? AND at > ?",
                     (address, since)).fetchone()
    return row[0], row[1]


def forget_join_failures(db: sqlite3.Connection, before: float) -> None:
    """Delete wrong codes older than the throttling window."""
    db.execute("DELETE FROM join_failure WHERE at < ?", (before,))
