"""What every question type does, and the helpers the types share.

Pure module: no Flask (the editor's row forms are plain WTForms). A type is a class with
class methods only: it never holds a question, it is handed one (a dict of the set document).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import count
from typing import Any, ClassVar, Protocol

from wtforms import FieldList, Form, FormField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_TEXT_ANSWER = 200
NUMBERS = r"^(?![\s\S]*[0-9]{5})[0-9\s,]*$"  # numbers of at most 4 digits
NUMBERS_MESSAGE = "Write sentence numbers separated by commas, e.g. 2, 5."
MANY = 60  # a bound for lists the format leaves open, so a form cannot grow without end


class TamperedResponse(ValueError):
    """The form holds something the quiz page could not have sent.

    `answers` holds every answer that could be read (None for the others) and `questions`
    the ids of the questions whose fields were changed, so a page can give the rest back.
    """

    def __init__(self, message: str, answers: dict | None = None,
                 questions: tuple[str, ...] = ()):
        super().__init__(message)
        self.answers = answers or {}
        self.questions = questions


class FormData(Protocol):
    def getlist(self, key: str) -> list[str]: ...


class Page(Protocol):
    """The opaque values one quiz page gives options (`scoring.PageKey`)."""

    def token(self, question_id: str, option_id: str) -> str: ...
    def options(self, question: dict, sent: Iterable[str] = ()) -> dict[str, str]: ...


class Checker(Protocol):
    """What `questionsets` lends a type to check its part of a set file (see parse)."""

    n_sentences: int

    def add(self, field: str, message: str) -> None: ...
    def text(self, data: dict, key: str, *, required: bool = True,
             field: str | None = None) -> str | None: ...
    def mapping(self, value: Any, field: str) -> dict: ...
    def items(self, data: dict, key: str, *, required: bool = True) -> list: ...
    def explained(self, entry: dict, field: str) -> str | None: ...
    def part_id(self, raw: dict, kind: str, i: int, seen: set) -> tuple[str, str]: ...
    def sentences(self, value: Any, field: str) -> list[int]: ...
    def valid_id(self, value: str) -> bool: ...


@dataclass(frozen=True)
class Result:
    """The score of one response; `parts` gives a verdict per option, statement or item.

    `exact` is the score as a fraction, so that totals add up exactly (three thirds make one);
    `points` is its nearest float, for storing.
    """

    points: float
    max_points: float
    verdict: str  # right, partly, wrong or blank
    parts: dict[str, str] = field(default_factory=dict)
    exact: Fraction = Fraction(0)


@dataclass
class Row:
    """One line of feedback: an option, statement, sentence or item.

    `correction` is the right value shown beside the student's own (a label, a position).
    """

    text: str
    status: str  # right, wrong, missed, blank or neutral
    yours: str | None = None
    right: str | None = None
    explanation: str | None = None
    sentences: list[int] = field(default_factory=list)
    correction: str | None = None
    credit: str | None = None  # what a weighted answer is worth: "earns 25 % of the points"
    text_format: str | None = None
    explanation_format: str | None = None


def fold(text: str) -> str:
    """Fold case, accents, punctuation and white space, for comparing typed answers."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LN")


def exact(value: Any) -> Fraction:
    """Return a number of points as an exact fraction (2.5 is 5/2, not its binary float)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def ratio(value: Any) -> tuple[int, int]:
    """Return a number of points as the (numerator, denominator) of `exact`."""
    if type(value) is int:  # nearly every question's points: no Fraction to build
        return value, 1
    points = exact(value)
    return points.numerator, points.denominator


def result(points: Fraction, question: dict, blank: bool, parts: dict[str, str]) -> Result:
    """Clamp exact points to the question's range and give them a verdict."""
    return points_result(question, points.numerator, points.denominator, blank, parts)


def shared_result(question: dict, got: int, out_of: int, blank: bool,
                  parts: dict[str, str]) -> Result:
    """Score *got* shares of *out_of* of the question's points (clamped, with a verdict)."""
    top, top_den = ratio(question["points"])
    return points_result(question, top * got, top_den * out_of, blank, parts)


def points_result(question: dict, num: int, den: int, blank: bool,
                  parts: dict[str, str]) -> Result:
    """Clamp num/den points (den > 0) to the question's range and give them a verdict."""
    # Integers, not Fractions: the same exact comparisons at a tenth of the cost (scoring a
    # sheet with Fractions was a seventh of a submit). A float of int / int is correctly
    # rounded, so `points` is the float Fraction(num, den) gives.
    top, top_den = ratio(question["points"])
    if num * top_den > top * den:  # min(top, points)
        num, den = top, top_den
    if num < 0:  # max(0, ...)
        num, den = 0, 1
    verdict = ("blank" if blank else "right" if num * top_den == top * den else
               "wrong" if num == 0 else "partly")
    return Result(num / den, top / top_den, verdict, parts, Fraction(num, den))


