"""How figures and texts are written on pages: percentages, a set's teaser, its duration.

Plain functions (no Flask import), given to the templates as filters by `init_app`, which
also serves /favicon.ico.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from .richtext import to_safe_html

# Reading speed used to say how long a set takes: a slow, careful reader (secondary-school
# students read 150-250 words a minute), plus a minute per question.
WORDS_PER_MINUTE = 150
MINUTES_PER_QUESTION = 1
TEASER_MAX = 160
# A sentence ends at . ! or ? after a small letter, digit or closing quote, before a capital:
# "U.S. officials" is not an end.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'”’][.!?])\s+(?=[A-Z\"'“‘(])")


def percent(fraction: float | None, sign: bool = True) -> str:
    """Write a fraction (0.125) as a percentage ("12.5%"), rounded half up to one decimal.

    A whole number loses its ".0"; a score that is not perfect never shows as 100, nor a
    score above nothing as 0 (99.96 is "99.9", 0.04 is "0.1"). None is a dash.
    """
    if fraction is None:
        return "–"
    # str() of a float is its shortest exact-looking form (0.025, not 0.0250000000000000014),
    # so half-way cases round the way a person reading the number expects.
    exact = Decimal(str(fraction)) * 100
    shown = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown >= 100 > exact:
        shown = Decimal("99.9")
    elif shown <= 0 < exact:
        shown = Decimal("0.1")
    text = str(shown.to_integral_value()) if shown == shown.to_integral_value() else str(shown)
    return f"{text}%" if sign else text


def teaser(text: str, limit: int = TEASER_MAX) -> str:
    """Return the first sentence of *text*, cut at a word and marked "…" if still too long."""
    text = " ".join(str(text or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def minutes(document: dict) -> int:
    """Estimate how many minutes a set takes: reading its article, then its questions.

    Rounded up to 5 minutes, so the figure does not promise more precision than it has.
    """
    words = sum(len(s["text"].split()) for s in document["article"]["sentences"])
    estimate = words / WORDS_PER_MINUTE + MINUTES_PER_QUESTION * len(document["questions"])
    return max(5, 5 * math.ceil(estimate / 5))


def rich(text: str | None, fmt: str | None = None) -> Markup:
    """Show a question's text in its format (plain, html, markdown), sanitised."""
    return Markup(to_safe_html(text or "", fmt))  # noqa: S704  # nosec B704: sanitised


def init_app(app) -> None:
    """Give the templates these filters, and serve the favicon where browsers look for it."""
    app.add_template_filter(percent, "percent")
    app.add_template_filter(teaser, "teaser")
    app.add_template_filter(minutes, "minutes")
    app.add_template_filter(rich, "rich")
    # Browsers and feed readers ask for /favicon.ico whatever the page links to.
    def favicon():
        """Send the small icon for tabs and bookmarks."""
        return app.send_static_file("favicon.ico")

    app.add_url_rule("/favicon.ico", "favicon", favicon)
