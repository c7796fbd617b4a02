"""Read a submitted quiz form and score it; the rules of each type are in `questiontypes`.

Pure module: no Flask. Scores are exact inside the types (integer ratios; each Result
keeps its Fraction); a response stores the nearest float, and an attempt's total is the
float of the exact sum (`total`), so three thirds make exactly one. The scoring rules are
documented in README.md ("Scoring").
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Iterable
from typing import Any

from .numbers import small_int
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

__all__ = ["MAX_TEXT_ANSWER", "REGISTRY", "PageKey", "Result", "TamperedResponse",
           "answer_problem", "fold", "form_fields", "is_blank", "key_answer", "matching_answer",
           "read_answers", "score", "score_all", "student_view", "total"]


class PageKey:
    """The opaque values one quiz page gives the options of choice and multi questions.

    Authored option ids follow writing order (the editor and GIFT number them a, b, c...
    and most authors put the right one first), so a page that sent them would give the key
    away. Each value is a MAC of the question and the option under a key of this page alone
    (an HMAC of its submit key under the app's secret): it says nothing about the option,
    and differs on every page.
    """

    def __init__(self, secret: str | bytes, submit_key: str):
        self._secret = secret.encode() if isinstance(secret, str) else secret
        # Keyed once; each MAC copies it (re-keying each was 7 % of a submit's CPU).
        self._keyed = hmac.new(self._secret, digestmod=hashlib.sha256)
        self.submit_key = submit_key
        self._option_key: Any = None

    def _options_keyed(self) -> Any:
        # One HMAC per page keys a BLAKE2b MAC (a keyed hash by design) for its option values:
        # a copy and a digest of it is a fifth of an HMAC's, and a page has about 24 options.
        if self._option_key is None:
            page_secret = self._keyed.copy()
            page_secret.update(f"options:{self.submit_key}".encode())
            self._option_key = hashlib.blake2b(key=page_secret.digest(), digest_size=5)
        return self._option_key

    @classmethod
    def throwaway(cls, submit_key: str = "preview") -> PageKey:
        """Return a key for a page that is never submitted (a teacher's preview)."""
        return cls(secrets.token_bytes(16), submit_key)

    def _mac(self, message: str) -> str:
        mac = self._keyed.copy()
        mac.update(message.encode())
        return mac.hexdigest()

    def token(self, question_id: str, option_id: str) -> str:
        """Return the value this page gives one option."""
        mac = self._options_keyed().copy()
        mac.update(f"{question_id}:{option_id}".encode())
        return mac.hexdigest()

    def options(self, question: dict, sent: Iterable[str] = ()) -> dict[str, str]:
        """Map this page's option values of a question back to the option ids.

        A value *sent* that is none of them is looked up among the values of a page shown
        before option values were BLAKE2b MACs (an HMAC each), so a page open when the
        server was updated still sends its answers. Drop that after the next release.
        """
        qid = question["id"]
        values = {self.token(qid, o["id"]): o["id"] for o in question["options"]}
        if not values.keys() >= set(sent):
            values.update({self._mac(f"{self.submit_key}:{qid}:{o['id']}")[:10]: o["id"]
                           for o in question["options"]})
        return values

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
        kind = kind_of(q)
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


def score(question: dict, answer: Any) -> Result:
    """Score one response."""
    kind = kind_of(question)
    return kind.score(question, kind.blank if is_blank(answer) else answer)


def score_all(document: dict, answers: dict[str, Any]) -> dict[str, Result]:
    """Score every question of a set document; missing answers score 0 as blank."""
    return {q["id"]: score(q, answers.get(q["id"])) for q in document["questions"]}


def total(results: dict[str, Result]) -> float:
    """Return an attempt's points: the exact sum of its responses' points, as a float."""
    # Summed as integers over the common denominator: the same exact sum as adding the
    # Fractions, without normalising after every addition, and int / int is correctly rounded.
    exacts = [r.exact for r in results.values()]
    common = math.lcm(*(e.denominator for e in exacts))
    return sum(e.numerator * (common // e.denominator) for e in exacts) / common


def student_view(question: dict, seed: str, page: PageKey | None = None) -> dict:
    """Return a question as the quiz page may show it: no key, no explanations.

    Options carry *page*'s opaque values; without a page (a preview that is never
    submitted) they get throwaway ones.
    """
    public = {k: question[k] for k in ("id", "type", "prompt", "points")}
    if question.get("format"):  # an imported prompt's format, for the page to show it in
        public["format"] = question["format"]
    public.update(kind_of(question).view(question, seed, page or PageKey.throwaway(seed)))
    return public


def answer_problem(question: dict, answer: Any) -> str | None:
    """Say what a student must fix in an answer before it can be scored (a repeated place)."""
    return kind_of(question).problem(question, answer)


def key_answer(question: dict) -> Any:
    """Return the answer that earns every point of a question."""
    return kind_of(question).key(question)


def form_fields(question: dict, answer: Any, page: PageKey | None = None) -> dict[str, list[str]]:
    """Return the form fields a quiz page sends for *answer* (the inverse of `read`)."""
    return kind_of(question).form_fields(question, answer, page)
