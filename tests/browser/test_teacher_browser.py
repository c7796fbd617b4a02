"""A teacher's whole path in a real Chromium: sign in, write a set with every question type in
the editor, publish it, make a class and assign the set; a student joins with the code and
submits; the teacher sees the attempt and the score summary with its CSV. Then a set drafted
from a pasted article, from the paste to the editor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from quiz import drafting
from quiz.db import connect
from tests.browser.quizbot import answer_all, expect_results, right_answers, submit
from tests.helpers import AUTHORED_COMMON, AUTHORED_QUESTIONS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NK_ARTICLE = ROOT / "questions/articles/north-korea-overseas-workers.yaml"

THIRD_OPTION = {"options-2-text": "reportedly", "options-2-correct": "y",
                "options-2-explanation": "MULTI-C hides who reports it."}


SELECTS = re.compile(r"^(difficulty|skill|statements-\d+-label)$")
TICKS = re.compile(r"-correct$")


def type_in(page: Page, fields: dict) -> None:
    """Fill form fields by name: text boxes, ticks ("y") and selects (an option's value)."""
    for name, value in fields.items():
        field = page.locator(f'[name="{name}"]')
        if TICKS.search(name):
            field.set_checked(value == "y")
        elif SELECTS.match(name):
            field.select_option(value)
        else:
            field.fill(value)


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Teachers").click()
    expect(page.locator("h1")).to_have_text("Teacher sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/teacher/$"))
    expect(page.locator("h1")).to_have_text(f"Hello, {username}")


def stored_document(live_app, set_id: int) -> dict:
    db = connect(live_app.config["DATABASE"])
    try:
        row = db.execute("SELECT document FROM set_version WHERE set_id = ? "
                         "ORDER BY number DESC LIMIT 1", (set_id,)).fetchone()
    finally:
        db.close()
    return json.loads(row[0])


def test_a_teacher_writes_every_type_and_a_class_takes_it(new_context, live_app,
                                                          teacher_account, all_types):
    # The teacher's pages need no JavaScript: the list buttons are plain submit buttons.
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, teacher_account.username, teacher_account.password)

    # A new set with a pasted article.
    article = all_types["article"]
    page.get_by_role("link", name="New question set").click()
    page.get_by_label("Title").fill("Bridge watch (browser)")
    page.get_by_label("What to look for").fill("Who says what about the bridge?")
    page.get_by_label("Takeaways").fill("Check who says so.\nAsk who counted.")
    page.get_by_label("Article headline").fill(article["title"])
    page.get_by_label("Outlet").fill(article["outlet"])
    page.get_by_label("Date").fill(str(article["date"]))
    page.get_by_label("Article text").fill(article["text"])
    page.get_by_label("Captions and page furniture").fill(
        ", ".join(f"{n}: {kind}" for n, kind in article["marks"].items()))
    page.get_by_role("button", name="Create the set").click()
    expect(page).to_have_url(re.compile(r"/teacher/sets/\d+/edit$"))
    expect(page.get_by_role("alert")).to_have_text("Set created. Now add questions.")
    set_id = int(re.search(r"/sets/(\d+)/edit", page.url)[1])
    editor = page.url

    # One question of every type, through the forms.
    names = {"choice": "Multiple choice", "multi": "All that apply",
             "classify": "Sort statements", "evidence": "Find the sentence",
             "order": "Put in order", "text": "Short answer"}
    for n, (qtype, typed) in enumerate(AUTHORED_QUESTIONS.items(), start=1):
        page.get_by_role("link", name=names[qtype], exact=True).click()
        expect(page.locator("h1")).to_have_text(f"New question: {names[qtype]}")
        type_in(page, {**AUTHORED_COMMON, **typed})
        if qtype == "multi":  # a third option, with the no-JavaScript "add" button
            expect(page.locator('[name="options-2-text"]')).to_have_count(0)
            page.get_by_role("button", name="Add an option").click()
            expect(page.locator('[name="options-2-text"]')).to_be_visible()
            for name, value in typed.items():  # everything typed is kept
                field = page.locator(f'[name="{name}"]')
                if value is True:
                    expect(field).to_be_checked()
                else:
                    expect(field).to_have_value(value)
            type_in(page, THIRD_OPTION)
        page.get_by_role("button", name="Save question").first.click()
        expect(page).to_have_url(f"{editor}#questions-h")
        expect(page.get_by_role("alert")).to_have_text("Question saved.")
        expect(page.locator("#questions-h + ol > li")).to_have_count(n)

    document = stored_document(live_app, set_id)
    assert [q["type"] for q in document["questions"]] == list(AUTHORED_QUESTIONS)
    multi = document["questions"][1]
    assert [(o["text"], o["correct"]) for o in multi["options"]] == [
        ("as many as", True), ("voted", False), ("reportedly", True)]

    # Publish it.
    page.get_by_role("link", name="Back to the set").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Published: students can take it.")
    slug = document["id"]

    # A class with the set assigned.
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Teacher").click()
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Class name").fill("8C Browser")
    page.get_by_role("button", name="Create class").click()
    expect(page.locator("h1")).to_have_text("8C Browser")
    code = page.locator("code.join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    page.get_by_label("Bridge watch (browser)").check()
    page.get_by_role("button", name="Save sets").click()
    expect(page.get_by_role("alert")).to_have_text("Assigned sets saved.")
    expect(page.get_by_label("Bridge watch (browser)")).to_be_checked()
    class_page = page.url

    # A student joins with the code shown and submits, in a browser of their own.
    student = new_context().new_page()
    student.goto("/")
    student.get_by_role("link", name="Join a class").click()
    student.get_by_label("Class code").fill(code.lower())  # typed as a student might
    student.get_by_label("Your name").fill("Dee")
    student.get_by_role("button", name="Join").click()
    expect(student.locator("h1")).to_have_text("8C Browser")
    student.get_by_role("link", name="Bridge watch (browser)").click()
    student.get_by_role("button", name="Start").click()
    expect(student).to_have_url(re.compile(rf"/sets/{re.escape(slug)}/quiz$"))
    answer_all(student, document, right_answers(document))
    submit(student)
    got, top = expect_results(student, document, 100)
    assert (got, top) == ("7", "7")

    # The teacher sees the attempt on the class page.
    page.goto(class_page)
    expect(page.locator("#roster-h")).to_have_text("Students (1)")
    attempts = page.locator("section[aria-labelledby=attempts-h] tbody tr")
    expect(attempts).to_have_count(1)
    expect(attempts).to_contain_text("Dee")
    expect(attempts).to_contain_text("Bridge watch (browser)")
    expect(attempts).to_contain_text("7 / 7")

    # The score summary, and its CSV for a gradebook.
    page.get_by_role("link", name="Score summaries").click()
    expect(page.locator("h1")).to_have_text("Score summaries: 8C Browser")
    expect(page.get_by_role("row", name=re.compile("Bridge watch"))).to_contain_text("100")
    with page.expect_download() as download:
        page.get_by_role("link", name="Scores CSV (first attempts)").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].split(",")[:3] == ["Student", "Set", "Set id"], csv[0]
    # The set by its title, its id in a column of its own.
    assert any(line.startswith(f"Dee,Bridge watch (browser),{slug},") for line in csv[1:]), csv


