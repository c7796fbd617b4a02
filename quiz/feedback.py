"""Turn a scored attempt into explained rows for the results page.

Pure module: no Flask. Every question becomes a list of `Row`s of one shape, whatever its
type, so one template draws them all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .scoring import key_answer, matching_answer

SKILL_NAMES = {
    "source": "Finding the source",
    "attribution": "Attribution",
    "fact-vs-claim": "Fact or claim",
    "hedging": "Hedges",
    "loaded-language": "Loaded language",
    "sourcing-chain": "Sourcing chain",
    "verification": "Checking claims",
}


@dataclass
class Row:
    """One line of feedback: an option, statement, sentence or item."""

    text: str
    status: str  # right, wrong, missed, blank or neutral
    yours: str | None = None
    right: str | None = None
    explanation: str | None = None
    sentences: list[int] = field(default_factory=list)


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


def _choice_rows(q: dict, answer: Any) -> list[Row]:
    chosen = set(answer or []) if q["type"] == "multi" else {answer}
    rows = []
    for o in q["options"]:
        picked = o["id"] in chosen
        status = ("right" if o["correct"] else "wrong") if picked else (
            "missed" if o["correct"] else "neutral")
        rows.append(Row(o["text"], status, "Your answer" if picked else None,
                        "Correct" if o["correct"] else None, o["explanation"]))
    return rows


def _classify_rows(q: dict, answer: Any) -> list[Row]:
    labels = {lab["id"]: lab["text"] for lab in q["labels"]}
    answer = answer or {}
    rows = []
    for s in q["statements"]:
        given = answer.get(s["id"])
        status = "blank" if given is None else "right" if given == s["label"] else "wrong"
        rows.append(Row(s["text"], status, labels.get(given, "No label given"),
                        labels[s["label"]], s["explanation"], s["evidence"]))
    return rows


def _evidence_rows(q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
    chosen = set(answer or [])
    explained = {d["sentence"]: d["explanation"] for d in q["distractors"]}
    right = {a["sentence"]: a["explanation"] for a in q["answers"]}
    rows = []
    for n in sorted(chosen | set(right)):
        text = f"Sentence {n}: {sentences[n - 1]['text']}"
        picked = n in chosen
        status = ("right" if n in right else "wrong") if picked else "missed"
        explanation = right.get(n) or explained.get(n) or q["explanation"]
        rows.append(Row(text, status, "You selected it" if picked else None,
                        "Correct" if n in right else None, explanation, [n]))
    return rows


def _order_rows(q: dict, answer: Any) -> list[Row]:
    answer = answer or {}
    rows = []
    for n, item in enumerate(q["items"], start=1):
        given = answer.get(item["id"])
        status = "blank" if given is None else "right" if given == n else "wrong"
        yours = f"You put it at position {given}" if given else "No position given"
        rows.append(Row(item["text"], status, yours, f"Position {n}", item["explanation"]))
    return rows


def _text_rows(q: dict, answer: Any) -> list[Row]:
    match = matching_answer(q, answer)
    rows = []
    if answer:
        accepted = match is not None and match in q["answers"]
        explanation = match["explanation"] if match else (
            "This is not one of the accepted answers.")
        rows.append(Row(answer, "right" if accepted else "wrong", "Your answer", None,
                        explanation))
    for a in q["answers"]:
        if a is not match:
            rows.append(Row(a["text"], "missed" if match is None else "neutral", None,
                            "Accepted answer", a["explanation"]))
    return rows


def explain_question(q: dict, answer: Any, sentences: list[dict]) -> list[Row]:
    """Explain one question's answer as rows."""
    if q["type"] in ("choice", "multi"):
        return _choice_rows(q, answer)
    if q["type"] == "classify":
        return _classify_rows(q, answer)
    if q["type"] == "evidence":
        return _evidence_rows(q, answer, sentences)
    if q["type"] == "order":
        return _order_rows(q, answer)
    return _text_rows(q, answer)


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
    return [(SKILL_NAMES.get(k, k), p, m) for k, (p, m) in totals.items()]


def key_rows(q: dict, sentences: list[dict]) -> list[Row]:
    """Explain the full-marks answer of a question: the answer key view."""
    rows = explain_question(q, key_answer(q), sentences)
    if q["type"] == "evidence":
        rows += [Row(f"Sentence {d['sentence']}: {sentences[d['sentence'] - 1]['text']}",
                     "neutral", None, None, d["explanation"], [d["sentence"]])
                 for d in q["distractors"]]
    if q["type"] == "text":
        rows += [Row(w["text"], "neutral", None, "Known wrong answer", w["explanation"])
                 for w in q["wrong_answers"]]
    return rows
