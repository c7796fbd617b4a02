"""Every student page passes axe-core's WCAG 2.1 A and AA rules and fits a 360 px phone.

Each page is also photographed at 1280 and 360 px into this run's folder under
test-results/screenshots/ (`latest` is the newest run).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quiz import questionsets
from tests.browser.quizbot import (
    answer,
    answer_all,
    bundled_set_files,
    expect_results,
    right_answers,
    start,
    submit,
    wrong_answers,
)

pytestmark = pytest.mark.browser

BUNDLED = bundled_set_files()


def test_home(page: Page, audit):
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    audit(page, "home")


def test_start_empty_and_with_a_validation_error(page: Page, audit):
    page.goto("/sets/all-types")
    audit(page, "start")
    page.get_by_role("button", name="Start").click()
    name = page.get_by_label("Your name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name-error")).to_have_text("Type your name to start.")
    audit(page, "start-error")


def test_quiz_empty_partly_filled_and_with_the_unanswered_warning(page: Page, audit,
                                                                   all_types):
    start(page, "all-types")
    audit(page, "quiz-empty")
    keys = right_answers(all_types)
    by_qid = {q["id"]: q for q in all_types["questions"]}
    for qid in ("q-choice", "q-classify", "q-order"):
        answer(page, by_qid[qid], keys[qid])
    expect(page.locator("#progress")).to_have_text("Answered 3 of 6")
    audit(page, "quiz-partly-filled")
    submit(page)
    expect(page.locator("#blank-warning")).to_be_visible()
    audit(page, "quiz-unanswered-warning")


@pytest.mark.parametrize("right", [True, False], ids=["all-right", "all-wrong"])
def test_results(page: Page, audit, all_types, right):
    start(page, "all-types")
    answer_all(page, all_types, (right_answers if right else wrong_answers)(all_types))
    submit(page)
    got, top = expect_results(page, all_types, 100 if right else 0)  # every answer explained
    assert (got, top) == ("7" if right else "0", "7")
    if not right:  # the chosen wrong option is explained beside the right one
        expect(page.locator("body")).to_contain_text("WRONG-B")
        expect(page.locator("body")).to_contain_text("RIGHT-A")
    audit(page, f"results-all-types-{'right' if right else 'wrong'}")


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_set_pages(page: Page, audit, path):
    """Each real article (headlines, captions, page furniture): start, quiz, blank results."""
    document = questionsets.load_file(path)
    page.goto(f"/sets/{document['id']}")
    audit(page, f"start-{document['id']}")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#quiz-form")).to_be_visible()
    audit(page, f"quiz-{document['id']}")
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_label("Submit with unanswered questions").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("#score-heading")).to_contain_text("(0%)")
    audit(page, f"results-{document['id']}-blank")


def test_not_found_page(page: Page, audit):
    response = page.goto("/sets/no-such-set")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    audit(page, "error-404")


def test_changed_answer_sheet_comes_back_with_the_answers(page: Page, audit):
    start(page, "all-types")
    page.locator('input[name="q-q-text"]').fill("Test Gazette")
    # a form the quiz page cannot send: an option that does not exist
    page.locator('input[name="q-q-choice"]').first.evaluate(
        "e => { e.value = 'zz'; e.checked = true; }")
    with page.expect_response(re.compile(r"/sets/all-types/quiz$")) as response:
        submit(page)
    assert response.value.status == 400
    expect(page.get_by_text("This answer sheet was changed")).to_be_visible()
    expect(page.locator('input[name="q-q-text"]')).to_have_value("Test Gazette")
    audit(page, "quiz-changed")


def test_bad_request_page(page: Page, audit):
    page.goto("/join")
    # a token the server never signed: refused before any view runs
    page.locator('input[name="csrf_token"]').evaluate("e => { e.value = 'zz'; }")
    with page.expect_response(re.compile(r"/join$")) as response:
        page.get_by_role("button", name=re.compile("Join")).click()
    assert response.value.status == 400
    expect(page.locator("h1")).to_have_text("Something in that request was wrong")
    audit(page, "error-400")


def test_join_a_class_page(page: Page, audit):
    page.goto("/join")
    audit(page, "join")
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, "join-error")
