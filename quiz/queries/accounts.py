"""Teacher accounts, sign-in throttling and the one-time setup token."""

from __future__ import annotations

import sqlite3

Row = sqlite3.Row


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
    """Replace a teacher's password hash."""
    db.execute("UPDATE teacher SET password_hash = ? WHERE id = ?", (password_hash, teacher_id))


def record_login_failure(db: sqlite3.Connection, username: str, address: str, at: float) -> None:
    """Remember one failed sign-in."""
    db.execute("INSERT INTO login_failure (username, address, at) VALUES (?, ?, ?)",
               (username, address, at))


def recent_login_failures(db: sqlite3.Connection, username: str, address: str,
                          since: float) -> tuple[int, int, float | None]:
    """Count failures since a time for the account and for the address; and the oldest."""
    row = db.execute(
        """SELECT (SELECT count(*) FROM login_failure WHERE username = ? AND at > ?),
                  (SELECT count(*) FROM login_failure WHERE address = ? AND at > ?),
                  (SELECT min(at) FROM login_failure
                   WHERE (username = ? OR address = ?) AND at > ?)""",
        (username, since, address, since, username, address, since),
    ).fetchone()
    return row[0], row[1], row[2]


def forget_login_failures(db: sqlite3.Connection, before: float) -> None:
    """Delete failures older than the throttling window."""
    db.execute("DELETE FROM login_failure WHERE at < ?", (before,))


def insert_setup_token(db: sqlite3.Connection, token_hash: str) -> None:
    """Store the hash of a one-time setup token."""
    db.execute("INSERT INTO setup_token (token_hash) VALUES (?)", (token_hash,))


def setup_token_exists(db: sqlite3.Connection, token_hash: str) -> bool:
    """Say whether a setup token is still valid."""
    return db.execute("SELECT 1 FROM setup_token WHERE token_hash = ?",
                      (token_hash,)).fetchone() is not None


def delete_setup_tokens(db: sqlite3.Connection) -> None:
    """Invalidate every setup token."""
    db.execute("DELETE FROM setup_token")
