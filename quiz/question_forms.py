"""Flask-WTF forms for writing one question of each type, and their conversion to questions.

A question form holds lists (options, statements, items, answers) as FieldLists of small
row forms. Buttons named ``action`` with values like ``add-options``, ``remove-options-2``,
``up-items-1`` change a list and re-render the form with everything typed kept: no
JavaScript. A row left wholly empty is skipped when saving. Whole-question rules (exactly one
correct option, sentence numbers inside the article) are `questionsets.parse_set`'s job.
"""

from __future__ import annotations

import re
from itertools import count

from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from .forms import _strip
from .numbers import small_int
from .questionsets import DIFFICULTIES, SKILLS

TYPES = {
    "choice": ("Multiple choice", "Students pick the one correct option."),
    "multi": ("All that apply", "Students tick every correct option; several can be right."),
    "classify": ("Sort statements", "Students give each statement a label, e.g. fact or claim."),
    "evidence": ("Find the sentence", "Students select the sentences of the article that "
                                      "show something."),
    "order": ("Put in order", "Students put 3 to 6 items in order, e.g. a sourcing chain."),
    "text": ("Short answer", "Students type a short answer, compared ignoring case, accents "
                             "and punctuation."),
}
SKILL_NAMES = {"source": "Who is the source", "attribution": "Attribution",
               "fact-vs-claim": "Fact or claim", "hedging": "Hedging words and numbers",
               "loaded-language": "Loaded language", "sourcing-chain": "Sourcing chain",
               "verification": "Verification"}
ACTION = re.compile(r"^(add|remove|up|down)-([a-z_]+)(?:-([0-9]{1,3}))?$")
NUMBERS = r"^(?![\s\S]*[0-9]{5})[0-9\s,]*$"  # numbers of at most 4 digits
NUMBERS_MESSAGE = "Write sentence numbers separated by commas, e.g. 2, 5."


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


def _explanation(what: str) -> TextAreaField:
    return TextAreaField("Explanation", filters=[_strip], validators=[
        DataRequired(f"Explain why {what}."), Length(max=2000)])


class _Row(Form):
    """One row of a list; a row with nothing typed in it is valid and skipped on saving."""

    TYPED: tuple[str, ...] = ("text", "explanation")

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in self.TYPED)

    def validate(self, extra_validators=None) -> bool:
        return True if self.is_blank() else super().validate(extra_validators)


class OptionRow(_Row):
    id = HiddenField()
    text = StringField("Option", filters=[_strip],
                       validators=[DataRequired("Write the option."), Length(max=500)])
    correct = BooleanField("Correct")
    explanation = _explanation("this option is right or wrong")


class LabelRow(_Row):
    TYPED = ("text",)
    id = HiddenField()
    text = StringField("Label", filters=[_strip],
                       validators=[DataRequired("Write the label."), Length(max=100)])


class StatementRow(_Row):
    TYPED = ("text", "explanation", "evidence")
    id = HiddenField()
    text = StringField("Statement", filters=[_strip],
                       validators=[DataRequired("Write the statement."), Length(max=500)])
    label = SelectField("Correct label", validators=[DataRequired("Choose the correct label.")])
    explanation = _explanation("this statement gets this label")
    evidence = StringField("Deciding sentences (optional)", filters=[_strip],
                           validators=[Optional(), Regexp(NUMBERS, message=NUMBERS_MESSAGE)])


class SentenceRow(_Row):
    TYPED = ("sentence", "explanation")
    sentence = StringField("Sentence number", filters=[_strip], validators=[
        DataRequired("Write a sentence number."),
        Regexp(r"^[0-9]{1,4}$", message="Write one sentence number, e.g. 4.")])
    explanation = _explanation("this sentence is or is not the one")


class ItemRow(_Row):
    id = HiddenField()
    text = StringField("Item", filters=[_strip],
                       validators=[DataRequired("Write the item."), Length(max=300)])
    explanation = _explanation("the item goes here")


class AnswerRow(_Row):
    text = StringField("Answer", filters=[_strip],
                       validators=[DataRequired("Write the answer."), Length(max=200)])
    explanation = _explanation("this answer is right or wrong")


class QuestionForm(FlaskForm):
    """The fields every question has; subclasses add the lists of one type."""

    LISTS: tuple[str, ...] = ()
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


MANY = 60  # a bound for lists the format leaves open, so a form cannot grow without end


def _rows(row_form, minimum: int, maximum: int = MANY) -> FieldList:
    return StrictFieldList(FormField(row_form), min_entries=minimum, max_entries=maximum)


class ChoiceForm(QuestionForm):
    """A choice or multi question: options, each right or wrong, each explained."""

    LISTS = ("options",)
    shuffle = BooleanField("Shuffle the options for each student")
    options = _rows(OptionRow, 2)


class ClassifyForm(QuestionForm):
    """A classify question: 2-6 labels and statements that each take one label."""

    LISTS = ("labels", "statements")
    shuffle = BooleanField("Shuffle the statements for each student")
    labels = _rows(LabelRow, 2, 6)
    statements = _rows(StatementRow, 2)


class EvidenceForm(QuestionForm):
    """An evidence question: the deciding sentences and tempting wrong ones."""

    LISTS = ("answers", "distractors")
    answers = _rows(SentenceRow, 1)
    distractors = _rows(SentenceRow, 0)


