"""Tests for quiz.moodlexml: Moodle XML import and export."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quiz import gift, imports, moodlexml, questionsets

BANK = Path(__file__).resolve().parent / "data" / "moodle-bank.xml"


def bank() -> gift.GiftImport:
    """Read the sample Moodle XML bank."""
    return moodlexml.parse(BANK.read_text(encoding="utf-8"))


def test_single_choice_keeps_title_formats_weights_and_tags() -> None:
    question = bank().questions[0]
    assert question["id"] == "unit-4-grammar-q1" and question["title"] == "Unit 4 Grammar q1"
    assert question["type"] == "choice"
    assert question["format"] == "html"
    assert question["prompt"] == '<p dir="ltr">She has <b>_____</b> friends.</p>'
    assert question["explanation"] == "<p>Count nouns take <i>few</i>.</p>"
    assert question["explanation_format"] == "html"
    assert (question["skill"], question["difficulty"]) == ("hedging", "easy")
    # The blank fourth answer is dropped, as Moodle does when it saves the question.
    assert [(o["text"], o.get("correct", False), o["weight"]) for o in question["options"]] == [
        ("few", True, 100.0), ("very few", False, 50.0), ("a little", False, 0.0)]
    assert question["options"][1]["explanation_format"] == "markdown"
    assert question["options"][2]["explanation"] == gift.NO_FEEDBACK


def test_multiple_answers_keep_negative_and_zero_weights() -> None:
    question = bank().questions[1]
    assert question["type"] == "multi" and "format" not in question
    assert [o["weight"] for o in question["options"]] == [50.0, -100.0, 0.0, 50.0]
    assert [o.get("correct", False) for o in question["options"]] == [True, False, False, True]


def test_true_false() -> None:
    question = bank().questions[2]
    assert question["prompt"] == "Grant is buried in Grant's tomb & nobody else."
    true, false = question["options"]
    assert (true["text"], true.get("correct", False), true["explanation"]) == (
        "True", False, "Nobody is buried there.")
    assert (false["text"], false["correct"], false["explanation"]) == ("False", True, "Right.")


def test_short_answer_partial_credit_and_catch_all() -> None:
    result = bank()
    question = result.questions[3]
    assert question["type"] == "text"
    assert [(a["text"], a["weight"]) for a in question["answers"]] == [
        ("Nazareth", 75.0), ("Bethlehem", 25.0)]
    assert question["wrong_answers"] == [{"text": "Rome", "explanation": "No",
                                       "explanation_format": "html", "weight": 0.0}]
    assert question["catch_all_explanation"] == "<p>Completely wrong</p>"
    assert question["catch_all_explanation_format"] == "html"
    assert question["explanation"] == gift.NO_FEEDBACK
    messages = [n.message for n in result.notes if n.position == 4]
    assert any("embedded file" in m for m in messages)
    assert any("partial credit" in m for m in messages)


def test_other_types_are_skipped_with_reasons() -> None:
    result = bank()
    assert [(s.position, s.title) for s in result.skipped] == [
        (5, "Read first"), (6, "Essay"), (7, "Capitals"), (8, "Born"), (9, "Drag")]
    assert "description" in result.skipped[0].reason
    assert "matching" in result.skipped[2].reason
    assert "'ddwtos' questions cannot be represented" in result.skipped[4].reason
    assert all(s.line > 0 for s in result.skipped)


def test_every_problem_is_listed() -> None:
    text = """<quiz>
<question type="multichoice"><name><text>One</text></name>
  <questiontext format="html"><text>Q?</text></questiontext>
  <single>true</single>
  <answer fraction="50"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
</question>
<question type="shortanswer"><name><text>Two</text></name>
  <questiontext format="rtf"><text>Q?</text></questiontext>
</question>
<question type="multichoice"><questiontext><text>Q?</text></questiontext>
  <answer fraction="150"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
