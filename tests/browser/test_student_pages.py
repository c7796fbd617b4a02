"""The redesigned student pages in Chromium (issue 13): the article printed once and answered
in place, phones first, a stable quiz page, results that teach, and the class page's marks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quiz import questionsets
from quiz.db import connect
from tests.browser.quizbot import (
    answer,
    answer_all,
    bundled_set_files,
    by_id,
    expect_results,
    right_answers,
    start,
    submit,
)
from tests.helpers import hidden

pytestmark = pytest.mark.browser

BUNDLED = bundled_set_files()
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def words(text: str) -> str:
    return " ".join(text.split())


def in_viewport(page: Page, selector: str) -> bool:
    """Say whether the element's top and (up to a screen of it) its start are on screen."""
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.top < window.innerHeight - 20; }")


# --- the article, once ------------------------------------------------------------------

def question_texts(document: dict) -> str:
    parts = []
    for q in document["questions"]:
        parts.append(q["prompt"])
        for key in ("options", "statements", "items"):
            parts += [entry["text"] for entry in q.get(key, [])]
    return words(" ".join(parts))


@pytest.mark.parametrize("which", ["all-types", *[p.stem for p in BUNDLED]])
def test_each_sentence_of_the_article_is_printed_once(page: Page, all_types, which):
    document = all_types if which == "all-types" else questionsets.load_file(
        next(p for p in BUNDLED if p.stem == which))
    page.set_viewport_size(DESKTOP)  # both panes on screen
    start(page, document["id"])
    visible = words(page.locator("body").inner_text())
    quoted = question_texts(document)
    article = words(" ".join(s["text"] for s in document["article"]["sentences"]))
    for s in document["article"]["sentences"]:
        if len(s["text"].split()) < 2:
            continue  # a one-word headline is its own first word
        # once in the article (where a caption repeats another sentence, as often as the
        # article has it), again only where a question quotes it itself
        text = words(s["text"])
        assert visible.count(text) == article.count(text) + quoted.count(text), s["n"]
    expect(page.locator(".article-text")).to_have_count(1)


# --- phones first -------------------------------------------------------------------------

@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_first_question_is_within_two_screens_on_a_phone(new_context, path, javascript):
    document = questionsets.load_file(path)
    page = new_context(java_script_enabled=javascript, viewport=PHONE).new_page()
    start(page, document["id"])
    page.wait_for_load_state("load")  # measured before the stylesheet, the article shows
    top = page.locator("[data-question]").first.evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY")
    assert 0 < top < 2 * PHONE["height"], top
    # progress and Submit are on the first screen already, and still after scrolling
    expect(page.get_by_role("button", name="Submit answers")).to_be_in_viewport()
    page.mouse.wheel(0, 3000)
    expect(page.get_by_role("button", name="Submit answers")).to_be_in_viewport()
    expect(page.locator("#progress")).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_phone_switches_between_the_article_and_the_questions(new_context, all_types,
                                                                  javascript, audit):
    page = new_context(java_script_enabled=javascript, viewport=PHONE).new_page()
    start(page, "all-types")
    article, questions = page.locator(".article-pane"), page.locator(".questions-pane")
    expect(questions).to_be_visible()
    expect(article).to_be_hidden()
    page.locator(".pane-tabs").get_by_role("link", name="The article").click()
    expect(article).to_be_visible()
    expect(questions).to_be_hidden()
    expect(page.locator(by_id("s-2"))).to_be_in_viewport()
    if javascript:  # the sentences are buttons now: scanned in that state
        audit(page, "quiz-article-tab")
    page.locator(".pane-tabs").get_by_role("link", name=re.compile("Questions")).click()
    expect(questions).to_be_visible()
    # a "sentence N" in a question opens the article at that sentence, and there is a way back
    choice = page.locator(by_id("question-q-choice"))
    # all-types names no sentence in a prompt: give question 1 the link the server makes
    page.evaluate("""() => document.querySelector('#question-q-choice legend')
        .insertAdjacentHTML('beforeend', ' <a class="sentence-link" href="#s-5">sentence 5</a>')""")
    choice.locator("a.sentence-link").click()
    expect(article).to_be_visible()
    expect(page.locator(by_id("s-5"))).to_be_in_viewport()
    if javascript:
        back = page.get_by_role("link", name="Back to question 1")
        expect(back).to_be_visible()
        back.click()
    else:
        page.go_back()
    expect(questions).to_be_visible()
    expect(choice).to_be_in_viewport()


# --- evidence in the article ------------------------------------------------------------

