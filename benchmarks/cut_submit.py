"""SourceCheck with its submit view cut down, to measure what each part of a submit costs.

    SUBMIT_CUT=no-form gunicorn ... --chdir benchmarks 'cut_submit:served()'   (serve_variant.py)

Used by submit_parts.py (in-process) and submit_floors.py (served by gunicorn under load).
Every cut keeps the URL, the session and the 303 answer of the real view:

- `no-form`: CSRF checked by `flask_wtf.csrf.validate_csrf` instead of Flask-WTF's QuizForm
  (and no unanswered-question check); reads, scores and stores as the real view does;
- `no-store`: `no-form` that scores but stores nothing;
- `form-and-session`: parses the form, reads the session's name, redirects; nothing else.
Benchmark code only: the cuts skip checks a real submit must make.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, request, session, url_for
from flask_wtf.csrf import validate_csrf

from quiz import create_app, db, scoring, transactions
from quiz.extensions import csrf
from quiz.views import student

NOT_STORED = "not-stored"  # the results token of the cuts that store nothing


def _answers(document: dict) -> dict:
    """Read the answers with the page key of the submitted page, as the real view does."""
    page = student._page_key(request.form.get("submit_key"))
    return scoring.read_answers(document, request.form, page)


def no_form(slug: str):
    row, document = student._current_set(slug)
    validate_csrf(request.form.get("csrf_token"))
    answers = _answers(document)
    token = transactions.record_attempt(db.get_db(), row["version_id"], document, answers,
                                        session["student_name"], request.form["submit_key"])
    return redirect(url_for("student.results", token=token), code=303)


def no_store(slug: str):
    row, document = student._current_set(slug)
    validate_csrf(request.form.get("csrf_token"))
    scoring.score_all(document, _answers(document))
    return redirect(url_for("student.results", token=NOT_STORED), code=303)


def form_and_session(slug: str):
    request.form.get("submit_key")
    session.get("student_name")
    return redirect(url_for("student.results", token=NOT_STORED), code=303)


CUTS = {"no-form": no_form, "no-store": no_store, "form-and-session": form_and_session}


def install(app: Flask, cut: str | None) -> None:
    """Put a cut in place of the submit view (None: the real view again)."""
    view = student.submit if cut is None else csrf.exempt(CUTS[cut])  # exempt, as the real
    app.view_functions["student.submit"] = view


def served() -> Flask:
    """Create the app with the cut named in SUBMIT_CUT (empty: the real view): for gunicorn."""
    app = create_app()
    install(app, os.environ.get("SUBMIT_CUT") or None)
    return app
