"""A teacher's classes: join codes, settings, assigned sets and rosters."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import caches, network, queries, transactions
from ..db import get_db
from ..forms import AssignForm, ButtonForm, ClassForm, GainPairForm, MergeForm
from . import delete_after_confirm
from .access import own_class

bp = Blueprint("classes", __name__, url_prefix="/classes")


@bp.route("/new", methods=["GET", "POST"])
def new_class():
    """Create a class with a join code."""
    form = ClassForm()
    if form.validate_on_submit():
        class_id = transactions.create_class(get_db(), current_user.id, form.name.data)
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
    form.sets.choices = [(r["id"], caches.document_of(r)["title"]) for r in choices]
    return form


def _gain_form(klass, submitted: bool = False) -> GainPairForm:
    db = get_db()
    pair = queries.gain_pair(db, klass["id"])
    form = GainPairForm(formdata=request.form if submitted else None,
                        pre=pair["pre_set_id"] if pair else 0,
                        post=pair["post_set_id"] if pair else 0)
    sets = [(r["id"], caches.document_of(r)["title"])
            for r in queries.class_set_overview(db, klass["id"])]
    form.pre.choices = form.post.choices = [(0, "None")] + sets
    return form


@bp.route("/<int:class_id>", methods=["GET", "POST"])
def class_page(class_id: int):
    """Show a class: its code, settings, sets, roster and recent attempts."""
    klass = own_class(class_id)
    form = _class_form(klass, submitted=request.method == "POST")
    if form.validate_on_submit():
        transactions.save_class_settings(
            get_db(), class_id, name=form.name.data, is_open=form.is_open.data,
            one_attempt=form.one_attempt.data, hold_explanations=form.hold_explanations.data)
        flash("Class settings saved.", "success")
        return redirect(url_for(".class_page", class_id=class_id))
    return _render_class(klass, form)


def _render_class(klass, form=None, assign=None, merge=None, gains=None):
    db = get_db()
    roster = queries.roster(db, klass["id"])
    merge = merge or MergeForm(formdata=None)
    merge.source.choices = merge.target.choices = [(s["id"], s["name"]) for s in roster]
    return render_template(
        "teacher/class.html", klass=klass, form=form or _class_form(klass),
        assign=assign or _assign_form(klass), gains=gains or _gain_form(klass),
        merge=merge, roster=roster, button=ButtonForm(),
        attempts=[(a, caches.document_of(a)) for a in queries.class_attempts(db, klass["id"])])


@bp.post("/<int:class_id>/sets")
def assign_sets(class_id: int):
    """Choose which sets the class works on."""
    klass = own_class(class_id)
    form = _assign_form(klass, submitted=True)
    if not form.validate_on_submit():
        return _render_class(klass, assign=form)
    transactions.assign_sets(get_db(), class_id, form.sets.data)
    flash("Assigned sets saved.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/<int:class_id>/gains")
def pair_gain_sets(class_id: int):
    """Pair two of the class's sets as its pre-test and post-test (or unpair them)."""
    klass = own_class(class_id)
    form = _gain_form(klass, submitted=True)
    if not form.validate_on_submit():
        return _render_class(klass, gains=form)
    transactions.pair_gain_sets(get_db(), class_id, form.pre.data or None,
                                form.post.data or None)
    flash("Pre-test and post-test saved." if form.pre.data else "Pre-test and post-test "
          "unpaired.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/<int:class_id>/merge")
def merge_students(class_id: int):
    """Merge a duplicate student name into another: attempts move, the duplicate goes."""
    klass = own_class(class_id)
    form = MergeForm()
    roster = {s["id"]: s["name"] for s in queries.roster(get_db(), class_id)}
    form.source.choices = form.target.choices = list(roster.items())
    if not form.validate_on_submit():
        return _render_class(klass, merge=form)
    transactions.merge_students(get_db(), form.source.data, form.target.data)
    flash(f"Merged {roster[form.source.data]} into {roster[form.target.data]}.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/<int:class_id>/students/<int:student_id>/remove")
def remove_student(class_id: int, student_id: int):
    """Remove a student and their attempts from a class."""
    own_class(class_id)
    student = queries.student_by_id(get_db(), student_id)
    if student is None or student["class_id"] != class_id:
        abort(404)
    if ButtonForm().validate_on_submit():
        transactions.remove_student(get_db(), student_id)
        flash(f"Removed {student['name']} and their attempts.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.post("/<int:class_id>/students/<int:student_id>/rejoin")
def reset_rejoin_code(class_id: int, student_id: int):
    """Give a student a new rejoin code (the old one stops working)."""
    own_class(class_id)
    student = queries.student_by_id(get_db(), student_id)
    if student is None or student["class_id"] != class_id:
        abort(404)
    if ButtonForm().validate_on_submit():
        code = transactions.reset_rejoin_code(get_db(), student_id)
        flash(f"{student['name']}'s new rejoin code is {code}.", "success")
    return redirect(url_for(".class_page", class_id=class_id))


@bp.route("/<int:class_id>/delete", methods=["GET", "POST"])
def delete_class(class_id: int):
    """Ask to confirm, then delete a class with its students and their attempts."""
    klass = own_class(class_id)
    return delete_after_confirm(
        lambda: transactions.delete_class(get_db(), class_id),
        f"Deleted the class {klass['name']}.", title="Delete this class?", what=klass["name"],
        back=url_for(".class_page", class_id=class_id),
        warning="Its students and all their attempts are deleted.")


SCREEN_EVERY = 10  # seconds between updates of the projector screen's counts


@bp.get("/<int:class_id>/screen")
def class_screen(class_id: int):
    """Show a class's join code, address and counts, large, for a projector."""
    klass = own_class(class_id)
    db = get_db()
    addresses = network.page_addresses(request.host, request.scheme, url_for("student.join"))
    return render_template(
        "teacher/screen.html", klass=klass, addresses=addresses,
        qr=network.qr_svg(addresses[0]) if addresses else None,
        local=network.is_loopback(network.split_host(request.host, request.scheme)[0]),
        joined=queries.count_class_students(db, class_id),
        sets=queries.submitted_by_set(db, class_id),
        live=request.args.get("live") != "0", every=SCREEN_EVERY)