@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
def test_evidence_is_answered_in_the_article_by_keyboard_alone(page: Page, all_types, size):
    page.set_viewport_size(size)
    start(page, "all-types")
    choose = page.locator(by_id("question-q-evidence")).get_by_role(
        "button", name="Choose in the article")
    for _ in range(120):  # Tab to the evidence question's button
        if choose.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first = page.locator(by_id("s-1"))
    expect(first).to_be_focused()
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "Enter", "ArrowDown", " "):
        page.keyboard.press(key)  # to sentence 4, choose it; to 5, choose it
    for n in (4, 5):
        expect(page.locator(by_id(f"s-{n}"))).to_have_attribute("aria-pressed", "true")
        expect(page.locator(by_id(f"q-q-evidence-{n}"))).to_be_checked()
    expect(page.locator(by_id("s-3"))).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#pick-status")).to_contain_text("Question 4: ")
    expect(page.locator("#pick-status")).to_contain_text("Chosen: 4, 5.")
    page.keyboard.press(" ")  # again: unchosen
    expect(page.locator(by_id("q-q-evidence-5"))).not_to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("#progress")).to_have_text("Answered 1 of 6")


# --- a stable quiz page -----------------------------------------------------------------

def attempts_of(live_app, name: str) -> list[tuple]:
    db = connect(live_app.config["DATABASE"])
    try:
        return db.execute(
            "SELECT a.token, r.question_id, r.answer FROM attempt a JOIN response r "
            "ON r.attempt_id = a.id WHERE a.student_name = ? ORDER BY a.id, r.position",
            (name,)).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_then_submit_lands_on_the_same_results(new_context, live_app, all_types,
                                                    javascript, audit):
    name = f"Backer-{javascript}"
    page = new_context(java_script_enabled=javascript).new_page()
    start(page, "all-types", name)
    order = page.locator('input[name="q-q-multi"]').evaluate_all("els => els.map(e => e.value)")
    answer_all(page, all_types, right_answers(all_types))
    submit(page)
    expect_results(page, all_types, 100)
    results = page.url.split("#")[0]
    stored = attempts_of(live_app, name)
    page.go_back()
    expect(page.locator(".sent-note")).to_contain_text("You have sent this page already")
    if javascript:
        audit(page, "quiz-already-sent")
        # the counter counts what the browser ticked again
        expect(page.locator("#progress")).not_to_have_text("Answered 0 of 6")
    # the same page: the same order of options, so what the browser re-ticks means the same
    assert page.locator('input[name="q-q-multi"]').evaluate_all(
        "els => els.map(e => e.value)") == order
    submit(page)
    # Wait for the answer: the results, or (a typed answer the browser did not restore) the
    # page asking to confirm the blanks. Counting before it arrives would find neither.
    confirm = page.get_by_label("Submit with unanswered questions")
    expect(confirm.or_(page.locator("#score-heading"))).to_be_visible()
    if confirm.count():
        confirm.check()
        submit(page)
    expect(page).to_have_url(re.compile(re.escape(results) + "(#main)?$"))
    assert attempts_of(live_app, name) == stored  # nothing new stored
    if javascript:  # the results open in no other browser: that page too
        other = new_context().new_page()
        response = other.goto(results)
        assert response.status == 403
        audit(other, "results-not-yours")


def test_try_again_starts_a_new_page(page: Page, live_app, all_types):
    start(page, "all-types", "Again")
    answer_all(page, all_types, right_answers(all_types))
    submit(page)
    first = page.url.split("#")[0]
    page.get_by_role("button", name="Try this set again").click()
    expect(page).to_have_url(re.compile(r"/sets/all-types/quiz$"))
    expect(page.locator(".sent-note")).to_have_count(0)
    answer_all(page, all_types, right_answers(all_types))
    submit(page)
    expect_results(page, all_types, 100)
    assert page.url.split("#")[0] != first
    assert len({row[0] for row in attempts_of(live_app, "Again")}) == 2


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_blank_warning_is_on_screen_where_the_page_lands(new_context, all_types,
                                                             javascript, size):
    page = new_context(java_script_enabled=javascript, viewport=size).new_page()
    start(page, "all-types")
    answer(page, all_types["questions"][0], "a")
    page.get_by_role("button", name="Submit answers").scroll_into_view_if_needed()
    submit(page)
    warning = page.locator("#blank-warning")
    expect(warning).to_be_visible()
    assert in_viewport(page, "#blank-warning"), page.evaluate("window.scrollY")
    expect(page.get_by_label("Submit with unanswered questions")).to_be_in_viewport()
    # each blank question is a link to it
    warning.get_by_role("link", name="4").click()
    expect(page.locator(by_id("question-q-evidence"))).to_be_in_viewport()


