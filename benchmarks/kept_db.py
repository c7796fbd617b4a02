"""A connection kept per thread instead of per request: the variant the benchmarks measure.

`install()` replaces `quiz.db.get_db` and `quiz.db.close_db`; call it BEFORE anything imports
`quiz.cli`, `quiz.student` or `create_app` (they bind `get_db` by name at import time). This
is the change recommended for quiz/db.py itself (see benchmarks/README.md).
"""

from __future__ import annotations

import sqlite3
import threading

from flask import current_app

import quiz.db as qdb

_local = threading.local()


def get_db() -> sqlite3.Connection:
    """Return this thread's connection to the app's database, opening it on first use."""
    path = current_app.config["DATABASE"]
    db = getattr(_local, "db", None)
    if db is None or _local.path != path:
        if db is not None:  # another app (tests) in this thread: do not keep two open
            db.close()
        db = _local.db = qdb.connect(path)
        _local.path = path
    return db


def close_db(exc: BaseException | None = None) -> None:
    """Keep the connection for the thread's next request; never leave a transaction open."""
    db = getattr(_local, "db", None)
    if db is not None and db.in_transaction:
        db.rollback()


def install() -> None:
    qdb.get_db = get_db
    qdb.close_db = close_db
