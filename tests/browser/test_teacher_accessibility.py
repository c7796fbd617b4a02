"""Every teacher page, empty and filled, passes axe-core's WCAG 2.1 A and AA rules (the rules of
the student scan) and fits a 360 px phone; each is photographed at 1280 and 360 px into this
run's folder under test-results/screenshots/. Also the student's class page and held-explanations
results.

The data the filled pages show (an own set with every question type, a class holding its
explanations, two students with attempts) is made quickly through the Flask test client on
the live server's database; tests/browser/test_teacher_browser.py does the same in the browser.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from quiz import queries
from quiz.db import connect
from tests.browser.quizbot import answer_all, submit, wrong_answers
from tests.helpers import RIGHT, WRONG, Student, hidden

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QTYPES = ("choice", "multi", "classify", "evidence", "order", "text")


# --- the data the filled pages show --------------------------------------------------------

@dataclass
class World:
    bundled: int  # the bundled all-types set
    own: int  # the teacher's copy of it, published
    question: str  # a question id of the copy
    class_id: int
    code: str
    student_id: int  # Ada, all right
    token: str  # Ada's attempt


def _post(client, path: str, data: dict, form_page: str = "/teacher/"):
    token = hidden(client.get(form_page).get_data(as_text=True), "csrf_token")
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code in (302, 303), (path, response.status_code)
    return response.headers["Location"]


def _id(location: str) -> int:
    return int(re.search(r"/(\d+)(?:/edit)?$", location)[1])


@pytest.fixture(scope="session")
def world(live_app, teacher_client) -> World:
    db = connect(live_app.config["DATABASE"])
    try:
        bundled = db.execute("SELECT id FROM question_set WHERE slug = 'all-types'").fetchone()[0]
        own = _id(_post(teacher_client, f"/teacher/sets/{bundled}/copy", {}))
        _post(teacher_client, f"/teacher/sets/{own}/publish", {})
        class_id = _id(_post(teacher_client, "/teacher/classes/new", {"name": "7B Media"},
                             "/teacher/classes/new"))
        page = f"/teacher/classes/{class_id}"
        _post(teacher_client, page, {"name": "7B Media", "is_open": "y",
                                     "hold_explanations": "y"}, page)
        _post(teacher_client, f"{page}/sets", {"sets": [str(bundled), str(own)]}, page)
        code = db.execute("SELECT code FROM class WHERE id = ?", (class_id,)).fetchone()[0]
        _post(teacher_client, f"{page}/gains", {"pre": str(bundled), "post": str(own)}, page)
        own_slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (own,)).fetchone()[0]
        for name, answers in (("Ada", RIGHT), ("Bo", WRONG)):
            student = Student(live_app.test_client())
            _post(student.client, "/join", {"code": code, "name": name}, "/join")
            assert student.start("all-types", name).status_code == 302
            assert student.submit(answers).status_code == 303
            if name == "Ada":  # the post-test too: a gain to show, and skills over time
                assert student.start(own_slug, name).status_code == 302
                assert student.submit(WRONG, slug=own_slug).status_code == 303
        ada = db.execute("SELECT id FROM student WHERE class_id = ? AND name = 'Ada'",
                         (class_id,)).fetchone()[0]
        token = db.execute("SELECT token FROM attempt WHERE student_id = ? ORDER BY id",
                           (ada,)).fetchone()[0]
        question = db.execute("SELECT document FROM set_version WHERE set_id = ?",
                              (own,)).fetchone()[0]
        qid = yaml.safe_load(question)["questions"][1]["id"]  # JSON is YAML
    finally:
        db.close()
    return World(bundled, own, qid, class_id, code, ada, token)


# --- before the first account: setup link and the empty dashboard -----------------------

@pytest.mark.parametrize("name", ["teacher-setup", "teacher-setup-error",
                                  "teacher-dashboard-empty"])
def test_pages_before_the_first_set_or_class(teacher_account, name):
    """Audited once, when the session's teacher is made (see conftest.teacher_account)."""
    problems = teacher_account.first_pages[name]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- sign-in ----------------------------------------------------------------------------------

