"""The SQLite database: one connection kept per thread, schema by numbered migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator

from flask import Flask, current_app

# Connections are kept between requests, one per server thread: closing the last connection
# to a WAL database checkpoints it, and every open sets the PRAGMAs again (the cost measured
# is in benchmarks/README.md, "Figures behind choices in the code").
_local = threading.local()

# Each entry moves the schema up one version (PRAGMA user_version). Never edit a shipped
# entry: add a new one, so that every install keeps its data.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE teacher (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE question_set (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        owner_id INTEGER REFERENCES teacher (id) ON DELETE CASCADE,  -- NULL: bundled
        published INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    -- What was asked, kept for ever: an attempt points at the version it answered.
    CREATE TABLE set_version (
        id INTEGER PRIMARY KEY,
        set_id INTEGER NOT NULL REFERENCES question_set (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        document TEXT NOT NULL,  -- the set document as JSON
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        UNIQUE (set_id, number)
    );
    CREATE TABLE attempt (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,        -- the unguessable results URL
        submit_key TEXT NOT NULL UNIQUE,   -- one per quiz page: a double submit stores once
        version_id INTEGER NOT NULL REFERENCES set_version (id) ON DELETE CASCADE,
        student_name TEXT NOT NULL,
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX attempt_version ON attempt (version_id);
    -- Answers are facts; the points beside them are what scoring gave at submit time.
    CREATE TABLE response (
        attempt_id INTEGER NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        answer TEXT,        -- JSON, NULL when left blank
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('right', 'partly', 'wrong', 'blank')),
        PRIMARY KEY (attempt_id, question_id)
    ) WITHOUT ROWID;
    """,
    # 2: teachers sign in (throttled), classes with join codes, students who joined them.
    """
    CREATE TABLE login_failure (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE,
        address TEXT NOT NULL,
        at REAL NOT NULL  -- unix time
    );
    CREATE INDEX login_failure_username ON login_failure (username, at);
    CREATE INDEX login_failure_address ON login_failure (address, at);
    CREATE TABLE setup_token (
        token_hash TEXT PRIMARY KEY,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE class (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES teacher (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        is_open INTEGER NOT NULL DEFAULT 1,
        one_attempt INTEGER NOT NULL DEFAULT 0,
        hold_explanations INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX class_owner ON class (owner_id);
    CREATE TABLE class_set (
        class_id INTEGER NOT NULL REFERENCES class (id) ON DELETE CASCADE,
        set_id INTEGER NOT NULL REFERENCES question_set (id) ON DELETE CASCADE,
        PRIMARY KEY (class_id, set_id)
    ) WITHOUT ROWID;
    CREATE TABLE student (
        id INTEGER PRIMARY KEY,
        class_id INTEGER NOT NULL REFERENCES class (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        UNIQUE (class_id, name COLLATE NOCASE)
    );
    ALTER TABLE attempt ADD COLUMN class_id INTEGER REFERENCES class (id) ON DELETE CASCADE;
    ALTER TABLE attempt ADD COLUMN student_id INTEGER REFERENCES student (id) ON DELETE CASCADE;
    CREATE INDEX attempt_class ON attempt (class_id, version_id);
    CREATE INDEX attempt_student ON attempt (student_id);
    CREATE INDEX question_set_owner ON question_set (owner_id);
    """,
    # 3: the version students get now, as a view, so no query pastes that subquery again.
    """
    CREATE VIEW latest_version AS
        SELECT v.* FROM set_version v
        WHERE v.number = (SELECT max(number) FROM set_version WHERE set_id = v.set_id);
    """,
    # 4: score summaries pick one attempt per student of a class at a set (first, best or
    # latest) from this index alone, without reading the attempt rows.
    """
    CREATE INDEX attempt_class_student
        ON attempt (class_id, student_id, version_id, points, max_points, created_at);
    """,
    # 5: sign-out and a password change end every earlier session (session_version); the
    # address of the last sign-in is spared the per-account throttle, so an attacker cannot
    # lock the owner out; old sign-in failures are pruned by time.
    """
    ALTER TABLE teacher ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE teacher ADD COLUMN last_address TEXT;
    CREATE INDEX login_failure_at ON login_failure (at);
    """,
    # 6: identity without passwords: the browser an attempt belongs to (a hash of its random
    # session id; NULL for attempts made before), each student's rejoin code (plain: the
    # teacher reads it out to a student who lost it; it opens only that student's results),
    # and wrong class or rejoin codes per address, for throttling. Codes for students who
    # joined before come from SQLite's random(), drawn from the join-code alphabet.
    """
    ALTER TABLE attempt ADD COLUMN session_hash TEXT;
    ALTER TABLE student ADD COLUMN rejoin_code TEXT;
    UPDATE student SET rejoin_code =
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1) ||
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1) ||
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1) ||
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1) ||
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1) ||
        substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + abs(random() % 31), 1);
    CREATE TABLE join_failure (
        id INTEGER PRIMARY KEY,
        address TEXT NOT NULL,
        at REAL NOT NULL  -- unix time
    );
    CREATE INDEX join_failure_address ON join_failure (address, at);
    """,
    # Learning gains: one pre-test and one post-test per class, both sets of the class.
    """
    CREATE TABLE gain_pair (
        class_id INTEGER PRIMARY KEY REFERENCES class (id) ON DELETE CASCADE,
        pre_set_id INTEGER NOT NULL REFERENCES question_set (id) ON DELETE CASCADE,
        post_set_id INTEGER NOT NULL REFERENCES question_set (id) ON DELETE CASCADE,
        CHECK (pre_set_id <> post_set_id)
    );
    """,
]


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Create files 0600 and folders 0700 inside this block (they hold children's data)."""
    # The umask is process-wide, but only ever made stricter here, and only for a moment.
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def create_private(path: str) -> None:
    """Create a database file readable by its owner only, if it does not exist yet.

    SQLite gives the -wal, -shm and -journal files the database file's own mode.
    """
    if path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    with private_files(), contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def tighten(path: str) -> None:
    """Make an existing database and its -wal and -shm files readable by their owner only.

    Installs made before files were created private keep working; their files become 0600.
    """
    for name in (path, path + "-wal", path + "-shm"):
        with contextlib.suppress(OSError):  # missing, or not ours to change: leave it
            os.chmod(name, 0o600)


def connect(path: str) -> sqlite3.Connection:
    """Open a connection with the settings every connection needs."""
    create_private(path)
    db = sqlite3.connect(path, timeout=10, detect_types=0, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed data
    return db


def get_db() -> sqlite3.Connection:
    """Return this thread's connection to the app's database, opening it on first use."""
    path = current_app.config["DATABASE"]
    db = getattr(_local, "db", None)
    if db is None or _local.path != path:
        if db is not None:  # another app in this thread (tests): keep one open, not two
            db.close()
        db = _local.db = connect(path)
        _local.path = path
    return db


def close_db(exc: BaseException | None = None) -> None:
    """After each request, keep the connection but never leave a transaction open on it."""
    db = getattr(_local, "db", None)
    if db is not None and db.in_transaction:
        db.rollback()


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date; return the version it is now at."""
    db.execute("PRAGMA journal_mode = WAL")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        # user_version is set inside the same transaction, so a failed step leaves no trace.
        db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
    return len(MIGRATIONS)


def init_app(app: Flask) -> None:
    """Roll back whatever a request left open."""
    app.teardown_appcontext(close_db)
