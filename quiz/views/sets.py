"""A teacher's sets: preview, answer key, copy, publish, delete, export and import."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from .. import drafting, feedback, gift, imports, moodlexml, questionsets, scoring, transactions
from ..db import get_db
from ..forms import ButtonForm, ImportForm
from . import delete_after_confirm
from .access import own_set, visible_set

bp = Blueprint("sets", __name__, url_prefix="/sets")


@bp.get("/<int:set_id>")
def set_page(set_id: int):
    """Show one set with what the teacher can do with it."""
    row, document = visible_set(set_id)
    return render_template("teacher/set.html", row=row, document=document, button=ButtonForm(),
                           mine=row["owner_id"] == current_user.id)


@bp.get("/<int:set_id>/preview")
def preview(set_id: int):
    """Show a set exactly as a student sees it (nothing can be submitted)."""
    _, document = visible_set(set_id)
    questions = [scoring.student_view(q, "preview") for q in document["questions"]]
    return render_template("teacher/preview.html", set_id=set_id, document=document,
                           article=document["article"], questions=questions, answers={},
                           problems={}, blank=[])


@bp.get("/<int:set_id>/key")
def answer_key(set_id: int):
    """Show a set with every answer and explanation."""
    _, document = visible_set(set_id)
    rows = [(q, feedback.key_rows(q, document["article"]["sentences"]))
            for q in document["questions"]]
    return render_template("teacher/key.html", set_id=set_id, document=document, rows=rows,
                           article=document["article"])


@bp.post("/<int:set_id>/copy")
def copy_set(set_id: int):
    """Copy a set (bundled or the teacher's own) into a new set of the teacher's."""
    _, document = visible_set(set_id)
    if ButtonForm().validate_on_submit():
        document["title"] = f"{document['title']} (copy)"
        new_id = transactions.add_teacher_set(get_db(), document, current_user.id)
        flash("Copied. The copy is unpublished until you publish it.", "success")
        return redirect(url_for(".set_page", set_id=new_id))
    return redirect(url_for(".set_page", set_id=set_id))


@bp.post("/<int:set_id>/publish")
def toggle_published(set_id: int):
    """Publish or unpublish one of the teacher's sets."""
    row, document = own_set(set_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".set_page", set_id=set_id))
    if not row["published"] and not document["questions"]:
        flash("Add at least one question before publishing.", "error")
        return redirect(url_for(".set_page", set_id=set_id))
    # A "Teacher to confirm" note marks a key the drafter could not vouch for: never publish it.
    if not row["published"] and (waiting := drafting.waiting(document)):
        flash("Not published: resolve the “Teacher to confirm” notes first (rewrite each "
              "explanation that starts with it) in question"
              f"{'s' * (len(waiting) > 1)} " + "; ".join(
                  f"{n} ({q['prompt'][:60]})" for n, q in waiting) + ".", "error")
        return redirect(url_for(".set_page", set_id=set_id))
    transactions.publish_set(get_db(), set_id, not row["published"])
    flash("Published: students can take it." if not row["published"] else
          "Unpublished: students cannot start it.", "success")
    return redirect(url_for(".set_page", set_id=set_id))


@bp.route("/<int:set_id>/delete", methods=["GET", "POST"])
def delete_set(set_id: int):
    """Ask to confirm, then delete a set with all its attempts."""
    _, document = own_set(set_id)
    return delete_after_confirm(
        lambda: transactions.delete_set(get_db(), set_id), f"Deleted “{document['title']}”.",
        title="Delete this set?", what=document["title"],
        back=url_for(".set_page", set_id=set_id),
        warning="Its questions and every student attempt at it are deleted.")


@bp.get("/<int:set_id>/export.<fmt>")
def export_set(set_id: int, fmt: str):
    """Download a set as YAML (the format of questions/) or Moodle GIFT."""
    _, document = visible_set(set_id)
    if fmt == "yaml":
        body, mimetype = questionsets.to_yaml(document), "application/yaml"
    elif fmt == "gift":
        body, mimetype = gift.dump(document["questions"], document.get("texts")), "text/plain"
    elif fmt == "xml":
        body, mimetype = (moodlexml.dump(document["questions"], document["title"],
                                          document.get("texts")), "application/xml")
    else:
        abort(404)
    return Response(body, content_type=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{document["id"]}.{fmt}"'})


@bp.route("/import", methods=["GET", "POST"])
def import_set():
    """Import a YAML, GIFT or Moodle XML file as a new unpublished set; a bad file is
    refused whole."""
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            text = upload.read().decode("utf-8-sig")
            result = imports.read_import(upload.filename, text, current_app.config["QUESTIONS_DIR"])
        except UnicodeDecodeError:
            problems = [f"{upload.filename}: the file is not UTF-8 text."]
        except questionsets.InvalidSetError as exc:
            problems = exc.problems
        else:
            set_id = transactions.add_teacher_set(get_db(), result.document, current_user.id)
            for line in result.skipped:
                flash(f"Skipped {line}", "warning")
            for line in result.notes:
                flash(f"Note on {line}", "info")
            flash(f"Imported {len(result.document['questions'])} questions.", "success")
            return redirect(url_for(".set_page", set_id=set_id))
    return render_template("teacher/import.html", form=form, problems=problems)
