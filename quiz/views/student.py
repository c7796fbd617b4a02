"""Students: browse the sets, join a class, take a quiz, read the explained results."""

from __future__ import annotations

import secrets
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from .. import analysis, caches, feedback, queries, scoring, transactions
from ..db import get_db
from ..extensions import csrf
from ..forms import ButtonForm, JoinForm, QuizForm, StartForm
from ..questiontypes import REGISTRY

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
    """Join a class with its code and a name; a taken name needs its rejoin code."""
    form = JoinForm()
    if form.validate_on_submit():
        db, address, now = get_db(), request.remote_addr or "unknown", time.time()
        config = current_app.config
        wait = transactions.join_wait(db, address, config["JOIN_ATTEMPTS"],
                               config["JOIN_WINDOW_MINUTES"], now)
        if wait:
            form.code.errors.append(f"Too many wrong codes from this network. Wait {wait} "
                                    f"minute{'s' * (wait > 1)} and try again.")
            return render_template("student/join.html", form=form, taken=False), 429
        joined = transactions.join(db, form.code.data, form.name.data, form.rejoin.data, address,
                            session.get("student_id") if session.get("class_id") else None,
                            now, config["JOIN_WINDOW_MINUTES"])
        if joined.problem is None:
            session.update(class_id=joined.klass["id"], student_id=joined.student_id,
                           student_name=form.name.data, class_name=joined.klass["name"])
            return redirect(url_for(".class_home"))
        field, message = JOIN_PROBLEMS[joined.problem]
        form[field].errors.append(message.format(name=form.name.data))
    taken = bool(form.rejoin.data or form.rejoin.errors)
    return render_template("student/join.html", form=form, taken=taken)


JOIN_PROBLEMS = {
    "code": ("code", "No class has that code. Check it with your teacher."),
    "taken": ("rejoin", "Someone in this class already joined as {name}. If that is you, type "
                        "your rejoin code; if not, choose a different name."),
    "rejoin": ("rejoin", "That rejoin code is not right for {name}. Check it with your "
                         "teacher, or choose a different name."),
}


@bp.get("/class")
def class_home():
    """List the sets of the student's class, with the student's rejoin code."""
    if "class_id" not in session:
        return redirect(url_for(".join"))
    db = get_db()
    me = queries.student_by_id(db, session.get("student_id") or 0)
    klass = queries.class_by_id(db, session["class_id"])
    if me is None or klass is None:
        for key in ("class_id", "student_id", "class_name"):
            session.pop(key, None)
        flash("Your teacher has removed your name from the class. Join it again.", "warning")
        return redirect(url_for(".join"))
    sets = [(r["slug"], caches.shared_document(db, r))
            for r in queries.class_sets(db, session["class_id"])]
    done = {r["slug"]: {"points": r["points"], "max_points": r["max_points"],
                        "url": url_for(".results", token=r["token"])}
            for r in queries.latest_attempts_of_student(db, me["id"])}
    return render_template("student/class.html", sets=sets, leave=ButtonForm(), me=me,
                           klass=klass, done=done)


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
        _new_page(slug)
        return redirect(url_for(".quiz", slug=slug))
    return render_template("student/start.html", slug=slug, document=document, form=form,
                           in_class=in_class,
                           minutes=caches.set_minutes(row["content_hash"], document))


def _page_key(submit_key: str | None) -> scoring.PageKey:
    return scoring.PageKey(current_app.config["SECRET_KEY"], submit_key or "")


def _session_id() -> str:
    """Return this browser's random id, made on first use: attempts and results belong to it."""
    if "sid" not in session:
        session["sid"] = secrets.token_urlsafe(18)
    return session["sid"]


def _shown_version(row, page: scoring.PageKey, signed: str | None):
    """Return the version row a submitted quiz page showed; the current one if it names none."""
    version_id = page.version(signed)
    if version_id is None or version_id == row["version_id"]:  # most pages show the current one
        return row
    return queries.set_version_row(get_db(), row["id"], version_id) or row


@bp.post("/sets/<slug>/again")
def again(slug: str):
    """Start a new attempt at a set: a new quiz page, with a new order and a new key."""
    _current_set(slug)  # a set that is not published is 404 here too
    if ButtonForm().validate_on_submit():
        _new_page(slug)
    return redirect(url_for(".quiz", slug=slug))


