"""Classes, their assigned sets and the students who joined them.

Names compare and sort with SQLite's `COLLATE NOCASE` (the schema declares it too): "Sam"
and "sam" are one student. Another engine needs `lower()` or a case-insensitive collation.
"""

from __future__ import annotations

import sqlite3

Row = sqlite3.Row


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


def class_attempts(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List a class's attempts, newest first."""
    return db.execute(
        """SELECT a.token, a.student_name, a.points, a.max_points, a.created_at, v.document
           FROM attempt a JOIN set_version v ON v.id = a.version_id
           WHERE a.class_id = ? ORDER BY a.id DESC LIMIT 500""",
        (class_id,),
    ).fetchall()


def insert_student_with_code(db: sqlite3.Connection, class_id: int, name: str,
                             rejoin_code: str) -> int:
    """Add a student to a class with their rejoin code and return their id."""
    return db.execute("INSERT INTO student (class_id, name, rejoin_code) VALUES (?, ?, ?)",
                      (class_id, name, rejoin_code)).lastrowid


def set_rejoin_code(db: sqlite3.Connection, student_id: int, rejoin_code: str) -> None:
    """Give a student a new rejoin code."""
    db.execute("UPDATE student SET rejoin_code = ? WHERE id = ?", (rejoin_code, student_id))


# Join throttling ----------------------------------------------------------------------------

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


# The projector screen's counts ----------------------------------------------------------------

def count_class_students(db: sqlite3.Connection, class_id: int) -> int:
    """Count the students who have joined a class."""
    return db.execute("SELECT count(*) FROM student WHERE class_id = ?", (class_id,)).fetchone()[0]


def submitted_by_set(db: sqlite3.Connection, class_id: int) -> list[Row]:
    """List a class's published sets with their title and how many students submitted each."""
    # json_extract is SQLite's; another engine reads the title from its JSON type the same way.
    return db.execute(
        """SELECT s.id, json_extract(v.document, '$.title') AS title,
                  (SELECT count(DISTINCT a.student_id) FROM attempt a
                   JOIN set_version sv ON sv.id = a.version_id
                   WHERE a.class_id = cs.class_id AND sv.set_id = s.id) AS submitted
           FROM class_set cs JOIN question_set s ON s.id = cs.set_id
           JOIN latest_version v ON v.set_id = s.id
           WHERE cs.class_id = ? AND s.published ORDER BY s.id""",
        (class_id,),
    ).fetchall()


# Learning gains --------------------------------------------------------------------------

def gain_pair(db: sqlite3.Connection, class_id: int) -> Row | None:
    """Return a class's pre-test and post-test sets (pre_set_id, post_set_id), if paired."""
    return db.execute("SELECT pre_set_id, post_set_id FROM gain_pair WHERE class_id = ?",
                      (class_id,)).fetchone()


def replace_gain_pair(db: sqlite3.Connection, class_id: int, pre_set_id: int,
                      post_set_id: int) -> None:
    """Pair two sets of a class as its pre-test and post-test (replacing any pair)."""
    # ON CONFLICT ... DO UPDATE (SQLite and PostgreSQL): one statement, whether paired before.
    db.execute(
        """INSERT INTO gain_pair (class_id, pre_set_id, post_set_id) VALUES (?, ?, ?)
           ON CONFLICT (class_id) DO UPDATE
           SET pre_set_id = excluded.pre_set_id, post_set_id = excluded.post_set_id""",
        (class_id, pre_set_id, post_set_id),
    )


def delete_gain_pair(db: sqlite3.Connection, class_id: int) -> None:
    """Stop pairing a class's sets for learning gains."""
    db.execute("DELETE FROM gain_pair WHERE class_id = ?", (class_id,))


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
