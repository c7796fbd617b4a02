"""Every unit of work that writes: one function each, one transaction (`with db:`) each.

Views and commands call these and never open a transaction themselves; the statements are
the named functions of `quiz.queries`, which never commit. A failure anywhere inside a
function leaves the database as it was (tests/test_storage.py breaks one on purpose).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
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


# Teacher accounts -----------------------------------------------------------------------

def add_teacher(db: sqlite3.Connection, username: str, password_hash: str) -> int:
    """Create a teacher account and return its id."""
    with db:
        return queries.insert_teacher(db, username, password_hash)


def add_first_teacher(db: sqlite3.Connection, token_hash: str, username: str,
                      password_hash: str) -> int | None:
    """Use up a setup token and create the first account, together.

    Return None when another request used the token first, or a teacher exists.
    """
    with db:
        if not queries.consume_setup_token(db, token_hash):
            return None
        return queries.insert_teacher(db, username, password_hash)


def change_password(db: sqlite3.Connection, teacher_id: int, password_hash: str) -> None:
    """Replace a teacher's password hash (ending their other sessions)."""
    with db:
        queries.set_password_hash(db, teacher_id, password_hash)


def end_sessions(db: sqlite3.Connection, teacher_id: int) -> None:
    """End every session a teacher has signed in."""
    with db:
        queries.end_sessions(db, teacher_id)


def record_sign_in(db: sqlite3.Connection, teacher_id: int, address: str) -> None:
    """Remember the address a teacher last signed in from."""
    with db:
        queries.record_sign_in(db, teacher_id, address)


def record_login_failure(db: sqlite3.Connection, username: str, address: str, at: float,
                         window: float) -> None:
    """Remember one failed sign-in and forget those older than the window (seconds)."""
    with db:
        queries.record_login_failure(db, username, address, at)
        queries.forget_login_failures(db, at - window)


def replace_setup_token(db: sqlite3.Connection, token_hash: str) -> None:
    """Store the hash of a new one-time setup token; earlier ones stop working."""
    with db:
        queries.replace_setup_token(db, token_hash)


# A teacher's sets and classes -------------------------------------------------------------

def publish_set(db: sqlite3.Connection, set_id: int, published: bool) -> None:
    """Publish or unpublish a set."""
    with db:
        queries.set_published(db, set_id, published)


def delete_set(db: sqlite3.Connection, set_id: int) -> None:
    """Delete a set with its versions and attempts."""
    with db:
        queries.delete_set(db, set_id)


def save_class_settings(db: sqlite3.Connection, class_id: int, *, name: str, is_open: bool,
                        one_attempt: bool, hold_explanations: bool) -> None:
    """Change a class's name and settings."""
    with db:
        queries.update_class(db, class_id, name=name, is_open=is_open, one_attempt=one_attempt,
                             hold_explanations=hold_explanations)


def assign_sets(db: sqlite3.Connection, class_id: int, set_ids: list[int]) -> None:
    """Assign exactly these sets to a class."""
    with db:
        queries.replace_class_sets(db, class_id, set_ids)


def merge_students(db: sqlite3.Connection, source: int, target: int) -> None:
    """Give one student's attempts to another and remove the first (a duplicate name)."""
    with db:
        queries.move_attempts(db, source, target)
        queries.delete_student(db, source)


def remove_student(db: sqlite3.Connection, student_id: int) -> None:
    """Remove a student and their attempts."""
    with db:
        queries.delete_student(db, student_id)


def delete_class(db: sqlite3.Connection, class_id: int) -> None:
    """Delete a class with its students and their attempts."""
    with db:
        queries.delete_class(db, class_id)


def pair_gain_sets(db: sqlite3.Connection, class_id: int, pre_set_id: int | None,
                   post_set_id: int | None) -> None:
    """Pair a class's pre-test and post-test sets, or unpair them (both None)."""
    with db:
        if pre_set_id is None or post_set_id is None:
            queries.delete_gain_pair(db, class_id)
        else:
            queries.replace_gain_pair(db, class_id, pre_set_id, post_set_id)
