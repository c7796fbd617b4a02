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