def _new_page(slug: str) -> str:
    """Make this browser's quiz page of a set a new one, and return its submit key."""
    key = secrets.token_urlsafe(24)
    session["pages"] = {**session.get("pages", {}), slug: key}
    return key


@bp.get("/sets/<slug>/quiz")
def quiz(slug: str):
    """Show the article and the questions, without any answer key."""
    if not session.get("student_name"):
        return redirect(url_for(".start", slug=slug))
    row, document = _current_set(slug)
    _session_id()  # the page belongs to this browser: its double submits find their attempt
    # The open page of a set stays the same until a new attempt is started (Start or Try
    # again): Back and reload show the same order and key, so the browser's restored ticks
    # mean what they meant and a second submit finds the first attempt.
    key = session.get("pages", {}).get(slug) or _new_page(slug)
    form = QuizForm(submit_key=key, version=_page_key(key).sign_version(row["version_id"]))
    sent = queries.attempt_for_key(get_db(), key)
    mine = sent is not None and sent["session_hash"] == transactions.session_hash(session["sid"])
    return _blocked(row, _class_for(row)) or _render_quiz(
        row, document, form, answers={}, sent=sent["token"] if mine else None)


# The form checks its own CSRF token so that a stale token re-renders the quiz with every
# answer kept, instead of the app-wide 400 page that would lose them.
@csrf.exempt
@bp.post("/sets/<slug>/quiz")
def submit(slug: str):
    """Score and store an attempt against the version the page showed, then show its results."""
    if not session.get("student_name"):
        return redirect(url_for(".start", slug=slug))
    row, _ = _current_set(slug)
    sent = request.form
    key = sent.get("submit_key") or ""
    page = _page_key(key)
    shown = _shown_version(row, page, sent.get("version"))
    document = caches.shared_document(get_db(), shown)
    try:
        answers = scoring.read_answers(document, sent, page)
    except scoring.TamperedResponse as exc:
        return _render_quiz(shown, document, QuizForm(), exc.answers, status=400,
                            message=TAMPERED, problems=dict.fromkeys(exc.questions, CHANGED))
    # The same checks as validate_on_submit; the form is built only to show the page again.
    if not QuizForm.passes(sent):
        form = QuizForm()
        form.validate()  # its errors say what failed
        return _render_quiz(shown, document, form, answers, status=400)
    problems = _answer_problems(document, answers)
    blank = [n for n, q in enumerate(document["questions"], 1)
             if scoring.is_blank(answers[q["id"]])]
    if problems or (blank and not QuizForm.confirms_blank(sent)):
        return _render_quiz(shown, document, QuizForm(), answers, problems=problems,
                            blank=blank)
    klass = _class_for(row)
    return _blocked(row, klass) or _record(shown, document, answers, key, klass)


TAMPERED = ("This answer sheet was changed in a way the quiz page cannot send, so nothing "
            "was stored. Check the questions marked below and send it again.")
CHANGED = "This answer could not be read. Answer this question again."


def _may_see(attempt) -> bool:
    """Say whether this browser made the attempt, or is the class student who made it."""
    mine = "sid" in session and attempt["session_hash"] == transactions.session_hash(session["sid"])
    return mine or (attempt["student_id"] is not None
                    and attempt["student_id"] == session.get("student_id"))


def _record(shown, document: dict, answers: dict, submit_key: str, klass):
    try:
        token = transactions.record_attempt(
            get_db(), shown["version_id"], document, answers, session["student_name"],
            submit_key, class_id=klass["id"] if klass else None,
            student_id=session.get("student_id") if klass else None,
            session_id=_session_id())
    except transactions.StudentGone:
        return _render_quiz(shown, document, QuizForm(), answers, status=409, message=(
            "Your teacher has removed your name from this class, so your answers could not "
            "be saved. They are still here: join your class again in a new tab, then press "
            "“Submit answers”."), join_link=True)
    except transactions.PageAlreadySent:
        # A fresh page key: this page's old one belongs to another attempt.
        key = _new_page(shown["slug"])
        form = QuizForm()
        form.submit_key.data = key
        form.version.data = _page_key(key).sign_version(shown["version_id"])
        return _render_quiz(shown, document, form, answers, status=400, message=(
            "This quiz page was already sent from another browser or for another set. Your "
            "answers are kept: press “Submit answers” to send them as a new attempt."))
    # A bare 303: nobody reads the HTML body that redirect() writes for old browsers.
    return current_app.response_class(status=303, headers={"Location": url_for(".results",
                                                                               token=token)})


