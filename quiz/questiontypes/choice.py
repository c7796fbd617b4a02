"""choice: one right option."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

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
    exact,
    explanation_field,
    fill_ids,
    is_blank,
    letters,
    result,
    rows,
    shuffled,
    single,
    strip,
)


class OptionRow(RowForm):
    id = HiddenField()
    text = StringField("Option", filters=[strip],
                       validators=[DataRequired("Write the option."), Length(max=500)])
    correct = BooleanField("Correct")
    explanation = explanation_field("this option is right or wrong")


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

    @classmethod
    def export(cls, q: dict, out: dict) -> None:
        for option in out.get("options", []):
            if not option["correct"]:
                del option["correct"]

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        value = single(form, f"q-{q['id']}")
        known = option_values(q, page)
        if value is not None and value not in known:
            raise TamperedResponse(f"unknown option {value!r} for {q['id']}")
        return None if value is None else known[value]

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        right = cls.key(q)
        parts = {answer: "right" if answer == right else "wrong"} if answer else {}
        return result(exact(q["points"]) if answer == right else 0, q, answer is None, parts)

    @classmethod
    def view(cls, q: dict, seed: str, page: Page) -> dict:
        # Only the page's opaque value and the text: nothing derived from the option id. The
        # order is shuffled even when the set says not to: authors tend to write the right
        # option first, so a fixed order would give the key away as surely as the ids.
        return {"options": [{"value": page.token(q["id"], o["id"]), "text": o["text"]}
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
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        chosen = cls.chosen(answer)
        out = []
        for o in q["options"]:
            picked = o["id"] in chosen
            status = ("right" if o["correct"] else "wrong") if picked else (
                "missed" if o["correct"] else "neutral")
            out.append(Row(o["text"], status, "Your answer" if picked else None,
                           "Correct" if o["correct"] else None, o["explanation"]))
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
        # One option picked at random: right once in len(options).
        return 1 / len(q["options"]) if q["options"] else 0.0

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        return tally.rows(None, [o["id"] for o in tally.q["options"]]), []

    @classmethod
    def editor_fields(cls) -> dict:
        return {"shuffle": BooleanField("Shuffle the options for each student"),
                "options": rows(OptionRow, 2)}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"options": [dict(o) for o in q["options"]]}

    @classmethod
    def prepare(cls, form: Any) -> None:
        fill_ids(form["options"], letters)

    @classmethod
    def gift_problem(cls, q: dict) -> str | None:
        if len(q.get("options", [])) < 2:
            return f"{cls.name} with fewer than two options cannot be expressed in GIFT"
        return None



def option_values(q: dict, page: Page | None) -> dict[str, str]:
    """Map the values a form may send for a question's options to the option ids."""
    if page is None:  # answers given by option id: tests and scripts, never a quiz page
        return {o["id"]: o["id"] for o in q["options"]}
    return page.options(q)
