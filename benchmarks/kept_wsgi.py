"""WSGI module for gunicorn: SourceCheck with benchmarks/kept_db.py installed first."""

from __future__ import annotations

import kept_db

kept_db.install()

from quiz import create_app  # noqa: E402

app = create_app()
