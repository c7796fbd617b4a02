"""The shared frame in Chromium: narrow centred forms, the footer at the bottom of short
pages, and nothing fetched from another host or missing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

FORMS = ["/join", "/teacher/login", "/sets/all-types"]


@pytest.mark.parametrize("path", FORMS)
def test_forms_are_narrow_and_centred(page: Page, path):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path)
    boxes = page.locator("#main input.form-control").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.width])")
    assert boxes and all(width <= 480 for _, width in boxes), boxes  # was 1,116 px
    if path != "/sets/all-types":  # the start page's form sits under its text
        left, width = boxes[0]
        assert abs(left - (1280 - left - width)) < 20, boxes  # centred


@pytest.mark.parametrize("size", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("path", ["/join", "/no-such-page"])
def test_footer_sits_at_the_bottom_of_short_pages(page: Page, path, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path)
    bottom = page.locator("footer").evaluate("e => e.getBoundingClientRect().bottom")
    assert abs(bottom - height) < 1


def test_pages_fetch_only_from_this_server_and_nothing_is_missing(page: Page, base_url):
    fetched = []
    page.on("response", lambda r: fetched.append((r.url, r.status)))
    for path in ["/", "/join", "/sets/all-types", "/teacher/login"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    host = urlsplit(base_url).netloc
    assert [u for u, _ in fetched if urlsplit(u).netloc != host] == []
    assert [(u, s) for u, s in fetched if s >= 400] == []
    assert (f"{base_url}/static/favicon.svg", 200) in fetched  # the tab's icon
    assert page.goto("/favicon.ico").status == 200
    # the wordmark is drawn, not a broken image
    page.goto("/")
    assert page.locator(".navbar-brand img").evaluate("i => i.complete && i.naturalWidth") > 0
