"""Flask-WTF forms for writing one question of each type, and their conversion to questions.

A question form holds lists (options, statements, items, answers) as FieldLists of small
row forms. Buttons named ``action`` with values like ``add-options``, ``remove-options-2``,
``up-items-1`` change a list and re-render the form with everything typed kept: no
JavaScript. A row left wholly empty is skipped when saving. Whole-question rules (exactly one
correct option, sentence numbers inside the article) are `questionsets.parse_set`'s job.
"""

from __future__ import annotations

import re
from functools import cache

from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import (
    FieldList,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from .numbers import small_int
from .questionsets import DIFFICULTIES
from .questiontypes import REGISTRY, SKILL_NAMES, SKILLS
from .questiontypes.base import (
    NUMBERS,
    NUMBERS_MESSAGE,
    QuestionType,
    numbers,
    numbers_text,
    slug,
    slugs,
)
from .questiontypes.base import strip as _strip

# Fields of an imported question the form carries besides the ones every question has.
KEPT = ("title", "format", "explanation_format")
ACTION = re.compile(r"^(add|remove|up|down)-([a-z_]+)(?:-([0-9]{1,3}))?$")


def types() -> dict[str, tuple[str, str]]:
    """Return each type's name and description for the editor's menu, in menu order."""
    return {name: (kind.title, kind.about) for name, kind in REGISTRY.items()}


class StrictFieldList(FieldList):
    """A FieldList whose row numbers (options-NNNN-text) are small ASCII numbers.

    WTForms takes any `str.isdigit()` text and calls `int()` on it: '²' and a 5,000-digit
    number raise ValueError (a 500), and Arabic-Indic digits are read silently.
    """

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix + self._field_separator):
                index = key[offset:].split(self._field_separator, 1)[0]
                number = small_int(index, 999)
                if number is None:
                    raise BadRequest(f"This form was changed: {index[:20]!r} is not a row "
                                     "number this page sends. Reload the page.")
                yield number


class QuestionForm(FlaskForm):
    """The fields every question has; subclasses add the lists of one type."""

    KIND: type[QuestionType] = QuestionType
    LISTS: tuple[str, ...] = ()
    title = StringField("Name (optional)", filters=[_strip], validators=[Length(max=255)],
                        description="What teachers see this question called (Moodle's "
                                    "question name). Students never see it.")
    # An imported question's text formats (html, markdown): kept unseen when it is saved.
    format = HiddenField()
    explanation_format = HiddenField()
    prompt = TextAreaField("Question", filters=[_strip], validators=[
        DataRequired("Write the question."), Length(max=1000)],
        description="As the student reads it.")
    explanation = TextAreaField("General explanation", filters=[_strip], validators=[
        DataRequired("Write the explanation students read after submitting."),
        Length(max=3000)], description="Shown to every student after submitting.")
    difficulty = SelectField("Difficulty", choices=[SelectChoice(d, d.capitalize())
                                                    for d in DIFFICULTIES])
    skill = SelectField("Skill", choices=[SelectChoice(s, SKILL_NAMES[s]) for s in SKILLS])
    points = StringField("Points", default="1", filters=[_strip],
                         validators=[DataRequired("Give the points, e.g. 1.")])
    evidence = StringField("Deciding sentences", filters=[_strip],
                           validators=[Optional(), Regexp(NUMBERS, message=NUMBERS_MESSAGE)],
                           description="Sentence numbers that decide the question, e.g. 2, 5; "
                                       "highlighted in the results.")
    # Not drawn as a field: the add/remove/up/down buttons carry it (name="action").
    action = StringField()

    def validate_points(self, field) -> None:
        try:
            points = float(field.data)
        except ValueError:
            raise ValidationError("Write a number, e.g. 1 or 2.5.") from None
        if not 0 < points <= 100:
            raise ValidationError("Give more than 0 and at most 100 points.")

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then the type's rules across its rows."""
        valid = super().validate(extra_validators)
        return self.KIND.check_form(self) and valid


