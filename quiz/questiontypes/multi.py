"""multi: all that apply, with partial credit."""

from __future__ import annotations

from math import comb
from typing import Any

from .base import Checker, FormData, Page, Result, TamperedResponse, share_score
from .choice import Choice, option_values


class Multi(Choice):
    """All that apply: each right choice earns 1/k, each wrong one costs 1/k, floor 0."""

    name = "multi"
    menu = 20
    title = "All that apply"
    about = "Students tick every correct option; several can be right."
    blank = []
    gift = "multi"
    one_right_option = False

    @classmethod
    def parse(cls, raw: dict, out: dict, check: Checker) -> None:
        out["options"] = cls.parse_options(raw, check)
        if out["options"] and not any(o["correct"] for o in out["options"]):
            check.add("options", "no option is marked correct; 'multi' needs at least one")

    @classmethod
    def read(cls, q: dict, form: FormData, n_sentences: int, page: Page | None) -> Any:
        values = form.getlist(f"q-{q['id']}")
        known = option_values(q, page)
        if len(set(values)) != len(values) or not set(values) <= known.keys():
            raise TamperedResponse(f"unknown or repeated option for {q['id']}")
        return sorted(known[v] for v in values)

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        return share_score(q, set(answer), set(cls.key(q)))

    @classmethod
    def random_guess(cls, q: dict) -> float:
        # Each option ticked or not with even odds, over every non-empty choice (ticking
        # nothing is a blank, not a guess): r right and w wrong ticks score (r - w) / R, at
        # least 0, as share_score does; C(R, r) * C(W, w) choices tick that many.
        right = sum(1 for o in q["options"] if o["correct"])
        wrong = len(q["options"]) - right
        if not right:
            return 0.0
        total = sum(comb(right, r) * comb(wrong, w) * max(0, r - w) / right
                    for r in range(right + 1) for w in range(wrong + 1))
        return total / (2 ** (right + wrong) - 1)

    @classmethod
    def key(cls, q: dict) -> Any:
        return sorted(o["id"] for o in q["options"] if o["correct"])

    @classmethod
    def chosen(cls, answer: Any) -> set:
        return set(answer or [])

    @classmethod
    def describe(cls, q: dict, answer: Any) -> str:
        return "; ".join(cls.value_text(q, v) for v in answer)
