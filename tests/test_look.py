"""The shared frame and the look: favicon, nothing fetched from another host, set cards,
and percentages written honestly."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from quiz import presentation, questionsets
from tests.helpers import ALL_TYPES, RIGHT, hidden, soup

DOC = questionsets.load_file(ALL_TYPES)


# --- percentages ------------------------------------------------------------------------

@pytest.mark.parametrize(("fraction", "shown"), [
    (1 / 8, "12.5%"),      # was "12%"
    (1 / 40, "2.5%"),      # was "2%"
    (1 / 16, "6.3%"),      # half up, not to even (6.2)
    (0.12355, "12.4%"),
    (1 / 3, "33.3%"),
    (2 / 3, "66.7%"),
    (1 / 7, "14.3%"),
    (0.5, "50%"),          # a whole number keeps no ".0"
    (1, "100%"),
    (0, "0%"),
    (0.9996, "99.9%"),     # not perfect: never shown as 100
    (0.0004, "0.1%"),      # above nothing: never shown as 0
    (None, "–"),
])
def test_percent_rounds_half_up_to_one_decimal(fraction, shown):
    assert presentation.percent(fraction) == shown
    if fraction is not None:
        assert presentation.percent(fraction, sign=False) == shown.rstrip("%")


@pytest.mark.parametrize(("template", "shown"), [
    ("{% from '_macros.html' import percent %}{{ percent({'points': 1, 'max_points': 8}) }}",
     "12.5"),
    ("{% from '_macros.html' import percent %}{{ percent({'points': 0, 'max_points': 0}) }}",
     "0"),
    ("{% from 'summaries/_macros.html' import pct %}{{ pct(0.025) }}", "2.5%"),
    ("{% from 'summaries/_macros.html' import pct %}{{ pct(none) }}", "–"),
])
def test_student_and_teacher_pages_share_the_percent_filter(app, template, shown):
    with app.test_request_context():
        assert app.jinja_env.from_string(template).render().strip() == shown


def test_results_page_shows_one_decimal(student):
    response = student.submit({"q-q-choice": RIGHT["q-q-choice"]})  # 1 point of 7
    html = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "you scored 1 out of 7 (14.3%)" in html  # was "(14%)"


# --- teaser and duration ----------------------------------------------------------------

@pytest.mark.parametrize(("intro", "teaser"), [
    ("A tiny set used by the tests.", "A tiny set used by the tests."),
    ("Small words matter. A hedge softens a claim.", "Small words matter."),
    ("U.S. officials said so. Then more.", "U.S. officials said so."),
    ("  Spaced\n  out   words. Next.", "Spaced out words."),
    ("word " * 60, ("word " * 60)[:160].rsplit(" ", 1)[0] + "…"),
    ("", ""),
])
def test_teaser_is_the_first_sentence_cut_at_a_word(intro, teaser):
    assert presentation.teaser(intro) == teaser


def test_minutes_count_reading_and_questions_in_fives():
    words = sum(len(s["text"].split()) for s in DOC["article"]["sentences"])
    expected = words / presentation.WORDS_PER_MINUTE + len(DOC["questions"])
    assert presentation.minutes(DOC) % 5 == 0
    assert expected <= presentation.minutes(DOC) < expected + 5


def test_home_page_cards_have_a_teaser_duration_and_one_start_button(client):
    html = client.get("/").get_data(as_text=True)
    card = soup(html).select_one("section.card.set-card")
    text = card.get_text()
    assert "A tiny set used by the tests." in text
    assert f"6 questions · about {presentation.minutes(DOC)} minutes" in text
    assert "On “Town council votes on bridge”" in text
    links = card.find_all("a")
    # the title's markup is shown as text, and only a screen reader hears which set starts
    assert [(a["href"], a.get_text()) for a in links] == [
        ("/sets/all-types", "Start: Every type <em>once</em>")]
    assert [(span["class"], span.get_text()) for span in links[0].find_all(True)] == [
        (["visually-hidden"], ": Every type <em>once</em>")]


# --- the frame: favicon, wordmark, narrow forms -----------------------------------------

def _static(client, path: str) -> tuple[str, str]:
    """Return a static file's mimetype and text, closing the file it was sent from."""
    response = client.get(path)
    try:
        assert response.status_code == 200, path
        return response.mimetype, response.get_data(as_text=True)
    finally:
        response.close()


