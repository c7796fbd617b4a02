"""text: a short typed answer checked against accepted answers."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .base import (
    MAX_TEXT_ANSWER,
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
    fold,
    rows,
    shared_result,
    single,
    strip,
    weight_fraction,
)
from .choice import weight_field, weight_text, weight_value

NOT_ACCEPTED = "This is not one of the accepted answers."


class AnswerRow(RowForm):
    explanation_format = HiddenField()  # an imported format, kept when saved unchanged
    text = StringField("Answer", filters=[strip],
                       validators=[DataRequired("Write the answer."), Length(max=200)])
    weight = weight_field("Optional. Partial credit, as in Moodle: 50 for half the points; "
                          "empty for all of them. A known wrong answer scores 0 whatever its "
                          "weight (0 or less).")
    explanation = explanation_field("this answer is right or wrong")


def answer_credit(entry: dict) -> Fraction:
    """Return what typing an accepted answer is worth (all the points unless weighted)."""
    return weight_fraction(entry.get("weight", 100))


# The author's answers are the same for every submit of a version, and folding them was a
# tenth of a submit's scoring: each text is folded once per process. A cache of quiz/caches.py's
# kind (its rules hold: the text names all it gives, a str is read only, bounded, and only
# authored texts enter it, never a student's), kept here because this module is pure.
@lru_cache(maxsize=4096)
def folded_answer(text: str) -> str:
    """Fold an authored answer's text, once per text."""
    return fold(text)


def matching_answer(q: dict, answer: str | None) -> dict | None:
    """Return the accepted or known-wrong answer entry that *answer* matches, if any."""
    if not answer:
        return None
    folded = fold(answer)
    for entry in q["answers"] + q.get("wrong_answers", []):
        if folded_answer(entry["text"]) == folded:
            return entry
    return None


