"""text: a short typed answer checked against accepted answers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from wtforms import StringField
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
    exact,
    explanation_field,
    fold,
    result,
    rows,
    single,
    strip,
)


class AnswerRow(RowForm):
    text = StringField("Answer", filters=[strip],
                       validators=[DataRequired("Write the answer."), Length(max=200)])
    explanation = explanation_field("this answer is right or wrong")


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
        accepted = {fold(a["text"] or "") for a in out["answers"]}
        for w in out["wrong_answers"]:
            if fold(w["text"] or "") in accepted:
                check.add("wrong_answers", f"'{w['text']}' is also an accepted answer")

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
        right = match is not None and match in q["answers"]
        return result(exact(q["points"]) if right else 0, q, answer is None, {})

    @classmethod
    def key(cls, q: dict) -> Any:
        return q["answers"][0]["text"]

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        match = matching_answer(q, answer)
        out = []
        if answer:
            accepted = match is not None and match in q["answers"]
            explanation = match["explanation"] if match else (
                "This is not one of the accepted answers.")
            out.append(Row(answer, "right" if accepted else "wrong", "Your answer", None,
                           explanation))
        for a in q["answers"]:
            if a is not match:
                out.append(Row(a["text"], "missed" if match is None else "neutral", None,
                               "Accepted answer", a["explanation"]))
        return out

    @classmethod
    def key_rows(cls, q: dict, sentences: list[dict]) -> list[Row]:
        return super().key_rows(q, sentences) + [
            Row(w["text"], "neutral", None, "Known wrong answer", w["explanation"])
            for w in q["wrong_answers"]]

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
        return {"answers": rows(AnswerRow, 1), "wrong_answers": rows(AnswerRow, 0)}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"answers": q["answers"], "wrong_answers": q["wrong_answers"]}

    @classmethod
    def gift_problem(cls, q: dict) -> str | None:
        items = q.get("answers", []) + q.get("wrong_answers", [])
        # Moodle reads any "=" answer block containing "->" as a matching question.
        if any("->" in item["text"] + item.get("explanation", "") for item in items):
            return "text answers containing '->' cannot be expressed in GIFT"
        return None