def test_a_set_drafted_from_a_pasted_article_opens_in_the_editor(teacher_page: Page):
    page = teacher_page
    article = yaml.safe_load(NK_ARTICLE.read_text(encoding="utf-8"))
    page.goto("/teacher/")
    page.get_by_role("link", name="New set from an article").click()
    expect(page.locator("h1")).to_have_text("New set from an article")
    page.get_by_label("Article headline").fill(article["title"])
    page.get_by_label("Outlet").fill("Daily Express")
    page.get_by_label("Article text").fill(article["text"])
    page.get_by_label("Captions and page furniture").fill(
        ", ".join(f"{n}: {kind}" for n, kind in article["marks"].items()))
    page.get_by_role("button", name="Read the article").click()

    expect(page.locator("h1")).to_have_text("Draft questions from the article")
    expect(page.locator("#found-2")).to_contain_text("source: human rights activists")
    for n in (2, 5):
        page.locator(f'label[for="sentence-{n}"]').click()
        expect(page.locator(f"#sentence-{n}")).to_be_checked()
    kinds = page.locator('input[name="kinds"]')
    expect(kinds).to_have_count(len(drafting.KINDS))
    for kind in set(drafting.KINDS) - {"source", "hedges"}:  # draft two kinds only
        kinds.and_(page.locator(f'[value="{kind}"]')).uncheck()
    page.get_by_role("button", name="Draft the questions").click()

    expect(page).to_have_url(re.compile(r"/teacher/sets/\d+/edit$"))
    expect(page.get_by_role("alert").first).to_contain_text("Drafted")
    expect(page.locator("h1")).to_contain_text("Edit:")
    questions = page.locator("#questions-h + ol > li")
    expect(questions.first).to_contain_text("Who is the source of sentence 2")
    expect(questions.last).to_contain_text("All that apply")  # the hedges question
    expect(page.get_by_label("Article text")).to_have_value(
        re.compile(re.escape(article["text"].splitlines()[0])))


# --- the editor with JavaScript: rows in place, marks on the article -------------------------

def own_copy(live_app, teacher_client) -> int:
    """Copy the bundled all-types set into a new set of the teacher's; return its id."""
    from tests.helpers import hidden

    db = connect(live_app.config["DATABASE"])
    try:
        bundled = db.execute("SELECT id FROM question_set WHERE slug = 'all-types'").fetchone()[0]
    finally:
        db.close()
    token = hidden(teacher_client.get("/teacher/").get_data(as_text=True), "csrf_token")
    response = teacher_client.post(f"/teacher/sets/{bundled}/copy", data={"csrf_token": token})
    return int(re.search(r"/(\d+)(?:/edit)?$", response.headers["Location"])[1])


