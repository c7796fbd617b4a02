"""Script in an imported Moodle bank never runs: XSS payloads in every imported text field.

Each payload sits in a question's title, text, options, feedback and catch-all feedback, in
HTML, Markdown and plain text, in a GIFT and a Moodle XML file uploaded through the teacher's
import page. The student's quiz and results pages and the teacher's answer key are then
opened in Chromium with `alert`, `confirm`, `prompt` and `console` hooked and CSP violations
recorded: nothing may run, nothing may even be refused by the CSP (the sanitiser removed it
first), and no element may carry an on* attribute or a javascript: URL.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quiz import gift, moodlexml
from quiz.db import connect
from tests.browser.quizbot import submit

pytestmark = pytest.mark.browser

PAYLOADS = {
    "script": "<script>alert('script')</script>",
    "onerror": "<img src=x onerror=\"alert('onerror')\">",
    "javascript-url": "<a href=\"javascript:alert('url')\">click</a>",
    "svg-onload": "<svg onload=\"alert('svg')\"><circle r=\"1\"/></svg>",
    "iframe": "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "object": "<object data=\"javascript:alert('object')\"></object>",
    "style": "<style>body { display: none }</style><p style=\"color:red\">styled</p>",
    "meta-refresh": "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta')\">",
}

# Installed before any page script: records anything that would show a script ran.
HOOKS = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__ran.push(name + ':' + args.join(',')); };
}
for (const name of ['log', 'info', 'warn', 'error']) {
  const original = console[name].bind(console);
  console[name] = (...args) => { window.__ran.push('console.' + name); original(...args); };
}
document.addEventListener('securitypolicyviolation',
  (event) => window.__ran.push('csp:' + event.violatedDirective + ':' + event.blockedURI));
"""

DANGEROUS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      if (value.startsWith('javascript:')) found.push(el.tagName + ' ' + attr.name + ' js');
      if (attr.name === 'style') found.push(el.tagName + ' style');
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, svg, meta[http-equiv], '
                                             + 'body style, main script')) {
    found.push('element ' + el.tagName);
  }
  for (const el of document.querySelectorAll('script')) {
    if (!el.src || new URL(el.src).origin !== location.origin) found.push('script');
  }
  return found;
}"""


def questions(prefix: str) -> list[dict]:
    """One choice question per payload, the payload in every text, and a typed answer."""
    out = []
    for n, (name, payload) in enumerate(PAYLOADS.items(), start=1):
        fmt = ("html", "markdown", "html")[n % 3]
        out.append({
            "id": f"{prefix}{n}", "type": "choice", "title": f"{name} {payload}",
            "prompt": f"{prefix} question {name}: {payload}", "format": fmt,
            "explanation": f"General {payload}", "explanation_format": "html",
            "skill": "source", "difficulty": "easy", "points": 1,
            "options": [
                {"id": "a", "text": f"Right {payload}", "format": "html", "correct": True,
                 "explanation": f"Yes {payload}", "explanation_format": "markdown"},
                {"id": "b", "text": f"Wrong {payload}",
                 "explanation": f"No {payload}", "explanation_format": "html"},
            ]})
    every = " ".join(PAYLOADS.values())
    out.append({
        "id": f"{prefix}typed", "type": "text", "title": f"Typed {every}",
        "prompt": f"{prefix} typed: {every}", "format": "html",
        "explanation": f"General {every}", "skill": "source", "difficulty": "easy",
        "points": 1,
        "answers": [{"text": "Gazette", "explanation": f"Yes {every}",
                     "explanation_format": "html"}],
        "wrong_answers": [],
        "catch_all_explanation": f"Any other {every}", "catch_all_explanation_format": "html",
    })
    return out


def assert_nothing_ran(page: Page, where: str) -> None:
    assert page.evaluate("window.__ran") == [], where
    assert page.evaluate(DANGEROUS) == [], where


@pytest.mark.parametrize(("name", "content"), [
    ("xss.gift", gift.dump(questions("G"))),
    ("xss.xml", moodlexml.dump(questions("X"))),
], ids=["gift", "xml"])
def test_imported_payloads_never_run(new_context, live_app, teacher_page: Page, name,
                                     content):
    teacher_page.context.add_init_script(HOOKS)
    teacher_page.goto("/teacher/sets/import")
    teacher_page.get_by_label("Question-set file").set_input_files(files=[{
        "name": name, "mimeType": "text/plain", "buffer": content.encode()}])
    teacher_page.get_by_role("button", name="Import").click()
    expect(teacher_page).to_have_url(re.compile(r"/teacher/sets/\d+$"))
    set_id = int(teacher_page.url.rsplit("/", 1)[1])
    assert_nothing_ran(teacher_page, "set page")
    teacher_page.get_by_role("button", name="Publish").click()

    teacher_page.goto(f"/teacher/sets/{set_id}/key")
    expect(teacher_page.locator(".question-name").first).to_contain_text("script")
    expect(teacher_page.locator("main")).to_contain_text("Any other")
    assert_nothing_ran(teacher_page, "key")
    teacher_page.goto(f"/teacher/sets/{set_id}/edit")
    assert_nothing_ran(teacher_page, "editor")

    db = connect(live_app.config["DATABASE"])
    try:
        slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    finally:
        db.close()
    student = new_context().new_page()
    student.context.add_init_script(HOOKS)
    student.goto(f"/sets/{slug}")  # a teacher's published set is reached by its link
    student.get_by_label("Your name").fill("Ada")
    student.get_by_role("button", name="Start").click()
    expect(student).to_have_url(re.compile(r"/quiz$"))
    assert_nothing_ran(student, "quiz")
    for radio in student.locator("fieldset.question").all():
        boxes = radio.locator("input[type=radio]")
        if boxes.count():
            boxes.first.check()
        else:
            radio.locator("input[type=text]").fill("Moonbase")  # matches nothing: catch-all
    submit(student)
    expect(student).to_have_url(re.compile(r"/results/"))
    expect(student.locator("main")).to_contain_text("Any other")
    assert_nothing_ran(student, "results")