</question>
</quiz>"""
    with pytest.raises(moodlexml.MoodleXmlError) as caught:
        moodlexml.parse(text)
    problems = caught.value.problems
    assert [(p.position, p.title, p.line) for p in problems] == [
        (1, "One", 2), (2, "Two", 7), (3, None, 10)]
    assert "no answer has a fraction of 100" in problems[0].message
    assert "'rtf'" in problems[1].message
    assert "outside -100 to 100" in problems[2].message


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<quiz><question type="essay"><questiontext><text>&lol3;</text></questiontext></question></quiz>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><questiontext><text>&xxe;</text></questiontext>
<answer fraction="100"><text>a</text></answer></question></quiz>"""
DEEP = "<quiz>" + "<a>" * 100_000 + "</a>" * 100_000 + "</quiz>"
DEEP_HTML = ('<quiz><question type="shortanswer"><questiontext format="html"><text>'
             + "&lt;div&gt;" * 50_000 + "</text></questiontext>"
             '<answer fraction="100"><text>a</text></answer></question></quiz>')


@pytest.mark.parametrize(("text", "message"), [
    ("<quiz>" + " " * 1_000_001 + "</quiz>", "at most 1,000,000"),
    (BILLION_LAUGHS, "DTD or entities"),
    (EXTERNAL, "DTD or entities"),
    (DEEP, "more than 20 levels deep"),
    (DEEP_HTML, "levels deep; at most 100"),
    ("<quiz><question>", "not well-formed"),
    ("<html><body/></html>", "not Moodle's <quiz>"),
])
def test_hostile_xml_is_refused_quickly(text: str, message: str) -> None:
    start = time.process_time()
    with pytest.raises(moodlexml.MoodleXmlError, match=message):
        moodlexml.parse(text)
    assert time.process_time() - start < 0.5


def test_the_bank_round_trips_through_xml() -> None:
    first = bank().questions
    text = moodlexml.dump(first, category="Unit 4")
    again = moodlexml.parse(text)
    assert again.questions == first
    assert '<answer fraction="-100" format="moodle_auto_format">' in text
    assert "<name><text>Unit 4 Grammar q1</text></name>" in text


def test_gift_and_xml_carry_the_same_set() -> None:
    first = bank().questions
    assert gift.parse(gift.dump(first)).questions == first
    assert moodlexml.parse(moodlexml.dump(gift.parse(gift.dump(first)).questions)
                           ).questions == first


def test_dump_comments_out_what_xml_cannot_hold() -> None:
    text = moodlexml.dump([{"id": "q--sort", "type": "classify"}])
    assert "<!-- skipped: q- -sort (classify cannot be expressed in Moodle XML) -->" in text
    assert moodlexml.parse(text).questions == []


def test_a_set_written_in_sourcecheck_exports_and_imports(tmp_path) -> None:
    from tests.helpers import ALL_TYPES

    document = questionsets.load_file(ALL_TYPES)
    text = moodlexml.dump(document["questions"])
    result = imports.read_import("all.xml", text, tmp_path)
    kinds = [q["type"] for q in result.document["questions"]]
    assert kinds == ["choice", "multi", "text"]
    originals = {q["id"]: q for q in document["questions"]}
    for question in result.document["questions"]:
        original = originals[question["title"]]
        assert question["prompt"] == original["prompt"]
        assert [o["text"] for o in question.get("options", [])] == [
            o["text"] for o in original.get("options", [])]


def test_read_import_stores_what_moodle_keeps_and_lists_notes(tmp_path) -> None:
    result = imports.read_import("bank.xml", BANK.read_text(encoding="utf-8"), tmp_path)
    questions = result.document["questions"]
    assert questions[0]["title"] == "Unit 4 Grammar q1"
    assert questions[0]["format"] == "html"
    assert [o["weight"] for o in questions[1]["options"]] == [50.0, -100.0, 0.0, 50.0]
    assert questions[3]["catch_all_explanation_format"] == "html"
    assert questions[3]["answers"][1]["weight"] == 25.0
    assert any(line.startswith("question 4 (Hometown): 1 embedded file") for line in result.notes)
    assert "question 9 (Drag): 'ddwtos' questions cannot be represented in SourceCheck" in \
        result.skipped


def test_read_import_lists_every_problem_with_the_file_name(tmp_path) -> None:
    with pytest.raises(questionsets.InvalidSetError) as caught:
        imports.read_import("bad.xml", BILLION_LAUGHS, tmp_path)
    assert caught.value.problems == [
        "bad.xml: the file declares a DTD or entities, which are not allowed in a question file."]


# ---------------------------------------------------------------------------- the app


