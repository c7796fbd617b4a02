"""The pages: one blueprint per module, created in the file that holds its routes.

    student    /            sets, join a class, quiz, results (no sign-in)
    auth       /teacher     sign-in (throttled), setup link, teacher accounts
    teacher    /teacher     the dashboard and the parent of every signed-in teacher page:
      sets        /teacher/sets         preview, key, copy, publish, delete, export, import
      authoring   /teacher/sets         the set editor and the question forms
      drafts      /teacher/drafts       a new set drafted from a pasted article
      classes     /teacher/classes      join codes, settings, assigned sets, rosters
      summaries   /teacher/classes/<id>/summary   score summaries and CSV downloads
    access     lookups that 404 when a set or class is not the teacher's (no routes)

Endpoints are named blueprint by blueprint: `teacher.sets.set_page`, `student.results`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    from . import auth, student, teacher

    auth.login_manager.init_app(app)
    app.register_blueprint(student.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(teacher.bp)
