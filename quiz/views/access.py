"""Who may see what: the lookups every teacher page starts with, 404 when not theirs.

One module, so blueprints never import each other for these.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from .. import caches, queries
from ..db import get_db


def visible_set(set_id: int):
    """Return a set this teacher may read (their own or bundled), or 404."""
    row = queries.visible_set(get_db(), set_id, current_user.id)
    if row is None:
        abort(404)
    return row, caches.document_of(row)


def own_set(set_id: int):
    """Return a set this teacher may change, or 404 (bundled sets belong to no one)."""
    row, document = visible_set(set_id)
    if row["owner_id"] != current_user.id:
        abort(404)
    return row, document


def own_class(class_id: int):
    """Return this teacher's class, or 404."""
    row = queries.owned_class(get_db(), class_id, current_user.id)
    if row is None:
        abort(404)
    return row
