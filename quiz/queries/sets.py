"""Question sets and their versions: the bundled ones, a teacher's own, and the documents."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

Row = sqlite3.Row


# Question sets ------------------------------------------------------------------------

def published_sets(db: sqlite3.Connection) -> list[Row]:
    """List published bundled sets with their current version (not its document)."""
    return db.execute(
        """SELECT s.id, s.slug, v.id AS version_id, v.content_hash
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.published AND s.owner_id IS NULL ORDER BY s.id"""
    ).fetchall()


def set_by_slug(db: sqlite3.Connection, slug: str) -> Row | None:
    """Return a set with its current version (not its document), by slug."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.slug = ?""",
        (slug,),
    ).fetchone()


def version_document(db: sqlite3.Connection, version_id: int) -> Row | None:
    """Return a version's content hash and document (JSON text)."""
    return db.execute("SELECT content_hash, document FROM set_version WHERE id = ?",
                      (version_id,)).fetchone()


def insert_set(db: sqlite3.Connection, slug: str, owner_id: int | None, published: bool) -> int:
    """Create a question set and return its id."""
    return db.execute(
        "INSERT INTO question_set (slug, owner_id, published) VALUES (?, ?, ?)",
        (slug, owner_id, int(published)),
    ).lastrowid


def set_published(db: sqlite3.Connection, set_id: int, published: bool) -> None:
    """Publish or unpublish a set."""
    db.execute("UPDATE question_set SET published = ? WHERE id = ?", (int(published), set_id))


def insert_version(db: sqlite3.Connection, set_id: int, content_hash: str,
                   document: dict) -> int:
    """Store a new version of a set's content and return its id."""
    return db.execute(
        """INSERT INTO set_version (set_id, number, content_hash, document)
           VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM set_version WHERE set_id = ?),
                   ?, ?)""",
        (set_id, set_id, content_hash, json.dumps(document)),
    ).lastrowid


def version(db: sqlite3.Connection, version_id: int) -> Row | None:
    """Return one version of a set."""
    return db.execute(
        "SELECT v.*, s.slug FROM set_version v JOIN question_set s ON s.id = v.set_id "
        "WHERE v.id = ?",
        (version_id,),
    ).fetchone()


def set_of_version(db: sqlite3.Connection, version_id: int) -> int | None:
    """Return the id of the set a version belongs to."""
    row = db.execute("SELECT set_id FROM set_version WHERE id = ?", (version_id,)).fetchone()
    return row[0] if row else None


def set_version_row(db: sqlite3.Connection, set_id: int, version_id: int) -> Row | None:
    """Return one version of a set, shaped like `set_by_slug` (no document)."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash
           FROM question_set s JOIN set_version v ON v.set_id = s.id
           WHERE s.id = ? AND v.id = ?""",
        (set_id, version_id),
    ).fetchone()


# Teachers' sets ------------------------------------------------------------------------

def teacher_sets(db: sqlite3.Connection, owner_id: int) -> list[Row]:
    """List a teacher's own sets with their current version and attempt counts."""
    return db.execute(
        """SELECT s.id, s.slug, s.published, v.number, v.document,
                  (SELECT count(*) FROM attempt a JOIN set_version sv ON sv.id = a.version_id
                   WHERE sv.set_id = s.id) AS attempts
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.owner_id = ? ORDER BY s.id DESC""",
        (owner_id,),
    ).fetchall()


def bundled_sets(db: sqlite3.Connection) -> list[Row]:
    """List every bundled set, published or not."""
    return db.execute(
        """SELECT s.id, s.slug, s.published, v.number, v.document
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.owner_id IS NULL ORDER BY s.id""",
    ).fetchall()


def visible_set(db: sqlite3.Connection, set_id: int, teacher_id: int) -> Row | None:
    """Return a set a teacher may see: their own or a bundled one, with its current version."""
    return db.execute(
        """SELECT s.id, s.slug, s.owner_id, s.published, v.id AS version_id, v.number,
                  v.content_hash, v.document
           FROM question_set s JOIN latest_version v ON v.set_id = s.id
           WHERE s.id = ? AND (s.owner_id = ? OR s.owner_id IS NULL)""",
        (set_id, teacher_id),
    ).fetchone()


def delete_set(db: sqlite3.Connection, set_id: int) -> None:
    """Delete a set with its versions and attempts."""
    db.execute("DELETE FROM question_set WHERE id = ?", (set_id,))


def version_has_attempts(db: sqlite3.Connection, version_id: int) -> bool:
    """Say whether anyone has answered this version."""
    return db.execute("SELECT 1 FROM attempt WHERE version_id = ? LIMIT 1",
                      (version_id,)).fetchone() is not None


def replace_version_document(db: sqlite3.Connection, version_id: int, content_hash: str,
                             document: dict) -> None:
    """Change a version that nobody has answered yet."""
    db.execute("UPDATE set_version SET content_hash = ?, document = ? WHERE id = ?",
               (content_hash, json.dumps(document), version_id))


def slug_taken(db: sqlite3.Connection, slug: str) -> bool:
    """Say whether a set already uses this slug."""
    return db.execute("SELECT 1 FROM question_set WHERE slug = ?", (slug,)).fetchone() is not None


def set_titles(db: sqlite3.Connection, set_ids: Iterable[int]) -> dict[int, str]:
    """Map each of these sets to its current title (read once per set, not per row)."""
    # json_each and json_extract are SQLite's JSON functions: the ids go in as one JSON list.
    rows = db.execute(
        """SELECT set_id, json_extract(document, '$.title') FROM latest_version
           WHERE set_id IN (SELECT value FROM json_each(?))""",
        (json.dumps(sorted(set(set_ids))),))
    return dict(rows.fetchall())
