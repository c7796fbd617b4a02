"""Every rendering cache of SourceCheck, with the rules that keep them right.

Student pages show the same few sets to a whole class, so what is the same for every
student of a version is read or rendered once per process and shared by every request and
thread:

- `shared_document`: a version's decoded set document;
- `render_once`: a macro rendered for one version (the article pane, an evidence question's
  unticked sentence checkboxes) or for one version, question and answer given (a row of the
  results page, `student/_result_row.html`);
- `presentation._linked` and `_refs` (functools caches, beside the filters they serve): a
  set's text with its "sentence N" links;
- `questiontypes.text.folded_answer` (there, since question types import no Flask): an
  authored typed answer folded for comparing, once per text rather than on every submit;
- `set_summary`: a class's summary of one set for one pick (teacher pages only), computed
  once per state of the class's attempts at that set.

The invariants, written once:

1. A key names everything the cached value shows. A version's document changes in place only
   while nobody has answered it, and then its content hash changes too, so (version id,
   content hash) or a content hash names one document for ever; a rendering key adds every
   argument that changes the markup (highlighted sentences, whether sources show ...).
2. A cached value is READ ONLY: never change it. `document_of` decodes a fresh copy for a
   caller that edits (the teacher pages).
3. Each cache is bounded and simply cleared when full (a school has a few dozen sets, and a
   miss is cheap), so no cache grows with traffic.
4. Nothing here is per user: no name, token or session ever enters a cache. A results row
   holds an answer and the points it earns, keyed by that answer, so it is the same for every
   student who gave it and never shows who did (a test:
   `test_results_rows_are_the_students_own_even_when_rendered_once`). `set_summary` holds a
   class's aggregate figures (and its most common wrong answers), read only after the view
   has checked that the teacher owns the class.

Races are harmless: two threads may both miss and store equal values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

from . import queries


def document_of(row: Mapping[str, Any]) -> dict:
    """Decode the set document stored with a row: a new dict the caller may change."""
    return json.loads(row["document"])


# The document itself (30 KB of overflow pages, which SQLite reads again after any write by
# another connection) is read from the database only on a miss: rows for student pages carry
# only the key.
_SHARED_DOCUMENTS: dict[tuple[int, str], dict] = {}
_SHARED_DOCUMENTS_MAX = 256  # versions; a school has a few dozen sets


def shared_document(db: sqlite3.Connection, row: Mapping[str, Any]) -> dict:
    """Return the document of a row's version (version_id, content_hash), read and decoded
    once per version and shared by every request and thread: READ ONLY, never change it
    (use `document_of` for a copy to edit)."""
    document = _SHARED_DOCUMENTS.get((row["version_id"], row["content_hash"]))
    if document is None:
        stored = queries.version_document(db, row["version_id"])
        if len(_SHARED_DOCUMENTS) >= _SHARED_DOCUMENTS_MAX:
            _SHARED_DOCUMENTS.clear()  # rare: simpler than an LRU, and a miss is cheap
        # Keyed by the hash read with the document: an edit between the two queries gives
        # this request the newer document, never a document under the wrong key.
        document = json.loads(stored["document"])
        _SHARED_DOCUMENTS[(row["version_id"], stored["content_hash"])] = document
    return document


# The article pane and an evidence question's unticked checkboxes are a large share of the
# quiz page's rendering time (figures in benchmarks/README.md, "Figures behind choices"); a
# results row is the same for every student who gave the same answer to the same question.
_RENDERED: dict[tuple, Markup] = {}
# A few per version, and a results row per version, question and answer given: a school has a
# few dozen sets, and a class gives the same answers to most questions.
_RENDERED_MAX = 4096


def render_once(key: tuple, macro: str, *args, template: str = "_macros.html",
                **kwargs) -> Markup:
    """Render a macro of *template* once per key, which must name all that it shows."""
    markup = _RENDERED.get(key)
    if markup is None:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        markup = _RENDERED[key] = get_template_attribute(template, macro)(*args, **kwargs)
    return markup


def article_pane(content_hash: str, article: dict, highlight=(), show_source=True) -> Markup:
    """Return a version's article pane, with these sentences highlighted."""
    return render_once((content_hash, "article_view", frozenset(highlight), show_source),
                       "article_view", article, highlight=highlight, show_source=show_source)


# A set summary reads every response of the picked attempts (half a million rows for a class
# of 50,000 students); a teacher reloads it, switches picks and downloads its CSV. Its figures
# are a function of the picked attempts (stored answers and points are never changed, and a
# version's document is fixed once anyone answered it), of which attempts the class made at
# the set (the "attempts made" line counts retries too), and nothing else. So the key holds
# the database file, the picked ids' digest, and the count, students and last id of the
# class's attempts at the set (`queries.attempts_mark`): a new attempt, a deleted student or
# two students merged (their attempts move) all change it.
_SUMMARIES: dict[tuple, Any] = {}
_SUMMARIES_MAX = 64  # (class, set, pick) states; a summary is a few hundred small objects


def set_summary(key: tuple, compute: Callable[[], Any]) -> Any:
    """Return the summary stored under *key*, computing it on a miss: READ ONLY."""
    summary = _SUMMARIES.get(key)
    if summary is None:
        summary = compute()
        if len(_SUMMARIES) >= _SUMMARIES_MAX:
            _SUMMARIES.clear()
        _SUMMARIES[key] = summary
    return summary