def _answer_problems(document: dict, answers: dict) -> dict[str, str]:
    return {q["id"]: message for q in document["questions"]
            if (message := scoring.answer_problem(q, answers[q["id"]]))}


def _render_quiz(row, document, form, answers, problems=None, blank=(), status=200,
                 message=None, join_link=False, sent=None):
    """Render the quiz page; *row* names the version shown (slug, version_id, content_hash)."""
    seed = form.submit_key.data or ""
    page = _page_key(seed)
    questions = [scoring.student_view(q, seed, page) for q in document["questions"]]
    # The options ticked, as this page's values: the template never sees an option id.
    picked = {q["id"]: set(scoring.form_fields(q, answers.get(q["id"]), page).get(
        f"q-{q['id']}", ())) for q in document["questions"]}
    article = document["article"]
    blank_choices = {
        q["id"]: caches.render_once((row["content_hash"], "sentence_choices", q["id"]),
                                   "sentence_choices", f"q-{q['id']}", article["sentences"], ())
        for q in questions
        if REGISTRY[q["type"]].sentence_choices and not answers.get(q["id"])}
    # A page with nothing answered or flagged (every first view) is put together from parts.
    rendered = None if answers or problems or blank else caches.blank_questions(
        row["content_hash"], questions, article, blank_choices)
    return render_template(
        "student/quiz.html", slug=row["slug"], document=document, article=article,
        article_pane=caches.article_pane(row["content_hash"], article, show_source=False),
        blank_choices=blank_choices, questions=questions, rendered=rendered, form=form,
        answers=answers,
        picked=picked, problems=problems or {}, blank=list(blank),
        name=session["student_name"], message=message, join_link=join_link, sent=sent,
    ), status


def _not_yours(attempt, token: str):
    """Send the class's teacher to their view of the attempt; anyone else gets a 403 page."""
    if current_user.is_authenticated and attempt["class_id"] and queries.owned_class(
            get_db(), attempt["class_id"], current_user.id):
        return redirect(url_for("teacher.summaries.attempt_page", class_id=attempt["class_id"],
                                token=token))
    # Another browser: no score, no answers. A class member continues with their code.
    return render_template("student/not_yours.html", attempt=attempt), 403


@bp.get("/results/<token>")
def results(token: str):
    """Show an attempt's score with every answer explained (unless the class holds them)."""
    attempt = queries.attempt_by_token(get_db(), token)
    if attempt is None:
        abort(404)
    if not _may_see(attempt):
        return _not_yours(attempt, token)
    document = caches.shared_document(get_db(), attempt)
    responses = queries.responses(get_db(), attempt["id"])
    report = feedback.explain_attempt(document, responses)
    held = bool(attempt["hold_explanations"])
    # ?q=N opens question N and marks only its evidence in the article: the page's
    # "Show in the article" links without JavaScript (with it, quiz.js marks them in place).
    shown = request.args.get("q", type=int)
    shown = shown if not held and shown and 1 <= shown <= len(report) else None
    highlight = report[shown - 1].evidence if shown else ()
    given = {r["question_id"]: r["answer"] for r in responses}
    rows = None if held else [
        caches.render_once((attempt["content_hash"], "question_row", r.question["id"],
                            given.get(r.question["id"]), n, shown == n), "question_row", r, n,
                           shown, document["article"], template="student/_result_row.html")
        for n, r in enumerate(report, 1)]
    return render_template("student/results.html", attempt=attempt, document=document,
                           article=document["article"], report=report, highlight=highlight,
                           article_pane=caches.article_pane(attempt["content_hash"],
                                                            document["article"], highlight),
                           skills=feedback.skill_scores(report), held=held, shown=shown,
                           rows=rows,
                           discernment=analysis.attempt_discernment(document, responses),
                           retry=not attempt["one_attempt"] and bool(attempt["class_open"]))
