"""Tests for quiz.richtext: imported text shown as safe HTML."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup

from quiz import richtext

# What must never reach a page: anything that runs script, loads from elsewhere or restyles it.
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<style>body{display:none}</style><p style="position:fixed">x</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:text/html,<script>alert(1)</script>">',
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/">',
    '<div onclick="alert(1)" onmouseover="alert(1)">hover</div>',
    '<img src="https://evil.example/track.gif">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    '<p title="&quot;><script>alert(1)</script>">x</p>',
    "[x](javascript:alert(1)) ![t](https://evil.example/t.gif)",
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "meta", "form",
                  "input", "button", "base", "link"}


def assert_harmless(markup: str) -> None:
    """Fail if the HTML could run script, load from elsewhere or restyle the page."""
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(True):
        assert element.name not in FORBIDDEN_TAGS, markup
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name not in ("style", "id"), markup
            assert name != "class" or value == ["image-note"], markup  # only our own note
            text = " ".join(value) if isinstance(value, list) else value
            folded = "".join(text.split()).lower()
            assert not folded.startswith(("javascript:", "vbscript:", "data:text")), markup
            if element.name == "img" and name == "src":
                assert folded.startswith("data:image/") or "://" not in folded, markup


@pytest.mark.parametrize("fmt", ["html", "markdown", "plain", None])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_harmless_in_every_format(payload: str, fmt: str | None) -> None:
    assert_harmless(richtext.to_safe_html(payload, fmt))
    assert_harmless(richtext.to_safe_html(f"Question text {payload} more", fmt))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_shows_the_payload_as_typed(payload: str) -> None:
    shown = BeautifulSoup(richtext.to_safe_html(payload, "plain"), "html.parser").get_text()
    assert shown == payload


def test_html_keeps_formatting() -> None:
    markup = richtext.to_safe_html(
        '<p dir="ltr" style="color:red">A <b>bold</b>&nbsp;<i>claim</i></p>'
        '<table><tr><td colspan="2">cell</td></tr></table>'
        '<a href="https://example.org/">source</a>', "html")
    soup = BeautifulSoup(markup, "html.parser")
    assert soup.p["dir"] == "ltr" and "style" not in soup.p.attrs
    assert soup.b.text == "bold" and soup.i.text == "claim"
    assert soup.td["colspan"] == "2"
    assert soup.a["href"] == "https://example.org/"
    assert "noopener" in soup.a["rel"]
    assert "A bold\xa0claim" in soup.get_text()


def test_markdown_is_rendered_with_raw_html_off() -> None:
    markup = richtext.to_safe_html("**Who** says so?\n\n- one\n- two <b>x</b>", "markdown")
    soup = BeautifulSoup(markup, "html.parser")
    assert soup.strong.text == "Who"
    assert [li.text for li in soup.find_all("li")] == ["one", "two <b>x</b>"]
    assert soup.find("b") is None


def test_plain_text_keeps_line_breaks() -> None:
    assert richtext.to_safe_html("a < b\nc & d", "plain") == "a &lt; b<br>\nc &amp; d"


@pytest.mark.parametrize(("src", "kept"), [
    ("data:image/png;base64,iVBORw0KGgo=", False),  # the CSP's data: is for Bootstrap only
    ("images/chart.png", True),
    ("/static/logo.svg", True),
    ("https://example.org/chart.png", False),
    ("//example.org/chart.png", False),
    ("@@PLUGINFILE@@/chart.png", False),
])
def test_images_load_only_from_the_page_itself(src: str, kept: bool) -> None:
    markup = richtext.to_safe_html(f'<p><img src="{src}" alt="A chart"></p>', "html")
    soup = BeautifulSoup(markup, "html.parser")
    assert (soup.img is not None) is kept
    if not kept:
        assert "A chart" in soup.get_text()


def test_moodle_file_images_become_a_note() -> None:
    markup = richtext.to_safe_html('<img src="@@PLUGINFILE@@/x.png" alt="Map">', "html")
    assert BeautifulSoup(markup, "html.parser").get_text() == "[image not imported Map]"
    markup = richtext.to_safe_html('<img src="@@PLUGINFILE@@/x.png">', "html")
    assert BeautifulSoup(markup, "html.parser").get_text() == richtext.IMAGE_NOT_IMPORTED


def test_problem_names_unknown_formats_and_deep_markup() -> None:
    assert richtext.problem("x", "html") is None
    assert "not a text format" in richtext.problem("x", "rtf")
    deep = "<div>" * 101 + "x" + "</div>" * 101
    assert "101 levels deep" in richtext.problem(deep, "html")
    assert richtext.problem(deep, "plain") is None
    assert richtext.problem("<p>x<p>y<br><li>z" * 500, "html") is None  # these never nest


def test_deep_markup_is_shown_as_text_quickly() -> None:
    deep = "<div>" * 100_000 + "x" + "</div>" * 100_000
    start = time.process_time()
    markup = richtext.to_safe_html(deep, "html")
    assert time.process_time() - start < 0.5
    assert markup.startswith("&lt;div&gt;")