def test_login_empty_with_a_wrong_password_and_throttled(page: Page, audit, live_app,
                                                         teacher_account):
    page.goto("/teacher/login")
    expect(page.locator("h1")).to_have_text("Teacher sign-in")
    audit(page, "teacher-login")
    page.get_by_label("Username").fill(teacher_account.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That username and password do not match.")
    audit(page, "teacher-login-wrong-password")
    # Five failures for another username from this browser's address (127.0.0.1, every
    # test's): only that username waits here, so other tests can still sign in.
    db = connect(live_app.config["DATABASE"])
    try:
        with db:
            for _ in range(live_app.config["LOGIN_ATTEMPTS"]):
                queries.record_login_failure(db, "locked-out", "127.0.0.1", time.time())
    finally:
        db.close()
    page.get_by_label("Username").fill("locked-out")
    page.get_by_label("Password").fill("anything at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins. Wait 15 minutes")
    audit(page, "teacher-login-throttled")


# --- pages shown as they are ---------------------------------------------------------------

PAGES = {
    "teacher-dashboard": lambda w: "/teacher/",
    "teacher-set-bundled": lambda w: f"/teacher/sets/{w.bundled}",
    "teacher-set-own": lambda w: f"/teacher/sets/{w.own}",
    "teacher-preview": lambda w: f"/teacher/sets/{w.own}/preview",
    "teacher-key": lambda w: f"/teacher/sets/{w.own}/key",
    "teacher-edit": lambda w: f"/teacher/sets/{w.own}/edit",
    "teacher-question-edit": lambda w: f"/teacher/sets/{w.own}/questions/{w.question}/edit",
    "teacher-delete-set": lambda w: f"/teacher/sets/{w.own}/delete",
    "teacher-delete-question": lambda w: f"/teacher/sets/{w.own}/questions/{w.question}/delete",
    "teacher-delete-class": lambda w: f"/teacher/classes/{w.class_id}/delete",
    "teacher-class": lambda w: f"/teacher/classes/{w.class_id}",
    "stats-class": lambda w: f"/teacher/classes/{w.class_id}/summary/",
    "stats-set": lambda w: f"/teacher/classes/{w.class_id}/summary/sets/{w.bundled}",
    "stats-grid": lambda w: f"/teacher/classes/{w.class_id}/summary/sets/{w.bundled}/students",
    "stats-student": lambda w: f"/teacher/classes/{w.class_id}/summary/students/{w.student_id}",
    "stats-attempt": lambda w: f"/teacher/classes/{w.class_id}/summary/attempts/{w.token}",
    "stats-gains": lambda w: f"/teacher/classes/{w.class_id}/summary/gains",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_filled_page(teacher_page: Page, audit, world, name):
    response = teacher_page.goto(PAGES[name](world))
    assert response.status == 200, name
    if name == "teacher-class":  # the roster and the attempts are there
        expect(teacher_page.get_by_role("button", name="Remove Bo")).to_be_visible()
        expect(teacher_page.get_by_role("link", name="Ada").first).to_be_visible()  # an attempt
    audit(teacher_page, name)


# --- forms, empty and with a validation error -----------------------------------------------

@pytest.mark.parametrize("qtype", QTYPES)
def test_question_form_new_and_with_a_validation_error(teacher_page: Page, audit, world,
                                                       qtype):
    teacher_page.goto(f"/teacher/sets/{world.own}/questions/new/{qtype}")
    expect(teacher_page.locator("h1")).to_contain_text("New question:")
    audit(teacher_page, f"teacher-question-{qtype}-new")
    teacher_page.get_by_role("button", name="Save question").first.click()
    expect(teacher_page.get_by_role("alert").first).to_contain_text("Not saved yet")
    expect(teacher_page.locator("#prompt")).to_have_attribute("aria-invalid", "true")
    audit(teacher_page, f"teacher-question-{qtype}-error")


FORMS = {  # page, the button, a field that is then marked invalid
    "teacher-new-set": ("/teacher/sets/new", "Create the set", "#title"),
    "teacher-new-class": ("/teacher/classes/new", "Create class", "#name"),
    "teacher-change-password": ("/teacher/password", "Change password", "#current"),
    "teacher-new-teacher": ("/teacher/teachers/new", "Create account", "#username"),
    "teacher-drafts-paste": ("/teacher/drafts/from-article", "Read the article", "#text"),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_form_empty_and_with_errors(teacher_page: Page, audit, name):
    path, button, invalid = FORMS[name]
    teacher_page.goto(path)
    audit(teacher_page, name)
    teacher_page.get_by_role("button", name=button).click()
    expect(teacher_page.locator(invalid)).to_have_attribute("aria-invalid", "true")
    audit(teacher_page, f"{name}-error")


def test_import_empty_and_with_a_refused_files_problems(teacher_page: Page, audit):
    teacher_page.goto("/teacher/sets/import")
    audit(teacher_page, "teacher-import")
    bad = yaml.safe_load((ROOT / "tests/data/all-types.yaml").read_text(encoding="utf-8"))
    bad["questions"][0]["options"][1]["correct"] = True
    bad["questions"][3]["answers"][0]["sentence"] = 99
    teacher_page.get_by_label("Question-set file").set_input_files(files=[{
        "name": "a-rather-long-file-name-for-a-phone-screen.yaml", "mimeType": "application/yaml",
        "buffer": yaml.safe_dump(bad).encode()}])
    teacher_page.get_by_role("button", name="Import").click()
    problems = teacher_page.get_by_role("alert")
    expect(problems).to_contain_text("The file was not imported")
    expect(problems.locator("li")).to_have_count(2)
    audit(teacher_page, "teacher-import-refused")


def test_drafts_reading_page(teacher_page: Page, audit):
    article = yaml.safe_load((ROOT / "questions/articles/north-korea-overseas-workers.yaml")
                             .read_text(encoding="utf-8"))
    teacher_page.goto("/teacher/drafts/from-article")
    teacher_page.get_by_label("Article headline").fill(article["title"])
    teacher_page.get_by_label("Outlet").fill("Daily Express")
    teacher_page.get_by_label("Address of the article").fill(
        "https://www.express.co.uk/news/world/1234567/north-korea-overseas-workers-kim-jong-un")
    teacher_page.get_by_label("Article text").fill(article["text"])
    teacher_page.get_by_role("button", name="Read the article").click()
    expect(teacher_page.locator("h1")).to_have_text("Draft questions from the article")
    audit(teacher_page, "teacher-drafts-reading")
    teacher_page.get_by_role("button", name="Draft the questions").click()  # nothing ticked
    expect(teacher_page.locator("#sentences-error")).to_be_visible()
    audit(teacher_page, "teacher-drafts-reading-error")


# --- the student's side of a class ------------------------------------------------------------

def test_student_class_page_and_held_explanations(page: Page, audit, world, all_types):
    page.goto("/join")
    page.get_by_label("Class code").fill(world.code)
    page.get_by_label("Your name").fill("Cy")
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(r"/class$"))
    expect(page.locator("h1")).to_have_text("7B Media")
    audit(page, "student-class")
    page.locator('a[href="/sets/all-types"]').click()
    page.get_by_role("button", name="Start").click()
    answer_all(page, all_types, wrong_answers(all_types))
    submit(page)
    expect(page.locator("#score-heading")).to_contain_text("Cy, you scored 0 out of 7 (0%)")
    expect(page.get_by_role("status")).to_contain_text("Your teacher will release")
    # Held back: the score only, no right/wrong per question to probe the key with.
    expect(page.locator("[class*=verdict-]")).to_have_count(0)
    main = page.locator("#main")
    expect(main).not_to_contain_text("RIGHT-A")  # neither the key nor any explanation
    for q in all_types["questions"]:
        expect(main).not_to_contain_text(" ".join(q["explanation"].split()))
    audit(page, "student-results-held")


def test_editor_with_rows_added_a_mark_open_and_lost_references(teacher_page: Page, audit,
                                                                world):
    """The editor's enhanced states: a row added in place, a paragraph's mark select open,
    and the list of references an article edit would remove."""
    page = teacher_page
    page.goto(f"/teacher/sets/{world.own}/questions/new/classify")
    page.get_by_role("button", name="Add a statement").click()
    expect(page.locator('[name="statements-2-text"]')).to_be_focused()
    audit(page, "teacher-question-row-added")
    page.goto(f"/teacher/sets/{world.own}/edit")
    page.get_by_role("button", name=re.compile(r"^¶ 3\W+mark paragraph 3$")).click()
    expect(page.get_by_label("Paragraph 3 is")).to_be_visible()
    audit(page, "teacher-edit-marking")
    text = page.get_by_label("Article text")
    text.fill(text.input_value().replace("Residents reportedly oppose the closure. ", ""))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#lost-h")).to_be_visible()
    audit(page, "teacher-edit-lost-references")


# --- the screen to project (issue 15) -------------------------------------------------------

def test_projector_screen_large_live_and_without_reloading(teacher_page: Page, audit, world,
                                                          live_app):
    screen = f"/teacher/classes/{world.class_id}/screen"
    teacher_page.set_viewport_size({"width": 1280, "height": 800})
    teacher_page.goto(screen)
    code = teacher_page.locator(".screen-code")
    expect(code).to_have_text(world.code)
    expect(teacher_page.locator(".qr-code")).to_be_visible()
    joined = teacher_page.locator("#screen-counts h2")
    expect(joined).to_have_text(re.compile(r"Joined: \d+"))
    before = int(joined.inner_text().split(": ")[1])
    # Large enough for the back of a classroom at 1280 px: the code at least 64 px high, the
    # address and the counts at least 28 px (body text is 16 px).
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    assert code.evaluate(size) >= 64
    assert teacher_page.locator(".screen-address").evaluate(size) >= 28
    assert joined.evaluate(size) >= 28
    audit(teacher_page, "teacher-screen")
    # With JavaScript the counts change in place: a new student shows within one round, and
    # the page was not reloaded (the mark set on this window is still there).
    teacher_page.evaluate("() => { window.stillHere = true; }")
    _post(Student(live_app.test_client()).client, "/join", {"code": world.code,
                                                           "name": "Sam Screen"}, "/join")
    expect(joined).to_have_text(f"Joined: {before + 1}", timeout=15_000)
    assert teacher_page.evaluate("() => window.stillHere") is True
    teacher_page.get_by_role("link", name="Stop updating").click()
    expect(teacher_page.get_by_role("link", name="Update them every 10 seconds")).to_be_visible()
    audit(teacher_page, "teacher-screen-still")


def test_projector_screen_reloads_itself_without_javascript(new_context, teacher_account, world):
    # No axe scan here: axe is JavaScript (the same markup is scanned in the test above).
    page = new_context(storage_state=teacher_account.state,
                       java_script_enabled=False).new_page()
    page.goto(f"/teacher/classes/{world.class_id}/screen")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_attribute("content", "10")
    page.get_by_role("link", name="Stop updating").click()
    expect(page.get_by_role("link", name="Update them every 10 seconds")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)


# --- the palette on teacher pages -------------------------------------------------------------

BRAND, ACCENT, INK = "rgb(11, 79, 108)", "rgb(154, 52, 18)", "rgb(27, 31, 36)"


def test_summary_bars_are_in_the_brand_colours(teacher_page: Page, world):
    teacher_page.goto(PAGES["stats-set"](world))
    bars = teacher_page.locator("rect.hist-bar")
    assert bars.count() == 10
    assert set(bars.evaluate_all("els => els.map(e => getComputedStyle(e).fill)")) == {BRAND}
    fills = teacher_page.locator(".stat-bar-fill").evaluate_all(
        "els => els.map(e => [e.classList.contains('bar-choice'),"
        " getComputedStyle(e).backgroundColor])")
    assert {colour for choice, colour in fills if not choice} == {BRAND}  # was Bootstrap's blue
    assert {colour for choice, colour in fills if choice} == {ACCENT}  # was Bootstrap's purple


def test_the_join_code_is_large_monospace_ink(teacher_page: Page, world):
    teacher_page.goto(PAGES["teacher-class"](world))
    code = teacher_page.locator(".join-code")
    expect(code).to_have_text(world.code)
    style = code.evaluate("e => { const s = getComputedStyle(e);"
                          " return [s.color, s.fontFamily, parseFloat(s.fontSize)]; }")
    colour, family, size = style
    assert colour == INK  # was Bootstrap's pink
    assert "monospace" in family
    assert size >= 28  # read aloud to a class: larger than the page's headings
    # every other code on the page (the rejoin codes) is in ink, not pink, too
    assert set(teacher_page.locator("#main code").evaluate_all(
        "els => els.map(e => getComputedStyle(e).color)")) == {INK}
