"""A set carries short excerpts beside its article, numbered after the article's sentences."""

from __future__ import annotations

import copy

import pytest
from werkzeug.datastructures import MultiDict

from quiz import gift, moodlexml, questionsets, renumber, scoring

ARTICLE = {"title": "Bridge", "outlet": "The Gazette",
           "text": "The bridge shuts on Monday. It reopens in June.\n\nCouncil says so."}
TEXTS = [
    {"id": "wire", "title": "Bridge to shut", "outlet": "Wire service", "date": "2024-05-01",
     "url": "https://example.org/wire", "text": "The bridge shuts on Monday, the council said."},
    {"id": "minutes", "title": "Council minutes", "outlet": "Town council",
     "date_note": "Date not confirmed.",
     "text": "Closure agreed for Monday. Reopening expected.\n\nVote: 7 to 2."},
]
QUESTION = {"id": "q1", "type": "evidence", "prompt": "Which sentence of the minutes says when?",
            "explanation": "The minutes give the day.", "difficulty": "easy", "skill": "source",
            "answers": [{"sentence": 5, "explanation": "Text C, sentence 5: 'Monday'."}],
            "distractors": [{"sentence": 1, "explanation": "That is the article, not the "
                                                           "minutes."}]}


def raw_set(**changes) -> dict:
    raw = {"id": "bridge", "title": "Bridge", "intro": "Read. Compare.", "takeaways": ["Check."],
           "article": copy.deepcopy(ARTICLE), "texts": copy.deepcopy(TEXTS),
           "questions": [copy.deepcopy(QUESTION)]}
    raw.update(changes)
    return raw


def problems(raw: dict) -> list[str]:
    with pytest.raises(questionsets.InvalidSetError) as caught:
        questionsets.parse_set(raw, "bridge.yaml")
    return caught.value.problems


def test_texts_are_labelled_and_their_sentences_numbered_after_the_article():
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    sentences = doc["article"]["sentences"]
    assert [(s["n"], s.get("excerpt"), s["text"]) for s in sentences[2:]] == [
        (3, None, "Council says so."),
        (4, "B", "The bridge shuts on Monday, the council said."),
        (5, "C", "Closure agreed for Monday."),
        (6, "C", "Reopening expected."),
        (7, "C", "Vote: 7 to 2."),
    ]
    # Paragraphs keep counting, so a text never runs into the article's last paragraph.
    assert [s["p"] for s in sentences] == [1, 1, 2, 3, 4, 4, 5]
    wire, minutes = doc["texts"]
    assert (wire["label"], wire["first"], wire["last"], wire["date"]) == ("B", 4, 4, "2024-05-01")
    assert (minutes["label"], minutes["first"], minutes["last"]) == ("C", 5, 7)
    assert minutes["date_note"] == "Date not confirmed." and minutes["url"] is None


def test_a_set_without_texts_keeps_its_document_as_before():
    doc = questionsets.parse_set(raw_set(texts=None, questions=[]), "b.yaml", draft=True)
    assert "texts" not in doc
    assert all("excerpt" not in s for s in doc["article"]["sentences"])


def test_evidence_in_an_excerpt_scores_through_the_quiz_form():
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    question = doc["questions"][0]
    answers = scoring.read_answers(doc, MultiDict([("q-q1", "5")]))
    assert scoring.score(question, answers["q1"]).points == 1
    wrong = scoring.read_answers(doc, MultiDict([("q-q1", "1")]))
    assert scoring.score(question, wrong["q1"]).points == 0


def test_a_reference_past_the_last_text_is_refused():
    raw = raw_set()
    raw["questions"][0]["answers"][0]["sentence"] = 8
    assert any("'8' is not a sentence of the article (1 to 7)" in p for p in problems(raw))


@pytest.mark.parametrize(("change", "message"), [
    ({"id": "bad id!"}, "texts[1].id: is required"),
    ({"id": "minutes"}, "texts[2].id: 'minutes' is used by an earlier text"),
    ({"title": ""}, "texts[1].title: is required"),
    ({"outlet": None}, "texts[1].outlet: is required"),
    ({"date": "1 May 2024"}, "texts[1].date: '1 May 2024' is not a date in the form YYYY-MM-DD"),
    ({"url": "ftp://x"}, "texts[1].url: 'ftp://x' is not an http(s) address"),
    ({"text": "  "}, "texts[1].text: is required: the excerpt"),
])
def test_a_bad_text_is_refused_naming_its_field(change, message):
    raw = raw_set()
    raw["texts"][0].update(change)
    found = problems(raw)
    assert any(message in p for p in found), found
    assert all(p.startswith("bridge.yaml: ") for p in found)


def test_texts_must_be_a_list_of_mappings():
    assert "bridge.yaml: texts: must be a list" in problems(raw_set(texts={"id": "x"}))
    assert any("texts[1]: must be a mapping" in p for p in problems(raw_set(texts=["a"])))


