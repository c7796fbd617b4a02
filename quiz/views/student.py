"""Students: browse the sets, join a class, take a quiz, read the explained results."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import analysis, caches, feedback, queries, scoring, transactions
from ..db import get_db
from ..extensions import csrf
from ..forms import ButtonForm, JoinForm, QuizForm, StartForm

bp = Blueprint("student", __name__)


def _current_set(slug: str):
    row = queries.set_by_slug(get_db(), slug)
    if row is None or not row["published"]:
        abort(404)
    return row, caches.shared_document(get_db(), row)


def _class_for(set_row):
    """Return the student's class if this set is assigned to it, else None."""
    class_id = session.get("class_id")
    return None if class_id is None else queries.assigned_class(get_db(), class_id,
                                                                 set_row["id"])


def _blocked(set_row, klass):
    """Return a response when the class rules stop this student starting the set again."""
    if klass is None:
        return None
    if not klass["is_open"]:
        flash("Your class is closed, so new answers cannot be sent. Ask your teacher.", "warning")
        return redirect(url_for(".class_home"))
    done = queries.student_attempt_for_set(get_db(), session["student_id"], set_row["id"])
    if klass["one_attempt"] and done:
        flash("You have already done this set; here are your results.", "info")
        return redirect(url_for(".results", token=done["token"]))
    return None


@bp.get("/")
def index():
    """List the published question sets."""
    db = get_db()
    sets = [(row["slug"], caches.shared_document(db, row)) for row in queries.published_sets(db)]
    return render_template("student/index.html", sets=sets)


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Join a class with its code and a name."""
    form = JoinForm()
    if form.validate_on_submit():
        student_id = transactions.join_class(get_db(), form.klass["id"], form.name.data)
        session.update(class_id=form.klass["id"], student_id=student_id,
                       student_name=form.name.data, class_name=form.klass["name"])
        return redirect(url_for(".class_home"))
    return render_template("student/join.html", form=form)


@bp.get("/class")
def class_home():
    """List the sets of the student's class."""
    if "class_id" not in session:
        return redirect(url_for(".join"))
    db = get_db()
    sets = [(r["slug"], caches.shared_document(db, r))
            for r in queries.class_sets(db, session["class_id"])]
    return render_template("student/class.html", sets=sets, leave=ButtonForm())


@bp.post("/class/leave")
def leave_class():
    """Forget the class and name on this device."""
    if ButtonForm().validate_on_submit():
        for key in ("class_id", "student_id", "student_name", "class_name"):
            session.pop(key, None)
    return redirect(url_for(".index"))


@bp.route("/sets/<slug>", methods=["GET", "POST"])
def start(slug: str):
    """Show a set's introduction and ask the student's name (a class member has one)."""
    row, document = _current_set(slug)
    in_class = _class_for(row) is not None
    form = ButtonForm() if in_class else StartForm(name=session.get("student_name"))
    if form.validate_on_submit():
        if not in_class:
            session["student_name"] = form.name.data
        return redirect(url_for(".quiz", slug=slug))
    return render_template("student/start.html", slug=slug, document=document, form=form,
                           in_class=in_class)


@bp.get("/sets/<slug>/quiz")
def quiz(slug: str):
    """Show the article and the questions, without any answer key."""
    if not session.get("student_name"):
        return redirect(url_for(".start", slug=slug))
    row, document = _current_set(slug)
    form = QuizForm(submit_key=secrets.token_urlsafe(24))
    return _blocked(row, _class_for(row)) or _render_quiz(row, document, form, answers={})


# The form checks its own CSRF token so that a stale token re-renders the quiz with every
# answer kept, instead of the app-wide 400 page that would lose them.
@csrf.exempt
@bp.post("/sets/<slug>/quiz")
def submit(slug: str):
    """Score and store an attempt, then show its results."""
    if not session.get("student_name"):
        return redirect(url_for(".start", slug=slug))
    row, document = _current_set(slug)
    form = QuizForm()
    try:
        answers = scoring.read_answers(document, request.form)
    except scoring.TamperedResponse:
        abort(400, "This answer sheet was changed in a way the quiz page cannot send.")
    if not form.validate_on_submit():
        return _render_quiz(row, document, form, answers, status=400)
    problems = _answer_problems(document, answers)
    blank = [n for n, q in enumerate(document["questions"], 1)
             if scoring.is_blank(answers[q["id"]])]
    if problems or (blank and not form.confirm_blank.data):
        return _render_quiz(row, document, form, answers, problems=problems, blank=blank)
    klass = _class_for(row)
    return _blocked(row, klass) or _record(row, document, answers, form.submit_key.data, klass)


def _record(row, document: dict, answers: dict, submit_key: str, klass):
    token = transactions.record_attempt(
        get_db(), row["version_id"], document, answers, session["student_name"], submit_key,
        class_id=klass["id"] if klass else None,
        student_id=session.get("student_id") if klass else None)
    return redirect(url_for(".results", token=token), code=303)


def _answer_problems(document: dict, answers: dict) -> dict[str, str]:
    return {q["id"]: message for q in document["questions"]
            if (message := scoring.order_problem(q, answers[q["id"]] or {}))}


def _render_quiz(row, document, form, answers, problems=None, blank=(), status=200):
    seed = form.submit_key.data or ""
    questions = [scoring.student_view(q, seed) for q in document["questions"]]
    article = document["article"]
    blank_choices = {
        q["id"]: caches.render_once((row["content_hash"], "sentence_choices", q["id"]),
                                   "sentence_choices", f"q-{q['id']}", article["sentences"], ())
        for q in questions if q["type"] == "evidence" and not answers.get(q["id"])}
    return render_template(
        "student/quiz.html", slug=row["slug"], document=document, article=article,
        article_pane=caches.article_pane(row["content_hash"], article, show_source=False),
        blank_choices=blank_choices, questions=questions, form=form, answers=answers,
        problems=problems or {}, blank=list(blank), name=session["student_name"],
    ), status


@bp.get("/results/<token>")
def results(token: str):
    """Show an attempt's score with every answer explained (unless the class holds them)."""
    attempt = queries.attempt_by_token(get_db(), token)
    if attempt is None:
        abort(404)
    document = caches.shared_document(get_db(), attempt)
    responses = queries.responses(get_db(), attempt["id"])
    report = feedback.explain_attempt(document, responses)
    highlight = {n for r in report for n in r.evidence}
    held = bool(attempt["hold_explanations"])
    return render_template("student/results.html", attempt=attempt, document=document,
                           article=document["article"], report=report, highlight=highlight,
                           article_pane=caches.article_pane(attempt["content_hash"],
                                                            document["article"],
                                                            () if held else highlight),
                           skills=feedback.skill_scores(report), held=held,
                           discernment=analysis.attempt_discernment(document, responses))