# Moodle writes fractions with 7 decimals (0.3333333 for a third; 33.33333 % in GIFT): a
# weight that close to a fraction with a denominator up to 100 is read as that fraction, so
# three thirds make all the points. Two such fractions are at least 1/9900 apart.
_MOODLE_ROUNDING = Fraction(1, 10**7)


def weight_fraction(weight: float | int | None) -> Fraction:
    """Return a weight in percent (Moodle's fraction) as an exact fraction of the points."""
    if not weight:
        return Fraction(0)
    if type(weight) is int:  # n/100 is its own nearest fraction with a denominator <= 100
        return Fraction(weight, 100)
    stated = exact(weight) / 100
    near = stated.limit_denominator(100)
    return near if abs(near - stated) <= _MOODLE_ROUNDING else stated


def credit_text(question: dict, fraction: Fraction) -> str:
    """Say what a fraction of a question's points is worth, and how it is rounded."""
    points = abs(exact(question["points"]) * fraction)
    percent = f"{float(abs(fraction) * 100):.5f}".rstrip("0").rstrip(".")
    words = f"{'earns' if fraction >= 0 else 'takes away'} {percent} % of the points"
    shown = f"{float(points):.2f}".rstrip("0").rstrip(".")
    if points != Fraction(shown):
        # A third of a point is counted exactly (totals add up) but shown as 0.33.
        return f"{words} ({float(points):.4g} points, shown rounded as {shown})"
    return f"{words} ({shown} point{'' if points == 1 else 's'})"


def single(form: FormData, name: str) -> str | None:
    """Read a field sent at most once; an empty value is no answer."""
    values = form.getlist(name)
    if len(values) > 1:
        raise TamperedResponse(f"{name} was sent {len(values)} times")
    return values[0] if values and values[0] != "" else None


def part_names(q: dict, parts: list[dict]) -> list[str]:
    """Name the form field of each statement or item."""
    return [f"q-{q['id']}-{part['id']}" for part in parts]


def read_parts(q: dict, form: FormData, parts: list[dict], allowed: set[str],
               what: str) -> dict[str, str]:
    """Read one field per statement or item, each one of *allowed*; leave out blank ones."""
    answer = {}
    for part, name in zip(parts, part_names(q, parts), strict=True):
        value = single(form, name)
        if value is None:
            continue
        if value not in allowed:
            raise TamperedResponse(f"unknown {what} {value!r} for {q['id']}")
        answer[part["id"]] = value
    return answer


def shuffled(entries: list[dict], seed: str, question: dict, always: bool = False) -> list:
    """Return *entries* in the order one page shows them."""
    if not (always or question.get("shuffle")):
        return list(entries)
    entries = list(entries)
    # Display order only: a predictable shuffle is fine, and repeatable for one page.
    random.Random(f"{seed}:{question['id']}").shuffle(entries)  # noqa: S311  # nosec B311
    return entries


def share_score(q: dict, chosen: set, right: set) -> Result:
    """Score a pick from many: each right pick earns 1/k, each wrong one costs 1/k, floor 0."""
    parts = {str(c): "right" if c in right else "wrong" for c in chosen}
    parts.update({str(r): "missed" for r in right - chosen})
    net = len(chosen & right) - len(chosen - right)
    return shared_result(q, net, len(right), not chosen, parts)


def sentence_text(sentences: list[dict], n: int) -> str:
    """Name one sentence of the article with its text."""
    return f"Sentence {n}: {sentences[n - 1]['text']}"


# --- summaries: counts of what a class chose ---------------------------------------------

class Tally:
    """What a class chose for one question: counts by part (statement, item, or None)."""

    def __init__(self, kind: type[QuestionType], q: dict, by_part: dict, n: int):
        self.kind, self.q, self.by_part, self.n = kind, q, by_part, n
        self.right = kind.right_values(q)

    def rows(self, part: str | None, values: list) -> list[dict]:
        """Return a row per value, the listed ones first (chosen or not), then the others."""
        got = self.by_part.get(part, {})
        listed = values + [v for v in sorted(got, key=lambda v: -got[v]) if v not in values]
        return [{"value": v, "text": self.kind.value_text(self.q, v), "n": got.get(v, 0),
                 "share": got.get(v, 0) / self.n if self.n else 0.0,
                 "right": v in self.right.get(part, ())} for v in listed]


# --- the editor: plain WTForms rows (the FlaskForm around them is question_forms') --------

