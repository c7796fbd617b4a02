"""Turn a scored attempt into explained rows for the results page.

Pure module: no Flask. Every question becomes a list of `Row`s of one shape, whatever its
type (each type writes its own rows: `questiontypes`), so one template draws them all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .questiontypes import SKILL_NAMES, Row, kind_of, skill_name

__all__ = ["SKILL_NAMES", "QuestionReport", "Row", "explain_attempt", "explain_question",
           "key_rows", "skill_scores"]


@dataclass
class QuestionReport:
    """A question with the student's answer explained."""

    question: dict
    verdict: str
    points: float
    max_points: float
    rows: list[Row]
    evidence: list[int]

    @property
    def neutral_rows(self) -> list[Row]:
        """The rows of answers neither given nor right: "why the others are not right"."""
        return [row for row in self.rows if row.status == "neutral"]


def explain_question(q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
    """Explain one question's answer as rows."""
    return kind_of(q).explain(q, answer, sentences)


def explain_attempt(document: dict, responses: list) -> list[QuestionReport]:
    """Explain every stored response of an attempt, in question order."""
    by_id = {r["question_id"]: r for r in responses}
    reports = []
    for q in document["questions"]:
        r = by_id.get(q["id"])
        answer = json.loads(r["answer"]) if r is not None and r["answer"] else None
        evidence = sorted(set(q["evidence"]) | {n for s in q.get("statements", [])
                                                for n in s["evidence"]})
        reports.append(QuestionReport(
            q, r["verdict"] if r else "blank", r["points"] if r else 0.0,
            r["max_points"] if r else float(q["points"]),
            explain_question(q, answer, document["article"]["sentences"]), evidence))
    return reports


def skill_scores(reports: list[QuestionReport]) -> list[tuple[str, float, float]]:
    """Sum points per skill tag: (skill name, points, max points)."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in reports:
        totals[r.question["skill"]][0] += r.points
        totals[r.question["skill"]][1] += r.max_points
    return [(skill_name(k), p, m) for k, (p, m) in totals.items()]


def key_rows(q: dict, sentences: list[dict]) -> list[Row]:
    """Explain the full-marks answer of a question: the answer key view."""
    return kind_of(q).key_rows(q, sentences)
