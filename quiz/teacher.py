"""Teachers: their sets (import, export, copy, publish, delete), classes and rosters."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from . import drafting, feedback, gift, network, queries, questionsets, scoring, store
from .db import get_db
from .forms import AssignForm, ButtonForm, ClassForm, ImportForm, MergeForm

bp = Blueprint("teacher", __name__, url_prefix="/teacher")


@bp.before_request
@login_required
def require_teacher() -> None:
    """Every page of this blueprint is for signed-in teachers only."""


def visible_set(set_id: int):
    """Return a set this teacher may read (their own or bundled), or 404."""
    row = queries.visible_set(get_db(), set_id, current_user.id)
    if row is None:
        abort(404)
    return row, store.document_of(row)


def own_set(set_id: int):
    """Return a set this teacher may change, or 404 (bundled sets belong to no one)."""
    row, document = visible_set(set_id)
    if row["owner_id"] != current_user.id:
        abort(404)
    return row, document


def own_class(class_id: int):
    """Return this teacher's class, or 404."""
    row = queries.owned_class(get_db(), class_id, current_user.id)
    if row is None:
        abort(404)
    return row


@bp.get("/")
def dashboard():
    """Show the teacher's sets, the bundled sets and their classes."""
    db = get_db()
    return render_template(
        "teacher/dashboard.html",
        own=[(r, store.document_of(r)) for r in queries.teacher_sets(db, current_user.id)],
        bundled=[(r, store.document_of(r)) for r in queries.bundled_sets(db)],
        classes=queries.teacher_classes(db, current_user.id), button=ButtonForm())


@bp.get("/sets/<int:set_id>")
def set_page(set_id: int):
    """Show one set with what the teacher can do with it."""
    row, document = visible_set(set_id)
    return render_template("teacher/set.html", row=row, document=document, button=ButtonForm(),
                           mine=row["owner_id"] == current_user.id)


@bp.get("/sets/<int:set_id>/preview")
def preview(set_id: int):
    """Show a set exactly as a student sees it (nothing can be submitted)."""
    _, document = visible_set(set_id)
    questions = [scoring.student_view(q, "preview") for q in document["questions"]]
    return render_template("teacher/preview.html", set_id=set_id, document=document,
                           article=document["article"], questions=questions, answers={},
                           problems={}, blank=[])


@bp.get("/sets/<int:set_id>/key")
def answer_key(set_id: int):
    """Show a set with every answer and explanation."""
    _, document = visible_set(set_id)
    rows = [(q, feedback.key_rows(q, document["article"]["sentences"]))
            for q in document["questions"]]
    return render_template("teacher/key.html", set_id=set_id, document=document, rows=rows,
                           article=document["article"])


@bp.post("/sets/<int:set_id>/copy")
def copy_set(set_id: int):
    """Copy a set (bundled or the teacher's own) into a new set of the teacher's."""
    _, document = visible_set(set_id)
    if ButtonForm().validate_on_submit():
        document["title"] = f"{document['title']} (copy)"
        new_id = store.add_teacher_set(get_db(), document, current_user.id)
        flash("Copied. The copy is unpublished until you publish it.", "success")
        return redirect(url_for(".set_page", set_id=new_id))
    return redirect(url_for(".set_page", set_id=set_id))


@bp.post("/sets/<int:set_id>/publish")
def toggle_published(set_id: int):
    """Publish or unpublish one of the teacher's sets."""
    row, document = own_set(set_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".set_page", set_id=set_id))
    if not row["published"] and not document["questions"]:
        flash("Add at least one question before publishing.", "error")
        return redirect(url_for(".set_page", set_id=set_id))
    with get_db() as db:
        queries.set_published(db, set_id, not row["published"])
    flash("Published: students can take it." if not row["published"] else
          "Unpublished: students cannot start it.", "success")
    if not row["published"] and (waiting := drafting.to_confirm(document)):
        flash(f"Explanations still starting “Teacher to confirm”: {waiting}. Students will "
              "read them as written; edit them in the questions.", "warning")
    return redirect(url_for(".set_page", set_id=set_id))


