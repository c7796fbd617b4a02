"""The student's path through the real app: start, answer, submit, read the results."""

from __future__ import annotations

import re

import pytest

from quiz import questionsets
from tests.helpers import ALL_TYPES, RIGHT, WRONG, hidden, inputs, option_checked, soup

DOC = questionsets.load_file(ALL_TYPES)


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_home_lists_published_sets_with_article_and_size(client):
    html = client.get("/").get_data(as_text=True)
    assert "Every type &lt;em&gt;once&lt;/em&gt;" in html  # escaped, not markup
    assert "6 questions" in html and "Town council votes on bridge" in html
    assert "A tiny set used by the tests." in html


@pytest.mark.parametrize(("name", "error"), [
    ("", "Type your name to start."),
    ("   ", "Type your name to start."),
    ("x" * 61, "Keep your name to 60 characters or fewer."),
])
def test_start_refuses_a_missing_or_long_name(client, name, error):
    page = client.get("/sets/all-types").get_data(as_text=True)
    response = client.post("/sets/all-types", data={"csrf_token": hidden(page, "csrf_token"),
                                                    "name": name})
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)


def test_quiz_without_a_name_sends_the_student_to_start(client):
    response = client.get("/sets/all-types/quiz")
    assert response.status_code == 302 and response.headers["Location"] == "/sets/all-types"


def test_unknown_set_is_404(client):
    assert client.get("/sets/nope").status_code == 404


def test_quiz_page_shows_article_and_every_question(student):
    html, _ = student.open_quiz()
    assert 'id="s-5"' in html and "said Jo Bloggs, a shopkeeper." in html
    assert "Photo caption" in html
    for q in DOC["questions"]:
        assert q["prompt"] in html
    assert "Question 6 of 6" in html


def test_who_published_it_is_shown_only_after_submitting(student):
    html, _ = student.open_quiz()
    assert "Test Gazette" not in html and "2024-05-01" not in html
    assert "Test Gazette" not in student.client.get("/").get_data(as_text=True)
    results = student.client.get(student.submit(RIGHT).headers["Location"])
    assert "Test Gazette, 2024-05-01." in results.get_data(as_text=True)


def key_texts(document: dict) -> list[str]:
    """Every piece of text that would give an answer away."""
    texts = []
    for q in document["questions"]:
        texts.append(q["explanation"])
        for part in ("options", "statements", "items", "answers", "distractors",
                     "wrong_answers"):
            texts += [entry["explanation"] for entry in q.get(part, [])]
        # an accepted typed answer is a key unless the article itself shows it
        texts += [a["text"] for a in q.get("answers", [])
                  if "text" in a and a["text"] not in document["article"]["text"]]
    return texts


def test_quiz_page_never_contains_the_answer_key(student):
    html, _ = student.open_quiz()
    for text in key_texts(DOC):
        assert text not in html, text
    assert not re.search(r"correct|data-answer|data-key", html, re.IGNORECASE)
    # No position is chosen in advance, so an untouched order question is never the key.
    page = soup(html)
    for item in ("vote", "mayor", "paper"):
        select = page.find("select", attrs={"name": f"q-q-order-{item}"})
        assert select is not None and not select.find("option", selected=True), item


def test_full_marks_then_results_explain_every_answer(student, db):
    response = student.submit(RIGHT)
    assert response.status_code == 303
    assert re.fullmatch(r"/results/[A-Za-z0-9_-]{20,}", response.headers["Location"])
    html = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ada, you scored 7 out of 7 (100%)" in html
    for expected in ("RIGHT-A", "RIGHT-MB", "STATEMENT-S2", "EVIDENCE-5", "ITEM-PAPER",
                     "ACCEPTED-GAZETTE", "GENERAL-ORDER"):
        assert expected in html
    assert "<mark" not in html  # nothing marked until a question is chosen
    assert "Check who says so." in html  # takeaways
    assert count(db, "attempt") == 1 and count(db, "response") == 6


def test_wrong_answers_explain_the_choice_and_the_right_one(student):
    location = student.submit(WRONG).headers["Location"]
    html = student.client.get(location).get_data(as_text=True)
    assert "scored 0 out of 7 (0%)" in html
    assert "WRONG-B" in html and "RIGHT-A" in html            # chosen and right option
    assert "WRONGTEXT-AP" in html and "ACCEPTED-GAZETTE" in html
    assert "DISTRACTOR-3" not in html                          # not chosen: not explained
    assert "GENERAL-EVIDENCE" in html                          # unlisted wrong sentence
    assert "You put it at position 3" in html