def upload(teacher, name: str, content: str):
    """Post a file to the teacher's import page."""
    import io

    page = "/teacher/sets/import"
    return teacher.post(page, {"file": (io.BytesIO(content.encode()), name)}, form_page=page,
                        content_type="multipart/form-data")


def count_sets(db) -> int:
    """Count the stored sets."""
    return db.execute("SELECT count(*) FROM question_set").fetchone()[0]


def test_upload_of_an_xml_bank_shows_every_note_and_skip(teacher, db) -> None:
    response = upload(teacher, "bank.xml", BANK.read_text(encoding="utf-8"))
    assert response.status_code == 302
    html = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 4 questions." in html
    assert "Skipped question 7 (Capitals): matching questions" in html
    assert "Note on question 4 (Hometown): 1 embedded file(s) not imported" in html


def test_upload_of_a_gift_bank_shows_the_second_block_warning(teacher) -> None:
    text = (Path(__file__).resolve().parent / "data" / "moodle-bank.gift").read_text()
    response = upload(teacher, "bank.gift", text)
    html = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Note on question 2 (Unit 4 Grammar q2): only the first answer block" in html


def test_upload_of_a_hostile_xml_lists_the_problem_and_stores_nothing(teacher, db) -> None:
    before = count_sets(db)
    html = upload(teacher, "bad.xml", BILLION_LAUGHS).get_data(as_text=True)
    assert "bad.xml: the file declares a DTD or entities" in html
    assert count_sets(db) == before


def test_upload_lists_every_problem_of_a_gift_file(teacher, db) -> None:
    before = count_sets(db)
    html = upload(teacher, "bad.gift", "::A::Q {=a\n\n::B::Q?{~a ~b}\n\nQ?{=a ~%200%b}").get_data(
        as_text=True)
    assert "bad.gift: Question 1 (&#39;A&#39;), line 1: the braces" in html
    assert "bad.gift: Question 2 (&#39;B&#39;), line 3: no answer is marked right" in html
    assert "bad.gift: Question 3, line 5: the weight %200% is outside" in html
    assert count_sets(db) == before


def test_export_menu_offers_moodle_xml(teacher, db) -> None:
    response = upload(teacher, "bank.xml", BANK.read_text(encoding="utf-8"))
    set_page = response.headers["Location"]
    assert "/export.xml" in teacher.get(set_page).get_data(as_text=True)
    exported = teacher.get(f"{set_page}/export.xml")
    assert exported.content_type == "application/xml; charset=utf-8"
    assert moodlexml.parse(exported.get_data(as_text=True)).questions[0]["title"] == (
        "Unit 4 Grammar q1")


def test_cli_import_prints_notes_and_the_set_id_then_exports_it(runner, teacher, tmp_path,
                                                                db) -> None:
    path = tmp_path / "bank.xml"
    path.write_text(BANK.read_text(encoding="utf-8"))
    result = runner.invoke(args=["import-set", str(path), "--owner", "ms-lee"])
    assert result.exit_code == 0, result.output
    assert "imported: unit-4-grammar-q1 (choice)" in result.output
    assert "skipped: question 9 (Drag): 'ddwtos' questions" in result.output
    assert "note: question 4 (Hometown): 1 embedded file(s)" in result.output
    assert result.output.rstrip().endswith("set id: bank")
    again = runner.invoke(args=["import-set", str(path), "--owner", "ms-lee"])
    slug = again.output.rstrip().rsplit("set id: ", 1)[1]
    assert slug.startswith("bank-")
    exported = runner.invoke(args=["export-set", slug, "--format", "xml"])
    assert exported.exit_code == 0
    assert moodlexml.parse(exported.output).questions == bank().questions


def test_cli_import_of_a_bad_file_prints_every_problem(runner, tmp_path, db) -> None:
    path = tmp_path / "bad.gift"
    path.write_text("Q {=a\n\n[md]Q?{=a ~b}")
    before = count_sets(db)
    result = runner.invoke(args=["import-set", str(path)])
    assert result.exit_code == 1
    assert "bad.gift: Question 1, line 1: the braces" in result.output
    assert "bad.gift: Question 2, line 3: '[md]' is not a text format" in result.output
    assert count_sets(db) == before
