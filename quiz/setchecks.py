"""Find answers a question set gives away: by option length, or printed elsewhere on the page.

Pure module: no Flask. `findings(document)` takes a set document (what
`quiz.questionsets.parse_set` returns) and lists each give-away as a `Finding` naming the
question and the field. These are warnings: a set with findings is still a valid set.
The rules are documented in questions/README.md ("Give-aways").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .questiontypes import kind_of

# The correct option may be the longest in at most this share of a set's choice questions.
# With four options the longest is right a quarter of the time by chance; well above that,
# test-wise students learn to pick the longest option without reading.
LONGEST_SHARE = 1 / 3
# The correct option is "far longer" when it is at least this many times as long as the
# longest distractor AND at least MARGIN_CHARS characters longer. One and a half times is
# the point where the difference shows at a glance in a list of options; the floor keeps
# short options ("Yes" against "No") from counting, where no one notices the ratio.
MARGIN_RATIO = 1.5
MARGIN_CHARS = 20
# An answer shorter than this (in letters and digits) is too common to count as a leak:
# "a", "yes", "2013" appear everywhere without giving anything away.
MIN_LEAK_LENGTH = 6

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Finding:
    """One give-away: the question (its id, or "" for the set) and field it is in."""

    question: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"question {self.question}: " if self.question else ""
        return f"{where}{self.field}: {self.message}"


def normalise(text: str) -> str:
    """Fold case and quote styles and collapse white space, for comparing texts verbatim."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold()
    return " ".join(text.split())


def _core(text: str) -> str:
    """Strip the punctuation around an answer, which a match need not repeat."""
    return re.sub(r"^\W+|\W+$", "", normalise(text))


def _alnum_length(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _choices(document: dict) -> list[dict]:
    return [q for q in document["questions"]
            if kind_of(q).one_right_option and q.get("options")]


def longest_findings(document: dict) -> list[Finding]:
    """Report a set whose correct option is the longest too often, or far longer than the rest."""
    out, longest = [], []
    choices = _choices(document)
    for q in choices:
        right = [len(normalise(o["text"])) for o in q["options"] if o["correct"]]
        wrong = [len(normalise(o["text"])) for o in q["options"] if not o["correct"]]
        if len(right) != 1 or not wrong:
            continue
        if right[0] > max(wrong):
            longest.append(q["id"])
        if right[0] >= MARGIN_RATIO * max(wrong) and right[0] - max(wrong) >= MARGIN_CHARS:
            out.append(Finding(q["id"], "options", (
                f"the correct option ({right[0]} characters) is far longer than every other "
                f"option (the longest has {max(wrong)}); make the options of similar length")))
    if choices and len(longest) > LONGEST_SHARE * len(choices):
        for qid in longest:
            out.append(Finding(qid, "options", (
                f"the correct option is the longest; it is in {len(longest)} of the "
                f"{len(choices)} choice questions of this set (at most a third should be)")))
    return out


def _shown(q: dict, options: bool = True) -> list[tuple[str, str]]:
    """Return (field, text) for what a student sees of *q* before submitting.

    :param options: include option texts; an option elsewhere gives away a typed answer,
        but not a choice key, which its own question prints among its options anyway.
    """
    parts = (("statements", "statement"), ("items", "item"), ("labels", "label"))
    if options:
        parts = (("options", "option"), *parts)
    texts = [("prompt", q["prompt"])]
    for key, name in parts:
        texts += [(f"{name} '{p['id']}'", p["text"]) for p in q.get(key, [])]
    return texts


def _contains(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def leak_findings(document: dict) -> list[Finding]:
    """Report a correct answer printed in another question or in the set's intro.

    A typed answer counts wherever it is printed; a correct option counts in another
    question's prompt, statements, items or labels, where it reads as a given.
    """
    out = []
    intro = normalise(document.get("intro") or "")
    for q in document["questions"]:
        for field, text in kind_of(q).key_texts(q):
            needle = _core(text)
            if _alnum_length(needle) < MIN_LEAK_LENGTH:
                continue
            if _contains(intro, needle):
                out.append(Finding(q["id"], field, f"the answer '{text}' is printed in the "
                                                   "set's intro"))
            for other in document["questions"]:
                if other is q:
                    continue
                for where, shown in _shown(other, options=kind_of(q).typed_key):
                    if _contains(normalise(shown), needle):
                        out.append(Finding(q["id"], field, (
                            f"the answer '{text}' is printed in question {other['id']}, "
                            f"{where}")))
    return out


def findings(document: dict) -> list[Finding]:
    """List every give-away in a set document; an empty list means none was found."""
    return longest_findings(document) + leak_findings(document)