def next_tag(tag):
    """Return the element right after *tag*, or None if text other than spaces comes first."""
    for node in tag.next_siblings:
        if node.name is not None:
            return node
        if node.strip():
            return None
    return None


def skill_bars(html: str) -> list[tuple]:
    """Each skill bar as (name, meter max, meter value, points): name, meter and points side
    by side, in page order."""
    bars = []
    for name in soup(html).select("span.skill-name[id]"):
        meter = next_tag(name)
        if meter is None or meter.name != "meter" or meter.get("min") != "0" or meter.contents:
            continue
        points = next_tag(meter)
        if points is None or points.name != "span" or "skill-points" not in points["class"]:
            continue
        bars.append((name.string, meter.get("max"), meter.get("value"), points.string))
    return bars


def test_results_show_score_per_skill(student):
    html = student.client.get(student.submit({"q-q-choice": "a"}).headers["Location"]).get_data(
        as_text=True)
    bars = skill_bars(html)
    assert ("Finding the source", "1.0", "1.0", "1 / 1") in bars
    assert ("Hedges", "2.0", "0.0", "0 / 2") in bars


def test_unanswered_questions_need_confirmation_and_keep_answers(student, db):
    response = student.submit({"q-q-choice": "b", "q-q-text": "my answer"}, confirm=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", html)
    assert "You have not answered questions 2, 3, 4, 5. Unanswered questions score 0." in text
    # each blank question is linked, and the warning is the first thing in the form
    warning = soup(html).find(id="blank-warning")
    assert [tag["href"].removeprefix("#question-") for tag in warning.find_all(href=True)
            if tag["href"].startswith("#question-")] == [
        "q-multi", "q-classify", "q-evidence", "q-order"]
    form = html.split('id="quiz-form"')[0].rsplit("<form", 1)[1] + html.split(
        'id="quiz-form"')[1].split('id="blank-warning"')[0]
    assert 'action="/sets/all-types/quiz#main"' in form and "data-question" not in form
    assert option_checked(student.client, html, "q-choice", "b") and 'value="my answer"' in html
    assert count(db, "attempt") == 0


def test_ticked_sentences_are_kept_when_the_quiz_comes_back(student):
    blank, _ = student.open_quiz()  # renders (and keeps) the unticked sentence checkboxes
    assert 'name="q-q-evidence"' in blank and "checked" not in blank
    response = student.submit({"q-q-evidence": ["2", "4"]}, confirm=False)
    html = response.get_data(as_text=True)
    ticked = [box["id"].removeprefix("q-q-evidence-") for box in inputs(html)
              if box.get("name") == "q-q-evidence" and "checked" in box
              and re.fullmatch(r"q-q-evidence-\d+", box.get("id", ""))
              and re.fullmatch(r"\d+", box.get("value", ""))]
    assert response.status_code == 200 and ticked == ["2", "4"]
    again, _ = student.open_quiz()
    assert "checked" not in again  # a new quiz page starts blank


def test_double_submit_stores_one_attempt(student, db):
    _, fields = student.open_quiz()
    first = student.submit(RIGHT, fields=fields)
    second = student.submit(RIGHT, fields=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, "attempt") == 1


def test_missing_csrf_token_keeps_answers_and_stores_nothing(student, db):
    _, fields = student.open_quiz()
    del fields["csrf_token"]
    response = student.submit({"q-q-text": "kept answer", "q-q-choice": "c"}, fields=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your answers are still here." in html
    assert 'value="kept answer"' in html and option_checked(student.client, html, "q-choice", "c")
    assert count(db, "attempt") == 0


def test_expired_csrf_token_keeps_answers(student, db, app, monkeypatch):
    _, fields = student.open_quiz()
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    import time
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 60)
    response = student.submit({"q-q-text": "still here"}, fields=fields)
    assert response.status_code == 400
    assert 'value="still here"' in response.get_data(as_text=True)
    assert count(db, "attempt") == 0


def test_a_quiz_sent_after_two_hours_of_reading_is_scored(student, db, monkeypatch):
    _, fields = student.open_quiz()
    import time
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2 * 3600)
    response = student.submit(RIGHT, fields=fields)
    assert response.status_code == 303
    assert "you scored 7 out of 7" in student.client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert count(db, "attempt") == 1


