"""Score responses to questions; read responses from a submitted form.

Pure module: no Flask. Each question type is one small class in `TYPES` with three jobs:
read the student's answer from form data (refusing a tampered form), score it, and give the
question as a student may see it before submitting (no key, no explanations).
The scoring rules are documented in README.md ("Scoring").
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Protocol

from .numbers import small_int

MAX_TEXT_ANSWER = 200
_EPSILON = 1e-9


class TamperedResponse(ValueError):
    """The form holds something the quiz page could not have sent.

    `answers` holds every answer that could be read (None for the others) and `questions`
    the ids of the questions whose fields were changed, so a page can give the rest back.
    """

    def __init__(self, message: str, answers: dict | None = None,
                 questions: tuple[str, ...] = ()):
        super().__init__(message)
        self.answers = answers or {}
        self.questions = questions


class PageKey:
    """The opaque values one quiz page gives the options of choice and multi questions.

    Authored option ids follow writing order (the editor and GIFT number them a, b, c...
    and most authors put the right one first), so a page that sent them would give the key
    away. Each value is an HMAC of the page's submit key, the question and the option
    under the app's secret: it says nothing about the option, and differs on every page.
    """

    def __init__(self, secret: str | bytes, submit_key: str):
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self.submit_key = submit_key

    @classmethod
    def throwaway(cls, submit_key: str = "preview") -> PageKey:
        """Return a key for a page that is never submitted (a teacher's preview)."""
        return cls(secrets.token_bytes(16), submit_key)

    def _mac(self, message: str) -> str:
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

    def token(self, question_id: str, option_id: str) -> str:
        """Return the value this page gives one option."""
        return self._mac(f"{self.submit_key}:{question_id}:{option_id}")[:10]

    def options(self, question: dict) -> dict[str, str]:
        """Map this page's option values of a question back to the option ids."""
        return {self.token(question["id"], o["id"]): o["id"] for o in question["options"]}

    def sign_version(self, version_id: int) -> str:
        """Return the value that names the set version this page shows."""
        return f"{version_id}.{self._mac(f'version:{self.submit_key}:{version_id}')[:20]}"

    def version(self, signed: str | None) -> int | None:
        """Return the version id of a value made by `sign_version` for this page, else None."""
        version_id = small_int((signed or "").partition(".")[0])
        if version_id is None or not hmac.compare_digest(self.sign_version(version_id),
                                                         signed or ""):
            return None
        return version_id


class FormData(Protocol):
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Result:
    """The score of one response; `parts` gives a verdict per option, statement or item."""

    points: float
    max_points: float
    verdict: str  # right, partly, wrong or blank
    parts: dict[str, str] = field(default_factory=dict)


def fold(text: str) -> str:
    """Fold case, accents, punctuation and white space, for comparing typed answers."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LN")


def _result(points: float, question: dict, blank: bool, parts: dict[str, str]) -> Result:
    top = float(question["points"])
    points = max(0.0, min(top, points))
    if blank:
        verdict = "blank"
    elif points >= top - _EPSILON:
        verdict = "right"
    elif points <= _EPSILON:
        verdict = "wrong"
    else:
        verdict = "partly"
    return Result(round(points, 4), top, verdict, parts)


def _single(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    if len(values) > 1:
        raise TamperedResponse(f"{name} was sent {len(values)} times")
    return values[0] if values and values[0] != "" else None


def _part_names(q: dict, parts: list[dict]) -> list[str]:
    return [f"q-{q['id']}-{part['id']}" for part in parts]


def _read_parts(q: dict, form: FormData, parts: list[dict], allowed: set[str],
                what: str) -> dict[str, str]:
    """Read one field per statement or item, each one of *allowed*; leave out blank ones."""
    answer = {}
    for part, name in zip(parts, _part_names(q, parts), strict=True):
        value = _single(form, name)
        if value is None:
            continue
        if value not in allowed:
            raise TamperedResponse(f"unknown {what} {value!r} for {q['id']}")
        answer[part["id"]] = value
    return answer


def _shuffled(entries: list[dict], seed: str, question: dict, always: bool = False) -> list:
    if not (always or question.get("shuffle")):
        return list(entries)
    entries = list(entries)
    # Display order only: a predictable shuffle is fine, and repeatable for one page.
    random.Random(f"{seed}:{question['id']}").shuffle(entries)  # noqa: S311  # nosec B311
    return entries


class QuestionType:
    """What every type does; by default a question sends one form field, named after it."""

    @staticmethod
    def names(q: dict) -> list[str]:
        """Return the form fields this question sends."""
        return [f"q-{q['id']}"]

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        """Return the answer in the form; raise TamperedResponse if it cannot be one."""
        raise NotImplementedError

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        """Score an answer read by `read`."""
        raise NotImplementedError

    @staticmethod
    def view(q: dict, seed: str, page: PageKey) -> dict:
        """Return what the quiz page shows beyond the prompt (never the key)."""
        return {}


class Choice(QuestionType):
    """One correct option."""

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        value = _single(form, f"q-{q['id']}")
        known = _option_values(q, page)
        if value is not None and value not in known:
            raise TamperedResponse(f"unknown option {value!r} for {q['id']}")
        return None if value is None else known[value]

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        right = next(o["id"] for o in q["options"] if o["correct"])
        parts = {answer: "right" if answer == right else "wrong"} if answer else {}
        return _result(q["points"] if answer == right else 0, q, answer is None, parts)

    @staticmethod
    def view(q: dict, seed: str, page: PageKey) -> dict:
        # Only the page's opaque value and the text: nothing derived from the option id. The
        # order is shuffled even when the set says not to: authors tend to write the right
        # option first, so a fixed order would give the key away as surely as the ids.
        return {"options": [{"value": page.token(q["id"], o["id"]), "text": o["text"]}
                            for o in _shuffled(q["options"], seed, q, always=True)]}


class Multi(Choice):
    """All that apply: each right choice earns 1/k, each wrong one costs 1/k, floor 0."""

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        values = form.getlist(f"q-{q['id']}")
        known = _option_values(q, page)
        if len(set(values)) != len(values) or not set(values) <= known.keys():
            raise TamperedResponse(f"unknown or repeated option for {q['id']}")
        return sorted(known[v] for v in values)

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        right = {o["id"] for o in q["options"] if o["correct"]}
        return _share_score(q, set(answer), right)


def _option_values(q: dict, page: PageKey | None) -> dict[str, str]:
    """Map the values a form may send for a question's options to the option ids."""
    if page is None:  # answers given by option id: tests and scripts, never a quiz page
        return {o["id"]: o["id"] for o in q["options"]}
    return page.options(q)


def _share_score(q: dict, chosen: set, right: set) -> Result:
    parts = {str(c): "right" if c in right else "wrong" for c in chosen}
    parts.update({str(r): "missed" for r in right - chosen})
    net = len(chosen & right) - len(chosen - right)
    return _result(q["points"] * net / len(right), q, not chosen, parts)


class Evidence(QuestionType):
    """Select sentences of the article; scored like multi over the sentences."""

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        numbers = sorted(small_int(v, n_sentences) or 0 for v in form.getlist(f"q-{q['id']}"))
        if numbers and numbers[0] < 1:
            raise TamperedResponse(f"unknown sentence for {q['id']}")
        if len(set(numbers)) != len(numbers):
            raise TamperedResponse(f"repeated sentence for {q['id']}")
        return numbers

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        return _share_score(q, set(answer), {a["sentence"] for a in q["answers"]})


class Classify(QuestionType):
    """Each statement gets one label; each is worth an equal share."""

    @staticmethod
    def names(q: dict) -> list[str]:
        return _part_names(q, q["statements"])

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        return _read_parts(q, form, q["statements"], {lab["id"] for lab in q["labels"]},
                           "label")

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        parts = {s["id"]: ("right" if answer.get(s["id"]) == s["label"] else
                           "wrong" if s["id"] in answer else "blank") for s in q["statements"]}
        right = sum(1 for v in parts.values() if v == "right")
        return _result(q["points"] * right / len(q["statements"]), q, not answer, parts)

    @staticmethod
    def view(q: dict, seed: str, page: PageKey) -> dict:
        return {"labels": q["labels"],
                "statements": [{"id": s["id"], "text": s["text"]}
                               for s in _shuffled(q["statements"], seed, q)]}


class Order(QuestionType):
    """Give each item a position; each pair in the right relative order earns a share."""

    @staticmethod
    def names(q: dict) -> list[str]:
        return _part_names(q, q["items"])

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        positions = {str(n) for n in range(1, len(q["items"]) + 1)}
        read = _read_parts(q, form, q["items"], positions, "position")
        return {item_id: int(value) for item_id, value in read.items()}

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        ids = [i["id"] for i in q["items"]]
        pairs = list(combinations(ids, 2))  # (a, b): a comes before b in the key
        good = sum(1 for a, b in pairs
                   if a in answer and b in answer and answer[a] < answer[b])
        expected = {iid: n for n, iid in enumerate(ids, start=1)}
        parts = {iid: ("blank" if iid not in answer else
                       "right" if answer[iid] == expected[iid] else "wrong") for iid in ids}
        return _result(q["points"] * good / len(pairs), q, not answer, parts)

    @staticmethod
    def view(q: dict, seed: str, page: PageKey) -> dict:
        return {"items": [{"id": i["id"], "text": i["text"]}
                          for i in _shuffled(q["items"], seed, q, always=True)]}


class Text(QuestionType):
    """A short typed answer, compared with the accepted answers after folding."""

    @staticmethod
    def read(q: dict, form: FormData, n_sentences: int, page: PageKey | None) -> Any:
        value = _single(form, f"q-{q['id']}")
        if value is not None and len(value) > MAX_TEXT_ANSWER:
            raise TamperedResponse(f"answer to {q['id']} is longer than {MAX_TEXT_ANSWER}")
        value = " ".join(value.split()) if value else ""
        return value or None

    @staticmethod
    def score(q: dict, answer: Any) -> Result:
        match = matching_answer(q, answer)
        right = match is not None and match in q["answers"]
        return _result(q["points"] if right else 0, q, answer is None, {})


def matching_answer(q: dict, answer: str | None) -> dict | None:
    """Return the accepted or known-wrong answer entry that *answer* matches, if any."""
    if not answer:
        return None
    folded = fold(answer)
    for entry in q["answers"] + q.get("wrong_answers", []):
        if fold(entry["text"]) == folded:
            return entry
    return None


TYPES: dict[str, type[QuestionType]] = {
    "choice": Choice,
    "multi": Multi,
    "classify": Classify,
    "evidence": Evidence,
    "order": Order,
    "text": Text,
}


def read_answers(document: dict, form: FormData, page: PageKey | None = None) -> dict[str, Any]:
    """Read every answer of a submitted quiz form; raise TamperedResponse on a forged one.

    *page* is the key of the quiz page that sent the form; without it, choice and multi
    answers are read as option ids (tests and scripts).
    """
    expected = set()
    answers: dict[str, Any] = {}
    changed: dict[str, str] = {}
    n_sentences = len(document["article"]["sentences"])
    for q in document["questions"]:
        kind = TYPES[q["type"]]
        expected.update(kind.names(q))
        try:
            answers[q["id"]] = kind.read(q, form, n_sentences, page)
        except TamperedResponse as exc:  # read the rest, so a page can give them back
            answers[q["id"]], changed[q["id"]] = None, str(exc)
    stray = {k for k in getattr(form, "keys", lambda: [])() if k.startswith("q-")} - expected
    if stray:
        changed[""] = f"unknown fields {sorted(stray)}"
    if changed:
        raise TamperedResponse("; ".join(changed.values()), answers,
                               tuple(qid for qid in changed if qid))
    return answers


def is_blank(answer: Any) -> bool:
    """Say whether a response gives no answer at all."""
    return answer in (None, "", [], {})


def score(question: dict, answer: Any) -> Result:
    """Score one response."""
    if is_blank(answer):
        empty = {"choice": None, "text": None, "multi": [], "evidence": []}.get(
            question["type"], {})
        return TYPES[question["type"]].score(question, empty)
    return TYPES[question["type"]].score(question, answer)


def score_all(document: dict, answers: dict[str, Any]) -> dict[str, Result]:
    """Score every question of a set document; missing answers score 0 as blank."""
    return {q["id"]: score(q, answers.get(q["id"])) for q in document["questions"]}


def student_view(question: dict, seed: str, page: PageKey | None = None) -> dict:
    """Return a question as the quiz page may show it: no key, no explanations.

    Options carry *page*'s opaque values; without a page (a preview that is never
    submitted) they get throwaway ones.
    """
    public = {k: question[k] for k in ("id", "type", "prompt", "points")}
    public.update(TYPES[question["type"]].view(question, seed, page or PageKey.throwaway(seed)))
    return public


def order_problem(question: dict, answer: Any) -> str | None:
    """Say what is wrong with an order answer that uses one position twice."""
    if question["type"] == "order" and len(set(answer.values())) != len(answer):
        return "Each position can be used only once."
    return None


def key_answer(question: dict) -> Any:
    """Return the answer that earns every point of a question."""
    kind = question["type"]
    if kind == "choice":
        return next(o["id"] for o in question["options"] if o["correct"])
    if kind == "multi":
        return sorted(o["id"] for o in question["options"] if o["correct"])
    if kind == "classify":
        return {s["id"]: s["label"] for s in question["statements"]}
    if kind == "evidence":
        return sorted(a["sentence"] for a in question["answers"])
    if kind == "order":
        return {item["id"]: n for n, item in enumerate(question["items"], start=1)}
    return question["answers"][0]["text"]


def form_fields(question: dict, answer: Any, page: PageKey | None = None) -> dict[str, list[str]]:
    """Return the form fields a quiz page sends for *answer* (the inverse of `read`)."""
    if is_blank(answer):
        return {}
    name = f"q-{question['id']}"
    if page is not None and question["type"] in ("choice", "multi"):
        values = [page.token(question["id"], o) for o in
                  (answer if isinstance(answer, list) else [answer])]
        return {name: values}
    if isinstance(answer, dict):  # classify and order: one field per statement or item
        return {f"{name}-{key}": [str(value)] for key, value in answer.items()}
    if isinstance(answer, list):
        return {name: [str(v) for v in answer]}
    return {name: [str(answer)]}