def form_class(qtype: str) -> type[QuestionForm]:
    """Return the editor's form for a question type: the common fields and the type's own."""
    return _form_class(REGISTRY[qtype])


@cache
def _form_class(kind: type[QuestionType]) -> type[QuestionForm]:
    fields = kind.editor_fields()
    for unbound in fields.values():
        if unbound.field_class is FieldList:  # a type's row lists read row numbers strictly
            unbound.field_class = StrictFieldList
    return type(f"{kind.__name__}Form", (QuestionForm,),
                {"KIND": kind, "LISTS": kind.lists, "__doc__": kind.__doc__, **fields})


# --- lists without JavaScript --------------------------------------------------------------

def apply_action(form: QuestionForm) -> bool:
    """Apply the add/remove/up/down button that was pressed; say whether there was one."""
    match = ACTION.match(form.action.data or "")
    if not match or match[2] not in form.LISTS:
        return False
    verb, rows_field, i = match[1], form[match[2]], int(match[3] or 0)
    rows = [entry.data for entry in rows_field]
    if verb == "add" and len(rows) < rows_field.max_entries:
        rows.append({})
    elif verb == "remove" and i < len(rows):
        del rows[i]
    elif verb in ("up", "down"):
        j = i - 1 if verb == "up" else i + 1
        if min(i, j) >= 0 and max(i, j) < len(rows):
            rows[i], rows[j] = rows[j], rows[i]
    _refill(rows_field, rows)
    return True


def _refill(rows_field: FieldList, rows: list[dict]) -> None:
    """Rebuild a FieldList from row data, numbered from 0, padded to its minimum."""
    rows_field.entries, rows_field.last_index = [], -1
    for row in rows:
        rows_field.append_entry(row)
    while len(rows_field.entries) < rows_field.min_entries:
        rows_field.append_entry({})


def prepare(form: QuestionForm) -> None:
    """Give new rows their ids and offer the current labels to each statement."""
    form.KIND.prepare(form)


def new_question_id(prompt: str, taken: set[str]) -> str:
    """Return an id for a new question, from its prompt, unused in the set."""
    return next(c for c in slugs(f"q-{slug(prompt, 30)}".rstrip("-")) if c not in taken)


# --- questions <-> form data ---------------------------------------------------------------

def new_question_data(qtype: str, shuffle: bool) -> dict:
    """Return the starting data of a new question's form."""
    return {"difficulty": "medium", "skill": "source", "points": "1", "shuffle": shuffle,
            **REGISTRY[qtype].new_data()}


def question_data(q: dict) -> dict:
    """Return a question form's data for a stored question."""
    data = {key: q[key] for key in ("prompt", "explanation", "difficulty", "skill", "shuffle")}
    data.update({key: q.get(key, "") for key in KEPT})
    data["points"] = f"{q['points']:g}"
    data["evidence"] = numbers_text(q["evidence"])
    data.update(REGISTRY[q["type"]].form_data(q))
    return data


def question_from_form(form: QuestionForm, qtype: str, qid: str,
                       shuffle: bool | None = None) -> dict:
    """Return the raw question a validated form describes, for `parse_set` to check.

    :param shuffle: the stored value to keep for a type whose form has no shuffle box.
    """
    kind = form.KIND
    kind.prepare(form)
    points = float(form.points.data)
    raw = {"id": qid, "type": qtype, "prompt": form.prompt.data,
           "explanation": form.explanation.data, "difficulty": form.difficulty.data,
           "skill": form.skill.data, "points": int(points) if points.is_integer() else points,
           "evidence": numbers(form.evidence.data)}
    raw.update({key: form[key].data for key in KEPT if form[key].data})
    if "shuffle" in form:
        raw["shuffle"] = form.shuffle.data
    elif shuffle is not None:
        raw["shuffle"] = shuffle
    raw.update(kind.form_values(form))
    return raw
