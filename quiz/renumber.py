"""Make sentence references follow their sentences when an article is edited.

Pure module: no Flask. Every evidence reference in a set (a question's deciding sentences,
an evidence question's answer and distractor sentences, a statement's deciding sentences) is
a sentence number, and editing the article or its marks renumbers the sentences. `follow`
maps each old sentence to its new number by its text and rewrites every reference:

1. Sentences that stay in place with their text unchanged (difflib's alignment of the two
   lists of sentences, so inserted and deleted sentences shift the rest, and a sentence
   repeated word for word is paired with the copy in the same place).
2. Sentences moved elsewhere with their text unchanged, when that text occurs once among the
   sentences still unpaired on each side (a reordered paragraph).
3. Edited sentences: difflib's ratio of at least `SIMILAR` with one unpaired new sentence,
   and no other new sentence as close (a tie maps nothing: never a guess between two).

A reference to a sentence that none of these finds (deleted, or changed beyond recognition,
such as one half of a sentence split in two) is *lost*: `follow` lists it, with the question
and field, for the teacher to confirm before it is removed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field

SIMILAR = 0.8  # difflib ratio: one word changed in a sentence of 10 words is about 0.9
# Step 3 compares every unpaired old sentence that a question cites with every unpaired new
# one, about 10 microseconds a pair: past this many pairs (an article rewritten whole) it is
# skipped, and the references are listed for the teacher instead of stalling the request.
MAX_PAIRS = 40_000


@dataclass(frozen=True)
class Lost:
    """A reference to a sentence the edited article no longer has."""

    question: int  # 1-based position in the set
    qid: str
    prompt: str
    field: str  # the field as the editor names it, e.g. "answer sentence 1"
    sentence: int  # the old number
    text: str  # the old sentence


@dataclass
class Renumbering:
    """The questions with references rewritten, and what could not be."""

    questions: list[dict]
    lost: list[Lost] = field(default_factory=list)
    moved: int = 0  # references whose number changed

    def key(self) -> str:
        """Return a short fingerprint of the lost references, to confirm exactly these."""
        data = [(x.qid, x.field, x.sentence, x.text) for x in self.lost]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]


def sentence_map(old: list[str], new: list[str], cited: set[int] | None = None) -> dict[int, int]:
    """Map old sentence numbers (from 1) to new ones by text; unmapped numbers are left out.

    :param cited: the old numbers that edited sentences are looked for (default: all).
    """
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs[block.a + k] = block.b + k
    _pair_unique_texts(old, new, pairs)
    _pair_similar(old, new, pairs, cited)
    return {i + 1: j + 1 for i, j in sorted(pairs.items())}


def _pair_unique_texts(old: list[str], new: list[str], pairs: dict[int, int]) -> None:
    """Pair unchanged sentences that moved, where their text is unique among the unpaired."""
    taken = set(pairs.values())
    old_at: dict[str, list[int]] = {}
    new_at: dict[str, list[int]] = {}
    for i, text in enumerate(old):
        if i not in pairs:
            old_at.setdefault(text, []).append(i)
    for j, text in enumerate(new):
        if j not in taken:
            new_at.setdefault(text, []).append(j)
    for text, olds in old_at.items():
        news = new_at.get(text, [])
        if len(olds) == 1 and len(news) == 1:
            pairs[olds[0]] = news[0]


def _pair_similar(old: list[str], new: list[str], pairs: dict[int, int],
                  cited: set[int] | None) -> None:
    """Pair edited sentences with their one clearly closest new sentence."""
    taken = set(pairs.values())
    free_old = [i for i in range(len(old)) if i not in pairs and
                (cited is None or i + 1 in cited)]
    free_new = [j for j in range(len(new)) if j not in taken]
    if len(free_old) * len(free_new) > MAX_PAIRS:
        return
    best: dict[int, tuple[float, int | None]] = {}  # old -> (ratio, new or None for a tie)
    for j in free_new:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(new[j])  # difflib caches what it learns about the second sequence
        for i in free_old:
            matcher.set_seq1(old[i])
            # The cheap upper bounds first: most pairs are far apart.
            if (matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR
                    or (ratio := matcher.ratio()) < SIMILAR):
                continue
            top = best.get(i)
            if top is None or ratio > top[0]:
                best[i] = (ratio, j)
            elif ratio == top[0]:
                best[i] = (ratio, None)
    claims: dict[int, list[tuple[float, int]]] = {}
    for i, (ratio, j) in best.items():
        if j is not None:
            claims.setdefault(j, []).append((ratio, i))
    for j, claimants in claims.items():
        claimants.sort(reverse=True)
        if len(claimants) == 1 or claimants[0][0] > claimants[1][0]:
            pairs[claimants[0][1]] = j


# --- the references in a question ------------------------------------------------------------

def references(question: dict):
    """Yield (where, field name, number) for every sentence reference in a question.

    *where* is (key, None) for a list of numbers in the question itself, or (key, index,
    inner key) for one inside a list entry (an answer, a distractor, a statement). No type
    is named: any list of entries carrying `sentence` or `evidence` counts.
    """
    for n in question.get("evidence") or []:
        yield ("evidence",), "deciding sentences", n
    for key, value in question.items():
        if not isinstance(value, list):
            continue
        noun = _NOUNS.get(key, key.rstrip("s").replace("_", " "))
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("sentence"), int):
                yield (key, index, "sentence"), f"{noun} {index + 1}", entry["sentence"]
            for n in entry.get("evidence") or []:
                yield (key, index, "evidence"), f"{noun} {index + 1}: deciding sentences", n


_NOUNS = {"answers": "answer sentence", "distractors": "distractor sentence"}


def follow(old: list[str], new: list[str], questions: list[dict]) -> Renumbering:
    """Rewrite the sentence references of *questions* from the *old* article's numbering to
    the *new* one's; list the references that cannot follow (see the module docstring)."""
    cited = {n for q in questions for _, _, n in references(q)}
    mapping = sentence_map(old, new, cited)
    out = Renumbering(questions=[])
    for number, question in enumerate(questions, start=1):
        question = json.loads(json.dumps(question))  # a deep copy: the caller's stays as it was
        drop: set[tuple] = set()
        for where, name, n in list(references(question)):
            if n in mapping:
                out.moved += mapping[n] != n
                continue
            text = old[n - 1] if 1 <= n <= len(old) else ""
            out.lost.append(Lost(number, question.get("id", ""), question.get("prompt", ""),
                                 name, n, text))
            drop.add((*where, n))
        _rewrite(question, mapping, drop)
        notes = [f"The edited article no longer has sentence {x.sentence} (“{x.text}”): its "
                 f"reference in {x.field} was removed." for x in out.lost if x.question == number]
        if notes:  # shown in the editor's list of questions until the question is saved again
            question["review"] = [*question.get("review", []), *notes]
        out.questions.append(question)
    return out


def _rewrite(question: dict, mapping: dict[int, int], drop: set[tuple]) -> None:
    """Renumber a question's references in place; remove the dropped ones.

    An entry whose one sentence is dropped (an answer or distractor) goes with it.
    """
    def numbers(values: list[int], where: tuple) -> list[int]:
        return [mapping[n] for n in values if (*where, n) not in drop]

    if question.get("evidence"):
        question["evidence"] = numbers(question["evidence"], ("evidence",))
    for key, value in question.items():
        if not isinstance(value, list) or not any(isinstance(e, dict) for e in value):
            continue
        kept = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict) and isinstance(entry.get("sentence"), int):
                if (key, index, "sentence", entry["sentence"]) in drop:
                    continue
                entry["sentence"] = mapping[entry["sentence"]]
            if isinstance(entry, dict) and entry.get("evidence"):
                entry["evidence"] = numbers(entry["evidence"], (key, index, "evidence"))
            kept.append(entry)
        question[key] = kept
