"""Error pages: every error is a page a student can read, never a stack trace."""

from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Something in that request was wrong", "Go back, reload the page and try again."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Page not found", "Check the address, or start again from the home page."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("That is too large", "The file or form you sent is larger than this server accepts."),
    429: ("Too many tries", "Wait a few minutes, then try again."),
}


# SQLite's primary result codes (the low byte of an extended code) that mean the disk or the
# file cannot take a write.
_CANNOT_WRITE = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR}


def database_problem(error: sqlite3.OperationalError) -> tuple[str, str]:
    """Say what is wrong with the database (title, advice); blame the disk only if it is that."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code in _CANNOT_WRITE:
        return ("SourceCheck cannot save right now",
                "The server could not write to its database (the disk may be full or "
                "read-only). Nothing was lost from earlier; tell the person who runs "
                "SourceCheck.")
    if str(error).startswith(("no such table", "no such column", "no such view")):
        return ("SourceCheck's database is not set up",
                "Its tables have not been created, or are older than this version of "
                "SourceCheck. Whoever runs SourceCheck should start it with `sourcecheck "
                "serve`, or run `sourcecheck init-db`: both create or upgrade the database "
                "and keep its data.")
    if code == sqlite3.SQLITE_CANTOPEN:
        return ("SourceCheck cannot open its database",
                "Whoever runs SourceCheck should check the DATABASE setting, and that its "
                "folder exists and the server may write there.")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return ("SourceCheck is busy", "The database is busy with other work. Wait a moment "
                                       "and try again; nothing was lost.")
    return ("SourceCheck cannot use its database right now",
            "Try again in a moment; if it keeps happening, tell the person who runs "
            "SourceCheck.")


def _page(code: int, detail: str | None = None):
    title, advice = MESSAGES.get(code, ("Something went wrong", "Try again in a moment."))
    return render_template("errors/error.html", code=code, title=title, advice=advice,
                           detail=detail), code


def _as_visitor_if_unloaded() -> None:
    """Show the page as to a visitor when the session's teacher could not be loaded."""
    # Flask-Login loads the teacher (a query) when a template first reads current_user. When
    # that query is what failed, the error page would run it again and fail with a bare 500.
    # A teacher loaded before the error keeps their header.
    if "_login_user" not in g:
        current_app.login_manager._update_request_context_with_user()  # anonymous


def init_app(app: Flask) -> None:
    """Register the error pages."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _page(400, "The form had expired or came from somewhere else. "
                          "Reload the page and send it again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        detail = error.description if error.code == 400 else None
        return _page(error.code or 500, detail)

    @app.errorhandler(sqlite3.OperationalError)
    def database_error(error: sqlite3.OperationalError):
        app.logger.error("database error: %s", error)
        title, advice = database_problem(error)
        _as_visitor_if_unloaded()
        return render_template("errors/error.html", code=503, title=title, advice=advice,
                               detail=None), 503
