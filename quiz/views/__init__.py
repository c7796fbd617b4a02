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

from collections.abc import Callable

from flask import Flask, flash, redirect, render_template, url_for
from flask_login import current_user

from ..forms import ButtonForm


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    from . import auth, student, teacher

    # Flask-Login's context processor loads the user for every page; base.html asks
    # teacher_signed_in() instead, and current_user stays for pages that name the teacher.
    auth.login_manager.init_app(app, add_context_processor=False)
    app.add_template_global(auth.teacher_signed_in, "teacher_signed_in")
    app.add_template_global(current_user, "current_user")
    app.register_blueprint(student.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(teacher.bp)


def confirm_page(form, *, title: str, what: str, back: str, warning: str) -> str:
    """Ask to confirm a deletion: a button form (so CSRF holds) and a way back."""
    return render_template("teacher/confirm.html", form=form, title=title, what=what, back=back,
                           warning=warning)


def delete_after_confirm(delete: Callable[[], None], done: str, **page: str):
    """Ask to confirm; on a valid POST, delete, say *done* and go back to the dashboard."""
    form = ButtonForm()
    if form.validate_on_submit():
        delete()
        flash(done, "success")
        return redirect(url_for("teacher.dashboard"))
    return confirm_page(form, **page)
