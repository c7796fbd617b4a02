"""A student in a real browser: start a set, answer its questions, read the results.

Answers are given per question in the shape `quiz.scoring` reads them:
choice: option id; multi: [option ids] (found on the page by their text);
classify: {statement id: label id};
evidence: [sentence numbers]; order: {item id: position}; text: a string.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from quiz import questionsets

ROOT = Path(__file__).resolve().parents[2]
SCORE = re.compile(r"you scored (\S+) out of (\S+) \((\d+(?:\.\d)?)%\)")


def bundled_set_files() -> list[Path]:
    """The published bundled set files (questions/*.yaml) that pass `questionsets.check`.

    The sets are edited by hand; a file that does not validate is left out here (and
    reported by tests/test_questionsets.py), so that the browser tests cover every other one.
    """
    files = []
    for path in questionsets.set_files(ROOT / "questions"):
        documents, problems = questionsets.check(path)
        if documents and not problems and documents[0]["published"]:
            files.append(path)
    return files


def by_id(element_id: str) -> str:
    """A selector for an element id (ids here may start with digits or hold dots)."""
    return f'[id="{element_id}"]'


def right_answers(document: dict) -> dict:
    """The key of every question, as a student would give it."""
    answers = {}
    for q in document["questions"]:
        kind = q["type"]
        if kind == "choice":
            answers[q["id"]] = next(o["id"] for o in q["options"] if o["correct"])
        elif kind == "multi":
            answers[q["id"]] = [o["id"] for o in q["options"] if o["correct"]]
        elif kind == "classify":
            answers[q["id"]] = {s["id"]: s["label"] for s in q["statements"]}
        elif kind == "evidence":
            answers[q["id"]] = [a["sentence"] for a in q["answers"]]
        elif kind == "order":
            answers[q["id"]] = {i["id"]: n for n, i in enumerate(q["items"], start=1)}
        elif kind == "text":
            answers[q["id"]] = q["answers"][0]["text"]
        else:  # a new question type needs a line here
            raise AssertionError(f"no browser answer for type {kind}")
    return answers


def wrong_answers(document: dict) -> dict:
    """An answer to every question that scores 0."""
    n_sentences = len(document["article"]["sentences"])
    answers = {}
    for q in document["questions"]:
        kind = q["type"]
        if kind == "choice":
            answers[q["id"]] = next(o["id"] for o in q["options"] if not o["correct"])
        elif kind == "multi":
            answers[q["id"]] = [o["id"] for o in q["options"] if not o["correct"]]
        elif kind == "classify":
            answers[q["id"]] = {
                s["id"]: next(lab["id"] for lab in q["labels"] if lab["id"] != s["label"])
                for s in q["statements"]}
        elif kind == "evidence":
            key = {a["sentence"] for a in q["answers"]}
            answers[q["id"]] = [next(n for n in range(1, n_sentences + 1) if n not in key)]
        elif kind == "order":
            count = len(q["items"])
            answers[q["id"]] = {i["id"]: count - n for n, i in enumerate(q["items"])}
        elif kind == "text":
            wrong = q.get("wrong_answers") or [{"text": "no idea"}]
            answers[q["id"]] = wrong[0]["text"]
    return answers


def start(page: Page, slug: str, name: str = "Ada") -> None:
    """From the home page, open a set, type a name and press Start."""
    page.goto("/")
    page.locator(f'a[href="/sets/{slug}"]').click()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(rf"/sets/{re.escape(slug)}/quiz$"))


def click_label(page: Page, input_id: str) -> None:
    """Click the label of a radio button or checkbox, as a student does."""
    page.locator(f'label[for="{input_id}"]').click()


def option_input_id(page: Page, question: dict, option_id: str) -> str:
    """The element id of an option's input: the page names options by opaque per-page
    values, so the option is found by its label's text."""
    text = next(o["text"] for o in question["options"] if o["id"] == option_id)
    label = page.locator(f'[id="question-{question["id"]}"] label.form-check-label').filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    return label.first.get_attribute("for")


def answer(page: Page, question: dict, given) -> None:
    """Give one answer by clicking, choosing and typing in the quiz form."""
    name = f"q-{question['id']}"
    kind = question["type"]
    if kind == "choice":
        ids = [option_input_id(page, question, given)]
    elif kind == "multi":
        ids = [option_input_id(page, question, value) for value in given]
    elif kind == "evidence":
        ids = [f"{name}-{value}" for value in given]
    elif kind == "classify":
        ids = [f"{name}-{sid}-{label}" for sid, label in given.items()]
    elif kind == "order":
        for item, position in given.items():
            page.locator(by_id(f"{name}-{item}")).select_option(str(position))
        return
    elif kind == "text":
        page.locator(by_id(name)).fill(given)
        return
    for input_id in ids:
        click_label(page, input_id)
        expect(page.locator(by_id(input_id))).to_be_checked()


def answer_all(page: Page, document: dict, answers: dict) -> None:
    for q in document["questions"]:
        if q["id"] in answers:
            answer(page, q, answers[q["id"]])


def submit(page: Page) -> None:
    """Submit the answers and wait for the page that answers to load, as a student sees it."""
    # The results page's script clears the answers kept in the browser (localStorage). A
    # click on "Try this set again" before it ran would find the old answers ticked on the
    # new page, and clicking one would untick it.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit answers").click()


def expect_results(page: Page, document: dict, percent: float) -> tuple[str, str]:
    """Check the results page: the score, and an explanation for every question."""
    # "#main": the quiz form's action carries it, so that a page sent back lands on its
    # warning; the results page inherits it and lands at the top of its content.
    expect(page).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{20,}(#main)?$"))
    heading = page.locator("#score-heading")
    expect(heading).to_contain_text(f"({percent}%)")
    got, top, shown = SCORE.search(heading.inner_text()).groups()
    assert float(shown) == percent
    cards = page.locator(".result-question")
    expect(cards).to_have_count(len(document["questions"]))
    for n, q in enumerate(document["questions"]):
        card = cards.nth(n)
        expect(card.locator("summary").first).to_contain_text(q["prompt"])
        expect(card).to_contain_text(" ".join(q["explanation"].split()))
    return got, top
