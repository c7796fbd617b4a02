"""The teacher's pages: one parent blueprint at /teacher, signed-in teachers only.

Its children (`teacher.sets`, `teacher.authoring`, `teacher.drafts`, `teacher.classes`,
`teacher.summaries`) inherit `require_teacher`, so no teacher page can forget it. Sign-in
itself lives in the `auth` blueprint, outside this one.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .. import caches, queries
from ..db import get_db
from ..forms import ButtonForm
from . import authoring, classes, drafts, sets, summaries

bp = Blueprint("teacher", __name__, url_prefix="/teacher")
for child in (sets, authoring, drafts, classes, summaries):
    bp.register_blueprint(child.bp)


@bp.before_request
@login_required
def require_teacher() -> None:
    """Every page of this blueprint and its children is for signed-in teachers only."""


@bp.get("/")
def dashboard():
    """Show the teacher's sets, the bundled sets and their classes."""
    db = get_db()
    return render_template(
        "teacher/dashboard.html",
        own=[(r, caches.document_of(r)) for r in queries.teacher_sets(db, current_user.id)],
        bundled=[(r, caches.document_of(r)) for r in queries.bundled_sets(db)],
        classes=queries.teacher_classes(db, current_user.id), button=ButtonForm())
