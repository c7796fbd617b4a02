"""The old flaskr pattern, for comparison: a connection opened and closed for every request.

`install()` replaces `quiz.db.get_db` and `quiz.db.close_db`; call it BEFORE anything imports
`quiz.cli`, `quiz.views` or `create_app` (they bind `get_db` by name at import time).
quiz/db.py keeps one connection per thread instead; this module measures what that saves
(benchmarks/README.md, variant `waitress-per-request`).
"""

from __future__ import annotations

import sqlite3

from flask import current_app, g

import quiz.db as qdb


def get_db() -> sqlite3.Connection:
    """Return this request's connection, opening it on first use."""
    if "db" not in g:
        g.db = qdb.connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Close the request's connection (the last close of a WAL database checkpoints it)."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def install() -> None:
    qdb.get_db = get_db
    qdb.close_db = close_db
