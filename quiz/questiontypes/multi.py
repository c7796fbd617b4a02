"""multi: all that apply, with partial credit."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any

from .base import (
    Checker,
    FormData,
    Page,
    Result,
    TamperedResponse,
    exact,
    result,
    share_score,
    weight_fraction,
)
from .choice import Choice, option_values

GUESS_ENUMERATION = 12  # options up to which a weighted guess is scored choice by choice


def stated_weights(options: list[dict]) -> list[float] | None:
    """Return the options' weights in percent when every option has one that agrees with
    its tick (above 0 exactly on the correct ones), else None: equal shares then apply."""
    stated = [option.get("weight") for option in options]
    if all(isinstance(w, (int, float)) and (w > 0) == bool(option.get("correct"))
           for w, option in zip(stated, options, strict=True)):
        return [float(w) for w in stated]
    return None


def percent_weights(options: list[dict]) -> list[float]:
    """Return the weights a `multi` question scores by, in percent, for every option: its
    own when they agree with the ticks, else equal shares (100/k per right, -100/k per wrong)."""
    stated = stated_weights(options)
    if stated is not None:
        return stated
    share = 100 / max(1, sum(bool(option.get("correct")) for option in options))
    return [share if option.get("correct") else -share for option in options]


class Multi(Choice):
    """All that apply, scored as Moodle scores "multiple answers": the chosen options'
    weights add up, clamped to 0-100 % of the points; without weights each right choice
    earns 1/k and each wrong one costs 1/k."""

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
        known = option_values(q, page, values)
        if not set(values) <= known.keys():
            raise TamperedResponse(f"unknown option for {q['id']}")
        ids = sorted(known[v] for v in values)
        # Repeats are counted on the option ids: two values can name one option (a page from
        # before the option values changed sends the old one, `PageKey.options`).
        if len(set(ids)) != len(ids):
            raise TamperedResponse(f"repeated option for {q['id']}")
        return ids

    @classmethod
    def score(cls, q: dict, answer: Any) -> Result:
        credits = cls.credits(q)
        if credits is None:
            return share_score(q, set(answer), set(cls.key(q)))
        chosen = set(answer)
        parts = {o["id"]: "right" if credits[o["id"]] > 0 else "wrong"
                 for o in q["options"] if o["id"] in chosen}
        parts.update({o["id"]: "missed" for o in q["options"]
                      if o["correct"] and o["id"] not in chosen})
        total = sum((credits[c] for c in chosen), Fraction(0))
        return result(exact(q["points"]) * total, q, not chosen, parts)

    @classmethod
    def credits(cls, q: dict) -> dict[str, Fraction] | None:
        """Return each option's weight as a fraction of the points, when they are stated."""
        stated = stated_weights(q["options"])
        if stated is None:
            return None
        return {o["id"]: weight_fraction(w) for o, w in zip(q["options"], stated, strict=True)}

    @classmethod
    def random_guess(cls, q: dict) -> float:
        # Each option ticked or not with even odds, over every non-empty choice (ticking
        # nothing is a blank, not a guess). Equal shares: r right and w wrong ticks score
        # (r - w) / R, at least 0, and C(R, r) * C(W, w) choices tick that many. Stated
        # weights: every choice scored as a student's is (a handful of options: 2^n - 1).
        right = sum(1 for o in q["options"] if o["correct"])
        wrong = len(q["options"]) - right
        if not right or not q["points"]:
            return 0.0
        if cls.credits(q) is not None and len(q["options"]) <= GUESS_ENUMERATION:
            ids = [o["id"] for o in q["options"]]
            ticks = [list(c) for n in range(1, len(ids) + 1) for c in combinations(ids, n)]
            return sum(cls.score(q, t).points for t in ticks) / len(ticks) / q["points"]
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

    @classmethod
    def check_form(cls, form: Any) -> bool:
        """In the editor, weights must be on every option or none, and agree with the ticks."""
        filled = [row.form for row in form["options"] if not row.form.is_blank()]
        weighted = [row for row in filled if row.weight.data]
        if not weighted:
            return True
        ok = True
        for row in filled:
            message = None
            if not row.weight.data:
                message = "Give every option a weight, or leave every weight empty."
            elif not row.weight.errors and (float(row.weight.data) > 0) != row.correct.data:
                message = ("Ticked correct, so give it a weight above 0." if row.correct.data
                           else "Not ticked correct, so give it a weight of 0 or less.")
            if message:
                row.weight.errors = [*row.weight.errors, message]
                ok = False
        return ok