def strip(value: str | None) -> str | None:
    """Strip white space from typed text (a WTForms filter)."""
    return value.strip() if isinstance(value, str) else value


def explanation_field(what: str) -> TextAreaField:
    """Return the explanation field of a row."""
    return TextAreaField("Explanation", filters=[strip], validators=[
        DataRequired(f"Explain why {what}."), Length(max=2000)])


class RowForm(Form):
    """One row of a list; a row with nothing typed in it is valid and skipped on saving."""

    TYPED: tuple[str, ...] = ("text", "explanation")

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in self.TYPED)

    def validate(self, extra_validators=None) -> bool:
        return True if self.is_blank() else super().validate(extra_validators)


def rows(row_form: type[RowForm], minimum: int, maximum: int = MANY) -> FieldList:
    """Return a list field of rows."""
    return FieldList(FormField(row_form), min_entries=minimum, max_entries=maximum)


def numbers_text(numbers: list[int]) -> str:
    """Write sentence numbers for a form field."""
    return ", ".join(str(n) for n in numbers)


def numbers(text: str | None) -> list[int]:
    """Read the sentence numbers typed in a form field."""
    return [int(n) for n in re.findall(r"[0-9]{1,6}", text or "")]


def slug(text: str, limit: int = 24) -> str:
    """Return the words of *text* in lowercase joined by dashes, cut to *limit* at a word."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = words[0][:limit] if words else ""
    for word in words[1:]:
        if len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}"
    return out


def slugs(base: str):
    """Yield *base*, then base-2, base-3 ..."""
    yield base
    yield from (f"{base}-{n}" for n in count(2))


def letters():
    """Yield option ids: a ... z, then o27, o28 ..."""
    yield from "abcdefghijklmnopqrstuvwxyz"
    yield from (f"o{n}" for n in count(27))


def numbered(prefix: str):
    """Return a maker of ids prefix1, prefix2 ..."""
    return lambda: (f"{prefix}{n}" for n in count(1))


def fill_ids(rows_field: FieldList, make) -> None:
    """Ids stay with their row for good; an order item's comes from its text, never its place."""
    taken = {row.form.id.data for row in rows_field if row.form.id.data}
    for row in rows_field:
        if row.form.id.data:
            continue
        if make is None:  # items: ids must not give the order away
            if not row.form.text.data:
                continue
            candidates = slugs(slug(row.form.text.data) or "item")
        else:
            candidates = make()
        row.form.id.data = next(c for c in candidates if c not in taken)
        taken.add(row.form.id.data)


