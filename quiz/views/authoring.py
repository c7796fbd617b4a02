"""Teachers write question sets in the browser: the set and its article, then questions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import drafting, question_forms, questionsets, renumber, setchecks, transactions
from ..db import get_db
from ..forms import ButtonForm, SetEditForm, SetForm, read_marks, read_texts
from ..questiontypes import REGISTRY
from . import confirm_page
from .access import own_set

bp = Blueprint("authoring", __name__, url_prefix="/sets")


def form_data(document: dict) -> dict:
    """Return a SetForm's data for a set document."""
    article = document["article"]
    return {
        "title": document["title"], "intro": document["intro"],
        "takeaways": "\n".join(document["takeaways"]), "shuffle": document["shuffle"],
        "article_title": article["title"], "outlet": article["outlet"],
        "date": article["date"] or "", "url": article["url"] or "", "text": article["text"],
        "marks": ", ".join(f"{n}: {kind}" for n, kind in article["marks"].items()),
        "texts": questionsets.texts_yaml(document.get("texts", [])),
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
        "marks": dict(read_marks(form.marks.data)),
    }
    raw["texts"] = read_texts(form.texts.data)  # checked as YAML by the form
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
        slug = questionsets.slugify(form.title.data, "set")
        set_id = transactions.add_teacher_set(get_db(), dict(document, id=slug), current_user.id)
        flash("Set created. Now add questions.", "success")
        return redirect(url_for(".edit_set", set_id=set_id))
    return render_template("teacher/set_form.html", form=form, problems=[])


@bp.route("/<int:set_id>/edit", methods=["GET", "POST"])
def edit_set(set_id: int):
    """Edit a set's fields and article; list its questions and numbered sentences."""
    row, document = own_set(set_id)
    form = SetEditForm(data=form_data(document))
    problems, change = [], None
    if form.validate_on_submit():
        try:
            change = follow_sentences(form, document)
            if confirmed(form, change):
                transactions.save_teacher_document(get_db(), row, apply_form(form, dict(
                    document, questions=change.questions)))
                flash(saved_message(change), "success")
                return redirect(url_for(".edit_set", set_id=set_id))
        except questionsets.InvalidSetError as exc:
            problems = exc.problems
    return render_template("teacher/edit.html", row=row, document=document, form=form,
                           problems=problems, article=document["article"], button=ButtonForm(),
                           types=question_forms.types(), lost=change.lost if change else [],
                           waiting={q["id"] for _, q in drafting.waiting(document)},
                           give_aways=setchecks.findings(document))


def follow_sentences(form: SetForm, document: dict) -> renumber.Renumbering:
    """Renumber the set's sentence references for the form's article (see quiz.renumber)."""
    article = apply_form(form, dict(document, questions=[]))["article"]
    return renumber.follow([s["text"] for s in document["article"]["sentences"]],
                           [s["text"] for s in article["sentences"]], document["questions"])


def confirmed(form: SetEditForm, change: renumber.Renumbering) -> bool:
    """Say whether the save may go ahead: nothing is lost, or the teacher agreed to lose
    exactly what is lost now; if not, set the form up to ask about it."""
    if not change.lost:
        return True
    if form.drop_lost.data and form.lost_key.data == change.key():
        return True
    form.drop_lost.data = False
    form.lost_key.data = change.key()
    return False


def saved_message(change: renumber.Renumbering) -> str:
    """Say what saving the set did to its sentence references."""
    message = "Saved."
    if change.moved:
        message += (f" {change.moved} sentence reference{'s' * (change.moved != 1)} now "
                    "follow their sentences' new numbers.")
    if change.lost:
        message += (f" {len(change.lost)} reference{'s' * (len(change.lost) != 1)} to "
                    "sentences no longer in the article were removed: the questions are "
                    "marked below.")
    return message


def find_question(document: dict, qid: str) -> int:
    """Return the position of question *qid* in the set, or 404."""
    for position, question in enumerate(document["questions"]):
        if question["id"] == qid:
            return position
    abort(404)


def save_questions(row, document: dict, questions: list[dict]) -> None:
    """Validate the set with these questions and save it; raise InvalidSetError if it fails."""
    new = questionsets.parse_set(dict(document, questions=questions), "this set", draft=True)
    transactions.save_teacher_document(get_db(), row, new)


