"""The writer's hedges, loaded words, scare quotes, numbers, and what only looks like a source."""

from __future__ import annotations

import re

from .lexicon import (
    _CREDIT_LINE,
    _FIRST_PERSON_HEDGE,
    _HEDGE_RE,
    _LOADED_RE,
    _MAY_CAPITAL,
    _MONTH_CONTEXT,
    _NOT_SOURCE_RES,
    _NUMBER_RE,
)
from .sources import _Speaker

# --------------------------------------------------------------------------- other marks


def find_hedges(text: str, quoted: bool = False) -> list[str]:
    """Return the hedge words and phrases in *text*, in order.

    With *quoted*, *text* is a speaker's own words, where "I think" or "we suspect" hedges too.
    """
    # A pattern with a named group (h, h2, ...) reports that group, not its context.
    found = [
        (m.start(m.lastgroup), m.group(m.lastgroup)) if m.lastgroup else (m.start(), m.group(0))
        for m in _HEDGE_RE.finditer(text)
    ]
    if quoted:
        found += [(m.start(), m.group(0)) for m in _FIRST_PERSON_HEDGE.finditer(text)]
    for match in _MAY_CAPITAL.finditer(text):
        window = text[max(0, match.start() - 12) : match.end() + 3]
        if not _MONTH_CONTEXT.search(window) and match.start() != 0:
            found.append((match.start(), match.group(0)))
    return [hedge for _, hedge in sorted(found)]


def find_loaded(masked: str) -> list[str]:
    """Return loaded words used in the writer's own voice."""
    return [m.group(1) for m in _LOADED_RE.finditer(masked)]


def find_not_sources(text: str) -> list[tuple[str, str]]:
    """Return (text, kind) for credits, bylines, datelines, no-comments and recipients."""
    marks = []
    for regex, kind in _NOT_SOURCE_RES:
        # A credit line runs to the end with no full stop: start after the last one, or
        # every "Photo:" in a long sentence would be read on to the end again.
        start = text.rfind(".") + 1 if regex is _CREDIT_LINE else 0
        marks += [(m.group(0).strip(" ()"), kind) for m in regex.finditer(text, start)]
    return marks


def find_numbers(text: str) -> list[str]:
    """Return the numbers written in *text*."""
    return [m.group(0).strip() for m in _NUMBER_RE.finditer(text)]


def _scare_quotes(text: str, spans: list[tuple[int, int]], speaker: _Speaker | None) -> list[str]:
    """Return short quoted phrases (1-3 words) that nobody in the sentence is saying."""
    found = []
    for start, end in spans:
        inner = text[start + 1 : end - 1].strip(" ,.")
        if not inner or len(inner.split()) > 3 or start == 0:
            continue
        before = text[max(0, start - 25) : start].lower()
        if (
            speaker
            and speaker.how != "mental-state"
            and re.search(r"(?:said|says|told|called \w+|called|as|:)\s*$", before)
        ):
            continue
        found.append(text[start:end])
    return found
