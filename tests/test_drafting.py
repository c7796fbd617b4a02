"""Drafting a question set from any article: the pure drafter, then the teacher's pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quiz import caches, drafting, questionsets
from quiz.attribution import guess_marks, read_article, strip_header
from quiz.views.auth import create_teacher
from tests.helpers import ROOT, Student, hidden, load_yaml, sign_in, soup

ARTICLE = load_yaml(
    (ROOT / "questions/articles/north-korea-overseas-workers.yaml").read_text(encoding="utf-8"))
READINGS = read_article(ARTICLE["text"], ARTICLE["marks"])
GOLD = sorted((Path(__file__).parent / "attribution_gold/articles").glob("*.txt"))
PAGE = "/teacher/drafts/from-article"


def draft(sentences, kinds=tuple(drafting.KINDS), article=ARTICLE, readings=READINGS) -> dict:
    return drafting.draft_set(article, readings, sentences, kinds)


def question(document: dict, qid: str) -> dict:
    return next(q for q in document["questions"] if q["id"] == qid)


def texts(q: dict, correct: bool) -> list[str]:
    return [o["text"] for o in q["options"] if o.get("correct", False) is correct]


# --------------------------------------------------------------------------- the drafter


def test_who_is_the_source_of_sentence_2_with_sources_and_a_credit_as_distractors():
    q = question(draft([2], ["source"]), "who-s2")
    assert q["type"] == "choice" and q["skill"] == "source"
    assert [t.lower() for t in texts(q, True)] == ["human rights activists"]
    wrong = texts(q, False)
    assert "Ahn Myeong-chul" in wrong and any("worker" in t.lower() for t in wrong)
    assert "REUTERS" in wrong
    reuters = next(o for o in q["options"] if o["text"] == "REUTERS")
    assert "photo credit" in reuters["explanation"]
    assert "vague group" in q["explanation"]
    assert not any(t.lower() in {"activists", "human rights groups"} for t in wrong)


def test_a_speaker_named_elsewhere_is_harder_and_found_by_an_evidence_question():
    document = draft([7], ["source", "evidence"])
    who = question(document, "who-s7")
    assert texts(who, True) == ["Ahn Myeong-chul"] and who["difficulty"] == "hard"
    assert "the New York Times" not in texts(who, False)  # told in sentence 6, not 7's credit
    find = question(document, "find-s7")
    assert [a["sentence"] for a in find["answers"]] == [6]
    assert [d["sentence"] for d in find["distractors"]] == [7]


@pytest.mark.parametrize(("chosen", "figure", "answer", "distractors"), [
    (2, "100,000", [2], [1]),  # the headline gives the figure but not who gives it
    (1, "100,000", [2], [1]),
    (10, "20,000", [10], []),
    (12, "300", [11], [12]),   # a quotation that runs on: its speaker is named before it
])
def test_evidence_asks_who_gives_a_figure(chosen, figure, answer, distractors):
    q = question(draft([chosen], ["evidence"]), f"find-s{chosen}")
    assert q["prompt"] == f"Select the sentence that says who gives the figure {figure}."
    assert [a["sentence"] for a in q["answers"]] == answer
    assert [d["sentence"] for d in q["distractors"]] == distractors


def test_hedge_question_takes_the_writers_hedges_not_the_speakers():
    q = question(draft([2, 5, 7, 9]), "hedges")
    assert q["type"] == "multi" and q["skill"] == "hedging"
    assert {"as many as", "reportedly", "is believed"} <= set(texts(q, True))
    wrong = {o["text"]: o["explanation"] for o in q["options"] if not o.get("correct")}
    assert "suspect" in wrong and "Ahn Myeong-chul's hedge" in wrong["suspect"]
    assert q["evidence"] == [2, 5, 9]


@pytest.mark.parametrize(("number", "label", "to_confirm"), [
    (2, "claim", False),      # "... human rights activists have claimed"
    (7, "claim", False),      # "They added": the speaker comes from sentence 6
    (5, "hedged", False),     # "reportedly", nobody named
    (18, "assertion", True),  # no source, no hedge: the text cannot say if it is a fact
    (15, "assertion", True),  # scare quotes are distance, not judgement
    (22, "opinion", True),    # "cheese-loving dictator" in the writer's voice
])
def test_classify_labels_what_the_text_shows_and_leaves_facts_to_the_teacher(
        number, label, to_confirm):
    q = question(draft([number], ["classify"]), "sort")
    [statement] = q["statements"]
    assert statement["label"] == label and statement["evidence"] == [number]
    assert statement["explanation"].startswith(drafting.CONFIRM) is to_confirm
    assert "fact" not in {lab["id"] for lab in q["labels"]}


def test_everything_drafted_from_the_whole_article_validates():
    raw = draft(range(1, len(READINGS) + 1))
    document = questionsets.parse_set(raw, "draft", draft=True)
    assert document["published"] is False
    assert {q["type"] for q in document["questions"]} == {"choice", "evidence", "multi",
                                                          "classify"}
    assert drafting.unmet(raw, drafting.KINDS) == []
    assert drafting.to_confirm(raw) >= 2
    assert 23 not in question(raw, "sort")["evidence"]  # page furniture gets no question
    assert all(q["skill"] in questionsets.SKILLS for q in document["questions"])


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_drafts_of_other_articles_validate(path):
    text = strip_header(path.read_text(encoding="utf-8"))
    article = {"title": path.stem, "outlet": "unknown", "text": text, "marks": guess_marks(text)}
    readings = read_article(text, article["marks"])
    raw = draft([r.number for r in readings], article=article, readings=readings)
    assert questionsets.parse_set(raw, path.name, draft=True)["questions"]


def test_unmet_kinds_are_reported():
    raw = draft([18], ["source", "hedges", "classify"])  # no source and no hedge in 18
    assert [q["id"] for q in raw["questions"]] == ["sort"]
    assert drafting.unmet(raw, ["source", "hedges", "classify"]) == ["source", "hedges"]


def test_annotation_keeps_the_text_and_marks_the_credit():
    for reading in READINGS:
        assert "".join(text for text, _ in drafting.annotate(reading)) == reading.text
    pieces = {kind: text for text, kind in drafting.annotate(READINGS[2]) if kind}
    assert pieces == {"loaded": "Slaves", "hedge": "reportedly", "not-source": "REUTERS"}
    assert ("not-source", "not a source: REUTERS (photo credit)") in drafting.tags(READINGS[2])
    assert ("source", "source: human rights activists (vague group)") in \
        drafting.tags(READINGS[1])


# --------------------------------------------------------------------------- the pages


class _Fields(HTMLParser):
    """The fields a browser would send from a page's last form: hidden inputs and ticks."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.data = {}
        elif tag == "input" and a.get("name") and (
                a.get("type") == "hidden" or (a.get("type") == "checkbox" and "checked" in a)):
            self.data.setdefault(a["name"], []).append(a.get("value", ""))


