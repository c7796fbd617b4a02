"""Units of work: each function is one transaction over the queries in `queries`."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import queries, questionsets, scoring


@dataclass
class LoadReport:
    """What loading a folder of set files did."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    problems: list[str]


def store_document(db: sqlite3.Connection, document: dict, owner_id: int | None = None) -> str:
    """Add a set or a new version of it; return 'added', 'updated' or 'unchanged'."""
    digest = questionsets.content_hash(document)
    current = queries.set_by_slug(db, document["id"])
    with db:
        if current is None:
            set_id = queries.insert_set(db, document["id"], owner_id, document["published"])
            queries.insert_version(db, set_id, digest, document)
            return "added"
        if current["owner_id"] != owner_id:
            raise questionsets.InvalidSetError(
                [f"id: '{document['id']}' is already used by another question set"])
        queries.set_published(db, current["id"], document["published"])
        if current["content_hash"] == digest:
            return "unchanged"
        queries.insert_version(db, current["id"], digest, document)
        return "updated"


def load_folder(db: sqlite3.Connection, folder: str | Path) -> LoadReport:
    """Load every valid set file in *folder*; an invalid file is refused whole."""
    report = LoadReport([], [], [], [])
    documents, report.problems = questionsets.check(folder)
    for document in documents:
        try:
            outcome = store_document(db, document)
        except questionsets.InvalidSetError as exc:
            report.problems.extend(f"{folder}: {p}" for p in exc.problems)
            continue
        getattr(report, outcome).append(document["id"])
    return report


class StudentGone(LookupError):
    """The student an attempt is for was removed from the class (or merged into another)."""


class PageAlreadySent(ValueError):
    """A quiz page's submit key was used by another browser or for another set."""


def session_hash(session_id: str) -> str:
    """Return what is stored of a browser's session id: enough to compare, not to reuse."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def record_attempt(db: sqlite3.Connection, version_id: int, document: dict, answers: dict,
                   student_name: str, submit_key: str, class_id: int | None = None,
                   student_id: int | None = None, session_id: str = "") -> str:
    """Score and store an attempt with every response; return its results token.

    A second submit of the same page by the same browser for the same set returns the
    first attempt's token; anyone else's use of that key raises PageAlreadySent.
    """
    results = scoring.score_all(document, answers)
    rows = [(q["id"], n, answers.get(q["id"]), r.points, r.max_points, r.verdict)
            for n, q in enumerate(document["questions"]) for r in [results[q["id"]]]]
    token = secrets.token_urlsafe(16)
    owner = session_hash(session_id)
    with db:
        if student_id is not None and queries.student_by_id(db, student_id) is None:
            raise StudentGone(student_id)
        try:
            attempt_id = queries.insert_attempt(
                db, token=token, submit_key=submit_key, version_id=version_id,
                student_name=student_name, points=scoring.total(results),
                max_points=sum(r.max_points for r in results.values()), class_id=class_id,
                student_id=student_id, session_hash=owner)
        except sqlite3.IntegrityError as exc:  # removed between the check and the insert
            raise StudentGone(student_id) from exc
        if attempt_id is None:  # a double submit: both clicks see the first attempt
            first = queries.attempt_for_key(db, submit_key)
            if (first is None or first["session_hash"] != owner
                    or first["set_id"] != queries.set_of_version(db, version_id)):
                raise PageAlreadySent(submit_key)
            return first["token"]
        queries.insert_responses(db, attempt_id, rows)
    return token


def document_of(row: sqlite3.Row) -> dict:
    """Decode the set document stored with a row: a new dict the caller may change."""
    return json.loads(row["document"])


# Student pages need the same few documents on every request. A version's document changes
# in place only while nobody has answered it, and then its content hash changes too, so
# (version id, content hash) names one document for ever. Rows for student pages carry only
# that key, so the document itself (30 KB of overflow pages, which SQLite reads again after
# any write by another connection) is read from the database only on a miss.
_SHARED_DOCUMENTS: dict[tuple[int, str], dict] = {}
_SHARED_DOCUMENTS_MAX = 256  # versions; a school has a few dozen sets


def shared_document(db: sqlite3.Connection, row: sqlite3.Row) -> dict:
    """Return the document of a row's version (version_id, content_hash), read and decoded
    once per version and shared by every request and thread: READ ONLY, never change it
    (use `document_of` for a copy to edit)."""
    document = _SHARED_DOCUMENTS.get((row["version_id"], row["content_hash"]))
    if document is None:
        stored = queries.version_document(db, row["version_id"])
        if len(_SHARED_DOCUMENTS) >= _SHARED_DOCUMENTS_MAX:
            _SHARED_DOCUMENTS.clear()  # rare: simpler than an LRU, and a miss costs 0.1 ms
        # Keyed by the hash read with the document: an edit between the two queries gives
        # this request the newer document, never a document under the wrong key.
        document = json.loads(stored["document"])
        _SHARED_DOCUMENTS[(row["version_id"], stored["content_hash"])] = document
    return document


def join_class(db: sqlite3.Connection, class_id: int, name: str) -> int:
    """Return the id of the class's student with this name, adding them if new."""
    with db:
        row = queries.student_in_class(db, class_id, name)
        return row["id"] if row else queries.insert_student_with_code(db, class_id, name,
                                                                      new_join_code())