# --- results that teach -------------------------------------------------------------------

@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_results_show_score_skills_and_takeaways_on_a_phones_first_screen(page: Page, path):
    document = questionsets.load_file(path)
    page.set_viewport_size(PHONE)
    start(page, document["id"])
    answer_all(page, document, right_answers(document))
    submit(page)
    expect_results(page, document, 100)
    for selector in ("#score-heading", ".skill-bars", "#takeaways", ".takeaways li"):
        assert in_viewport(page, selector), selector
    if page.locator("#discernment-h").count():
        assert in_viewport(page, "#discernment-h")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_question_marks_only_its_own_evidence(new_context, all_types, javascript, audit,
                                                shoot):
    page = new_context(java_script_enabled=javascript).new_page()
    start(page, "all-types")
    answer_all(page, all_types, right_answers(all_types))
    submit(page)
    marked = page.locator(".article-pane mark.sentence, .article-pane .is-evidence")
    expect(marked).to_have_count(0)
    row = page.locator("#rq-4")
    row.locator("summary").first.click()
    expect(row.locator(".explanation").first).to_be_visible()
    row.get_by_role("link", name=re.compile("Mark it in the article")).click()
    marked = page.locator(".article-pane mark.sentence, .article-pane .is-evidence")
    if javascript:
        marked = page.locator(".article-pane .is-evidence")
    expect(marked).to_have_count(2)
    assert marked.evaluate_all("els => els.map(e => e.id)") == ["s-4", "s-5"]
    expect(page.locator("#evidence-status")).to_contain_text("question 4")
    expect(page.locator(by_id("s-4"))).to_be_in_viewport()
    if javascript:
        audit(page, "results-question-marked")
    else:  # axe needs JavaScript: photographs only
        shoot(page, "results-question-marked-no-js")


# --- the class page marks what is done ----------------------------------------------------

def _post(client, path: str, data: dict, form_page: str):
    token = hidden(client.get(form_page).get_data(as_text=True), "csrf_token")
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code in (302, 303), (path, response.status_code)
    return response.headers["Location"]


def test_the_class_page_marks_done_sets_with_the_score(page: Page, live_app, teacher_client,
                                                       all_types, audit):
    db = connect(live_app.config["DATABASE"])
    try:
        bundled = db.execute("SELECT id FROM question_set WHERE slug = 'all-types'").fetchone()[0]
        location = _post(teacher_client, "/teacher/classes/new", {"name": "9C Done"},
                         "/teacher/classes/new")
        class_id = int(location.rsplit("/", 1)[1])
        _post(teacher_client, f"/teacher/classes/{class_id}/sets",
              {"sets": [str(bundled)]}, f"/teacher/classes/{class_id}")
        code = db.execute("SELECT code FROM class WHERE id = ?", (class_id,)).fetchone()[0]
    finally:
        db.close()
    page.goto("/join")
    page.get_by_label("Class code").fill(code)
    page.get_by_label("Your name").fill("Dee")
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".set-card-done")).to_have_count(0)
    page.locator('a[href="/sets/all-types"]').click()
    page.get_by_role("button", name="Start").click()
    answer(page, all_types["questions"][0], "a")
    submit(page)
    page.get_by_label("Submit with unanswered questions").check()
    submit(page)
    results = page.url.split("#")[0]
    page.goto("/class")
    done = page.locator(".set-card-done")
    expect(done).to_contain_text("Done: 14.3%")
    audit(page, "student-class-done")
    done.get_by_role("link", name=re.compile("See your results")).click()
    expect(page).to_have_url(results)


# --- excerpts beside the article (issue 14: a claim's trail upstream) ---------------------

def test_the_excerpts_are_numbered_texts_after_the_article(page: Page):
    path = next(p for p in BUNDLED if p.stem == "follow-the-claim-upstream")
    document = questionsets.load_file(path)
    texts = [s for s in document["article"]["sentences"] if s.get("excerpt")]
    page.set_viewport_size(DESKTOP)
    start(page, document["id"])
    pane = page.locator(".article-pane")
    expect(pane.locator("#text-B")).to_contain_text("Text B")
    first = texts[0]["n"]
    # The first excerpt sentence continues the article's numbering, and its source is named.
    expect(pane.locator(f"#s-{first}")).to_contain_text(words(texts[0]["text"])[:40])
    assert first == len(document["article"]["sentences"]) - len(texts) + 1
    expect(pane.locator(".text-source").first).to_be_visible()