PASTED = {"article_title": ARTICLE["title"], "outlet": "Daily Express",
          "url": "https://www.express.co.uk/news/world/nk-workers",
          "text": ARTICLE["text"].replace("\n", "\r\n"),  # browsers send CRLF
          "marks": "1: headline, 3: caption, 4: caption, 13: caption, 14: caption, "
                   "23: furniture, 24: furniture"}


@pytest.fixture
def t1(app, db):
    """A client signed in as the teacher t1."""
    with app.app_context():
        create_teacher(db, "t1", "password123!")
    client = app.test_client()
    assert sign_in(client, "t1", "password123!").status_code == 302
    return client


def paste(client, **changes):
    token = hidden(client.get(PAGE).get_data(as_text=True), "csrf_token")
    return client.post(PAGE, data={**PASTED, "csrf_token": token, "read": "y", **changes})


def test_the_dashboard_links_to_the_page(t1):
    assert f'href="{PAGE}"' in t1.get("/teacher/").get_data(as_text=True)


def test_a_paste_error_keeps_everything_typed(t1):
    html = paste(t1, outlet="", url="not a url").get_data(as_text=True)
    assert 'id="outlet-error"' in html and 'id="url-error"' in html
    assert "Kim Jong-un&#39;s luxury lifestyle" in html and 'value="not a url"' in html
    assert "Legend" not in html


def test_the_reading_shows_the_annotated_article_with_a_legend(t1):
    response = paste(t1)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    page = soup(html)
    assert page.find("link", href=lambda href: href and "reader.css" in href)
    assert not page.find(style=True) and not page.find("script")
    marked = {(" ".join(span["class"]), span.get_text()) for span in page.find_all(class_="ann")}
    assert {("ann ann-not-source", "not a source"), ("ann ann-not-source", "REUTERS"),
            ("ann ann-hedge", "reportedly")} <= marked
    text = page.get_text(" ", strip=True)
    assert "Legend" in text and "not a source: REUTERS (photo credit)" in text
    assert "source: human rights activists (vague group)" in text
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert not page.find(id="sentence-23")  # page furniture gets no checkbox
    fields = _Fields(html).data
    assert fields["kinds"] == list(drafting.KINDS) and "sentences" not in fields  # ticks
    assert fields["marks"] == [PASTED["marks"]]


def test_change_the_article_goes_back_with_the_text(t1):
    fields = _Fields(paste(t1).get_data(as_text=True)).data
    html = t1.post(PAGE, data={**fields, "change": "y"}).get_data(as_text=True)
    assert "<textarea" in html and "human rights activists have claimed" in html
    assert "Legend" not in html


