"""One strict reader for the numbers that forms and addresses carry.

Pure module: no Flask. Python's `int()` and `str.isdigit()` accept '²', Arabic-Indic digits
and numbers of any length (a 5,000-digit one raises ValueError in `int()`), so every number a
request sends is read here instead: ASCII digits only, and short enough for SQLite.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest SQLite integer
_DIGITS = re.compile(r"[0-9]{1,19}")


def small_int(text: str | None, limit: int = MAX_ID) -> int | None:
    """Return *text* as a non-negative integer no larger than *limit*, else None."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= limit else None