@dataclass
class Join:
    """What a join request did: `problem` is None, 'code' (no open class), 'taken' (the name
    belongs to a student of another browser) or 'rejoin' (a wrong rejoin code)."""

    problem: str | None
    klass: sqlite3.Row | None = None
    student_id: int | None = None


def join(db: sqlite3.Connection, code: str, name: str, rejoin: str | None, address: str,
         this_student: int | None, now: float, window_minutes: float) -> Join:
    """Join a class, or continue as its student of that name; one transaction.

    A name already taken opens that student only with their rejoin code (or in the browser
    that already is them). A wrong class code, a closed class and a wrong rejoin code are
    recorded against the address for throttling; failures older than the window are deleted
    then, so the table never grows past one window's guesses.
    """
    def fail(problem: str, klass: sqlite3.Row | None = None) -> Join:
        queries.forget_join_failures(db, now - window_minutes * 60)
        queries.record_join_failure(db, address, now)
        return Join(problem, klass)

    with db:
        klass = queries.class_by_code(db, code)
        if klass is None or not klass["is_open"]:  # one answer: a guesser learns nothing
            return fail("code")
        row = queries.student_in_class(db, klass["id"], name)
        if row is None:
            return Join(None, klass, queries.insert_student_with_code(db, klass["id"], name,
                                                                      new_join_code()))
        if row["id"] == this_student:
            return Join(None, klass, row["id"])
        if not rejoin:
            return Join("taken", klass)
        if not secrets.compare_digest(rejoin, row["rejoin_code"] or ""):
            return fail("rejoin", klass)
        return Join(None, klass, row["id"])


