"""Units of work: each function is one transaction over the queries in `queries`."""

from __future__ import annotations

import json
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


def record_attempt(db: sqlite3.Connection, version_id: int, document: dict, answers: dict,
                   student_name: str, submit_key: str) -> str:
    """Score and store an attempt with every response; return its results token."""
    results = scoring.score_all(document, answers)
    rows = [(q["id"], n, answers.get(q["id"]), r.points, r.max_points, r.verdict)
            for n, q in enumerate(document["questions"]) for r in [results[q["id"]]]]
    with db:
        attempt_id = queries.insert_attempt(
            db, token=secrets.token_urlsafe(16), submit_key=submit_key, version_id=version_id,
            student_name=student_name, points=sum(r.points for r in results.values()),
            max_points=sum(r.max_points for r in results.values()))
        if attempt_id is not None:
            queries.insert_responses(db, attempt_id, rows)
    # A double submit lands here with no new row: both clicks see the first attempt.
    return queries.attempt_token_for_key(db, submit_key)


def document_of(row: sqlite3.Row) -> dict:
    """Decode the set document stored with a row."""
    return json.loads(row["document"])
