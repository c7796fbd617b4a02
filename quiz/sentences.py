"""Split article text into numbered sentences, deterministically.

Pure module: no Flask. Used by the question-set loader and the attribution reader, so a
sentence number means the same thing everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a full stop but do not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen col lt sgt capt cmdr adm gov sen rep rev hon
    no vs etc inc ltd corp co jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.g i.e a.m p.m""".split()
)

# A sentence ends at . ! or ? (plus any closing quotes or brackets) followed by white space
# and then something that can start a sentence: a capital, a digit or an opening quote.
_BOUNDARY = re.compile(
    r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9£$€])"""
)
# The last word before a full stop, found in a window of _WINDOW characters: longer than any
# abbreviation, so a word cut by the window is never taken for one.
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
_WINDOW = 40
# A sub-heading in capitals run into the next sentence ("NEW EVIDENCE Researchers say ..."):
# two or more words in capitals, then a word that starts a sentence in normal case. Not "US
# President Joe Biden" (one word in capitals) nor "A US Army spokesman" ("A" is one letter).
_CAPS_HEADING = re.compile(
    r"(?:[A-Z][A-Z0-9'’&-]+\s+){1,7}[A-Z][A-Z0-9'’&-]+(?=\s+[\"“‘]?[A-Z][a-z])"
)

KINDS = ("body", "headline", "caption", "furniture")


@dataclass(frozen=True)
class Sentence:
    """One numbered sentence of an article."""

    number: int
    paragraph: int
    text: str
    kind: str = "body"


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of *text*: blocks between blank lines, inner white space folded."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(block.split()) for block in blocks if block.strip()]


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph into sentences."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        # Only the last word decides, so look at a short window before the boundary: a
        # sentence that runs on past many abbreviations is not scanned again at each one.
        window = paragraph[max(start, match.start() - _WINDOW) : match.start()]
        last = _LAST_WORD.search(window.rstrip().rstrip("\"'”’)]"))
        if last and last.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        if last and len(last.group(1)) == 1:  # an initial, as in "John F. Kennedy"
            continue
        pieces.append(paragraph[start : match.start()].rstrip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def split_article(text: str, marks: dict[int, str] | None = None) -> list[Sentence]:
    """Number every sentence of *text* from 1; *marks* maps paragraph numbers to a kind.

    A marked paragraph (headline, caption, furniture) is kept whole as one sentence, since
    captions and page debris are not prose.
    """
    marks = marks or {}
    sentences: list[Sentence] = []
    for p_number, paragraph in enumerate(paragraphs(text), start=1):
        kind = marks.get(p_number, "body")
        parts = [paragraph] if kind != "body" else split_paragraph(paragraph)
        for part in parts:
            heading = _CAPS_HEADING.match(part) if kind == "body" else None
            if heading and sum(c.isalpha() for c in heading.group(0)) >= 6:
                sentences.append(Sentence(len(sentences) + 1, p_number, heading.group(0),
                                          "furniture"))
                part = part[heading.end() :].lstrip()
            sentences.append(Sentence(len(sentences) + 1, p_number, part, kind))
    return sentences