class OrderForm(QuestionForm):
    """An order question: 3-6 items written in the correct order."""

    LISTS = ("items",)
    items = _rows(ItemRow, 3, 6)


class TextForm(QuestionForm):
    """A short-answer question: accepted answers and known wrong answers."""

    LISTS = ("answers", "wrong_answers")
    answers = _rows(AnswerRow, 1)
    wrong_answers = _rows(AnswerRow, 0)


FORMS = {"choice": ChoiceForm, "multi": ChoiceForm, "classify": ClassifyForm,
         "evidence": EvidenceForm, "order": OrderForm, "text": TextForm}


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
    for name, make in (("options", _letters), ("labels", _numbered("l")),
                       ("statements", _numbered("s")), ("items", None)):
        if name in form.LISTS:
            _fill_ids(form[name], make)
    if "statements" in form.LISTS:
        choices = [SelectChoice("", "Choose a label")] + [
            SelectChoice(row.form.id.data, row.form.text.data or f"Label {n} (no text yet)")
            for n, row in enumerate(form.labels, start=1)]
        for row in form.statements:
            row.form.label.choices = choices


def _letters():
    yield from "abcdefghijklmnopqrstuvwxyz"
    yield from (f"o{n}" for n in count(27))


def _numbered(prefix: str):
    return lambda: (f"{prefix}{n}" for n in count(1))


def _fill_ids(rows_field: FieldList, make) -> None:
    """Ids stay with their row for good; an order item's comes from its text, never its place."""
    taken = {row.form.id.data for row in rows_field if row.form.id.data}
    for row in rows_field:
        if row.form.id.data:
            continue
        if make is None:  # items: ids must not give the order away
            if not row.form.text.data:
                continue
            candidates = _slugs(slug(row.form.text.data) or "item")
        else:
            candidates = make()
        row.form.id.data = next(c for c in candidates if c not in taken)
        taken.add(row.form.id.data)


def slug(text: str, limit: int = 24) -> str:
    """Return the words of *text* in lowercase joined by dashes, cut to *limit* at a word."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = words[0][:limit] if words else ""
    for word in words[1:]:
        if len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}"
    return out


def _slugs(base: str):
    yield base
    yield from (f"{base}-{n}" for n in count(2))


def new_question_id(prompt: str, taken: set[str]) -> str:
    """Return an id for a new question, from its prompt, unused in the set."""
    return next(c for c in _slugs(f"q-{slug(prompt, 30)}".rstrip("-")) if c not in taken)


# --- questions <-> form data ---------------------------------------------------------------

def _numbers_text(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _numbers(text: str | None) -> list[int]:
    return [int(n) for n in re.findall(r"[0-9]{1,6}", text or "")]


def new_question_data(qtype: str, shuffle: bool) -> dict:
    """Return the starting data of a new question's form."""
    return {"difficulty": "medium", "skill": "source", "points": "1", "shuffle": shuffle,
            "labels": [{"id": "fact", "text": "Verified fact"},
                       {"id": "claim", "text": "Attributed claim"}] if qtype == "classify" else []}


def question_data(q: dict) -> dict:
    """Return a question form's data for a stored question."""
    data = {key: q[key] for key in ("prompt", "explanation", "difficulty", "skill", "shuffle")}
    data["points"] = f"{q['points']:g}"
    evidence = q["evidence"]
    if q["type"] == "evidence" and evidence == [a["sentence"] for a in q["answers"]]:
        evidence = []  # the default: left empty, it follows the answers
    data["evidence"] = _numbers_text(evidence)
    if q["type"] in ("choice", "multi"):
        data["options"] = [dict(o) for o in q["options"]]
    elif q["type"] == "classify":
        data["labels"] = [dict(lab) for lab in q["labels"]]
        data["statements"] = [dict(s, evidence=_numbers_text(s["evidence"]))
                              for s in q["statements"]]
    elif q["type"] == "evidence":
        for key in ("answers", "distractors"):
            data[key] = [{"sentence": str(e["sentence"]), "explanation": e["explanation"]}
                         for e in q[key]]
    elif q["type"] == "order":
        data["items"] = [dict(i) for i in q["items"]]
    else:
        data["answers"], data["wrong_answers"] = q["answers"], q["wrong_answers"]
    return data


def question_from_form(form: QuestionForm, qtype: str, qid: str,
                       shuffle: bool | None = None) -> dict:
    """Return the raw question a validated form describes, for `parse_set` to check.

    :param shuffle: the stored value to keep for a type whose form has no shuffle box.
    """
    prepare(form)
    points = float(form.points.data)
    raw = {"id": qid, "type": qtype, "prompt": form.prompt.data,
           "explanation": form.explanation.data, "difficulty": form.difficulty.data,
           "skill": form.skill.data, "points": int(points) if points.is_integer() else points,
           "evidence": _numbers(form.evidence.data)}
    if "shuffle" in form:
        raw["shuffle"] = form.shuffle.data
    elif shuffle is not None:
        raw["shuffle"] = shuffle
    for name in form.LISTS:
        raw[name] = [_row_value(name, row.form) for row in form[name] if not row.form.is_blank()]
    return raw


def _row_value(name: str, row: _Row) -> dict:
    value = {key: row[key].data for key in row._fields}
    if name == "statements":
        value["evidence"] = _numbers(value["evidence"])
    if name in ("answers", "distractors") and "sentence" in value:
        value["sentence"] = int(value["sentence"])
    return value