def join_wait(db: sqlite3.Connection, address: str, attempts: int, window_minutes: float,
              now: float) -> int:
    """Return the minutes an address must wait before its next join (0: go ahead)."""
    window = window_minutes * 60
    count, oldest = queries.recent_join_failures(db, address, now - window)
    if count < attempts:
        return 0
    return max(1, int((oldest + window - now) // 60) + 1)


def reset_rejoin_code(db: sqlite3.Connection, student_id: int) -> str:
    """Give a student a new rejoin code and return it."""
    code = new_join_code()
    with db:
        queries.set_rejoin_code(db, student_id, code)
    return code


JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud safely


def new_join_code() -> str:
    """Return a random six-character class code."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))


def create_class(db: sqlite3.Connection, owner_id: int, name: str) -> int:
    """Create a class with a fresh join code; one transaction."""
    with db:
        for _ in range(20):
            code = new_join_code()
            if queries.class_by_code(db, code) is None:
                return queries.insert_class(db, owner_id, name, code)
    raise RuntimeError("could not find a free class code")


def free_slug(db: sqlite3.Connection, wanted: str) -> str:
    """Return *wanted* if no set uses it, else it with a short random suffix."""
    slug = wanted
    while queries.slug_taken(db, slug):
        slug = f"{wanted[:70]}-{secrets.token_hex(2)}"
    return slug


def add_teacher_set(db: sqlite3.Connection, document: dict, owner_id: int) -> int:
    """Store a document as a new set owned by a teacher (unpublished); return its id."""
    document = dict(document, id=free_slug(db, document["id"]), published=False)
    with db:
        set_id = queries.insert_set(db, document["id"], owner_id, False)
        queries.insert_version(db, set_id, questionsets.content_hash(document), document)
    return set_id


def save_teacher_document(db: sqlite3.Connection, row: sqlite3.Row, document: dict) -> None:
    """Save an edited set: a new version if anyone answered the current one, else in place."""
    digest = questionsets.content_hash(document)
    if digest == row["content_hash"]:
        return
    with db:
        if queries.version_has_attempts(db, row["version_id"]):
            queries.insert_version(db, row["id"], digest, document)
        else:
            queries.replace_version_document(db, row["version_id"], digest, document)


@dataclass
class Import:
    """A file read for import: the set document, the questions left out (and why), and what
    the importer changed or could not keep (notes), each a line naming the question."""

    document: dict
    skipped: list[str]
    notes: list[str] = field(default_factory=list)


def read_import(name: str, text: str, questions_dir: str | Path) -> Import:
    """Read an uploaded YAML, GIFT or Moodle XML file; raise InvalidSetError naming every
    problem."""
    from . import gift, moodlexml

    if len(text) > questionsets.MAX_SET_CHARS:  # before any parsing
        raise questionsets.InvalidSetError([
            f"{name}: the file has {len(text):,} characters; a set file may have at most "
            f"{questionsets.MAX_SET_CHARS:,}"])
    kind = _file_kind(name, text)
    if kind == "yaml":
        return Import(questionsets.load_text(text, name, Path(questions_dir)), [])
    try:
        result = moodlexml.parse(text) if kind == "xml" else gift.parse(text)
    except gift.GiftError as exc:  # MoodleXmlError is one too
        raise questionsets.InvalidSetError([f"{name}: {p}" for p in exc.problems]) from None
    skipped = [f"{_question_name(s.position, s.title)}: {s.reason}" for s in result.skipped]
    notes = [f"{_question_name(n.position, n.title)}: {n.message}" for n in result.notes]
    if not result.questions:
        raise questionsets.InvalidSetError(
            [f"{name}: no question in this file can be imported"] + skipped)
    raw = gift_set(name, result.questions)
    return Import(questionsets.parse_set(raw, name, None), skipped, notes)


def _question_name(position: int, title: str | None) -> str:
    """Name a question of an imported file: 'question 2 (Title)'."""
    return f"question {position}{f' ({title})' if title else ''}"


def _file_kind(name: str, text: str) -> str:
    """Tell a YAML set, a Moodle XML file and a GIFT file apart, by name then by content."""
    lower = name.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".xml") or (not lower.endswith(".gift") and re.match(r"\s*<", text)):
        return "xml"
    return "gift" if _is_gift(name, text) else "yaml"


def _is_gift(name: str, text: str) -> bool:
    if name.lower().endswith((".yaml", ".yml")):
        return False
    if name.lower().endswith(".gift"):
        return True
    return not re.match(r"\s*(#.*\n\s*)*id\s*:", text)  # a set file starts with its id


def gift_set(name: str, questions: list[dict]) -> dict:
    """Wrap GIFT questions in a set; GIFT carries no article, so the teacher adds one."""
    stem = Path(name).stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "imported"
    return {
        "id": slug[:60],
        "title": stem,
        "intro": f"Imported from {name}.",
        "takeaways": ["Check who says so, and how they know."],
        "published": False,
        "article": {"title": "No article yet", "outlet": "unknown",
                    "text": "Moodle files carry no article. Paste the article in the editor."},
        "questions": questions,
    }
