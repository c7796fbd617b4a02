"""Read a submitted quiz form and score it; the rules of each type are in `questiontypes`.

Pure module: no Flask. Scores are exact fractions inside the types; a response stores the
nearest float, and an attempt's total is the float of the exact sum (`total`), so three
thirds make exactly one. The scoring rules are documented in README.md ("Scoring").
"""

from __future__ import annotations

from typing import Any

from .questiontypes import REGISTRY, kind_of
from .questiontypes.base import (
    MAX_TEXT_ANSWER,
    FormData,
    Result,
    TamperedResponse,
    fold,
    is_blank,
)
from .questiontypes.text import matching_answer

__all__ = ["MAX_TEXT_ANSWER", "REGISTRY", "Result", "TamperedResponse", "fold", "form_fields",
           "is_blank", "key_answer", "matching_answer", "answer_problem", "read_answers",
           "score", "score_all", "student_view", "total"]


def read_answers(document: dict, form: FormData) -> dict[str, Any]:
    """Read every answer of a submitted quiz form; raise TamperedResponse on a forged one."""
    expected = set()
    answers = {}
    n_sentences = len(document["article"]["sentences"])
    for q in document["questions"]:
        kind = kind_of(q)
        expected.update(kind.names(q))
        answers[q["id"]] = kind.read(q, form, n_sentences)
    stray = {k for k in getattr(form, "keys", lambda: [])() if k.startswith("q-")} - expected
    if stray:
        raise TamperedResponse(f"unknown fields {sorted(stray)}")
    return answers


def score(question: dict, answer: Any) -> Result:
    """Score one response."""
    kind = kind_of(question)
    return kind.score(question, kind.blank if is_blank(answer) else answer)


def score_all(document: dict, answers: dict[str, Any]) -> dict[str, Result]:
    """Score every question of a set document; missing answers score 0 as blank."""
    return {q["id"]: score(q, answers.get(q["id"])) for q in document["questions"]}


def total(results: dict[str, Result]) -> float:
    """Return an attempt's points: the exact sum of its responses' points, as a float."""
    return float(sum(r.exact for r in results.values()))


def student_view(question: dict, seed: str) -> dict:
    """Return a question as the quiz page may show it: no key, no explanations."""
    public = {k: question[k] for k in ("id", "type", "prompt", "points")}
    public.update(kind_of(question).view(question, seed))
    return public


def answer_problem(question: dict, answer: Any) -> str | None:
    """Say what a student must fix in an answer before it can be scored (a repeated place)."""
    return kind_of(question).problem(question, answer)


def key_answer(question: dict) -> Any:
    """Return the answer that earns every point of a question."""
    return kind_of(question).key(question)


def form_fields(question: dict, answer: Any) -> dict[str, list[str]]:
    """Return the form fields a quiz page sends for *answer* (the inverse of `read`)."""
    if is_blank(answer):
        return {}
    name = f"q-{question['id']}"
    if isinstance(answer, dict):  # one field per statement or item
        return {f"{name}-{key}": [str(value)] for key, value in answer.items()}
    if isinstance(answer, list):
        return {name: [str(v) for v in answer]}
    return {name: [str(answer)]}
