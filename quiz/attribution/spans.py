"""Quotations in a sentence: where they are, and the sentence with them masked, so rules for
the writer's own words never fire inside someone else's."""

from __future__ import annotations

import bisect
import re

from .lexicon import _DOUBLE_ANY, _DOUBLE_CLOSE, _DOUBLE_OPEN, _MASK, _WORD

# --------------------------------------------------------------------------- quotes


def _quote_spans(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Return the double-quoted spans of *text* and whether a quote is still open at the end.

    A straight quote opens when white space (or the start) precedes it and a non-space follows;
    otherwise it closes. A new opener while a carried-over quote is open means that the carried
    quote ended at the sentence boundary.
    """
    spans: list[tuple[int, int]] = []
    start = 0 if open_at_start else None
    carried = open_at_start
    for i, ch in enumerate(text):
        if ch not in (_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_ANY):
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opener = ch == _DOUBLE_OPEN or (
            ch == _DOUBLE_ANY and (before.isspace() or before in "([—–-") and not after.isspace()
        )
        if opener and start is not None and carried and not spans:
            start = None  # the quote carried from the last sentence closed at the boundary
        carried = False
        if opener and start is None:
            start = i
        elif opener:
            continue
        elif start is None:
            # Closes a quote opened before this sentence. The span from 0 covers every span
            # found so far, so it replaces them: spans never overlap, and masking them and
            # reading what is inside stays linear however many closers a sentence holds.
            spans[:] = [(0, i + 1)]
        else:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)(?P<body>[^‘’'\"]{1,120}?[\w.!?,])[’'](?![\w’'])")


def _single_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of paired single quotes, not apostrophes ("Thomas' sister")."""
    return [(m.start(), m.end()) for m in _SINGLE.finditer(text)]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Return whether offset *at* falls in one of *spans* (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the inside of each span with a filler, keeping offsets."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = _MASK
    return "".join(chars)


def _words(text: str) -> list[str]:
    """Return the words of *text*."""
    return _WORD.findall(text)