def test_tampered_answer_sheet_is_refused_with_a_clear_page(student, db):
    response = student.submit({"q-q-choice": "zzz"})
    assert response.status_code == 400
    assert "This answer sheet was changed" in response.get_data(as_text=True)
    assert count(db, "attempt") == 0


def test_order_with_repeated_positions_asks_again(student, db):
    response = student.submit({"q-q-order-vote": "1", "q-q-order-mayor": "1"})
    assert "Each position can be used only once." in response.get_data(as_text=True)
    assert count(db, "attempt") == 0


def test_unknown_results_token_is_404(client):
    assert client.get("/results/not-a-real-token").status_code == 404


def test_student_name_is_escaped_on_results(client):
    from tests.helpers import Student

    s = Student(client)
    s.start(name="<script>alert(1)</script>")
    html = client.get(s.submit(RIGHT).headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("path", ["/", "/sets/all-types", "/results/x"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_other_hosts(student):
    html, _ = student.open_quiz()
    pages = [html, student.client.get("/").get_data(as_text=True)]
    for page in pages:
        urls = [url for tag in soup(page).find_all(True) for name, url in tag.attrs.items()
                if name.endswith(("src", "href"))]
        assert urls  # the check below reads something
        for url in urls:
            assert url.startswith(("/", "#", "https://example.org/bridge")), url
        assert "<script>" not in page and "style=" not in page  # CSP: nothing inline


def test_bootstrap_is_served_by_the_app(client):
    html = client.get("/").get_data(as_text=True)
    css = next(tag["href"] for tag in soup(html).find_all(href=True)
               if tag["href"].startswith("/bootstrap/static/css/bootstrap")
               and tag["href"].endswith(".css"))
    response = client.get(css)
    assert response.status_code == 200 and b"Bootstrap" in response.data[:200]
    response.close()


# Who may see what, and answers never lost ----------------------------------------------------

def test_another_browser_posting_a_used_submit_key_never_gets_those_results(student, app, db):
    _, fields = student.open_quiz()
    first = student.submit(RIGHT, fields=fields).headers["Location"]
    from tests.helpers import Student

    other = Student(app.test_client())
    other.start(name="Eve")
    _, own = other.open_quiz()
    response = other.submit({"q-q-text": "AP"}, fields=dict(own, submit_key=fields["submit_key"],
                                                             version=fields["version"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and first not in html
    assert "already sent from another browser" in html
    assert count(db, "attempt") == 1
    assert other.client.get(first).status_code == 403  # the link alone opens nothing


def test_results_open_only_in_the_browser_that_sent_them(student, app):
    location = student.submit(RIGHT).headers["Location"]
    assert "you scored 7 out of 7" in student.client.get(location).get_data(as_text=True)
    response = app.test_client().get(location)
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and "belong to another browser" in html
    assert "7 out of 7" not in html and "RIGHT-A" not in html


def test_the_version_shown_is_scored_even_after_the_set_is_edited(student, app, db):
    from quiz import caches, queries, transactions

    _, fields = student.open_quiz()
    row = queries.set_by_slug(db, "all-types")
    changed = caches.document_of(queries.version(db, row["version_id"]))
    changed["questions"] = changed["questions"][1:]  # the teacher deletes the choice question
    with db:
        queries.insert_attempt(db, token="t0", submit_key="k" * 20, version_id=row["version_id"],
                               student_name="x", points=0, max_points=1)
    transactions.save_teacher_document(db, row, changed)
    assert queries.set_by_slug(db, "all-types")["version_id"] != row["version_id"]
    response = student.submit(RIGHT, fields=fields)
    assert response.status_code == 303
    html = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "you scored 7 out of 7" in html
    stored = db.execute("SELECT version_id FROM attempt WHERE token != 't0'").fetchone()[0]
    assert stored == row["version_id"]


@pytest.mark.parametrize("value", ["²", "٤", "4" * 5000])
def test_strange_sentence_numbers_get_a_400_with_the_answers_kept(student, db, value):
    response = student.submit({"q-q-evidence": [value], "q-q-text": "kept answer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "This answer could not be read" in html
    assert 'value="kept answer"' in html and count(db, "attempt") == 0


@pytest.mark.parametrize("path", ["/teacher/sets/99999999999999999999",
                                  "/teacher/sets/9223372036854775808/preview",
                                  "/teacher/sets/%D9%A4"])
def test_ids_out_of_range_in_addresses_are_404(client, path):
    assert client.get(path).status_code == 404


# The quiz page: the article once, evidence answered without reprinting it ------------------

def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('<main')[1]))


def test_each_sentence_of_the_article_is_printed_once_on_the_quiz_page(student):
    html, _ = student.open_quiz()
    text = visible_text(html)
    for sentence in ("The council voted 7 to 2 on Monday to repair the old bridge.",
                     "Residents reportedly oppose the closure."):
        assert text.count(sentence) == 1, sentence
    # the evidence question's own control: numbered boxes with the first words only
    label = soup(html).find("label", class_="sentence-choice", attrs={"for": "q-q-evidence-2"})
    assert label.get_text() == " 2 The council voted 7…"


def test_sentence_numbers_in_prompts_and_explanations_link_to_the_sentence(student, app, db):
    from quiz import caches, queries, transactions

    row = queries.set_by_slug(db, "all-types")
    changed = caches.document_of(queries.version(db, row["version_id"]))
    changed["questions"][0]["prompt"] = "Who, in sentence 3, gives the cost? (Not sentence 9.)"
    transactions.save_teacher_document(db, row, changed)
    html, _ = student.open_quiz()
    assert ('Who, in <a class="sentence-link" href="#s-3">sentence 3</a>, gives the cost? '
            '(Not sentence 9.)') in html  # the article has 5 sentences: 9 is left alone
    results = student.client.get(student.submit(WRONG).headers["Location"]).get_data(
        as_text=True)
    assert '<a class="sentence-link" href="#s-4">Sentence 4</a>: Residents' in results


def test_a_statement_that_is_a_quotation_keeps_its_own_quote_marks(student, db):
    from quiz import caches, queries, transactions

    row = queries.set_by_slug(db, "all-types")
    changed = caches.document_of(queries.version(db, row["version_id"]))
    changed["questions"][2]["statements"][0]["text"] = '"It will split the town," he said.'
    transactions.save_teacher_document(db, row, changed)
    html, _ = student.open_quiz()
    assert "“&#34;It will split" not in html
    assert ">&#34;It will split the town,&#34; he said.</legend>" in html
    assert "“The work will cost as many as 2 million pounds.”" in html  # others get marks


# A stable quiz page: Back, reload and a second submit --------------------------------------

def test_reload_shows_the_same_page_and_a_second_submit_stores_nothing_new(student, db):
    first_html, fields = student.open_quiz()
    again_html, again = student.open_quiz()  # reload, or Back to the page
    assert again == dict(fields, csrf_token=again["csrf_token"])
    def order(html: str) -> list[str]:
        return [box["value"] for box in inputs(html)
                if box.get("name") == "q-q-multi" and box.get("id") and box.get("value")]

    assert order(first_html) == order(again_html)  # the same shuffle
    location = student.submit(RIGHT, fields=fields).headers["Location"]
    back, back_fields = student.open_quiz()  # Back after submitting: the same page
    assert back_fields["submit_key"] == fields["submit_key"]
    assert "You have sent this page already" in back and location in back
    second = student.submit({"q-q-text": "AP"}, fields=back_fields)  # what Back re-ticked
    assert second.status_code == 303 and second.headers["Location"] == location
    assert count(db, "attempt") == 1
    assert db.execute("SELECT answer FROM response WHERE question_id = 'q-text'"
                      ).fetchone()[0] == '"test GAZETTE!"'  # the first answer, not "AP"


def test_try_again_is_a_post_that_starts_a_new_page(student, db):
    _, fields = student.open_quiz()
    location = student.submit(WRONG, fields=fields).headers["Location"]
    results = student.client.get(location).get_data(as_text=True)
    form = soup(results).find("form", method="post", action="/sets/all-types/again")
    assert form and "Try this set again" in results
    assert student.client.get("/sets/all-types/again").status_code == 405
    response = student.client.post(form["action"], data={"csrf_token": hidden(results,
                                                                             "csrf_token")})
    assert response.headers["Location"] == "/sets/all-types/quiz"
    html, new = student.open_quiz()
    assert new["submit_key"] != fields["submit_key"] and "sent this page already" not in html
    assert student.submit(RIGHT, fields=new).headers["Location"] != location
    assert count(db, "attempt") == 2


def test_try_again_without_its_token_keeps_the_page(student):
    _, fields = student.open_quiz()
    student.client.post("/sets/all-types/again", data={})
    assert student.open_quiz()[1]["submit_key"] == fields["submit_key"]


# Results that teach; the class page marks what is done --------------------------------------

def result_rows(html: str) -> list[tuple[str, str, str | None]]:
    """Each result question's (outcome, number, data-evidence), in page order."""
    rows = []
    for row in soup(html).select("details.result-question"):
        (outcome,) = [c.removeprefix("result-") for c in row["class"] if c != "result-question"]
        rows.append((outcome, row["id"].removeprefix("rq-"), row.get("data-evidence")))
    return rows


def test_results_mark_only_the_chosen_questions_evidence(student):
    location = student.submit(RIGHT).headers["Location"]
    html = student.client.get(location).get_data(as_text=True)
    rows = result_rows(html)
    assert rows == [("right", "1", "3"), ("right", "2", ""), ("right", "3", "2 3"),
                    ("right", "4", "4 5"), ("right", "5", ""), ("right", "6", "")]
    assert 'href="?q=4#article"' in html and "<mark" not in html
    chosen = student.client.get(location + "?q=4").get_data(as_text=True)
    page = soup(chosen)
    assert [mark.get("id") for mark in page.find_all("mark", class_="sentence")] == ["s-4", "s-5"]
    question = page.find(id="rq-4")
    assert (question.get("data-evidence"), question.get("data-number")) == ("4 5", "4")
    assert question.has_attr("open")
    assert "Marked: the sentences that decide question 4." in chosen
    for bad in ("0", "7", "x", "-1"):
        assert "<mark" not in student.client.get(f"{location}?q={bad}").get_data(as_text=True)


def test_results_put_score_skills_and_takeaways_before_the_questions(student):
    html = student.client.get(student.submit(RIGHT).headers["Location"]).get_data(as_text=True)
    order = [html.index(s) for s in ('id="score-heading"', 'class="skill-bars"',
                                     'id="takeaways"', 'id="rq-1"')]
    assert order == sorted(order)


def class_student(app, teacher, db, one_attempt=False):
    from tests.helpers import Student
    from tests.test_teacher import assign, bundled_id, join, make_class

    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    page = f"/teacher/classes/{klass['id']}"
    settings = {"name": "8B", "is_open": "y"} | ({"one_attempt": "y"} if one_attempt else {})
    teacher.post(page, settings, form_page=page)
    s = Student(app.test_client())
    join(s.client, klass["code"], "Sam")
    return s


def test_class_home_marks_sets_done_with_the_score_and_a_link(app, teacher, db):
    s = class_student(app, teacher, db)
    assert "Done:" not in s.client.get("/class").get_data(as_text=True)
    location = s.submit({"q-q-choice": "a"}).headers["Location"]  # 1 of 7
    html = s.client.get("/class").get_data(as_text=True)
    assert "Done: 14.3%" in html and f'href="{location}"' in html


@pytest.mark.parametrize("one_attempt", [False, True])
def test_try_again_is_offered_only_when_the_class_allows_it(app, teacher, db, one_attempt):
    s = class_student(app, teacher, db, one_attempt)
    html = s.client.get(s.submit(RIGHT).headers["Location"]).get_data(as_text=True)
    assert ("Try this set again" in html) is not one_attempt


def test_results_rows_are_the_students_own_even_when_rendered_once(app):
    from tests.helpers import Student

    pages = {}
    for name, answers in (("Al", {"q-q-choice": "a"}), ("Bo", {"q-q-choice": "b"}),
                          ("Cy", {"q-q-choice": "a"})):
        s = Student(app.test_client())
        s.start(name=name)
        pages[name] = s.client.get(s.submit(answers).headers["Location"]).get_data(
            as_text=True)
    assert [next(outcome for outcome, number, _ in result_rows(pages[n]) if number == "1")
            for n in ("Al", "Bo", "Cy")] == [
        "right", "wrong", "right"]
    first = {n: pages[n].split('id="rq-1"')[1].split('id="rq-2"')[0] for n in pages}
    assert 'class="feedback-row status-wrong"' in first["Bo"]
    assert 'class="feedback-row status-wrong"' not in first["Cy"]
