"""choice: one right option."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .base import (
    Checker,
    FormData,
    Page,
    QuestionType,
    Result,
    Row,
    RowForm,
    Tally,
    TamperedResponse,
    credit_text,
    explanation_field,
    fill_ids,
    is_blank,
    letters,
    rows,
    shared_result,
    shuffled,
    single,
    strip,
    weight_fraction,
)

WEIGHT = r"^-?[0-9]{1,3}(\.[0-9]{1,7})?$"
WEIGHT_MESSAGE = "Write a percentage from -100 to 100, e.g. 50 or -33.33333, or leave it empty."


def weight_field(description: str) -> StringField:
    """Return a row's optional weight field (Moodle's grade, in percent)."""
    return StringField("Weight (%)", filters=[strip], description=description,
                       validators=[Optional(), Regexp(WEIGHT, message=WEIGHT_MESSAGE)])


def weight_value(text: str | None) -> float | int | None:
    """Read a typed weight: a whole number stays one, so an export writes it as typed."""
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def weight_text(weight: float | int | None) -> str:
    """Write a stored weight for the editor, without a trailing .0."""
    return "" if weight is None else f"{weight:.7f}".rstrip("0").rstrip(".")


class OptionRow(RowForm):
    id = HiddenField()
    # Imported formats ride along unseen, so saving a question unchanged keeps them.
    format = HiddenField()
    explanation_format = HiddenField()
    text = StringField("Option", filters=[strip],
                       validators=[DataRequired("Write the option."), Length(max=500)])
    correct = BooleanField("Correct")
    weight = weight_field("Optional. What choosing it is worth, as in Moodle: 50 for half the "
                          "points, -50 to take half away, 0 for nothing.")
    explanation = explanation_field("this option is right or wrong")


def option_credit(option: dict) -> Fraction:
    """Return what choosing one option of a `choice` is worth, as a fraction of the points."""
    return Fraction(1) if option["correct"] else weight_fraction(option.get("weight"))


class Choice(QuestionType):
    """One correct option."""

    name = "choice"
    menu = 10
    value_heading = "Option"
    title = "Multiple choice"
    about = "Students pick the one correct option."
    lists = ("options",)
    gift = "choice"
    one_right_option = True

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        out["options"] = cls.parse_options(raw, check)
        correct = [o["id"] for o in out["options"] if o["correct"]]
        if out["options"] and len(correct) != 1:
            marked = ", ".join(f"'{c}'" for c in correct) or "none"
            check.add("options", f"{marked} marked correct but the question type 'choice' "
                                 "needs exactly one correct option")
        cls.check_weights(raw, out["options"], check)

    @staticmethod
    def parse_options(q: dict, check: Checker) -> list[dict]:
        """Check the options of a question."""
        options, seen = [], set()
        raw_options = check.items(q, "options")
        for i, raw in enumerate(raw_options, start=1):
            raw = check.mapping(raw, f"option {i}")
            oid, label = check.part_id(raw, "option", i, seen)
            correct = raw.get("correct", False)
            if not isinstance(correct, bool):
                check.add(f"{label}.correct", "must be true or false")
            options.append({
                "id": oid,
                "text": check.text(raw, "text", field=label),
                "correct": correct is True,
                "explanation": check.explained(raw, label),
            })
        if raw_options and len(options) < 2:
            check.add("options", "a question needs at least two options")
        return options

    @staticmethod
    def check_weights(raw: dict, options: list[dict], check: Checker) -> None:
        """Only the correct option earns all the points (a weight, if given, of 100)."""
        for i, (entry, option) in enumerate(zip(raw.get("options") or [], options,
                                                strict=False), start=1):
            weight = entry.get("weight") if isinstance(entry, dict) else None
            if not isinstance(weight, (int, float)) or isinstance(weight, bool):
                continue  # a weight that is no number is reported with the Moodle fields
            if option["correct"] and weight != 100:
                check.add(f"option {i}.weight", f"the correct option earns all the points: "
                                                f"leave its weight empty or make it 100, "
                                                f"not {weight_text(weight)}")
            elif not option["correct"] and weight >= 100:
                check.add(f"option {i}.weight", "only the correct option earns all the "
                                                "points: give this one less than 100")

    @classmethod
    def export(cls, q: dict, out: dict) -> None:
        for option in out.get("options", []):
            if not option["correct"]:
                del option["correct"]

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        value = single(form, f"q-{q['id']}")
        known = option_values(q, page, [] if value is None else [value])
        if value is not None and value not in known:
            raise TamperedResponse(f"unknown option {value!r} for {q['id']}")
        return None if value is None else known[value]

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        # Moodle: the chosen option's grade; a weighted wrong option is partial credit (a
        # negative one scores 0: a question never scores below nothing).
        if answer is None:
            return shared_result(q, 0, 1, True, {})
        option = next(o for o in q["options"] if o["id"] == answer)
        if option["correct"]:  # option_credit is 1
            return shared_result(q, 1, 1, False, {answer: "right"})
        credit = option_credit(option)
        verdict = "right" if credit == 1 else "partly" if credit > 0 else "wrong"
        return shared_result(q, credit.numerator, credit.denominator, False, {answer: verdict})

    @classmethod
    def view(cls, q: dict, seed: str, page: Page) -> dict:
        # Only the page's opaque value and the text: nothing derived from the option id. The
        # order is shuffled even when the set says not to: authors tend to write the right
        # option first, so a fixed order would give the key away as surely as the ids.
        return {"options": [{"value": page.token(q["id"], o["id"]), "text": o["text"]}
                            | ({"format": o["format"]} if o.get("format") else {})
                            for o in shuffled(q["options"], seed, q, always=True)]}

    @classmethod
    def form_fields(cls, q: dict, answer: Any, page: Page | None) -> dict[str, list[str]]:
        if page is None or is_blank(answer):
            return super().form_fields(q, answer, page)
        ids = answer if isinstance(answer, list) else [answer]
        return {f"q-{q['id']}": [page.token(q["id"], o) for o in ids]}

    @classmethod
    def key(cls, q: dict) -> Any:
        return next(o["id"] for o in q["options"] if o["correct"])

    @classmethod
    def chosen(cls, answer: Any) -> set:
        """Return the option ids an answer picks."""
        return {answer}

    @classmethod
    def credits(cls, q: dict) -> dict[str, Fraction] | None:
        """Return what each option is worth when the question has weights, else None."""
        if not any("weight" in o for o in q["options"]):
            return None
        return {o["id"]: option_credit(o) for o in q["options"]}

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        chosen = cls.chosen(answer)
        credits = cls.credits(q)
        out = []
        for o in q["options"]:
            picked = o["id"] in chosen
            worth = credits[o["id"]] if credits is not None else None
            partly = worth is not None and 0 < worth < 1 and not o["correct"]
            status = ("right" if o["correct"] else "partly" if partly else "wrong") \
                if picked else ("missed" if o["correct"] else "neutral")
            out.append(Row(o["text"], status, "Your answer" if picked else None,
                           "Correct" if o["correct"] else None, o["explanation"],
                           credit=None if worth is None else credit_text(q, worth),
                           text_format=o.get("format"),
                           explanation_format=o.get("explanation_format")))
        return out

    @classmethod
    def value_text(cls, q: dict, value: Any) -> str:
        return next((o["text"] for o in q["options"] if o["id"] == value), str(value))

    @classmethod
    def right_values(cls, q: dict) -> dict[str | None, set]:
        return {None: {o["id"] for o in q["options"] if o["correct"]}}

    @classmethod
    def key_texts(cls, q: dict) -> list[tuple[str, str]]:
        return [(f"option '{o['id']}'", o["text"]) for o in q["options"] if o["correct"]]

    @classmethod
    def distractors(cls, q: dict) -> list[tuple[str | None, Any, str]]:
        return [(None, o["id"], o["text"]) for o in q["options"] if not o["correct"]]

    @classmethod
    def random_guess(cls, q: dict) -> float:
        # One option picked at random: the mean of what each option scores (with weights,
        # partial credit counts; otherwise right once in len(options)).
        if not q["options"] or not q["points"]:
            return 0.0
        return sum(cls.score(q, o["id"]).points for o in q["options"]) / len(
            q["options"]) / q["points"]

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        return tally.rows(None, [o["id"] for o in tally.q["options"]]), []

    @classmethod
    def editor_fields(cls) -> dict:
        return {"shuffle": BooleanField("Shuffle the options for each student"),
                "options": rows(OptionRow, 2)}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"options": [{**o, "weight": weight_text(o.get("weight"))}
                            for o in q["options"]]}

    @classmethod
    def row_value(cls, name: str, row: RowForm) -> dict:
        value = super().row_value(name, row)
        value["weight"] = weight_value(value["weight"])
        # Leave out what the row does not carry, as an import would.
        return {key: v for key, v in value.items()
                if v is not None and (v != "" or key not in ("format", "explanation_format"))}

    @classmethod
    def prepare(cls, form: Any) -> None:
        fill_ids(form["options"], letters)

    @classmethod
    def gift_problem(cls, q: dict) -> str | None:
        if len(q.get("options", [])) < 2:
            return f"{cls.name} with fewer than two options cannot be expressed in GIFT"
        return None



def option_values(q: dict, page: Page | None, sent: list[str]) -> dict[str, str]:
    """Map the values a form may send for a question's options to the option ids."""
    if page is None:  # answers given by option id: tests and scripts, never a quiz page
        return {o["id"]: o["id"] for o in q["options"]}
    return page.options(q, sent)
