"""A student's whole path through SourceCheck in a real Chromium: with the mouse, without
JavaScript, with the keyboard alone; the unanswered-question check; answers kept locally."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from quiz import questionsets
from tests.browser.quizbot import (
    answer,
    answer_all,
    bundled_set_files,
    by_id,
    expect_results,
    option_input_id,
    right_answers,
    start,
    submit,
)

pytestmark = pytest.mark.browser

BUNDLED = bundled_set_files()


def full_marks(page: Page, document: dict) -> None:
    got, top = expect_results(page, document, 100)
    assert got == top
    expect(page.locator(".verdict-right")).to_have_count(len(document["questions"]))
    expect(page.locator(".verdict-wrong, .verdict-partly, .verdict-blank")).to_have_count(0)
    for t in document["takeaways"]:
        expect(page.locator(".takeaways")).to_contain_text(" ".join(t.split()))


def test_there_are_bundled_sets_to_take():
    assert BUNDLED, "no file in questions/ passes questionsets.check"


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_student_takes_a_bundled_set_with_full_marks(page: Page, path):
    document = questionsets.load_file(path)
    start(page, document["id"])
    expect(page.locator("h1")).to_have_text(document["title"])
    expect(page.locator("#progress")).to_have_text(f"Answered 0 of {len(document['questions'])}")
    answer_all(page, document, right_answers(document))
    expect(page.locator("#progress")).to_have_text(
        f"Answered {len(document['questions'])} of {len(document['questions'])}")
    submit(page)
    full_marks(page, document)
    # opening a question marks its deciding sentences in the article, and only those
    expect(page.locator(".article-pane .is-evidence, .article-pane mark")).to_have_count(0)
    rows = page.locator("details.result-question")
    for n, q in enumerate(document["questions"]):
        evidence = sorted(set(q["evidence"]) | {n for st in q.get("statements", [])
                                                for n in st["evidence"]})
        if not evidence:
            continue
        rows.nth(n).locator("summary").first.click()
        expect(page.locator(".article-pane .is-evidence")).to_have_count(len(evidence))
        marked = page.locator(".article-pane .is-evidence").evaluate_all(
            "els => els.map(e => Number(e.id.slice(2)))")
        assert sorted(marked) == evidence, q["id"]
        rows.nth(n).locator("summary").first.click()  # closed again: nothing is marked
        expect(page.locator(".article-pane .is-evidence")).to_have_count(0)


ALL_TYPES_PARAM = pytest.param("all-types", id="all-types")


@pytest.mark.parametrize("which", [ALL_TYPES_PARAM, *[
    pytest.param(p, id=p.stem) for p in BUNDLED[:1]]])
def test_student_takes_a_set_without_javascript(new_context, all_types, which):
    document = all_types if which == "all-types" else questionsets.load_file(which)
    page = new_context(java_script_enabled=False).new_page()
    start(page, document["id"])
    # quiz.js does not run: the progress line keeps its server text
    expect(page.locator("#progress")).to_have_text(f"{len(document['questions'])} questions")
    answer_all(page, document, right_answers(document))
    submit(page)
    full_marks(page, document)


# --- the keyboard alone ------------------------------------------------------------------

def _focused(page: Page, script: str, arg) -> bool:
    return page.evaluate(f"(arg) => {{ const e = document.activeElement; return {script}; }}",
                         arg)


def tab_to(page: Page, script: str, arg, limit: int = 200) -> None:
    """Press Tab until the focused element satisfies *script* (a JS expression on e, arg)."""
    for _ in range(limit):
        if _focused(page, script, arg):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {script} ({arg})")


def is_id(page: Page, element_id: str) -> bool:
    return _focused(page, "e && e.id === arg", element_id)


def keyboard_answer(page: Page, question: dict, given) -> None:
    """Answer one question with Tab, arrow keys, Space and typing only."""
    name = f"q-{question['id']}"
    kind = question["type"]
    if kind in ("choice", "classify"):
        groups = [(name, option_input_id(page, question, given))] if kind == "choice" else [
            (f"{name}-{sid}", f"{name}-{sid}-{label}") for sid, label in
            # statements in the order the page shows them
            sorted(given.items(), key=lambda kv: page.locator(
                by_id(f"{name}-{kv[0]}-{kv[1]}")).evaluate(
                "e => Array.from(document.querySelectorAll('input')).indexOf(e)"))]
        for group, target in groups:
            tab_to(page, "e && e.name === arg", group)  # Tab enters the radio group
            for _ in range(10):
                if is_id(page, target):
                    break
                page.keyboard.press("ArrowDown")  # moves and selects
            assert is_id(page, target)
            page.keyboard.press("Space")
            expect(page.locator(by_id(target))).to_be_checked()
    elif kind in ("multi", "evidence"):
        order = page.locator(f'input[name="{name}"]').evaluate_all("els => els.map(e => e.id)")
        wanted = ({option_input_id(page, question, v) for v in given} if kind == "multi"
                  else {f"{name}-{v}" for v in given})
        for input_id in [i for i in order if i in wanted]:  # page order: Tab goes forward
            tab_to(page, "e && e.id === arg", input_id)
            page.keyboard.press("Space")
            expect(page.locator(by_id(input_id))).to_be_checked()
    elif kind == "order":
        order = page.locator(f'select[name^="{name}-"]').evaluate_all(
            "els => els.map(e => e.id)")
        for select_id in order:
            tab_to(page, "e && e.id === arg", select_id)
            item = select_id[len(name) + 1:]
            page.keyboard.type(str(given[item]))  # typing picks the matching option
            expect(page.locator(by_id(select_id))).to_have_value(str(given[item]))
    elif kind == "text":
        tab_to(page, "e && e.id === arg", name)
        page.keyboard.type(given)
        expect(page.locator(by_id(name))).to_have_value(given)


def test_student_completes_a_quiz_with_the_keyboard_alone(page: Page, all_types):
    page.goto("/")
    tab_to(page, "e && e.getAttribute('href') === arg", "/sets/all-types")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sets/all-types$"))
    expect(page.get_by_label("Your name")).to_be_visible()
    tab_to(page, "e && e.id === arg", "name")
    page.keyboard.type("Kim")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sets/all-types/quiz$"))
    # the skip link is the first stop and jumps to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    keys = right_answers(all_types)
    questions = page.locator("[data-question]").evaluate_all(
        "els => els.map(e => e.id.replace(/^question-/, ''))")
    by_qid = {q["id"]: q for q in all_types["questions"]}
    for qid in questions:
        keyboard_answer(page, by_qid[qid], keys[qid])
    # the last question is the text box: Enter submits the form from there
    assert all_types["questions"][-1]["type"] == "text"
    expect(page.locator("#progress")).to_have_text("Answered 6 of 6")
    page.keyboard.press("Enter")
    full_marks(page, all_types)


# --- unanswered questions ----------------------------------------------------------------

def test_unanswered_questions_are_confirmed_and_answers_kept(page: Page, all_types):
    start(page, "all-types")
    keys = right_answers(all_types)
    by_qid = {q["id"]: q for q in all_types["questions"]}
    answer(page, by_qid["q-choice"], keys["q-choice"])
    answer(page, by_qid["q-text"], "my answer")
    submit(page)
    warning = page.locator("#blank-warning")
    expect(warning).to_contain_text("You have not answered questions 2, 3, 4, 5.")
    expect(page).to_have_url(re.compile(r"/sets/all-types/quiz(#main)?$"))  # still the quiz
    expect(page.locator(by_id(option_input_id(page, by_qid["q-choice"], "a")))).to_be_checked()
    expect(page.locator(by_id("q-q-text"))).to_have_value("my answer")
    # answering one more is kept too; submitting again without the tick asks again
    answer(page, by_qid["q-multi"], keys["q-multi"])
    submit(page)
    expect(page.locator("#blank-warning")).to_contain_text(
        "You have not answered questions 3, 4, 5.")
    expect(page.locator(by_id(option_input_id(page, by_qid["q-multi"], "a")))).to_be_checked()
    page.get_by_label("Submit with unanswered questions").check()
    submit(page)
    got, top = expect_results(page, all_types, 42.9)  # 1 + 2 of 7 points, one decimal
    assert (got, top) == ("3", "7")
    expect(page.locator(".verdict-blank")).to_have_count(3)
    expect(page.locator(".verdict-wrong")).to_have_count(1)  # "my answer" is not the paper


# --- answers kept in the browser -------------------------------------------------------

def test_local_storage_keeps_unsent_answers_across_a_reload(page: Page, all_types):
    start(page, "all-types")
    keys = right_answers(all_types)
    by_qid = {q["id"]: q for q in all_types["questions"]}
    for qid in ("q-choice", "q-evidence", "q-order", "q-text"):
        answer(page, by_qid[qid], keys[qid])
    expect(page.locator("#progress")).to_have_text("Answered 4 of 6")
    stored = json.loads(page.evaluate("() => localStorage.getItem('sourcecheck:all-types')"))
    right_text = next(o["text"] for o in by_qid["q-choice"]["options"] if o["correct"])
    assert stored["q-q-choice"] == [f"text:{right_text}"]  # by its text, not a page value
    assert stored["q-q-text"] == ["Test Gazette"]

    page.reload()
    expect(page.locator("#progress")).to_have_text("Answered 4 of 6")
    expect(page.locator(by_id(option_input_id(page, by_qid["q-choice"], "a")))).to_be_checked()
    for n in (4, 5):
        expect(page.locator(by_id(f"q-q-evidence-{n}"))).to_be_checked()
    expect(page.locator(by_id("q-q-evidence-3"))).not_to_be_checked()
    expect(page.locator(by_id("q-q-order-mayor"))).to_have_value("2")
    expect(page.locator(by_id("q-q-text"))).to_have_value("Test Gazette")

    answer(page, by_qid["q-multi"], keys["q-multi"])
    answer(page, by_qid["q-classify"], keys["q-classify"])
    submit(page)
    full_marks(page, all_types)
    # the results page forgets the sent answers: a new try starts empty
    assert page.evaluate("() => localStorage.getItem('sourcecheck:all-types')") is None