class Text(QuestionType):
    """A short typed answer, compared with the accepted answers after folding."""

    name = "text"
    menu = 60
    value_heading = "Typed answer"
    title = "Short answer"
    about = "Students type a short answer, compared ignoring case, accents and punctuation."
    lists = ("answers", "wrong_answers")
    gift = "text"
    typed_key = True

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        for key in ("answers", "wrong_answers"):
            entries = []
            for i, entry in enumerate(check.items(raw, key, required=key == "answers"),
                                      start=1):
                entry = check.mapping(entry, f"{key} {i}")
                text = check.text(entry, "text", field=f"{key} {i}")
                if text is not None and not fold(text):
                    check.add(f"{key} {i}.text", "has no letters or digits to compare")
                entries.append({"text": text,
                                "explanation": check.explained(entry, f"{key} {i}")})
            out[key] = entries
        if raw.get("answers") is not None and not out["answers"]:
            check.add("answers", "needs at least one accepted answer")
        cls.check_weights(raw, check)
        accepted = {fold(a["text"] or "") for a in out["answers"]}
        for w in out["wrong_answers"]:
            if fold(w["text"] or "") in accepted:
                check.add("wrong_answers", f"'{w['text']}' is also an accepted answer")

    @staticmethod
    def check_weights(raw: dict, check: Checker) -> None:
        """Accepted answers earn more than 0 %, known wrong ones 0 % or less (Moodle's rule)."""
        for key, accepted in (("answers", True), ("wrong_answers", False)):
            entries = raw.get(key)
            for i, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
                weight = entry.get("weight") if isinstance(entry, dict) else None
                if not isinstance(weight, (int, float)) or isinstance(weight, bool):
                    continue  # a weight that is no number is reported with the Moodle fields
                if accepted and weight <= 0:
                    check.add(f"{key} {i}.weight", "an accepted answer earns more than 0 %: "
                                                   "make it a known wrong answer instead")
                elif not accepted and weight > 0:
                    check.add(f"{key} {i}.weight", "a known wrong answer earns nothing: give "
                                                   "it 0 or less, or make it accepted")

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        value = single(form, f"q-{q['id']}")
        if value is not None and len(value) > MAX_TEXT_ANSWER:
            raise TamperedResponse(f"answer to {q['id']} is longer than {MAX_TEXT_ANSWER}")
        value = " ".join(value.split()) if value else ""
        return value or None

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        match = matching_answer(q, answer)
        accepted = match is not None and match in q["answers"]
        credit = answer_credit(match) if accepted else Fraction(0)
        return shared_result(q, credit.numerator, credit.denominator, answer is None, {})

    @classmethod
    def key(cls, q: dict) -> Any:
        return q["answers"][0]["text"]

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        match = matching_answer(q, answer)
        weighted = any("weight" in a for a in q["answers"])
        out = []
        if answer:
            accepted = match is not None and match in q["answers"]
            credit = answer_credit(match) if accepted else Fraction(0)
            status = "right" if credit == 1 else "partly" if accepted else "wrong"
            if match is not None:
                explanation, fmt = match["explanation"], match.get("explanation_format")
            elif q.get("catch_all_explanation"):
                # Moodle's "*" feedback: for a typed answer that matched nothing listed.
                explanation = q["catch_all_explanation"]
                fmt = q.get("catch_all_explanation_format")
            else:
                explanation, fmt = NOT_ACCEPTED, None
            out.append(Row(answer, status, "Your answer", None, explanation,
                           credit=credit_text(q, credit) if accepted and weighted else None,
                           explanation_format=fmt))
        best = max((answer_credit(a) for a in q["answers"]), default=Fraction(1))
        for a in q["answers"]:
            if a is not match:
                full = answer_credit(a) == best
                out.append(Row(a["text"], "missed" if match is None and full else "neutral",
                               None, "Accepted answer", a["explanation"],
                               credit=credit_text(q, answer_credit(a)) if weighted else None,
                               explanation_format=a.get("explanation_format")))
        return out

    @classmethod
    def key_rows(cls, q: dict, sentences: list[dict]) -> list[Row]:
        rows = super().key_rows(q, sentences) + [
            Row(w["text"], "neutral", None, "Known wrong answer", w["explanation"],
                explanation_format=w.get("explanation_format"))
            for w in q["wrong_answers"]]
        if q.get("catch_all_explanation"):
            rows.append(Row("(any other answer)", "neutral", None, "Any other answer",
                            q["catch_all_explanation"],
                            explanation_format=q.get("catch_all_explanation_format")))
        return rows

    @classmethod
    def key_texts(cls, q: dict) -> list[tuple[str, str]]:
        return [(f"answers {i}", a["text"]) for i, a in enumerate(q["answers"], start=1)]

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        # Typed answers: grouped the way scoring compares them.
        folded: dict[str, dict] = {}
        for value, n_value in tally.by_part.get(None, {}).items():
            entry = folded.setdefault(fold(str(value)), {"value": value, "n": 0})
            entry["n"] += n_value
        accepted = {fold(a["text"]) for a in tally.q["answers"]}
        n = tally.n
        return sorted(({"value": e["value"], "text": e["value"], "n": e["n"],
                        "share": e["n"] / n if n else 0.0, "right": key in accepted}
                       for key, e in folded.items()), key=lambda c: (-c["n"], c["text"])), []

    @classmethod
    def common_wrong(cls, q: dict, choices: list[dict], parts: list[dict],
                     wrong: tuple[Any, int] | None) -> tuple[str, int] | None:
        top = next((c for c in choices if not c["right"]), None)
        return (top["text"], top["n"]) if top else None

    @classmethod
    def editor_fields(cls) -> dict:
        return {"answers": rows(AnswerRow, 1), "wrong_answers": rows(AnswerRow, 0),
                "catch_all_explanation": TextAreaField(
                    "Feedback for any other answer (optional)", filters=[strip],
                    validators=[Length(max=2000)],
                    description="Shown only to a student whose typed answer matches none of "
                                "the answers above (Moodle's * answer)."),
                "catch_all_explanation_format": HiddenField()}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {key: [{**entry, "weight": weight_text(entry.get("weight"))}
                      for entry in q[key]] for key in ("answers", "wrong_answers")} | {
            "catch_all_explanation": q.get("catch_all_explanation", ""),
            "catch_all_explanation_format": q.get("catch_all_explanation_format", "")}

    @classmethod
    def form_values(cls, form: Any) -> dict:
        values = super().form_values(form)
        if form.catch_all_explanation.data:
            values["catch_all_explanation"] = form.catch_all_explanation.data
            if form.catch_all_explanation_format.data:
                values["catch_all_explanation_format"] = form.catch_all_explanation_format.data
        return values

    @classmethod
    def row_value(cls, name: str, row: RowForm) -> dict:
        value = super().row_value(name, row)
        value["weight"] = weight_value(value["weight"])
        return {key: v for key, v in value.items() if v not in (None, "")}

    @classmethod
    def gift_problem(cls, q: dict) -> str | None:
        items = q.get("answers", []) + q.get("wrong_answers", [])
        # Moodle reads any "=" answer block containing "->" as a matching question.
        if any("->" in item["text"] + item.get("explanation", "") for item in items):
            return "text answers containing '->' cannot be expressed in GIFT"
        return None