def test_rows_are_added_moved_and_removed_in_place_with_javascript(
        teacher_page: Page, live_app, teacher_client, shoot):
    page = teacher_page
    set_id = own_copy(live_app, teacher_client)
    page.goto(f"/teacher/sets/{set_id}/questions/new/multi")
    page.evaluate("() => { window.notReloaded = true; }")
    type_in(page, {**AUTHORED_COMMON, **AUTHORED_QUESTIONS["multi"]})
    expect(page.get_by_role("button", name="Remove option 1")).to_be_hidden()  # two at least

    page.get_by_role("button", name="Add an option").click()
    third = page.locator('[name="options-2-text"]')
    expect(third).to_be_focused()
    expect(page.locator("#editor-status")).to_have_text("Option 3 added.")
    expect(page.get_by_role("group", name="Option 3")).to_be_visible()
    type_in(page, THIRD_OPTION)
    page.get_by_role("button", name=re.compile(r"^Move up\W+option 3$")).click()
    expect(page.locator('[name="options-1-text"]')).to_have_value("reportedly")
    expect(page.locator('[name="options-1-correct"]')).to_be_checked()
    expect(page.locator('[name="options-2-text"]')).to_have_value("voted")
    expect(page.get_by_role("button", name=re.compile(r"^Move up\W+option 2$"))).to_be_focused()
    expect(page.locator("#editor-status")).to_have_text("Option moved to place 2.")
    page.get_by_role("button", name="Remove option 1").click()
    expect(page.locator('[name="options-0-text"]')).to_have_value("reportedly")
    expect(page.locator('[name="options-0-text"]')).to_be_focused()
    expect(page.locator('[name="options-2-text"]')).to_have_count(0)
    expect(page.locator('label[for="options-1-explanation"]')).to_have_count(1)
    expect(page.get_by_role("button", name="Remove option 1")).to_be_hidden()
    assert page.evaluate("() => window.notReloaded") is True  # no round trip
    shoot(page, "teacher-question-rows-in-place")

    page.get_by_role("button", name="Save question").first.click()
    expect(page.get_by_role("alert")).to_have_text("Question saved.")
    saved = stored_document(live_app, set_id)["questions"][-1]
    assert [(o["text"], o["correct"]) for o in saved["options"]] == [
        ("reportedly", True), ("voted", False)]
    assert len({o["id"] for o in saved["options"]}) == 2


def test_rows_without_javascript_still_go_through_the_server(new_context, teacher_account,
                                                            live_app, teacher_client):
    page = new_context(java_script_enabled=False,
                       storage_state=teacher_account.state).new_page()
    set_id = own_copy(live_app, teacher_client)
    page.goto(f"/teacher/sets/{set_id}/questions/new/evidence")
    expect(page.locator('[name^="distractors-"]')).to_have_count(0)  # the template is inert
    type_in(page, {**AUTHORED_COMMON, **AUTHORED_QUESTIONS["evidence"]})
    page.get_by_role("button", name="Add a distractor sentence").click()
    expect(page.locator('[name="distractors-0-sentence"]')).to_be_visible()
    expect(page.locator('[name="answers-0-sentence"]')).to_have_value("4")  # kept
    page.locator('[name="distractors-0-sentence"]').fill("5")
    page.locator('[name="distractors-0-explanation"]').fill("Jo talks about the town.")
    page.get_by_role("button", name="Save question").first.click()
    expect(page.get_by_role("alert")).to_have_text("Question saved.")
    saved = stored_document(live_app, set_id)["questions"][-1]
    assert saved["distractors"] == [{"sentence": 5, "explanation": "Jo talks about the town."}]


def test_a_paragraph_is_marked_by_clicking_its_number(teacher_page: Page, live_app,
                                                      teacher_client):
    page = teacher_page
    set_id = own_copy(live_app, teacher_client)
    page.goto(f"/teacher/sets/{set_id}/edit")
    marks = page.get_by_label("Captions and page furniture")
    expect(marks).to_have_value("1: headline, 4: caption")
    toggle = page.get_by_role("button", name=re.compile(r"^¶ 2\W+mark paragraph 2$"))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    select = page.get_by_label("Paragraph 2 is")
    expect(select).to_be_focused()
    expect(select).to_have_value("")
    select.select_option("furniture")
    expect(marks).to_have_value("1: headline, 2: furniture, 4: caption")
    expect(page.locator("#editor-status")).to_contain_text("Paragraph 2 marked as page furniture")
    page.get_by_role("button", name=re.compile(r"^¶ 4\W+mark paragraph 4$")).click()
    page.get_by_label("Paragraph 4 is").select_option("")
    expect(marks).to_have_value("1: headline, 2: furniture")
    page.get_by_role("button", name="Save", exact=True).click()
    # Paragraph 2's two sentences become one: the evidence question's answer (sentence 4)
    # is lost, so the editor asks first.
    expect(page.locator("#lost-h")).to_be_visible()
    page.get_by_label("Save, and remove the references listed above").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Saved.")
    assert stored_document(live_app, set_id)["article"]["marks"] == {"1": "headline",
                                                                      "2": "furniture"}