@bp.route("/sets/<int:set_id>/delete", methods=["GET", "POST"])
def delete_set(set_id: int):
    """Ask to confirm, then delete a set with all its attempts."""
    row, document = own_set(set_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with get_db() as db:
            queries.delete_set(db, set_id)
        flash(f"Deleted “{document['title']}”.", "success")
        return redirect(url_for(".dashboard"))
    return render_template("teacher/confirm.html", form=form, title="Delete this set?",
                           what=document["title"], back=url_for(".set_page", set_id=set_id),
                           warning="Its questions and every student attempt at it are deleted.")


@bp.get("/sets/<int:set_id>/export.<fmt>")
def export_set(set_id: int, fmt: str):
    """Download a set as YAML (the format of questions/) or Moodle GIFT."""
    _, document = visible_set(set_id)
    if fmt == "yaml":
        body, mimetype = questionsets.to_yaml(document), "application/yaml"
    elif fmt == "gift":
        body, mimetype = gift.dump(document["questions"]), "text/plain"
    else:
        abort(404)
    return Response(body, content_type=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{document["id"]}.{fmt}"'})


@bp.route("/sets/import", methods=["GET", "POST"])
def import_set():
    """Import a YAML or GIFT file as a new unpublished set; a bad file is refused whole."""
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            text = upload.read().decode("utf-8-sig")
            result = store.read_import(upload.filename, text, current_app.config["QUESTIONS_DIR"])
        except UnicodeDecodeError:
            problems = [f"{upload.filename}: the file is not UTF-8 text."]
        except questionsets.InvalidSetError as exc:
            problems = exc.problems
        else:
            set_id = store.add_teacher_set(get_db(), result.document, current_user.id)
            for line in result.skipped:
                flash(f"Skipped {line}", "warning")
            flash(f"Imported {len(result.document['questions'])} questions.", "success")
            return redirect(url_for(".set_page", set_id=set_id))
    return render_template("teacher/import.html", form=form, problems=problems)


@bp.route("/classes/new", methods=["GET", "POST"])
def new_class():
    """Create a class with a join code."""
    form = ClassForm()
    if form.validate_on_submit():
        class_id = store.create_class(get_db(), current_user.id, form.name.data)
        return redirect(url_for(".class_page", class_id=class_id))
    return render_template("teacher/class_new.html", form=form)


def _class_form(klass, submitted: bool = False) -> ClassForm:
    return ClassForm(formdata=request.form if submitted else None, data={
        k: klass[k] for k in ("name", "is_open", "one_attempt", "hold_explanations")})


def _assign_form(klass, submitted: bool = False) -> AssignForm:
    db = get_db()
    form = AssignForm(formdata=request.form if submitted else None,
                      sets=queries.class_set_ids(db, klass["id"]))
    choices = queries.bundled_sets(db) + queries.teacher_sets(db, current_user.id)
    form.sets.choices = [(r["id"], store.document_of(r)["title"]) for r in choices]
    return form


@bp.route("/classes/<int:class_id>", methods=["GET", "POST"])
def class_page(class_id: int):
    """Show a class: its code, settings, sets, roster and recent attempts."""
    klass = own_class(class_id)
    form = _class_form(klass, submitted=request.method == "POST")
    if form.validate_on_submit():
        with get_db() as db:
            queries.update_class(db, class_id, name=form.name.data, is_open=form.is_open.data,
                                 one_attempt=form.one_attempt.data,
                                 hold_explanations=form.hold_explanations.data)
        flash("Class settings saved.", "success")
        return redirect(url_for(".class_page", class_id=class_id))
    return _render_class(klass, form)


def _render_class(klass, form=None, assign=None, merge=None):
    db = get_db()
    roster = queries.roster(db, klass["id"])
    merge = merge or MergeForm(formdata=None)
    merge.source.choices = merge.target.choices = [(s["id"], s["name"]) for s in roster]
    return render_template(
        "teacher/class.html", klass=klass, form=form or _class_form(klass),
        assign=assign or _assign_form(klass),
        merge=merge, roster=roster, button=ButtonForm(),
        attempts=[(a, store.document_of(a)) for a in queries.class_attempts(db, klass["id"])])


@bp.post("/classes/<int:class_id>/sets")
def assign_sets(class_id: int):
    """Choose which sets the class works on."""
    klass = own_class(class_id)
    form = _assign_form(klass, submitted=True)
    if not form.validate_on_submit():
        return _render_class(klass, assign=form)
    with get_db() as db:
        queries.replace_class_sets(db, class_id, form.sets.data)
    flash("Assigned sets saved.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/merge")
def merge_students(class_id: int):
    """Merge a duplicate student name into another: attempts move, the duplicate goes."""
    klass = own_class(class_id)
    form = MergeForm()
    roster = {s["id"]: s["name"] for s in queries.roster(get_db(), class_id)}
    form.source.choices = form.target.choices = list(roster.items())
    if not form.validate_on_submit():
        return _render_class(klass, merge=form)
    with get_db() as db:
        queries.move_attempts(db, form.source.data, form.target.data)
        queries.delete_student(db, form.source.data)
    flash(f"Merged {roster[form.source.data]} into {roster[form.target.data]}.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/remove")
def remove_student(class_id: int, student_id: int):
    """Remove a student and their attempts from a class."""
    own_class(class_id)
    student = queries.student_by_id(get_db(), student_id)
    if student is None or student["class_id"] != class_id:
        abort(404)
    if ButtonForm().validate_on_submit():
        with get_db() as db:
            queries.delete_student(db, student_id)
        flash(f"Removed {student['name']} and their attempts.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/rejoin")
def reset_rejoin_code(class_id: int, student_id: int):
    """Give a student a new rejoin code (the old one stops working)."""
    own_class(class_id)
    student = queries.student_by_id(get_db(), student_id)
    if student is None or student["class_id"] != class_id:
        abort(404)
    if ButtonForm().validate_on_submit():
        code = store.reset_rejoin_code(get_db(), student_id)
        flash(f"{student['name']}'s new rejoin code is {code}.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/delete", methods=["GET", "POST"])
def delete_class(class_id: int):
    """Ask to confirm, then delete a class with its students and their attempts."""
    klass = own_class(class_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with get_db() as db:
            queries.delete_class(db, class_id)
        flash(f"Deleted the class {klass['name']}.", "success")
        return redirect(url_for(".dashboard"))
    return render_template("teacher/confirm.html", form=form, title="Delete this class?",
                           what=klass["name"], back=url_for(".class_page", class_id=class_id),
                           warning="Its students and all their attempts are deleted.")


SCREEN_EVERY = 10  # seconds between updates of the projector screen's counts


@bp.get("/classes/<int:class_id>/screen")
def class_screen(class_id: int):
    """Show a class's join code, address and counts, large, for a projector."""
    klass = own_class(class_id)
    db = get_db()
    addresses = network.page_addresses(request.host, request.scheme, url_for("student.join"))
    return render_template(
        "teacher/screen.html", klass=klass, addresses=addresses,
        qr=network.qr_svg(addresses[0]) if addresses else None,
        local=network.is_loopback(network.split_host(request.host, request.scheme)[0]),
        joined=queries.count_students(db, class_id), sets=queries.submitted_by_set(db, class_id),
        live=request.args.get("live") != "0", every=SCREEN_EVERY)