def test_favicon_ico_is_served_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    response.close()


@pytest.mark.parametrize("path", ["/", "/join", "/teacher/login", "/sets/all-types", "/nope"])
def test_every_page_links_the_icons_and_the_wordmark(client, path):
    html = client.get(path).get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<img src="/static/wordmark.svg" alt="SourceCheck"' in html
    for name in ("favicon.svg", "wordmark.svg"):
        mimetype, svg = _static(client, f"/static/{name}")
        assert mimetype == "image/svg+xml" and "<title>SourceCheck</title>" in svg


def test_narrow_form_class_is_defined(client):
    _, css = _static(client, "/static/app.css")
    assert re.search(r"\.narrow-form\s*\{[^}]*max-width:\s*30rem", css)
    for path in ("/join", "/teacher/login"):
        assert 'class="narrow-form"' in client.get(path).get_data(as_text=True)


# --- nothing from another host ----------------------------------------------------------

class _Resources(HTMLParser):
    """Collect what a page loads (src, stylesheet and icon hrefs, form actions), its
    links, and any inline style or script."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.inline.append(f"style= on <{tag}>")
        if tag == "script" and not a.get("src"):
            self.inline.append("inline <script>")
        for name in ("src", "srcset", "data", "poster", "action", "formaction"):
            if a.get(name):
                self.loads.append(a[name])
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "style":
            self.inline.append("inline <style>")


def _same_site(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _crawl(client, seeds: list[str], limit: int = 60) -> dict[str, str]:
    """GET the seed pages and the same-site pages they link to (no files), up to *limit*."""
    seen: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        path = queue.pop(0).split("#")[0]
        if not path or path in seen or re.search(r"\.(csv|yaml|gift|txt)$|/export", path):
            continue
        response = client.get(path)
        if response.mimetype != "text/html":
            response.close()
            continue
        seen[path] = response.get_data(as_text=True)
        parser = _Resources()
        parser.feed(seen[path])
        queue += [u for u in parser.links if _same_site(u) and u.startswith("/")]
    return seen


def _problems(pages: dict[str, str]) -> list[str]:
    problems = []
    for path, html in pages.items():
        parser = _Resources()
        parser.feed(html)
        problems += [f"{path}: loads {u}" for u in parser.loads if not _same_site(u)]
        problems += [f"{path}: {what}" for what in parser.inline]
    return problems


def test_no_page_loads_anything_from_another_host(app, teacher, student):
    # a student with results, then a teacher with a class holding that attempt
    results = student.submit(RIGHT).headers["Location"]
    page = "/teacher/classes/new"
    teacher.post(page, {"name": "8B"}, form_page=page)
    pages = _crawl(student.client, ["/", "/join", "/sets/all-types", "/sets/all-types/quiz",
                                    results, "/teacher/login", "/no-such-page"])
    pages |= _crawl(teacher.client, ["/teacher/"])
    assert results in pages and len(pages) >= 15, sorted(pages)
    assert _problems(pages) == []


def test_stylesheets_and_images_fetch_nothing_from_another_host(client):
    home = client.get("/").get_data(as_text=True)
    parser = _Resources()
    parser.feed(home)
    for url in parser.loads:
        if not url.startswith("/static/") or not url.endswith((".css", ".svg")):
            continue
        _, body = _static(client, url)
        assert not re.search(r"(?:url\(|@import|href=)\s*[\"']?\s*(?:https?:)?//", body), url


def test_start_page_keeps_the_name_field_and_says_how_long(client):
    html = client.get("/sets/all-types").get_data(as_text=True)
    assert f"about {presentation.minutes(DOC)} minutes" in html
    assert 'class="start-form"' in html and hidden(html, "csrf_token")
