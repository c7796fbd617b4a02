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
- `set_minutes`: how many minutes a version's set takes (the start page);
- `blank_questions`: an unanswered question of the quiz page, in parts that each page puts
  in its own order with its own option values;
- `set_summary`: a class's summary of one set for one pick (teacher pages only), kept as
  additive counts brought up to date from the attempts made since (its own invariant below).

The invariants, written once:

1. A key names everything the cached value shows. A version's document changes in place only
   while nobody has answered it, and then its content hash changes too, so (version id,
   content hash) or a content hash names one document for ever; a rendering key adds every
   argument that changes the markup (highlighted sentences, whether sources show ...).
2. A cached value is READ ONLY: never change it. `document_of` decodes a fresh copy for a
   caller that edits (the teacher pages).
3. Each cache is bounded and simply cleared when full (a school has a few dozen sets, and a
   miss is cheap), so no cache grows with traffic; `set_summary`, whose miss costs seconds
   for a large class, drops the least recently used entry instead.
4. Nothing here is per user: no name, token or session ever enters a cache. A results row
   holds an answer and the points it earns, keyed by that answer, so it is the same for every
   student who gave it and never shows who did (a test:
   `test_results_rows_are_the_students_own_even_when_rendered_once`). `set_summary` holds a
   class's aggregate figures (and its most common wrong answers), read only after the view
   has checked that the teacher owns the class.

Races are harmless: two threads may both miss and store equal values.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import sqlite3
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import current_app, get_template_attribute
from markupsafe import Markup

from . import queries
from .db import private_files
from .presentation import minutes


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


# How long a set takes counts every word of its article: 60 us, half a hello, on each start page.
_MINUTES: dict[str, int] = {}


def set_minutes(content_hash: str, document: dict) -> int:
    """Return `presentation.minutes` of a version's document, counted once per version."""
    counted = _MINUTES.get(content_hash)
    if counted is None:
        counted = minutes(document)
        if len(_MINUTES) >= _SHARED_DOCUMENTS_MAX:
            _MINUTES.clear()
        _MINUTES[content_hash] = counted
    return counted


# An unanswered question of the quiz page is the same for every student but for the order of
# its options, statements or items and the options' opaque values (scoring.PageKey): so it is
# rendered once per version, number and page length with a sentinel for the value and a cut
# between its repeated parts (`cut` in student/types/*.html, empty on every other render), and
# each page puts the parts in its own order with its own values. 0.6 ms of a 2.4 ms quiz page.
_CUT, _VALUE = "\x01", "\x02"  # never in a question: a question that holds one is rendered
_UNITS = ("options", "statements", "items")
_BLANK_QUESTIONS: dict[tuple, tuple | None] = {}
_BLANK_QUESTIONS_MAX = 4096  # a few dozen sets of a few dozen questions
_MISSING = object()  # a question that cannot be put together from parts is cached as None


def blank_questions(content_hash: str, questions: list[dict], article: dict,
                    blank_choices: Mapping) -> list[Markup] | None:
    """Return the markup of a quiz page's questions, none answered and none flagged: the
    student views of one version (`scoring.student_view`), in page order; None if one of
    them cannot be put together from parts (the page then renders them)."""
    out = []
    for number, q in enumerate(questions, 1):
        key = (content_hash, q["id"], number, len(questions))
        parts = _BLANK_QUESTIONS.get(key, _MISSING)
        if parts is _MISSING:
            parts = _question_parts(q, number, len(questions), article, blank_choices)
            if len(_BLANK_QUESTIONS) >= _BLANK_QUESTIONS_MAX:
                _BLANK_QUESTIONS.clear()
            _BLANK_QUESTIONS[key] = parts
        if parts is None:
            return None
        head, units, tail = parts
        field = next((f for f in _UNITS if f in q), None)
        if field is None:
            out.append(Markup(head))  # noqa: S704  # nosec B704: rendered with autoescape
            continue
        try:
            body = [units[_unit_key(u)] for u in q[field]]
        except KeyError:  # not the parts of this question after all
            return None
        if any(len(pieces) > 1 and "value" not in u
               for u, pieces in zip(q[field], body, strict=True)):
            return None  # a value slot in a unit that has no value: render the page whole
        out.append(Markup(head + "".join(  # noqa: S704  # nosec B704: rendered, escaped
            pieces[0] if len(pieces) == 1 else u["value"].join(pieces)
            for u, pieces in zip(q[field], body, strict=True)) + tail))
    return out


