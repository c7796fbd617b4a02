"""How figures and texts are written on pages: percentages, a set's teaser, its duration,
and "sentence N" as a link to the sentence.

Plain functions (no Flask import), given to the templates as filters by `init_app`, which
also serves /favicon.ico.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

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


# "sentence 4", "sentences 4 and 5", "Sentences 2, 3 or 7": the word, then numbers.
SENTENCE_REF = re.compile(r"\b([Ss]entences?)((?:(?:\s*,\s*|\s+(?:and|or|to)\s+|\s*[-–]\s*|\s+)"
                          r"\d{1,3}\b)+)")
NUMBER = re.compile(r"\d{1,3}")
FIRST_NUMBER = re.compile(r"(\s*)(\d{1,3})(.*)", re.DOTALL)


def sentence_links(text: str, count: int) -> Markup:
    """Escape *text* and link each "sentence N" in it to sentence N of the article shown."""
    if "entence" not in text:  # most texts: no regular expression at all
        return escape(text)
    return _linked(text, count)


# The texts are a set's prompts, options and explanations: the same few hundred for every
# student. Linking one took 50 us, a results page 150 of them.
@functools.lru_cache(maxsize=4096)
def _linked(text: str, count: int) -> Markup:
    parts, at = [], 0
    for match in SENTENCE_REF.finditer(text):
        word, numbers = match.groups()
        lead, first, rest = FIRST_NUMBER.match(numbers).groups()
        parts += [escape(text[at:match.start()]), _anchor(first, word + lead + first, count)]
        done = 0
        for number in NUMBER.finditer(rest):
            parts += [escape(rest[done:number.start()]),
                      _anchor(number.group(), number.group(), count)]
            done = number.end()
        parts.append(escape(rest[done:]))
        at = match.end()
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def sentence_refs(text: str, count: int) -> Markup:
    """Return links to the sentences of the article shown that *text* names ("sentence N"),
    to stand beside a label: a tap on the label ticks its option, never jumps."""
    if "entence" not in text:
        return Markup("")
    return _refs(text, count)


@functools.lru_cache(maxsize=4096)
def _refs(text: str, count: int) -> Markup:
    found = (int(n) for match in SENTENCE_REF.finditer(text)
             for n in NUMBER.findall(match.group(2)))
    return Markup("").join(
        Markup('<a class="sentence-link option-ref" href="#s-{0}">sentence {0}</a>').format(n)
        for n in dict.fromkeys(n for n in found if 1 <= n <= count))


def _anchor(number: str, label: str, count: int) -> Markup:
    if 1 <= int(number) <= count:
        return Markup('<a class="sentence-link" href="#s-{}">{}</a>').format(number, label)
    return escape(label)


def init_app(app) -> None:
    """Give the templates these filters, and serve the favicon where browsers look for it."""
    app.add_template_filter(percent, "percent")
    app.add_template_filter(teaser, "teaser")
    app.add_template_filter(minutes, "minutes")
    app.add_template_filter(rich, "rich")
    app.add_template_filter(sentence_links, "sentence_links")
    app.add_template_filter(sentence_refs, "sentence_refs")
    # Browsers and feed readers ask for /favicon.ico whatever the page links to.
    def favicon():
        """Send the small icon for tabs and bookmarks."""
        return app.send_static_file("favicon.ico")

    app.add_url_rule("/favicon.ico", "favicon", favicon)
