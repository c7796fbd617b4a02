"""Turn imported question text (plain, HTML or Markdown) into HTML that is safe to show.

Pure module: no Flask. `to_safe_html(text, fmt)` returns a string a template may mark safe:
HTML goes through nh3 (the Ammonia sanitiser) with an allow-list of tags and attributes;
Markdown is rendered by markdown-it-py with raw HTML off, then sanitised the same way;
plain text is escaped. `problem(text, fmt)` is what importers call to refuse a text before
it is stored: an unknown format, or markup nested too deep to sanitise quickly.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import escape

FORMATS = ("plain", "html", "markdown")
# html5ever takes time quadratic in the nesting depth (100,000 nested <div>s: over a minute,
# measured), so depth is counted first. Moodle's editor writes 3 to 6 levels.
MAX_DEPTH = 100

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ATTRIBUTES = {
    "*": {"dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
}
# Elements whose content is dropped with them, not shown as text.
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "textarea", "title", "noscript",
                               "iframe", "object", "embed", "noembed", "noframes", "xmp"})
IMAGE_NOT_IMPORTED = "[image not imported]"
EXTERNAL_IMAGE = "[image from another site not shown]"

# Elements that never nest (void) or close themselves when the next one starts.
_FLAT = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
                   "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
# In nh3's output every attribute value is double-quoted with '"' escaped, so this is exact.
_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def depth(text: str) -> int:
    """Return how deep elements nest in *text*, counting unclosed ones as open."""
    level = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if name.lower() in _FLAT or self_closing:
            continue
        level = max(0, level - 1) if closing else level + 1
        deepest = max(deepest, level)
    return deepest


def problem(text: str, fmt: str) -> str | None:
    """Say why *text* in format *fmt* cannot be imported, or return None."""
    if fmt not in FORMATS:
        return f"'{fmt}' is not a text format (plain, html or markdown)"
    if fmt != "plain" and (level := depth(text)) > MAX_DEPTH:
        return f"its markup nests {level:,} levels deep; at most {MAX_DEPTH} are allowed"
    return None


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep links to web pages and images that load nothing from another site."""
    if tag == "a" and attribute == "href":
        scheme = _SCHEME.match(value)
        allowed = not scheme or scheme.group(0).lower() in ("http:", "https:", "mailto:")
        return value if allowed else None
    return value


def _sanitise(markup: str) -> str:
    """Clean HTML with the allow-list, then replace images that would load from elsewhere."""
    cleaned = nh3.clean(markup, tags=set(TAGS), attributes={k: set(v) for k, v in
                                                              ATTRIBUTES.items()},
                        clean_content_tags=set(DROP_WITH_CONTENT),
                        url_schemes={"http", "https", "mailto"},
                        attribute_filter=_keep_attribute, strip_comments=True,
                        link_rel="noopener noreferrer nofollow")
    return _IMG.sub(_image, cleaned)


def _image(match: re.Match) -> str:
    """Keep a same-site image; say so where one was not imported.

    Inline data: images are not kept (nh3 drops their src): the pages' Content-Security-Policy
    allows data: images only for Bootstrap's own icons, and imported content gets no more.
    """
    tag = match.group(0)
    src = _SRC.search(tag)
    url = html.unescape(src.group(1)) if src else ""
    alt = _ALT.search(tag)
    alt_text = f" {alt.group(1)}" if alt and alt.group(1).strip() else ""
    if "@@PLUGINFILE@@" in url or not url:
        return f'<span class="image-note">{IMAGE_NOT_IMPORTED[:-1]}{alt_text}]</span>'
    if not (_SCHEME.match(url) or url.startswith("//")):
        return tag
    return f'<span class="image-note">{EXTERNAL_IMAGE[:-1]}{alt_text}]</span>'


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """Build the Markdown renderer once: CommonMark with raw HTML off, plus tables."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_safe_html(text: str, fmt: str | None) -> str:
    """Return *text* in format *fmt* (plain when None) as HTML safe to put in a page."""
    fmt = fmt or "plain"
    if fmt not in FORMATS or problem(text, fmt):
        fmt = "plain"  # stored data that would not import again is shown as typed
    if fmt == "html":
        return _sanitise(text)
    if fmt == "markdown":
        return _sanitise(_markdown().render(text))
    # Escaped as Jinja escapes (&#39;, &#34;), so plain text reads the same as before.
    return str(escape(text)).replace("\n", "<br>\n")