def _holds_mark(value: Any) -> bool:
    """Return whether a sentinel is in any string of *value* (repr and JSON escape them)."""
    if isinstance(value, str):
        return _CUT in value or _VALUE in value
    if isinstance(value, Mapping):
        return any(_holds_mark(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_mark(v) for v in value)
    return False


def _unit_key(unit: dict) -> tuple:
    # An option's id never reaches the page: options with the same text show the same markup.
    return ("id", unit["id"]) if "id" in unit else ("text", unit["text"], unit.get("format"))


def _question_parts(q: dict, number: int, count: int, article: dict,
                    blank_choices: Mapping) -> tuple[str, dict, str] | None:
    """Render an unanswered question with sentinels, cut into head, parts and tail."""
    field = next((f for f in _UNITS if f in q), None)
    # A sentinel typed into a question or its article would cut the markup in the wrong place.
    if _holds_mark([q, article]):
        return None
    shown = q if field != "options" else {
        **q, "options": [{**o, "value": _VALUE} for o in q["options"]]}
    html = str(current_app.jinja_env.get_template("student/_question.html").render(
        q=shown, number=number, questions=range(count), answers={}, problems={}, blank=(),
        picked={}, article=article, blank_choices=blank_choices,
        sentence_choices=get_template_attribute("_macros.html", "sentence_choices"),
        cut=_CUT))
    pieces = html.split(_CUT)
    if field is None:
        return (html, {}, "") if len(pieces) == 1 else None
    if len(pieces) != len(q[field]) + 2:
        return None
    units = {_unit_key(u): piece.split(_VALUE) for u, piece in zip(q[field], pieces[1:-1],
                                                                    strict=True)}
    return pieces[0], units, pieces[-1]


# A set summary reads every response of the picked attempts (half a million rows for a class
# of 50,000 students: seconds, however it is grouped); a teacher reloads it while students
# submit. So each (database, class, set, pick) keeps its picked attempts as additive counts
# (`analysis.SummaryState`), brought up to date from the attempts made since: attempt ids
# only grow, and stored answers and points never change. A new version of the set, a
# student removed or merged (their attempts go or move: `queries.summary_mark` changes other
# than by the new attempts), or a restart builds the counts again from every attempt.
#
# Invariant: an entry's state counts exactly the attempts its mark names, and its summary is
# the state's; a request whose mark equals the entry's gets that summary (READ ONLY).
_SUMMARIES: OrderedDict[tuple, _SummaryEntry] = OrderedDict()
# (class, set, pick) entries, least recently used dropped first: a large class keeps a few
# MB of counts (48,000 students: its picked attempts and a few ten thousand counts).
_SUMMARIES_MAX = 32
_SUMMARIES_LOCK = threading.Lock()


class _SummaryEntry:
    def __init__(self) -> None:
        self.lock = threading.Lock()  # one request at a time brings an entry up to date
        self.state: Any = None
        self.mark: tuple | None = None
        self.summary: Any = None
        self.build_seconds = 0.0  # how long counting every attempt took (kept in snapshots)
        self.written = -math.inf  # time.monotonic() of the last snapshot written or read


def set_summary(key: tuple, mark: tuple, build: Callable[[], Any],
                catch_up: Callable[[Any], bool],
                restore: Callable[[dict], Any] | None = None) -> Any:
    """Return the summary of the state under *key* once it counts what *mark* names:
    unchanged, brought up to date by *catch_up* (False when it cannot) from memory or from
    a snapshot on disk that *restore* takes (None when it does not fit), or built anew by
    *build*. READ ONLY."""
    with _SUMMARIES_LOCK:
        entry = _SUMMARIES.get(key)
        if entry is None:
            entry = _SUMMARIES[key] = _SummaryEntry()
            while len(_SUMMARIES) > _SUMMARIES_MAX:
                _SUMMARIES.popitem(last=False)
        _SUMMARIES.move_to_end(key)
    with entry.lock:
        if entry.summary is not None and entry.mark == mark:
            return entry.summary
        state, entry.state, entry.summary = entry.state, None, None  # none while changing
        if state is None and restore is not None:
            state = _read_snapshot(key, restore, entry)
        before = state.mark() if state is not None else None
        if state is None or not catch_up(state):
            started = time.perf_counter()
            state, before = build(), None
            entry.build_seconds, entry.written = time.perf_counter() - started, -math.inf
        entry.state, entry.mark, entry.summary = state, state.mark(), state.summary()
        if restore is not None and entry.mark != before:  # built, or caught up with attempts
            _write_snapshot(key, state, entry)
        return entry.summary


# A restarted worker (or a second one) would count every attempt again: 5-11 s for a large
# class. So a state is also kept on disk, in summaries/ beside the database (the instance
# folder; 0700, files 0600 like the database: it holds answers students typed), as JSON
# (never pickle: a file is data, not code), written atomically; a worker that misses reads
# it, checks it still fits the database and catches up from the attempts made since.
# Deleting the folder is always safe: the next request counts anew.
SNAPSHOT_MIN_BUILD = 0.25  # seconds: a class counted faster is not worth a file and an fsync
SNAPSHOT_EVERY = 30.0  # seconds between writes of one entry as attempts arrive
SNAPSHOTS_MAX = 2 * _SUMMARIES_MAX  # files kept, newest first: stale ones are pruned
_SNAPSHOT_FORMAT = 1  # of the file around `SummaryState.dump` (which has its own)
log = logging.getLogger(__name__)


def snapshot_folder(database: str) -> Path | None:
    """Return the folder of a database's summary snapshots: summaries/ beside it, in the
    instance folder unless DATABASE says otherwise (None for a database in memory)."""
    return Path(database).parent / "summaries" if database else None


def _snapshot_path(folder: Path, key: tuple) -> Path:
    name = hashlib.sha256(json.dumps(list(key)).encode()).hexdigest()[:40]
    return folder / f"{name}.json"


def _read_snapshot(key: tuple, restore: Callable[[dict], Any], entry: _SummaryEntry) -> Any:
    """Return the state kept on disk under *key* if it fits the database, else None."""
    folder = snapshot_folder(key[0])
    if folder is None:
        return None
    path = _snapshot_path(folder, key)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:  # unreadable or corrupt: count anew
        log.warning("ignoring the summary snapshot %s: %s", path, e)
        return None
    try:
        if (not isinstance(data, dict) or data.get("format") != _SNAPSHOT_FORMAT
                or data.get("key") != json.loads(json.dumps(list(key)))):
            raise ValueError("another format or another class, set or database")
        build_seconds = float(data["build_seconds"])
        state = restore(data["state"])
    except (KeyError, TypeError, ValueError) as e:
        log.warning("ignoring the summary snapshot %s: %s", path, e)
        return None
    if state is not None:
        entry.build_seconds, entry.written = build_seconds, time.monotonic()
    return state


def _write_snapshot(key: tuple, state: Any, entry: _SummaryEntry) -> None:
    """Keep *state* on disk (atomically) if counting it anew is slow, at most once every
    SNAPSHOT_EVERY seconds: a failure is logged, never shown."""
    folder = snapshot_folder(key[0])
    now = time.monotonic()
    if folder is not None and entry.build_seconds < SNAPSHOT_MIN_BUILD:
        # Counted fast now (students removed, say): an older file would only keep their
        # answers on disk. A file that is not there costs one failed unlink.
        with contextlib.suppress(OSError):
            _snapshot_path(folder, key).unlink(missing_ok=True)
        return
    if folder is None or now - entry.written < SNAPSHOT_EVERY:
        return
    entry.written = now
    data = {"format": _SNAPSHOT_FORMAT, "key": list(key), "build_seconds": entry.build_seconds,
            "state": state.dump()}
    temp = None
    try:
        with private_files():
            folder.mkdir(mode=0o700, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, _snapshot_path(folder, key))  # readers see the old file or the new
        temp = None
        _prune(folder)
    except OSError as e:  # a full or read-only disk: the summary is shown all the same
        log.warning("could not keep a summary snapshot in %s: %s", folder, e)
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _prune(folder: Path) -> None:
    """Keep the newest SNAPSHOTS_MAX snapshots (those of deleted classes go in time)."""
    files = []
    for path in folder.iterdir():
        with contextlib.suppress(OSError):  # gone meanwhile: another worker pruned it
            files.append((path.stat().st_mtime, path))
    files.sort(reverse=True)
    stale = [p for _, p in files if p.suffix == ".json"][SNAPSHOTS_MAX:]
    # A temp file a crashed worker left behind, an hour old.
    stale += [p for m, p in files if p.suffix == ".tmp" and m < time.time() - 3600]
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
