"""A teacher writes a set question by question in the browser; students then take it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quiz import question_forms, questionsets
from quiz.views.auth import create_teacher
from tests.helpers import (
    ALL_TYPES,
    AUTHORED_COMMON,
    AUTHORED_QUESTIONS,
    ROOT,
    Student,
    hidden,
    soup,
)

ARTICLE = questionsets.load_file(ALL_TYPES)["article"]
SET_FORM = {
    "title": "Bridge watch", "intro": "Who says what about the bridge?",
    "takeaways": "Check who says so.", "shuffle": "y",
    "article_title": ARTICLE["title"], "outlet": ARTICLE["outlet"], "date": "2024-05-01",
    "text": ARTICLE["text"], "marks": "1: headline, 4: caption",
}

class _FormReader(HTMLParser):
    """Collect, per form, the fields a browser would send (no submit buttons)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    template = 0  # inside a <template>: its fields are not in the form until a script copies them

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template" or self.template:
            self.template += tag == "template"
            return
        if tag == "form":
            self.forms.append({})
            self.inside = True
        elif not self.inside or "name" not in a and tag != "option":
            return
        elif tag == "input" and a.get("type") != "submit":
            if a.get("type") != "checkbox" or "checked" in a:
                self.forms[-1][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.forms[-1][self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.forms[-1][self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.forms[-1][self.textarea] += data

    def handle_endtag(self, tag):
        if self.template:
            self.template -= tag == "template"
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            self.forms[-1].setdefault(self.select, self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            value = self.forms[-1][self.textarea].replace("\r\n", "\n")
            self.forms[-1][self.textarea] = value.removeprefix("\n")  # as HTML parsing does
            self.textarea = None


def browser_fields(html: str, holding: str = "prompt") -> dict:
    """Return what a browser would send from the form on the page that has field *holding*."""
    reader = _FormReader()
    reader.feed(html)
    return next(form for form in reader.forms if holding in form)


def text(response) -> str:
    return response.get_data(as_text=True)


def document(db, set_id: int) -> dict:
    row = db.execute("SELECT document FROM set_version WHERE set_id = ? ORDER BY number DESC "
                     "LIMIT 1", (set_id,)).fetchone()
    return json.loads(row[0])


def versions(db, set_id: int) -> int:
    return db.execute("SELECT count(*) FROM set_version WHERE set_id = ?", (set_id,)).fetchone()[0]


def sign_in(app, db, client, username: str = "t1") -> None:
    with app.app_context():
        create_teacher(db, username, "password123!")
    token = hidden(text(client.get("/teacher/login")), "csrf_token")
    response = client.post("/teacher/login", data={"csrf_token": token, "username": username,
                                                   "password": "password123!"})
    assert response.status_code == 302


@pytest.fixture
def teacher(app, db, client):
    """The client, signed in as teacher t1."""
    sign_in(app, db, client)
    return client


@pytest.fixture
def set_id(teacher) -> int:
    """A new set of t1's with no questions yet."""
    token = hidden(text(teacher.get("/teacher/sets/new")), "csrf_token")
    response = teacher.post("/teacher/sets/new", data=dict(SET_FORM, csrf_token=token))
    assert response.status_code == 302
    return int(re.search(r"/teacher/sets/(\d+)/edit", response.headers["Location"])[1])


def press(client, url: str, fields: dict, action: str | None = None):
    """Submit the question form at *url* as shown, changed by *fields*, with one button."""
    data = dict(fields, action=action) if action else dict(fields)
    return client.post(url, data=data)


def add_question(client, set_id: int, qtype: str, typed: dict | None = None):
    url = f"/teacher/sets/{set_id}/questions/new/{qtype}"
    fields = browser_fields(text(client.get(url)))
    fields.update(AUTHORED_COMMON, **(typed if typed is not None else AUTHORED_QUESTIONS[qtype]))
    return press(client, url, fields)


@pytest.fixture
def full_set(teacher, set_id, db) -> int:
    """t1's set with one question of every type, in the order of AUTHORED_QUESTIONS."""
    for qtype in AUTHORED_QUESTIONS:
        response = add_question(teacher, set_id, qtype)
        assert response.status_code == 302, text(response)
    return set_id


# --- writing every type ---------------------------------------------------------------------

def test_edit_page_offers_every_type_and_shows_the_numbered_article(teacher, set_id):
    html = text(teacher.get(f"/teacher/sets/{set_id}/edit"))
    assert "No questions yet" in html
    for qtype in question_forms.types():
        assert f'href="/teacher/sets/{set_id}/questions/new/{qtype}"' in html
    page = text(teacher.get(f"/teacher/sets/{set_id}/questions/new/evidence"))
    assert '<span class="sentence-number">5</span>' in page and "said Jo Bloggs" in page


def test_a_question_of_every_type_is_stored_as_typed(full_set, db, teacher):
    doc = document(db, full_set)
    assert [q["type"] for q in doc["questions"]] == list(AUTHORED_QUESTIONS)
    choice, multi, classify, evidence, order, short = doc["questions"]
    assert choice["id"] == "q-who-gives-the-cost-of-the-work"
    assert choice["evidence"] == [3] and choice["shuffle"] is True
    assert [(o["id"], o["correct"]) for o in choice["options"]] == [("a", True), ("b", False)]
    assert multi["points"] == 2 and multi["options"][0]["explanation"] == "MULTI-A an upper limit."
    assert [lab["id"] for lab in classify["labels"]] == ["fact", "claim"]
    assert [(s["id"], s["label"], s["evidence"]) for s in classify["statements"]] == [
        ("s1", "fact", [2]), ("s2", "claim", [])]
    assert evidence["answers"] == [{"sentence": 4, "explanation": "EV-4 residents oppose it."}]
    assert evidence["evidence"] == [4]  # defaults to the answer sentences
    # order ids come from the text, so the page a student sees does not give the order away
    assert [i["id"] for i in order["items"]] == ["the-council-votes", "the-mayor-speaks",
                                                  "the-gazette-reports"]
    assert short["answers"] == [{"text": "Test Gazette", "explanation": "TEXT-OK the outlet."}]
    html = text(teacher.get(f"/teacher/sets/{full_set}/edit"))
    assert html.index("Who gives the cost") < html.index("Put the steps in order.")


def test_preview_key_publish_and_a_student_completes_the_set(full_set, db, teacher, app):
    doc = document(db, full_set)
    preview = text(teacher.get(f"/teacher/sets/{full_set}/preview"))
    key = text(teacher.get(f"/teacher/sets/{full_set}/key"))
    for q in doc["questions"]:
        assert q["prompt"] in preview and q["prompt"] in key
    assert "OPT-MAYOR" not in preview and "OPT-MAYOR" in key and "ITEM-3 last." in key
    token = hidden(text(teacher.get(f"/teacher/sets/{full_set}")), "csrf_token")
    assert teacher.post(f"/teacher/sets/{full_set}/publish",
                        data={"csrf_token": token}).status_code == 302

    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (full_set,)).fetchone()[0]
    student = Student(app.test_client())
    assert student.start(slug).status_code == 302
    q = {x["type"]: x for x in doc["questions"]}
    answers = {
        f"q-{q['choice']['id']}": "a", f"q-{q['multi']['id']}": ["a"],
        f"q-{q['classify']['id']}-s1": "fact", f"q-{q['classify']['id']}-s2": "claim",
        f"q-{q['evidence']['id']}": ["4"], f"q-{q['text']['id']}": "test gazette",
        **{f"q-{q['order']['id']}-{item['id']}": str(n)
           for n, item in enumerate(q["order"]["items"], start=1)},
    }
    response = student.submit(answers, slug=slug)
    assert response.status_code == 303
    results = text(student.client.get(response.headers["Location"]))
    assert "scored 7 out of 7 (100%)" in results and "OPT-MAYOR" in results


# --- edit, reorder, remove ------------------------------------------------------------------

def test_editing_a_question_shows_it_and_keeps_its_ids(full_set, db, teacher):
    qid = document(db, full_set)["questions"][0]["id"]
    url = f"/teacher/sets/{full_set}/questions/{qid}/edit"
    fields = browser_fields(text(teacher.get(url)))
    assert fields["prompt"] == "Who gives the cost of the work?" and fields["evidence"] == "3"
    assert fields["options-0-id"] == "a" and fields["options-0-correct"] == "y"
    assert "options-1-correct" not in fields  # unticked
    fields.update({"prompt": "Who names the cost?", "options-0-text": "Mayor",
                   "options-1-correct": "y"})
    del fields["options-0-correct"]
    fields = browser_fields(text(press(teacher, url, fields, "down-options-0")))  # swap
    assert (fields["options-0-id"], fields["options-1-id"]) == ("b", "a")
    response = press(teacher, url, fields)
    assert response.status_code == 302
    choice = document(db, full_set)["questions"][0]
    assert choice["id"] == qid and choice["prompt"] == "Who names the cost?"
    assert [(o["id"], o["text"], o["correct"]) for o in choice["options"]] == [
        ("b", "Jo Bloggs", True), ("a", "Mayor", False)]


def test_round_trip_through_the_form_keeps_every_bundled_question(app):
    """Opening a question in the editor and saving it unchanged changes nothing."""
    bundled, _ = questionsets.check(Path(ROOT, "questions"))
    assert bundled
    with app.test_request_context():
        for doc in [questionsets.load_file(ALL_TYPES), *bundled]:
            edited = []
            for q in doc["questions"]:
                form = question_forms.form_class(q["type"])(data=question_forms.question_data(q),
                                                      meta={"csrf": False})
                question_forms.prepare(form)
                assert form.validate(), (doc["id"], q["id"], form.errors)
                edited.append(question_forms.question_from_form(form, q["type"], q["id"],
                                                                q["shuffle"]))
            again = questionsets.parse_set(dict(doc, questions=edited), doc["id"])
            assert again == doc, doc["id"]


def test_questions_move_up_and_down(full_set, db, teacher):
    before = [q["id"] for q in document(db, full_set)["questions"]]
    html = text(teacher.get(f"/teacher/sets/{full_set}/edit"))
    token = hidden(html, "csrf_token")
    assert f"/questions/{before[0]}/move/up" not in html  # the first cannot go up
    response = teacher.post(f"/teacher/sets/{full_set}/questions/{before[2]}/move/up",
                            data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teacher/sets/{full_set}/edit#questions-h")
    teacher.post(f"/teacher/sets/{full_set}/questions/{before[0]}/move/down",
                 data={"csrf_token": token})
    after = [q["id"] for q in document(db, full_set)["questions"]]
    assert after == [before[2], before[0], before[1], *before[3:]]
    teacher.post(f"/teacher/sets/{full_set}/questions/{before[5]}/move/down",
                 data={"csrf_token": token})  # the last stays last
    assert [q["id"] for q in document(db, full_set)["questions"]] == after


def test_removing_a_question_asks_first(full_set, db, teacher):
    qid = document(db, full_set)["questions"][1]["id"]
    url = f"/teacher/sets/{full_set}/questions/{qid}/delete"
    page = text(teacher.get(url))
    assert "Remove question 2?" in page and "Which words soften a claim?" in page
    assert len(document(db, full_set)["questions"]) == 6  # asking removed nothing
    assert teacher.post(url, data={}).status_code == 400  # no token: CSRF refuses
    response = teacher.post(url, data={"csrf_token": hidden(page, "csrf_token")})
    assert response.status_code == 302
    remaining = [q["id"] for q in document(db, full_set)["questions"]]
    assert len(remaining) == 5 and qid not in remaining
    assert teacher.get(url).status_code == 404


# --- rows without JavaScript ----------------------------------------------------------------

def test_adding_removing_and_moving_rows_keeps_what_was_typed(teacher, set_id, db):
    url = f"/teacher/sets/{set_id}/questions/new/multi"
    html = text(teacher.get(url))
    fields = browser_fields(html)
    assert [k for k in fields if k.endswith("-text")] == ["options-0-text", "options-1-text"]
    remove = soup(html).find("button", value="remove-options-0")
    assert remove.has_attr("hidden")  # two options is the least
    fields.update(AUTHORED_COMMON, prompt="Which words hedge?", **{
        "options-0-text": "reportedly", "options-0-correct": "y",
        "options-0-explanation": "hides who reports it",
        "options-1-text": "voted", "options-1-explanation": "plain"})
    html = text(press(teacher, url, fields, "add-options"))
    fields = browser_fields(html)
    assert fields["prompt"] == "Which words hedge?"
    assert fields["options-0-text"] == "reportedly" and fields["options-0-correct"] == "y"
    assert fields["options-1-explanation"] == "plain"
    assert fields["options-2-text"] == "" and fields["options-2-id"] == "c"
    assert "is-invalid" not in html and "Not saved" not in html  # a list change is no save
    fields.update({"options-2-text": "as many as", "options-2-correct": "y",
                   "options-2-explanation": "an upper limit"})
    fields = browser_fields(text(press(teacher, url, fields, "up-options-2")))
    assert [fields[f"options-{i}-text"] for i in range(3)] == ["reportedly", "as many as", "voted"]
    fields = browser_fields(text(press(teacher, url, fields, "remove-options-0")))
    assert [fields[f"options-{i}-text"] for i in range(2)] == ["as many as", "voted"]
    assert "options-2-text" not in fields and fields["options-0-correct"] == "y"
    assert press(teacher, url, fields).status_code == 302
    saved = document(db, set_id)["questions"][0]
    assert [(o["id"], o["text"]) for o in saved["options"]] == [("c", "as many as"), ("b", "voted")]


def test_rows_of_every_list_can_be_added_up_to_their_limit(teacher, set_id):
    url = f"/teacher/sets/{set_id}/questions/new/order"
    fields = browser_fields(text(teacher.get(url)))
    for _ in range(5):
        html = text(press(teacher, url, fields, "add-items"))
        fields = browser_fields(html)
    assert sum(k.endswith("-text") for k in fields) == 6  # at most six items
    assert soup(html).find("button", value="add-items").has_attr("hidden")
    for qtype, lists in [("classify", ("labels", "statements")),
                         ("evidence", ("answers", "distractors")),
                         ("text", ("answers", "wrong_answers"))]:
        url = f"/teacher/sets/{set_id}/questions/new/{qtype}"
        fields = browser_fields(text(teacher.get(url)))
        for name in lists:
            before = sum(k.startswith(f"{name}-") and k.endswith("-explanation")
                         or k.startswith(f"{name}-") and k.endswith("-text") and
                         name == "labels" for k in fields)
            fields = browser_fields(text(press(teacher, url, fields, f"add-{name}")))
            after = sum(k.startswith(f"{name}-") and k.endswith("-explanation")
                        or k.startswith(f"{name}-") and k.endswith("-text") and
                        name == "labels" for k in fields)
            assert after == before + 1, (qtype, name)


def test_a_new_label_is_offered_to_the_statements(teacher, set_id, db):
    url = f"/teacher/sets/{set_id}/questions/new/classify"
    fields = browser_fields(text(teacher.get(url)))
    fields.update(AUTHORED_COMMON, **AUTHORED_QUESTIONS["classify"])
    html = text(press(teacher, url, fields, "add-labels"))
    fields = browser_fields(html)
    assert fields["labels-2-id"] == "l1"
    assert '<option value="l1">Label 3 (no text yet)</option>' in html
    fields.update({"labels-2-text": "Opinion", "statements-1-label": "l1"})
    assert press(teacher, url, fields).status_code == 302
    saved = document(db, set_id)["questions"][0]
    assert saved["labels"][2] == {"id": "l1", "text": "Opinion"}
    assert saved["statements"][1]["label"] == "l1"


def test_empty_rows_are_left_out(teacher, set_id, db):
    url = f"/teacher/sets/{set_id}/questions/new/text"
    fields = browser_fields(text(teacher.get(url)))
    fields.update(AUTHORED_COMMON, **AUTHORED_QUESTIONS["text"])
    fields = browser_fields(text(press(teacher, url, fields, "add-answers")))
    assert press(teacher, url, fields).status_code == 302
    assert len(document(db, set_id)["questions"][0]["answers"]) == 1


# --- errors ---------------------------------------------------------------------------------

def test_a_missing_field_is_shown_beside_it_and_nothing_typed_is_lost(teacher, set_id, db):
    url = f"/teacher/sets/{set_id}/questions/new/choice"
    fields = browser_fields(text(teacher.get(url)))
    fields.update(AUTHORED_COMMON, **dict(AUTHORED_QUESTIONS["choice"],
                                          **{"options-1-explanation": "", "points": "lots"}))
    response = press(teacher, url, fields)
    html = text(response)
    assert response.status_code == 200
    page = soup(html)
    box = page.find("textarea", attrs={"name": "options-1-explanation"})
    assert box["aria-invalid"] == "true" and "is-invalid" in box["class"]
    error = page.find(id=box["aria-describedby"])
    assert "invalid-feedback" in error["class"]
    assert error.get_text(strip=True) == "Explain why this option is right or wrong."
    assert page.find(id="points-error").get_text(strip=True) == "Write a number, e.g. 1 or 2.5."
    assert "Not saved yet: fix the fields marked below." in html
    kept = browser_fields(html)
    for name, value in AUTHORED_QUESTIONS["choice"].items():
        if name != "options-1-explanation":
            assert kept[name] == value, name
    assert kept["points"] == "lots"
    assert document(db, set_id)["questions"] == []


@pytest.mark.parametrize(("qtype", "change", "problem"), [
    ("choice", {"options-1-correct": "y"},
     "'a', 'b' marked correct but the question type 'choice' needs exactly one correct option"),
    ("multi", {"options-0-correct": ""}, "no option is marked correct"),
    ("evidence", {"answers-0-sentence": "99"},
     "answers 1.sentence: '99' is not a sentence of the article (1 to 6)"),
    ("choice", {"evidence": "3, 12"}, "evidence: '12' is not a sentence of the article"),
    ("text", {"answers-0-text": "?!"}, "has no letters or digits to compare"),
])
def test_set_level_problems_are_listed_at_the_top_with_everything_kept(
        teacher, set_id, db, qtype, change, problem):
    url = f"/teacher/sets/{set_id}/questions/new/{qtype}"
    fields = browser_fields(text(teacher.get(url)))
    fields.update(AUTHORED_COMMON, **dict(AUTHORED_QUESTIONS[qtype], **change))
    if change.get("options-0-correct") == "":
        del fields["options-0-correct"]
    response = press(teacher, url, fields)
    html = text(response)
    assert response.status_code == 200
    page = soup(html)
    alert = page.select_one(".alert.alert-danger")  # the first one, listing the problems
    assert alert.find_next("form", attrs={"method": "post"}) is not None  # above the form
    assert any(problem in item.get_text() for item in alert.find_all("li"))
    kept = browser_fields(html)
    for name, value in dict(AUTHORED_QUESTIONS[qtype], **change).items():
        assert kept.get(name, "") == value, name
    assert document(db, set_id)["questions"] == []


def test_unknown_type_or_question_is_404(teacher, set_id):
    assert teacher.get(f"/teacher/sets/{set_id}/questions/new/essay").status_code == 404
    assert teacher.get(f"/teacher/sets/{set_id}/questions/nope/edit").status_code == 404
    assert teacher.get(f"/teacher/sets/{set_id}/questions/nope/delete").status_code == 404


# --- versions -------------------------------------------------------------------------------

def test_editing_a_set_students_answered_makes_a_version_and_keeps_their_scores(
        teacher, set_id, db, app):
    add_question(teacher, set_id, "choice")
    assert versions(db, set_id) == 1
    add_question(teacher, set_id, "text")  # nobody answered yet: saved in place
    assert versions(db, set_id) == 1
    token = hidden(text(teacher.get(f"/teacher/sets/{set_id}")), "csrf_token")
    teacher.post(f"/teacher/sets/{set_id}/publish", data={"csrf_token": token})
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    choice_id, text_id = (q["id"] for q in document(db, set_id)["questions"])

    ada = Student(app.test_client())
    ada.start(slug, "Ada")
    ada_results = ada.submit({f"q-{choice_id}": "a", f"q-{text_id}": "Test Gazette"},
                             slug=slug).headers["Location"]
    assert "Ada, you scored 2 out of 2 (100%)" in text(ada.client.get(ada_results))

    # Saving a question unchanged changes nothing, so it makes no version either.
    url = f"/teacher/sets/{set_id}/questions/{choice_id}/edit"
    fields = browser_fields(text(teacher.get(url)))
    assert press(teacher, url, fields).status_code == 302
    assert versions(db, set_id) == 1
    # The teacher now says option b is right, and removes the text question.
    del fields["options-0-correct"]
    fields["options-1-correct"] = "y"
    assert press(teacher, url, fields).status_code == 302
    delete = f"/teacher/sets/{set_id}/questions/{text_id}/delete"
    teacher.post(delete, data={"csrf_token": hidden(text(teacher.get(delete)), "csrf_token")})
    assert versions(db, set_id) == 2
    assert len(document(db, set_id)["questions"]) == 1

    page = text(ada.client.get(ada_results))
    assert "Ada, you scored 2 out of 2 (100%)" in page and "Test Gazette" in page
    assert db.execute("SELECT points FROM attempt WHERE student_name = 'Ada'").fetchone()[0] == 2
    bob = Student(app.test_client())
    bob.start(slug, "Bob")
    bob_results = bob.submit({f"q-{choice_id}": "a"}, slug=slug).headers["Location"]
    assert "Bob, you scored 0 out of 1 (0%)" in text(bob.client.get(bob_results))
    assert "Ada, you scored 2 out of 2 (100%)" in text(ada.client.get(ada_results))


# --- who may ------------------------------------------------------------------------------

def routes(set_id: int, qid: str) -> list[tuple[str, str]]:
    base = f"/teacher/sets/{set_id}"
    return [("GET", f"{base}/edit"), ("POST", f"{base}/edit"),
            ("GET", f"{base}/questions/new/choice"), ("POST", f"{base}/questions/new/choice"),
            ("GET", f"{base}/questions/{qid}/edit"), ("POST", f"{base}/questions/{qid}/edit"),
            ("POST", f"{base}/questions/{qid}/move/up"),
            ("POST", f"{base}/questions/{qid}/move/down"),
            ("GET", f"{base}/questions/{qid}/delete"),
            ("POST", f"{base}/questions/{qid}/delete")]


def test_another_teacher_gets_404_on_every_route(app, db, full_set):
    qid = document(db, full_set)["questions"][0]["id"]
    other = app.test_client()
    sign_in(app, db, other, "t2")
    token = hidden(text(other.get("/teacher/sets/new")), "csrf_token")
    for method, url in routes(full_set, qid):
        response = other.open(url, method=method,
                              data={"csrf_token": token, "action": "add-options"})
        assert response.status_code == 404, (method, url)
    assert len(document(db, full_set)["questions"]) == 6


def test_bundled_sets_cannot_be_edited(teacher, db):
    bundled = db.execute("SELECT id FROM question_set WHERE owner_id IS NULL").fetchone()[0]
    assert teacher.get(f"/teacher/sets/{bundled}/questions/new/choice").status_code == 404
    assert teacher.get(f"/teacher/sets/{bundled}/questions/q-choice/edit").status_code == 404


@pytest.mark.parametrize("index", ["²", "١", "9" * 5000, "1000", "-1"])
def test_a_row_number_the_page_never_sends_is_a_400_not_a_500(teacher, set_id, db, index):
    url = f"/teacher/sets/{set_id}/questions/new/choice"
    fields = browser_fields(text(teacher.get(url)))
    fields.update(AUTHORED_COMMON, prompt="Who says so?", **{
        "options-0-text": "The mayor", "options-0-correct": "y",
        "options-0-explanation": "names the source",
        "options-1-text": "Jo", "options-1-explanation": "not the source",
        f"options-{index}-text": "forged row"})
    response = press(teacher, url, fields)
    assert response.status_code == 400
    assert "is not a row number this page sends" in text(response)
    assert document(db, set_id)["questions"] == []  # nothing saved


# --- the article: sentence references follow their sentences --------------------------------

def edit_article(client, set_id: int, **changes):
    """Send the set form as shown, with *changes*; return the response."""
    url = f"/teacher/sets/{set_id}/edit"
    fields = browser_fields(text(client.get(url)), holding="article_title")
    fields.update(changes)
    return client.post(url, data=fields)


def cited(doc: dict) -> list[tuple[str, str, str]]:
    """Return (question, field, sentence text) for every sentence reference of a set."""
    sentences = {s["n"]: s["text"] for s in doc["article"]["sentences"]}
    out = []
    for q in doc["questions"]:
        out += [(q["id"], "evidence", sentences[n]) for n in q["evidence"]]
        out += [(q["id"], f"answer {i}", sentences[a["sentence"]])
                for i, a in enumerate(q.get("answers", [])) if "sentence" in a]
        out += [(q["id"], f"statement {i}", sentences[n])
                for i, s in enumerate(q.get("statements", [])) for n in s["evidence"]]
    return out


INSERTED = "Bridge news in brief. Two lines were added above."


def test_an_edit_that_shifts_sentences_keeps_every_key_on_its_sentence(full_set, db, teacher):
    before = document(db, full_set)
    assert len(cited(before)) == 4
    headline, rest = before["article"]["text"].split("\n\n", 1)
    # A paragraph inserted after the headline: the caption is paragraph 5 now.
    response = edit_article(teacher, full_set, text=f"{headline}\n\n{INSERTED}\n\n{rest}",
                            marks="1: headline, 5: caption")
    assert response.status_code == 302
    assert "Saved. 4 sentence references now follow their sentences&#39; new numbers." in text(
        teacher.get(response.headers["Location"]))
    after = document(db, full_set)
    assert after["article"]["sentences"][1]["text"] == "Bridge news in brief."
    assert cited(after) == cited(before)  # every key still names the same sentence
    evidence = after["questions"][3]
    assert evidence["answers"] == [{"sentence": 6, "explanation": "EV-4 residents oppose it."}]
    # The answer key shows the explanation beside the sentence it explains.
    key = soup(text(teacher.get(f"/teacher/sets/{full_set}/key"))).get_text(" ", strip=True)
    assert "Sentence 6: Residents reportedly oppose the closure." in key
    assert "review" not in json.dumps(after)


def test_an_edited_word_and_a_caption_mark_keep_the_keys(full_set, db, teacher):
    before = document(db, full_set)
    article = before["article"]["text"].replace("7 to 2", "seven to two")
    response = edit_article(teacher, full_set, text=article, marks="1: headline")  # no caption
    assert response.status_code == 302
    after = document(db, full_set)
    assert len(after["article"]["sentences"]) == 7  # the caption is two sentences now
    assert [(q, f) for q, f, _ in cited(after)] == [(q, f) for q, f, _ in cited(before)]
    assert cited(after)[1][2] == ("The council voted seven to two on Monday to repair the old "
                                  "bridge.")


def test_a_cited_sentence_deleted_is_shown_and_removed_only_after_a_yes(full_set, db, teacher):
    before = document(db, full_set)
    gone = "The council voted 7 to 2 on Monday to repair the old bridge. "
    edited = before["article"]["text"].replace(gone, "")
    response = edit_article(teacher, full_set, text=edited, title="Bridge watch, edited")
    assert response.status_code == 200
    page = soup(text(response))
    assert "Not saved yet" in page.get_text()
    lost = page.find(id="lost-h").parent.get_text(" ", strip=True)
    assert ("Question 3 (“Sort each statement.”), statement 1: deciding sentences: sentence 2, "
            "“The council voted 7 to 2 on Monday to repair the old bridge.”") in lost
    assert document(db, full_set) == before  # nothing saved
    fields = browser_fields(text(response), holding="article_title")
    assert fields["title"] == "Bridge watch, edited" and fields["text"] == edited  # all kept
    assert "drop_lost" not in fields and fields["lost_key"]

    # A yes for another list of references (the article changed again) asks again.
    again = dict(fields, drop_lost="y", text=edited.replace("Residents reportedly oppose the "
                                                            "closure. ", ""))
    response = teacher.post(f"/teacher/sets/{full_set}/edit", data=again)
    assert response.status_code == 200 and "Residents reportedly" in text(response)
    assert document(db, full_set) == before

    response = teacher.post(f"/teacher/sets/{full_set}/edit", data=dict(fields, drop_lost="y"))
    assert response.status_code == 302
    after = document(db, full_set)
    assert after["title"] == "Bridge watch, edited"
    classify = after["questions"][2]
    assert [s["evidence"] for s in classify["statements"]] == [[], []]
    assert after["questions"][0]["evidence"] == [2]  # the mayor's sentence, now number 2
    assert after["questions"][3]["answers"][0]["sentence"] == 3
    edit_page = text(teacher.get(f"/teacher/sets/{full_set}/edit"))
    assert "were removed: the questions are marked below." in edit_page
    note = soup(edit_page).find(id=f"question-{classify['id']}").get_text(" ", strip=True)
    assert "Check this question: The edited article no longer has sentence 2" in note
    # Saving the question again clears its note.
    url = f"/teacher/sets/{full_set}/questions/{classify['id']}/edit"
    assert "no longer has sentence 2" in text(teacher.get(url))
    assert press(teacher, url, browser_fields(text(teacher.get(url)))).status_code == 302
    assert "review" not in document(db, full_set)["questions"][2]


@pytest.mark.parametrize(("marks", "message"), [
    ("1: headline, 9: caption",
     "There is no paragraph 9 (the mark “9: caption”): the article has 4 paragraphs."),
    ("0: furniture", "There is no paragraph 0 (the mark “0: furniture”)"),
    ("1: headline, 1: caption",
     "Paragraph 1 is marked twice (“1: headline” and “1: caption”): keep one."),
    ("12345: caption", "There is no paragraph 12345"),
])
def test_a_mark_for_a_paragraph_that_does_not_exist_is_refused(teacher, set_id, db, marks,
                                                               message):
    before = document(db, set_id)
    response = edit_article(teacher, set_id, marks=marks)
    assert response.status_code == 200
    error = soup(text(response)).find(id="marks-error")
    assert error is not None and message in error.get_text()
    assert document(db, set_id) == before
    token = hidden(text(teacher.get("/teacher/sets/new")), "csrf_token")
    response = teacher.post("/teacher/sets/new", data=dict(SET_FORM, marks=marks,
                                                           csrf_token=token))
    assert response.status_code == 200 and message in text(response)


def test_a_set_file_with_a_mark_past_the_last_paragraph_is_refused():
    raw = {"id": "x", "title": "T", "intro": "I", "takeaways": ["t"], "questions": [],
           "article": {"title": "A", "outlet": "O", "text": "One.\n\nTwo.\n\nThree.",
                       "marks": {9: "caption"}}}
    with pytest.raises(questionsets.InvalidSetError) as caught:
        questionsets.parse_set(raw, "x.yaml", draft=True)
    assert caught.value.problems == [
        "x.yaml: article.marks: '9: caption' marks paragraph 9, but the article has 3 paragraphs"]


def test_the_editor_warns_of_answers_a_set_gives_away(teacher, set_id):
    # The right option far longer than the only distractor: a guesser picks it unread.
    typed = dict(AUTHORED_QUESTIONS["choice"], **{
        "options-0-text": "The mayor of the town, speaking at the council meeting on Monday",
        "options-1-text": "Jo"})
    assert add_question(teacher, set_id, "choice", typed).status_code == 302
    page = soup(text(teacher.get(f"/teacher/sets/{set_id}/edit")))
    warning = page.select_one("#give-aways")
    assert warning is not None
    assert "question" in warning.get_text() and "longer" in warning.get_text()


def test_a_set_that_gives_nothing_away_gets_no_warning(teacher, set_id):
    # Options of like length, and the key printed nowhere else.
    assert add_question(teacher, set_id, "choice").status_code == 302
    page = soup(text(teacher.get(f"/teacher/sets/{set_id}/edit")))
    assert page.select_one("#give-aways") is None


def test_a_key_printed_in_another_question_is_named(teacher, full_set):
    # The authored set's answer "The mayor" is also an item of its order question.
    warning = soup(text(teacher.get(f"/teacher/sets/{full_set}/edit"))).select_one("#give-aways")
    assert "'The mayor' is printed in question q-put-the-steps-in-order" in warning.get_text()
