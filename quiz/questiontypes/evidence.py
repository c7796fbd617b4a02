"""evidence: select the sentences of the article that show something."""

from __future__ import annotations

from typing import Any

from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from ..numbers import small_int
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
    explanation_field,
    rows,
    sentence_text,
    share_score,
    strip,
)


class SentenceRow(RowForm):
    TYPED = ("sentence", "explanation")
    sentence = StringField("Sentence number", filters=[strip], validators=[
        DataRequired("Write a sentence number."),
        Regexp(r"^[0-9]{1,4}$", message="Write one sentence number, e.g. 4.")])
    explanation = explanation_field("this sentence is or is not the one")


class Evidence(QuestionType):
    """Select sentences of the article; scored like multi over the sentences."""

    name = "evidence"
    menu = 40
    value_heading = "Sentence"
    title = "Find the sentence"
    about = "Students select the sentences of the article that show something."
    blank = []
    lists = ("answers", "distractors")
    sentence_choices = True
    evidence_hint = "For this type, leave it empty to use the answer sentences."

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        out["answers"] = _entries(raw, "answers", check, required=True)
        out["distractors"] = _entries(raw, "distractors", check, required=False)
        right = [a["sentence"] for a in out["answers"]]
        wrong = [d["sentence"] for d in out["distractors"]]
        if len(set(right)) != len(right) or set(right) & set(wrong):
            check.add("answers", "a sentence is listed twice (as an answer or a distractor)")
        if raw.get("answers") is not None and not out["answers"]:
            check.add("answers", "needs at least one sentence")
        if not out["evidence"]:
            out["evidence"] = [s for s in right if s]

    @classmethod
    def export(cls, q: dict, out: dict) -> None:
        if q["evidence"] == [a["sentence"] for a in q["answers"]]:
            out.pop("evidence", None)

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        numbers = sorted(small_int(v, n_sentences) or 0 for v in form.getlist(f"q-{q['id']}"))
        if numbers and numbers[0] < 1:
            raise TamperedResponse(f"unknown sentence for {q['id']}")
        if len(set(numbers)) != len(numbers):
            raise TamperedResponse(f"repeated sentence for {q['id']}")
        return numbers

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        return share_score(q, set(answer), set(cls.key(q)))

    @classmethod
    def key(cls, q: dict) -> Any:
        return sorted(a["sentence"] for a in q["answers"])

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        chosen = set(answer or [])
        explained = {d["sentence"]: d["explanation"] for d in q["distractors"]}
        right = {a["sentence"]: a["explanation"] for a in q["answers"]}
        out = []
        for n in sorted(chosen | set(right)):
            picked = n in chosen
            status = ("right" if n in right else "wrong") if picked else "missed"
            explanation = right.get(n) or explained.get(n) or q["explanation"]
            out.append(Row(sentence_text(sentences, n), status,
                           "You selected it" if picked else None,
                           "Correct" if n in right else None, explanation, [n]))
        return out

    @classmethod
    def key_rows(cls, q: dict, sentences: list[dict]) -> list[Row]:
        return super().key_rows(q, sentences) + [
            Row(sentence_text(sentences, d["sentence"]), "neutral", None, None,
                d["explanation"], [d["sentence"]]) for d in q["distractors"]]

    @classmethod
    def value_text(cls, q: dict, value: Any) -> str:
        return f"Sentence {value}"

    @classmethod
    def describe(cls, q: dict, answer: Any) -> str:
        return "; ".join(cls.value_text(q, v) for v in answer)

    @classmethod
    def right_values(cls, q: dict) -> dict[str | None, set]:
        return {None: {a["sentence"] for a in q["answers"]}}

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        q = tally.q
        return tally.rows(None, sorted({a["sentence"] for a in q["answers"]} |
                                       {d["sentence"] for d in q["distractors"]})), []

    @classmethod
    def editor_fields(cls) -> dict:
        return {"answers": rows(SentenceRow, 1), "distractors": rows(SentenceRow, 0)}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        data = {key: [{"sentence": str(e["sentence"]), "explanation": e["explanation"]}
                      for e in q[key]] for key in ("answers", "distractors")}
        if q["evidence"] == [a["sentence"] for a in q["answers"]]:
            data["evidence"] = ""  # the default: left empty, it follows the answers
        return data

    @classmethod
    def row_value(cls, name: str, row: RowForm) -> dict:
        value = super().row_value(name, row)
        value["sentence"] = int(value["sentence"])
        return value


def _entries(q: dict, key: str, check: Checker, *, required: bool) -> list[dict]:
    entries = []
    for i, raw in enumerate(check.items(q, key, required=required), start=1):
        raw = check.mapping(raw, f"{key} {i}")
        numbers = check.sentences(raw.get("sentence"), f"{key} {i}.sentence")
        if raw.get("sentence") is None:
            check.add(f"{key} {i}.sentence", "is required: a sentence number")
        entries.append({
            "sentence": numbers[0] if numbers else None,
            "explanation": check.explained(raw, f"{key} {i}"),
        })
    return entries
