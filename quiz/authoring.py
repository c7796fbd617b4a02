"""Teachers write question sets in the browser: the set and its article, then questions."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from . import questionsets, store
from .db import get_db
from .forms import SetForm
from .teacher import own_set

bp = Blueprint("authoring", __name__, url_prefix="/teacher/sets")


@bp.before_request
@login_required
def require_teacher() -> None:
    """Every page of this blueprint is for signed-in teachers only."""


def form_data(document: dict) -> dict:
    """Return a SetForm's data for a set document."""
    article = document["article"]
    return {
        "title": document["title"], "intro": document["intro"],
        "takeaways": "\n".join(document["takeaways"]), "shuffle": document["shuffle"],
        "article_title": article["title"], "outlet": article["outlet"],
        "date": article["date"] or "", "url": article["url"] or "", "text": article["text"],
        "marks": ", ".join(f"{n}: {kind}" for n, kind in article["marks"].items()),
    }


def apply_form(form: SetForm, document: dict) -> dict:
    """Return *document* changed by a valid SetForm, validated again as a whole."""
    raw = dict(document, title=form.title.data, intro=form.intro.data,
               takeaways=form.takeaways.data.splitlines(), shuffle=form.shuffle.data)
    raw["article"] = {
        "title": form.article_title.data, "outlet": form.outlet.data,
        "date": form.date.data or None, "url": form.url.data or None,
        "text": form.text.data.replace("\r\n", "\n"),
        "date_note": document["article"].get("date_note"),
        "notes": document["article"].get("notes"),
        "marks": {int(n): kind for n, kind in
                  re.findall(r"(\d+)\s*:\s*(headline|caption|furniture)", form.marks.data or "")},
    }
    return questionsets.parse_set(raw, "this set", draft=True)


EMPTY_SET = {"id": "new-set", "questions": [], "published": False,
             "article": {"marks": {}, "date": None, "url": None}}


@bp.route("/new", methods=["GET", "POST"])
def new_set():
    """Start a set: its title, introduction and article."""
    form = SetForm()
    if form.validate_on_submit():
        try:
            document = apply_form(form, EMPTY_SET)
        except questionsets.InvalidSetError as exc:
            return render_template("teacher/set_form.html", form=form, problems=exc.problems)
        slug = re.sub(r"[^a-z0-9]+", "-", form.title.data.lower()).strip("-")[:60] or "set"
        set_id = store.add_teacher_set(get_db(), dict(document, id=slug), current_user.id)
        flash("Set created. Now add questions.", "success")
        return redirect(url_for(".edit_set", set_id=set_id))
    return render_template("teacher/set_form.html", form=form, problems=[])


@bp.route("/<int:set_id>/edit", methods=["GET", "POST"])
def edit_set(set_id: int):
    """Edit a set's fields and article; list its questions and numbered sentences."""
    row, document = own_set(set_id)
    form = SetForm(data=form_data(document))
    problems = []
    if form.validate_on_submit():
        try:
            store.save_teacher_document(get_db(), row, apply_form(form, document))
        except questionsets.InvalidSetError as exc:
            problems = exc.problems
        else:
            flash("Saved.", "success")
            return redirect(url_for(".edit_set", set_id=set_id))
    return render_template("teacher/edit.html", row=row, document=document, form=form,
                           problems=problems, article=document["article"])