@bp.route("/<int:set_id>/questions/new/<qtype>", methods=["GET", "POST"])
def new_question(set_id: int, qtype: str):
    """Write a new question of one type."""
    row, document = own_set(set_id)
    if qtype not in REGISTRY:
        abort(404)
    start = question_forms.new_question_data(qtype, document["shuffle"])
    form = question_forms.form_class(qtype)(data=start if request.method == "GET" else None)
    return question_page(row, document, form, qtype, None)


@bp.route("/<int:set_id>/questions/<qid>/edit", methods=["GET", "POST"])
def edit_question(set_id: int, qid: str):
    """Change one question of a set."""
    row, document = own_set(set_id)
    position = find_question(document, qid)
    question = document["questions"][position]
    data = question_forms.question_data(question) if request.method == "GET" else None
    form = question_forms.form_class(question["type"])(data=data)
    return question_page(row, document, form, question["type"], position)


def question_page(row, document: dict, form, qtype: str, position: int | None):
    """Apply a list button, or save a valid question form, or show the form."""
    problems: list[str] = []
    changed_list = form.is_submitted() and question_forms.apply_action(form)
    question_forms.prepare(form)
    if not changed_list and form.validate_on_submit():
        try:
            save_question(row, document, form, qtype, position)
        except questionsets.InvalidSetError as exc:
            problems = exc.problems
        else:
            flash("Question saved.", "success")
            return redirect(url_for(".edit_set", set_id=row["id"], _anchor="questions-h"))
    form.row_templates = row_templates(form)
    return render_template("teacher/question_form.html", row=row, document=document, form=form,
                           qtype=qtype, position=position, problems=problems,
                           kind=REGISTRY[qtype],
                           article=document["article"])


def row_templates(form) -> dict:
    """Return a blank row of each list, for editor.js to copy when it adds a row in place."""
    blanks = {}
    for name in form.LISTS:
        rows_field = form[name]
        limit, rows_field.max_entries = rows_field.max_entries, None  # a copy may be wanted
        blank = rows_field.append_entry()
        question_forms.prepare(form)  # what only a request knows: a statement's labels
        rows_field.pop_entry()
        rows_field.max_entries = limit
        if "id" in blank.form:  # prepare gave it an id; a new row gets one on saving
            blank.form.id.data = ""
        blanks[name] = blank
    return blanks


def save_question(row, document: dict, form, qtype: str, position: int | None) -> None:
    """Put the form's question in its place (or last, when new) and save the set."""
    questions = list(document["questions"])
    if position is None:
        qid = question_forms.new_question_id(form.prompt.data, {q["id"] for q in questions})
        questions.append(question_forms.question_from_form(form, qtype, qid))
    else:
        old = questions[position]
        questions[position] = question_forms.question_from_form(form, qtype, old["id"],
                                                                old.get("shuffle"))
    save_questions(row, document, questions)


@bp.post("/<int:set_id>/questions/<qid>/move/<any(up, down):direction>")
def move_question(set_id: int, qid: str, direction: str):
    """Move a question one place up or down."""
    row, document = own_set(set_id)
    i = find_question(document, qid)
    j = i - 1 if direction == "up" else i + 1
    questions = list(document["questions"])
    if ButtonForm().validate_on_submit() and 0 <= j < len(questions):
        questions[i], questions[j] = questions[j], questions[i]
        save_questions(row, document, questions)
        flash(f"Moved question {i + 1} {direction}.", "success")
    return redirect(url_for(".edit_set", set_id=set_id, _anchor="questions-h"))


@bp.route("/<int:set_id>/questions/<qid>/delete", methods=["GET", "POST"])
def delete_question(set_id: int, qid: str):
    """Ask to confirm, then remove a question from a set."""
    row, document = own_set(set_id)
    position = find_question(document, qid)
    form = ButtonForm()
    if form.validate_on_submit():
        save_questions(row, document, document["questions"][:position] +
                       document["questions"][position + 1:])
        flash(f"Removed question {position + 1}.", "success")
        return redirect(url_for(".edit_set", set_id=set_id, _anchor="questions-h"))
    return confirm_page(
        form, title=f"Remove question {position + 1}?",
        what=document["questions"][position]["prompt"],
        back=url_for(".edit_set", set_id=set_id, _anchor="questions-h"),
        warning="Students who already answered this set keep their answers and scores.")