class QuestionType:
    """What every type does. Override what differs; the defaults fit a one-field question.

    Class attributes: `name` (the registry key and template name), `menu` (its place in
    the editor's list), `title` and `about` (the
    editor's menu), `blank` (the answer read from a form with nothing filled in), `lists`
    (the editor's row lists), `gift` (how GIFT holds it: "choice", "multi", "text" or None
    for not at all), `sentence_choices` (its inputs are one box per article sentence),
    `evidence_hint` (editor help beside the deciding sentences), `value_heading` (what a
    teacher's summary calls one chosen value), `one_right_option` (its key is one of the
    options shown), `typed_key` (students type the key, so it must not be printed anywhere).
    """

    name: ClassVar[str] = ""
    menu: ClassVar[int] = 100
    title: ClassVar[str] = ""
    about: ClassVar[str] = ""
    blank: ClassVar[Any] = None
    lists: ClassVar[tuple[str, ...]] = ()
    gift: ClassVar[str | None] = None
    sentence_choices: ClassVar[bool] = False
    evidence_hint: ClassVar[str | None] = None
    value_heading: ClassVar[str] = "Answer"
    one_right_option: ClassVar[bool] = False
    typed_key: ClassVar[bool] = False

    # --- the set file ---

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        """Check this type's part of a question mapping *raw*; add it to *out*."""

    @classmethod
    def export(cls, q: dict, out: dict) -> None:
        """Leave defaults out of a question about to be written to a set file."""

    # --- the quiz page and scoring ---

    @classmethod
    def names(cls, q: dict) -> list[str]:
        """Return the form fields this question sends."""
        return [f"q-{q['id']}"]

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        """Return the answer in the form; raise TamperedResponse if it cannot be one.

        *page* is the key of the quiz page that sent the form (None: tests and scripts).
        """
        return single(form, f"q-{q['id']}")

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        """Score an answer read by `read` (a blank one is `blank`)."""
        raise NotImplementedError

    @classmethod
    def view(cls, q: dict, seed: str, page: Page) -> dict:
        """Return what the quiz page shows beyond the prompt (never the key)."""
        return {}

    @classmethod
    def form_fields(cls, q: dict, answer: Any, page: Page | None) -> dict[str, list[str]]:
        """Return the form fields a quiz page sends for *answer* (the inverse of `read`)."""
        if is_blank(answer):
            return {}
        name = f"q-{q['id']}"
        if isinstance(answer, dict):  # one field per statement or item
            return {f"{name}-{key}": [str(value)] for key, value in answer.items()}
        if isinstance(answer, list):
            return {name: [str(v) for v in answer]}
        return {name: [str(answer)]}

    @classmethod
    def problem(cls, q: dict, answer: Any) -> str | None:
        """Say what a student must fix before the answer can be scored, if anything."""
        return None

    @classmethod
    def key(cls, q: dict) -> Any:
        """Return the answer that earns every point."""
        raise NotImplementedError

    # --- feedback ---

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        """Explain an answer as rows (None for no answer)."""
        raise NotImplementedError

    @classmethod
    def key_rows(cls, q: dict, sentences: list[dict]) -> list[Row]:
        """Explain the full-marks answer: the answer key view."""
        return cls.explain(q, cls.key(q), sentences)

    # --- summaries ---

    @classmethod
    def value_text(cls, q: dict, value: Any) -> str:
        """Name one chosen value: an option's text, a sentence, a label, a position."""
        return str(value)

    @classmethod
    def describe(cls, q: dict, answer: Any) -> str:
        """Say a whole stored answer in words (never blank: see `describe_answer`)."""
        return cls.value_text(q, answer)

    @classmethod
    def right_values(cls, q: dict) -> dict[str | None, set]:
        """Return the right values by part (None when the question has no parts)."""
        return {None: set()}

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        """Turn what a class chose into (choices, parts) rows."""
        return [], []

    @classmethod
    def common_wrong(cls, q: dict, choices: list[dict], parts: list[dict],
                     wrong: tuple[Any, int] | None) -> tuple[str, int] | None:
        """Name the most common wrong answer and its count, from the summary rows or *wrong*."""
        if wrong is None:
            return None
        return describe_answer(cls, q, wrong[0]), wrong[1]

    @classmethod
    def random_guess(cls, q: dict) -> float:
        """Return the share of the points a blind guess earns on average (Moodle's figure).

        0 by default: a typed answer or a free pick of sentences is not found by chance.
        """
        return 0.0

    @classmethod
    def distractors(cls, q: dict) -> list[tuple[str | None, Any, str]]:
        """Return (part, value, text) of each wrong option a student can pick (distractors).

        Empty by default: typed answers, sentences and positions have no fixed wrong options.
        """
        return []

    @classmethod
    def labelled_parts(cls, q: dict) -> list[tuple[str, str]]:
        """Return (part id, right label) pairs, for telling facts from claims."""
        return []

    @classmethod
    def key_texts(cls, q: dict) -> list[tuple[str, str]]:
        """Return (field, text) for each text that is the key, to find it printed elsewhere."""
        return []

    # --- the editor ---

    @classmethod
    def editor_fields(cls) -> dict:
        """Return the editor's fields beyond the common ones (plain WTForms fields)."""
        return {}

    @classmethod
    def new_data(cls) -> dict:
        """Return starting data for a new question's form beyond the common fields."""
        return {}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        """Return this type's part of the form data of a stored question."""
        return {}

    @classmethod
    def prepare(cls, form: Any) -> None:
        """Give new rows their ids and set per-request choices."""

    @classmethod
    def check_form(cls, form: Any) -> bool:
        """Check rules across the rows of a validated editor form; mark fields that break one."""
        return True

    @classmethod
    def form_values(cls, form: Any) -> dict:
        """Return this type's part of the raw question a validated editor form describes."""
        return {name: [cls.row_value(name, row.form) for row in form[name]
                       if not row.form.is_blank()] for name in cls.lists}

    @classmethod
    def row_value(cls, name: str, row: RowForm) -> dict:
        """Return one row of list *name* as it goes into the question."""
        return {key: row[key].data for key in row._fields}

    # --- GIFT ---

    @classmethod
    def gift_problem(cls, q: dict) -> str | None:
        """Say why this question cannot be written as GIFT, or return None."""
        return f"{cls.name} cannot be expressed in GIFT" if cls.gift is None else None


def is_blank(answer: Any) -> bool:
    """Say whether a response gives no answer at all."""
    return answer in (None, "", [], {})


def describe_answer(kind: type[QuestionType], q: dict, answer: Any) -> str:
    """Say a stored answer in words, '(no answer)' when blank."""
    return "(no answer)" if is_blank(answer) else kind.describe(q, answer)
