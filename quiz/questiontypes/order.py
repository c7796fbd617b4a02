"""order: put a sourcing chain in order."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from wtforms import HiddenField, StringField
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
    explanation_field,
    fill_ids,
    part_names,
    read_parts,
    rows,
    shared_result,
    shuffled,
    strip,
)


class ItemRow(RowForm):
    id = HiddenField()
    text = StringField("Item", filters=[strip],
                       validators=[DataRequired("Write the item."), Length(max=300)])
    explanation = explanation_field("the item goes here")


class Order(QuestionType):
    """Give each item a position; each pair in the right relative order earns a share."""

    name = "order"
    menu = 50
    value_heading = "Position"
    title = "Put in order"
    about = "Students put 3 to 6 items in order, e.g. a sourcing chain."
    blank = {}
    lists = ("items",)

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        items, seen = [], set()
        for i, entry in enumerate(check.items(raw, "items"), start=1):
            entry = check.mapping(entry, f"item {i}")
            iid, field = check.part_id(entry, "item", i, seen)
            items.append({"id": iid, "text": check.text(entry, "text", field=field),
                          "explanation": check.explained(entry, field)})
        if raw.get("items") is not None and not 3 <= len(items) <= 6:
            check.add("items", f"has {len(items)} items; an order question needs 3 to 6")
        out["items"] = items

    @classmethod
    def names(cls, q: dict) -> list[str]:
        return part_names(q, q["items"])

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        positions = {str(n) for n in range(1, len(q["items"]) + 1)}
        read = read_parts(q, form, q["items"], positions, "position")
        return {item_id: int(value) for item_id, value in read.items()}

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        ids = [i["id"] for i in q["items"]]
        pairs = list(combinations(ids, 2))  # (a, b): a comes before b in the key
        good = sum(1 for a, b in pairs
                   if a in answer and b in answer and answer[a] < answer[b])
        expected = cls.key(q)
        parts = {iid: ("blank" if iid not in answer else
                       "right" if answer[iid] == expected[iid] else "wrong") for iid in ids}
        return shared_result(q, good, len(pairs), not answer, parts)

    @classmethod
    def view(cls, q: dict, seed: str, page: Page) -> dict:
        return {"items": [{"id": i["id"], "text": i["text"]}
                          for i in shuffled(q["items"], seed, q, always=True)]}

    @classmethod
    def problem(cls, q: dict, answer: Any) -> str | None:
        answer = answer or {}
        if len(set(answer.values())) != len(answer):
            return "Each position can be used only once."
        return None

    @classmethod
    def key(cls, q: dict) -> Any:
        return {item["id"]: n for n, item in enumerate(q["items"], start=1)}

    @classmethod
    def explain(cls, q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
        answer = answer or {}
        out = []
        for n, item in enumerate(q["items"], start=1):
            given = answer.get(item["id"])
            status = "blank" if given is None else "right" if given == n else "wrong"
            yours = f"You put it at position {given}" if given else "No position given"
            out.append(Row(item["text"], status, yours, f"Position {n}", item["explanation"],
                           correction=f"Position {n}"))
        return out

    @classmethod
    def value_text(cls, q: dict, value: Any) -> str:
        return f"Position {value}"

    @classmethod
    def describe(cls, q: dict, answer: Any) -> str:
        items = {i["id"]: i["text"] for i in q["items"]}
        return " → ".join(items.get(k, k) for k, _ in sorted(answer.items(), key=lambda kv: kv[1]))

    @classmethod
    def right_values(cls, q: dict) -> dict[str | None, set]:
        return {i["id"]: {n} for n, i in enumerate(q["items"], start=1)}

    @classmethod
    def random_guess(cls, q: dict) -> float:
        # A random order puts each pair the right way round half the time.
        return 0.5

    @classmethod
    def summary_rows(cls, tally: Tally) -> tuple[list[dict], list[dict]]:
        q = tally.q
        return [], [{"text": i["text"], "right_text": f"Position {n}",
                     "choices": tally.rows(i["id"], list(range(1, len(q["items"]) + 1)))}
                    for n, i in enumerate(q["items"], start=1)]

    @classmethod
    def editor_fields(cls) -> dict:
        return {"items": rows(ItemRow, 3, 6)}

    @classmethod
    def form_data(cls, q: dict) -> dict:
        return {"items": [dict(i) for i in q["items"]]}

    @classmethod
    def prepare(cls, form: Any) -> None:
        fill_ids(form["items"], None)
