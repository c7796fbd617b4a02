"""Teachers draft a question set from any pasted article, read and annotated by SourceCheck.

One page, three steps, no JavaScript: paste the article; read it annotated and tick sentences
and kinds of question (the pasted fields travel on in hidden inputs); draft, which stores an
unpublished set and opens it in the normal editor.
"""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, SubmitField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput

from .. import drafting, questionsets, transactions
from ..attribution import Reading, read_article
from ..db import get_db
from ..forms import SetForm
from ..questionsets import MAX_ARTICLE_CHARS

bp = Blueprint("drafts", __name__, url_prefix="/drafts")

ARTICLE_FIELDS = ("article_title", "outlet", "url", "text", "marks")


class DraftForm(FlaskForm):
    """The pasted article, then the sentences and kinds of question to draft from it."""

    # The article's fields are the set editor's own, so a draft saves there unchanged.
    article_title = SetForm.article_title
    outlet = SetForm.outlet
    url = SetForm.url
    text = SetForm.text
    marks = SetForm.marks
    sentences = SelectMultipleField("Sentences to ask about", coerce=int)
    # The sort has its own ticks: sentences of every kind, not just those with a source.
    sort = SelectMultipleField("Sentences to sort", coerce=int)
    kinds = SelectMultipleField("Questions to draft", option_widget=CheckboxInput(), choices=[
        SelectChoice(kind, label) for kind, label in drafting.KINDS.items()])
    read = SubmitField("Read the article")
    draft = SubmitField("Draft the questions")
    change = SubmitField("Change the article")

    def validate_sentences(self, field) -> None:
        if self.draft.data and not field.data and set(self.kinds.data or ()) != {"classify"}:
            raise ValidationError("Tick at least one sentence to ask about.")

    def validate_sort(self, field) -> None:
        if self.draft.data and not field.data and "classify" in (self.kinds.data or ()):
            raise ValidationError("Tick at least one sentence to sort, or untick the sorting "
                                  "question.")

    def validate_kinds(self, field) -> None:
        if self.draft.data and not field.data:
            raise ValidationError("Tick at least one kind of question.")

    def article(self) -> dict:
        """Return the pasted article; marks left blank are guessed (a headline)."""
        text = (self.text.data or "").replace("\r\n", "\n")
        marks = {int(n): kind for n, kind in re.findall(
            r"\b(\d{1,6})\s*:\s*(headline|caption|furniture)", self.marks.data or "")}
        return {"title": self.article_title.data, "outlet": self.outlet.data,
                "url": self.url.data or None, "text": text,
                "marks": marks or drafting.guess_marks(text)}


@bp.route("/from-article", methods=["GET", "POST"])
def from_article():
    """Paste an article, read it annotated, tick sentences and kinds, then draft a set."""
    form = DraftForm()
    article = form.article()
    # Checked before reading: a text over the limit is not read, and the form says why.
    fits = 0 < len(article["text"]) <= MAX_ARTICLE_CHARS
    readings = read_article(article["text"], article["marks"]) if fits else []
    form.sentences.choices = form.sort.choices = [
        SelectChoice(r.number, str(r.number)) for r in readings if drafting.askable(r)]
    if not form.is_submitted() or form.change.data:
        return render_template("drafts/paste.html", form=form)
    valid = form.validate()
    if any(form[name].errors for name in ARTICLE_FIELDS):
        return render_template("drafts/paste.html", form=form)
    # Before the marks are filled in: a headline the teacher marked needs no warning.
    warnings = drafting.paste_warnings(article["text"], bool((form.marks.data or "").strip()))
    form.marks.data = ", ".join(f"{n}: {kind}" for n, kind in article["marks"].items())
    if form.draft.data and valid:
        return _draft(form, article, readings, warnings)
    if form.read.data:
        form.kinds.data = list(drafting.KINDS)
        form.sort.data = drafting.suggest_sort(readings)
    return _reading_page(form, readings, warnings=warnings)


def _reading_page(form: DraftForm, readings: list[Reading], problems=(), warnings=()):
    rows = [(r, drafting.annotate(r), drafting.tags(r)) for r in readings]
    return render_template("drafts/reading.html", form=form, rows=rows, problems=problems,
                           warnings=warnings,
                           article_fields=[form[name] for name in ARTICLE_FIELDS])


def _draft(form: DraftForm, article: dict, readings: list[Reading], warnings: list[str]):
    """Store the drafted set (unpublished) and open it in the editor."""
    raw = drafting.draft_set(article, readings, form.sentences.data, form.kinds.data,
                             sort=form.sort.data)
    if not raw["questions"]:
        return _reading_page(form, readings, ["No question fits the ticked sentences: for "
                                              "“who is the source” tick sentences with a "
                                              "source; for hedges, sentences with a hedge."],
                             warnings)
    try:
        document = questionsets.parse_set(raw, "the draft", draft=True)
    except questionsets.InvalidSetError as exc:
        return _reading_page(form, readings, exc.problems, warnings)
    set_id = transactions.add_teacher_set(get_db(), document, current_user.id)
    flash(f"Drafted {len(document['questions'])} questions. Nothing is published until you "
          "publish the set.", "success")
    for kind in drafting.unmet(document, form.kinds.data):
        flash(f"No “{drafting.KINDS[kind]}” question: none of the ticked sentences fits.",
              "warning")
    for warning in drafting.sort_warnings(document):
        flash(warning, "warning")
    if count := drafting.to_confirm(document):
        flash(f"{count} explanation{'s' * (count > 1)} start with “Teacher to confirm”: "
              "decide them; the set cannot be published while any is left.", "warning")
    return redirect(url_for("teacher.authoring.edit_set", set_id=set_id))
