"""classify: each statement gets one label from a set the question defines."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .base import (
    NUMBERS,
    NUMBERS_MESSAGE,
    Checker,
    FormData,
    Page,
    QuestionType,
    Result,
    Row,
    RowForm,
    Tally,
    explanation_field,
    fill_ids,
    numbered,
    numbers,
    numbers_text,
    part_names,
    read_parts,
    rows,
    shared_result,
    shuffled,
    strip,
)


class LabelRow(RowForm):
    TYPED = ("text",)
    id = HiddenField()
    text = StringField("Label", filters=[strip],
                       validators=[DataRequired("Write the label."), Length(max=100)])


class StatementRow(RowForm):
    TYPED = ("text", "explanation", "evidence")
    id = HiddenField()
    text = StringField("Statement", filters=[strip],
                       validators=[DataRequired("Write the statement."), Length(max=500)])
    label = SelectField("Correct label", validators=[DataRequired("Choose the correct label.")])
    explanation = explanation_field("this statement gets this label")
    evidence = StringField("Deciding sentences (optional)", filters=[strip],
                           validators=[Optional(), Regexp(NUMBERS, message=NUMBERS_MESSAGE)])


class Classify(QuestionType):
    """Each statement gets one label; each is worth an equal share."""

    name = "classify"
    menu = 30
    value_heading = "Label"
    title = "Sort statements"
    about = "Students give each statement a label, e.g. fact or claim."
    blank = {}
    lists = ("labels", "statements")

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        labels = []
        for i, entry in enumerate(check.items(raw, "labels"), start=1):
            entry = check.mapping(entry, f"label {i}")
            lid = str(entry.get("id", ""))
            if not check.valid_id(lid):
                check.add(f"label {i}.id", "is required: letters, digits, '-' or '_'")
            labels.append({"id": lid, "text": check.text(entry, "text", field=f"label {i}")})
        ids = [lab["id"] for lab in labels]
        if labels and not 2 <= len(labels) <= 6:
            check.add("labels", f"has {len(labels)} labels; a classify question needs 2 to 6")
        if len(set(ids)) != len(ids):
            check.add("labels", "two labels share an id")
        statements, seen = [], set()
        for i, entry in enumerate(check.items(raw, "statements"), start=1):
            entry = check.mapping(entry, f"statement {i}")
            sid, field = check.part_id(entry, "statement", i, seen)
            if entry.get("label") not in ids:
                check.add(f"{field}.label", f"'{entry.get('label')}' is not one of the labels "
                                            f"({', '.join(ids)})")
            statements.append({
                "id": sid,
                "text": check.text(entry, "text", field=field),
                "label": entry.get("label"),
                "explanation": check.explained(entry, field),
                "evidence": check.sentences(entry.get("evidence"), f"{field}.evidence"),
            })
        out["labels"], out["statements"] = labels, statements

    @classmethod
    def export(cls, q: dict, out: dict) -> None:
        for statement in out.get("statements", []):
            if not statement["evidence"]:
                del statement["evidence"]

    @classmethod
    def names(cls, q: dict) -> list[str]:
        return part_names(q, q["statements"])

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        return read_parts(q, form, q["statements"], {lab["id"] for lab in q["labels"]},
                          "label")

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        parts = {s["id"]: ("right" if answer.get(s["id"]) == s["label"] else
                           "wrong" if s["id"] in answer else "blank") for s in q["statements"]}
        right = sum(1 for v in parts.values() if v == "right")
        return shared_result(q, right, len(q["statements"]), not answer, parts)

    @classmethod
    def view(cls, q: dict, seed: str, page: Page) -> dict:
        return {"labels": q["labels"],
                "statements": [{"id": s["id"], "text": s["text"]}
                               for s in shuffled(q["statements"], seed, q)]}

    @classmethod
    def key(cls, q: dict) -> Any:
        return {s["id"]: s["label"] for s in q["statements"]}

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        labels = {lab["id"]: lab["text"] for lab in q["labels"]}
        answer = answer or {}
        out = []
        for s in q["statements"]:
            given = answer.get(s["id"])
            status = "blank" if given is None else "right" if given == s["label"] else "wrong"
            right = labels[s["label"]]
            out.append(Row(s["text"], status, labels.get(given, "No label given"), right,
                           s["explanation"], s["evidence"], correction=right))
        return out

    @classmethod
    def value_text(cls, q: dict, value: Any) -> str:
        return next((lab["text"] for lab in q["labels"] if lab["id"] == value), str(value))

    @classmethod
    def describe(cls, q: dict, answer: Any) -> str:
        statements = {s["id"]: s["text"] for s in q["statements"]}
        return "; ".join(f"{statements.get(k, k)}: {cls.value_text(q, v)}"
                         for k, v in answer.items())

    @classmethod
    def right_values(cls, q: dict) -> dict[str | None, set]:
        return {s["id"]: {s["label"]} for s in q["statements"]}

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        q = tally.q
        return [], [{"text": s["text"], "right_text": cls.value_text(q, s["label"]),
                     "choices": tally.rows(s["id"], [lab["id"] for lab in q["labels"]])}
                    for s in q["statements"]]

    @classmethod
    def common_wrong(cls, q: dict, choices: list[dict], parts: list[dict],
                     wrong: tuple[Any, int] | None) -> tuple[str, int] | None:
        worst = max(((p["text"], c) for p in parts for c in p["choices"]
                     if not c["right"] and c["n"]), key=lambda pc: pc[1]["n"], default=None)
        if worst is None:
            return None
        return f"“{worst[0]}” labelled {worst[1]['text']}", worst[1]["n"]

    @classmethod
    def distractors(cls, q: dict) -> list[tuple[str | None, Any, str]]:
        # Each wrong label of each statement.
        return [(s["id"], lab["id"], f"“{s['text']}” labelled {lab['text']}")
                for s in q["statements"] for lab in q["labels"] if lab["id"] != s["label"]]

    @classmethod
    def random_guess(cls, q: dict) -> float:
        # Every statement given a label at random: each is right once in len(labels).
        return 1 / len(q["labels"]) if q["labels"] else 0.0

    @classmethod
    def labelled_parts(cls, q: dict) -> list[tuple[str, str]]:
        return [(s["id"], s["label"]) for s in q["statements"]]

    @classmethod
    def editor_fields(cls) -> dict:
        return {"shuffle": BooleanField("Shuffle the statements for each student"),
                "labels": rows(LabelRow, 2, 6), "statements": rows(StatementRow, 2)}

    @classmethod
    def new_data(cls) -> dict:
        return {"labels": [{"id": "fact", "text": "Verified fact"},
                           {"id": "claim", "text": "Attributed claim"}]}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"labels": [dict(lab) for lab in q["labels"]],
                "statements": [dict(s, evidence=numbers_text(s["evidence"]))
                               for s in q["statements"]]}

    @classmethod
    def prepare(cls, form: Any) -> None:
        fill_ids(form["labels"], numbered("l"))
        fill_ids(form["statements"], numbered("s"))
        choices = [SelectChoice("", "Choose a label")] + [
            SelectChoice(row.form.id.data, row.form.text.data or f"Label {n} (no text yet)")
            for n, row in enumerate(form["labels"], start=1)]
        for row in form["statements"]:
            row.form.label.choices = choices

    @classmethod
    def row_value(cls, name: str, row: RowForm) -> dict:
        value = super().row_value(name, row)
        if name == "statements":
            value["evidence"] = numbers(value["evidence"])
        return value
