"""Read an article sentence by sentence: who says what, how hedged, how loaded.

A package by concern, with this one public API (`from quiz.attribution import read_article`):

    lexicon   the cues: rule tables and compiled patterns (data only)
    spans     quotations located and masked
    sources   who says so: the speaker rules and the kind of source
    hedges    the writer's hedges, loaded words, scare quotes, numbers, non-sources
    reader    a whole article: sentences read, speakers resolved, JSON and text output

Pure, rule-based module: no Flask, no network, no models. It reuses ``quiz.sentences`` so a
sentence number means the same thing here as in the quiz.

How a sentence is read, in order:

1. Quotation marks are located (straight and curly, double and paired single quotes) and
   the quoted text is masked, so rules for the writer's own words never fire inside a quote.
   A double quote left open at the end of a sentence carries over to the next sentence of the
   same paragraph (multi-sentence quotations); a new paragraph starts outside any quote.
2. Things that look like sources but are not are marked: photo credits (also glued to a
   caption, as in ``administrationREUTERS``), bylines, datelines, date lines, "declined to
   comment", "could not be reached for comment", and the outlet a source *told*.
3. The speaker is looked for with rule tables, first match wins: "according to X" (or the
   innermost speaker when X merely passes a claim on), "X was quoted (in the report) as
   saying", "Y quotes X as saying", a speaker label before a colon and a quote, a reporting
   verb with its subject (or after it: "... said a spokesman"), a mental-state verb
   ("activists suspect"). Pronoun speakers ("he said") take the previous sentence's source.
4. A sentence made only of quoted words takes its speaker from a neighbour: the sentence
   that closes the same quotation, else the nearest earlier attributed sentence.
5. Hedges, loaded words, scare quotes and numbers are collected. Hedges inside somebody's
   direct quote belong to that speaker, so they are kept apart in ``quoted_hedges`` and are
   not reported as the writer's hedges.
"""

from __future__ import annotations

from .hedges import find_hedges, find_loaded, find_not_sources, find_numbers
from .lexicon import HOWS, SOURCE_KINDS
from .reader import (
    Reading,
    format_text,
    guess_marks,
    read_article,
    read_sentences,
    same_source,
    strip_header,
    to_json,
)
from .sources import find_speaker, source_kind

__all__ = [
    "HOWS",
    "SOURCE_KINDS",
    "Reading",
    "find_hedges",
    "find_loaded",
    "find_not_sources",
    "find_numbers",
    "find_speaker",
    "format_text",
    "guess_marks",
    "read_article",
    "read_sentences",
    "same_source",
    "source_kind",
    "strip_header",
    "to_json",
]