def test_drafting_without_ticks_keeps_the_reading(t1):
    fields = _Fields(paste(t1).get_data(as_text=True)).data
    fields.pop("kinds")
    html = t1.post(PAGE, data={**fields, "draft": "y"}).get_data(as_text=True)
    assert "Tick at least one sentence" in html and "Tick at least one kind" in html
    assert "Legend" in html and 'name="text" value="' in html


def test_nothing_to_ask_is_said_and_nothing_stored(t1, db):
    fields = _Fields(paste(t1).get_data(as_text=True)).data
    html = t1.post(PAGE, data={**fields, "draft": "y", "sentences": ["18"],
                               "kinds": ["source"]}).get_data(as_text=True)
    assert "No question fits the ticked sentences" in html
    assert db.execute("SELECT count(*) FROM question_set WHERE owner_id IS NOT NULL"
                      ).fetchone()[0] == 0


def right_answers(document: dict) -> dict:
    """Return the form fields that answer every question of *document* right."""
    answers = {}
    for q in document["questions"]:
        name = f"q-{q['id']}"
        if q["type"] == "choice":
            answers[name] = texts_ids(q)[0]
        elif q["type"] == "multi":
            answers[name] = texts_ids(q)
        elif q["type"] == "evidence":
            answers[name] = [str(a["sentence"]) for a in q["answers"]]
        elif q["type"] == "classify":
            answers.update({f"{name}-{s['id']}": s["label"] for s in q["statements"]})
    return answers


def texts_ids(q: dict) -> list[str]:
    return [o["id"] for o in q["options"] if o["correct"]]


def test_a_teacher_drafts_edits_publishes_and_a_student_completes_it(t1, app, db):
    # Step 2: the reading; the browser sends back the hidden fields and the ticks.
    fields = _Fields(paste(t1).get_data(as_text=True)).data
    assert fields["text"] == [ARTICLE["text"].replace("\n", "\r\n")]
    response = t1.post(PAGE, data={**fields, "draft": "y", "sentences": ["2", "5", "7", "18"],
                                   "kinds": list(drafting.KINDS)})
    assert response.status_code == 302
    set_id = int(re.search(r"/teacher/sets/(\d+)/edit$", response.headers["Location"])[1])
    row = db.execute("SELECT * FROM question_set WHERE id = ?", (set_id,)).fetchone()
    assert row["published"] == 0
    owner = db.execute("SELECT id FROM teacher WHERE username = 't1'").fetchone()[0]
    assert row["owner_id"] == owner

    # The editor opens with the drafted questions and the warnings.
    html = t1.get(response.headers["Location"]).get_data(as_text=True)
    assert "Drafted" in html and "Teacher to confirm" in html
    assert "Who is the source of sentence 2" in html

    # Edit the set's title in the normal set form.
    with app.app_context():
        document = caches.document_of(db.execute(
            "SELECT document FROM set_version WHERE set_id = ?", (set_id,)).fetchone())
    article = document["article"]
    t1.post(f"/teacher/sets/{set_id}/edit", data={
        "csrf_token": hidden(html, "csrf_token"), "title": "Who says so? Our version",
        "intro": document["intro"], "takeaways": "\n".join(document["takeaways"]),
        "shuffle": "y", "article_title": article["title"], "outlet": article["outlet"],
        "date": "", "url": article["url"], "text": article["text"],
        "marks": ", ".join(f"{n}: {k}" for n, k in article["marks"].items()),
    })
    document = caches.document_of(db.execute(
        "SELECT document FROM set_version WHERE set_id = ? ORDER BY number DESC",
        (set_id,)).fetchone())
    assert document["title"] == "Who says so? Our version"
    assert {"who-s2", "who-s7", "find-s2", "find-s7", "hedges", "sort"} <= \
        {q["id"] for q in document["questions"]}

    # Publish, then a student takes it and gets everything right.
    page = t1.get(f"/teacher/sets/{set_id}").get_data(as_text=True)
    published = t1.post(f"/teacher/sets/{set_id}/publish",
                        data={"csrf_token": hidden(page, "csrf_token")}, follow_redirects=True)
    waiting = drafting.to_confirm(document)
    assert waiting and f"Explanations still starting “Teacher to confirm”: {waiting}." in \
        published.get_data(as_text=True)
    assert db.execute("SELECT published FROM question_set WHERE id = ?",
                      (set_id,)).fetchone()[0] == 1
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    student = Student(app.test_client())
    assert student.start(slug).status_code == 302
    results = student.submit(right_answers(document), slug=slug)
    assert results.status_code == 303
    html = student.client.get(results.headers["Location"]).get_data(as_text=True)
    assert "(100%)" in html