def test_too_many_texts_or_too_much_text_is_refused_before_splitting():
    many = [dict(TEXTS[0], id=f"t{i}") for i in range(questionsets.MAX_TEXTS + 1)]
    assert any(f"at most {questionsets.MAX_TEXTS} are allowed" in p
               for p in problems(raw_set(texts=many)))
    half = questionsets.MAX_ARTICLE_CHARS // 2 + 1
    long = [dict(TEXTS[0], text="Word. " * (half // 6 + 1)), dict(TEXTS[1], text="x" * half)]
    found = problems(raw_set(texts=long))
    assert any("the texts beside an article may have at most 60,000" in p for p in found)


def test_yaml_export_round_trips_the_texts():
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    text = questionsets.to_yaml(doc)
    assert "texts:\n- id: wire\n" in text and "label" not in text and "first" not in text
    assert questionsets.load_text(text, "again.yaml") == doc


def test_a_stored_document_parses_to_itself():
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    assert questionsets.parse_set(copy.deepcopy(doc), "stored") == doc


def test_an_article_edit_moves_references_into_the_texts_with_their_sentences():
    """A sentence added to the article shifts every excerpt; its references follow."""
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    edited = raw_set(questions=[])
    edited["article"]["text"] = "Breaking news. " + ARTICLE["text"]
    new = questionsets.parse_set(edited, "bridge.yaml", draft=True)
    change = renumber.follow([s["text"] for s in doc["article"]["sentences"]],
                             [s["text"] for s in new["article"]["sentences"]], doc["questions"])
    assert not change.lost
    answer = change.questions[0]["answers"][0]["sentence"]
    assert answer == 6 and new["article"]["sentences"][answer - 1]["text"] == (
        "Closure agreed for Monday.")


def test_gift_and_xml_exports_list_the_texts_in_a_note():
    doc = questionsets.parse_set(raw_set(), "bridge.yaml")
    note = ("Text B (sentence 4): Wire service, 2024-05-01, \u201cBridge to shut\u201d, "
            "https://example.org/wire")
    assert f"// {note}" in gift.dump(doc["questions"], doc["texts"])
    xml = moodlexml.dump(doc["questions"], "Bridge", doc["texts"])
    assert note in xml and "Text C (sentences 5-7): Town council" in xml
    assert "Text B" not in gift.dump(doc["questions"])


# --- the set editor and the pages -------------------------------------------------------------

import re  # noqa: E402

from tests import test_authoring as authoring  # noqa: E402 # the editor's helpers
from tests.helpers import hidden  # noqa: E402

add_question, document, edit_article, text = (authoring.add_question, authoring.document,
                                              authoring.edit_article, authoring.text)


@pytest.fixture
def editor(app, db, client):
    """The client, signed in as a teacher."""
    authoring.sign_in(app, db, client)
    return client


@pytest.fixture
def new_set(editor) -> int:
    """A new set of the teacher's, with no questions yet."""
    token = hidden(text(editor.get("/teacher/sets/new")), "csrf_token")
    response = editor.post("/teacher/sets/new", data=dict(authoring.SET_FORM, csrf_token=token))
    return int(re.search(r"/teacher/sets/(\d+)/edit", response.headers["Location"])[1])


TEXTS_YAML = """\
- id: minutes
  title: Council minutes
  outlet: Town council
  date: 2024-04-30
  text: Closure agreed for Monday. Vote 7 to 2.
"""


def test_the_editor_saves_texts_and_shows_them_numbered_after_the_article(editor, new_set, db):
    response = edit_article(editor, new_set, texts=TEXTS_YAML)
    assert response.status_code == 302, text(response)
    doc = document(db, new_set)
    n = len(doc["article"]["sentences"])
    assert doc["texts"][0]["label"] == "B" and doc["texts"][0]["first"] == n - 1
    assert doc["article"]["sentences"][-2]["text"] == "Closure agreed for Monday."
    page = text(editor.get(f"/teacher/sets/{new_set}/edit"))
    assert "Text B: “Council minutes”" in page
    assert "- id: minutes" in page  # the field shows the texts as they were typed
    key = text(editor.get(f"/teacher/sets/{new_set}/questions/new/evidence"))
    assert f'<span class="sentence-number">{n - 1}</span> Closure agreed' in key


def test_texts_that_are_not_yaml_are_refused_and_kept(editor, new_set, db):
    before = document(db, new_set)
    bad = "- id: minutes\n  title: [unclosed\n"
    response = edit_article(editor, new_set, texts=bad)
    assert response.status_code == 200
    page = text(response)
    assert "Other texts: not valid YAML" in page and "title: [unclosed" in page
    response = edit_article(editor, new_set, texts="id: minutes\n")
    assert "write a list" in text(response)
    assert document(db, new_set) == before


def test_a_bad_field_in_a_text_is_named(editor, new_set):
    response = edit_article(editor, new_set, texts=TEXTS_YAML.replace("2024-04-30", "soon"))
    assert response.status_code == 200
    assert "texts[1].date: &#39;soon&#39; is not a date" in text(response)


def test_evidence_in_a_text_follows_an_article_edit_and_is_highlighted(editor, new_set, db,
                                                                        app):
    assert edit_article(editor, new_set, texts=TEXTS_YAML).status_code == 302
    n = len(document(db, new_set)["article"]["sentences"]) - 1  # "Closure agreed ..."
    typed = {"answers-0-sentence": str(n), "answers-0-explanation": "Text B says Monday.",
             "prompt": "Which sentence of the minutes gives the day?"}
    assert add_question(editor, new_set, "evidence", typed).status_code == 302
    doc = document(db, new_set)
    edited = doc["article"]["text"].rstrip() + "\n\nLate update. Nothing new yet.\n"
    assert edit_article(editor, new_set, text=edited, texts=TEXTS_YAML).status_code == 302
    after = document(db, new_set)
    answer = after["questions"][0]["answers"][0]["sentence"]
    assert answer == n + 2  # two sentences added above the text
    assert after["article"]["sentences"][answer - 1]["text"] == "Closure agreed for Monday."
    key = text(editor.get(f"/teacher/sets/{new_set}/key"))
    assert "Text B: “Council minutes”" in key and f"Sentence {answer}: Closure agreed" in key
