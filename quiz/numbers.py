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


def url_converter():
    """Return a Werkzeug converter for ids in addresses: ASCII digits within SQLite's range.

    Werkzeug's own `int` takes any Unicode digit and any length; an id above 2**63 then
    fails in SQLite with a 500. Out of range here means the route does not match: a 404.
    """
    from werkzeug.routing import BaseConverter, ValidationError

    class SmallInt(BaseConverter):
        regex = r"[0-9]{1,19}"
        weight = 50

        def to_python(self, value: str) -> int:
            number = small_int(value)
            if number is None:
                raise ValidationError()
            return number

        def to_url(self, value) -> str:
            return str(int(value))

    return SmallInt
