"""Question-set files: what loads, and the message for every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quiz import questionsets
from tests.helpers import ALL_TYPES, ROOT


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(questionsets.InvalidSetError) as info:
        questionsets.parse_set(raw, "x.yaml")
    return info.value.problems


def test_all_types_set_loads_with_numbered_sentences():
    doc = questionsets.load_file(ALL_TYPES)
    assert [q["type"] for q in doc["questions"]] == [
        "choice", "multi", "classify", "evidence", "order", "text"]
    sentences = doc["article"]["sentences"]
    assert [(s["n"], s["kind"]) for s in sentences] == [
        (1, "headline"), (2, "body"), (3, "body"), (4, "body"), (5, "body"), (6, "caption")]
    assert sentences[4]["text"] == '"It will split the town," said Jo Bloggs, a shopkeeper.'


def test_splitting_is_deterministic_and_keeps_abbreviations():
    from quiz.sentences import split_paragraph

    text = ('Mr. Kim met Dr. Lee in the U.S. on Jan. 5. They talked. "Yes!" he said. '
            "Then J. F. Kay left.")
    assert split_paragraph(text) == [
        "Mr. Kim met Dr. Lee in the U.S. on Jan. 5.", "They talked.", '"Yes!" he said.',
        "Then J. F. Kay left."]
    assert split_paragraph(text) == split_paragraph(text)


def change(raw: dict, path: str, value) -> dict:
    """Set a dotted path (numbers index lists) in raw data; a value of ... deletes it."""
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = raw
    for p in parents:
        target = target[p]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return raw


@pytest.mark.parametrize(("path", "value", "message"), [
    ("questions.0.options.1.correct", True,
     "x.yaml: question 1 (q-choice): options: 'a', 'b' marked correct but the question type "
     "'choice' needs exactly one correct option"),
    ("questions.0.options.0.correct", False,
     "x.yaml: question 1 (q-choice): options: none marked correct"),
    ("questions.0.options.1.explanation", ...,
     "x.yaml: question 1 (q-choice): option 'b'.explanation: is required"),
    ("questions.1.type", "poll", "x.yaml: question 2 (q-multi): type: 'poll' is not one of"),
    ("questions.1.difficulty", "tricky", "question 2 (q-multi): difficulty: 'tricky' is not"),
    ("questions.1.skill", "maths", "question 2 (q-multi): skill: 'maths' is not one of"),
    ("questions.1.points", 0, "question 2 (q-multi): points: '0' is not a number of points"),
    ("questions.2.statements.0.label", "rumour",
     "question 3 (q-classify): statement 's1'.label: 'rumour' is not one of the labels"),
    ("questions.2.labels", [{"id": "only", "text": "Only"}], "has 1 labels; a classify"),
    ("questions.3.answers.0.sentence", 40,
     "question 4 (q-evidence): answers 1.sentence: '40' is not a sentence of the article (1 to 6)"),
    ("questions.3.evidence", [0], "question 4 (q-evidence): evidence: '0' is not a sentence"),
    ("questions.4.items", [{"id": "a", "text": "A", "explanation": "x"}],
     "question 5 (q-order): items: has 1 items; an order question needs 3 to 6"),
    ("questions.5.answers", [], "question 6 (q-text): answers: needs at least one accepted answer"),
    ("questions.5.wrong_answers.0.text", "test gazette", "is also an accepted answer"),
    ("questions.5.id", "q-choice", "question 6 (q-choice): id: 'q-choice' is used by an earlier"),
    ("questions.5.prompt", "", "question 6 (q-text): prompt: is required"),
    ("id", "Not A Slug", "x.yaml: id: 'Not A Slug' must be lowercase"),
    ("title", ..., "x.yaml: title: is required"),
    ("questions", [], "x.yaml: questions: a set needs at least one question"),
    ("article.text", "", "article.text: is required"),
    ("article.date", "May 2016", "article.date: 'May 2016' is not a date"),
    ("article.url", "javascript:alert(1)", "is not an http(s) address"),
    ("article.marks", {2: "sidebar"}, "'sidebar' is not one of headline, caption, furniture"),
])
def test_invalid_set_names_file_question_and_field(raw_set, path, value, message):
    problems = problems_of(change(raw_set, path, value))
    assert any(message in p for p in problems), problems


def test_every_problem_is_listed_not_just_the_first(raw_set):
    change(raw_set, "questions.0.difficulty", "x")
    change(raw_set, "questions.4.skill", "y")
    assert len(problems_of(raw_set)) == 2


@pytest.mark.parametrize(("text", "message"), [
    ("id: [unclosed", "x.yaml: not valid YAML"),
    ("", "x.yaml: (top level): the file is empty"),
    ("!!python/object/apply:os.system ['echo hi']", "x.yaml: not valid YAML"),
])
def test_unreadable_files_are_refused(text, message):
    with pytest.raises(questionsets.InvalidSetError) as info:
        questionsets.load_text(text, "x.yaml")
    assert message in info.value.problems[0]


def test_article_path_cannot_leave_the_questions_folder(tmp_path: Path, raw_set):
    raw_set["article"] = "../../etc/passwd"
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(raw_set))
    with pytest.raises(questionsets.InvalidSetError) as info:
        questionsets.load_file(tmp_path / "s.yaml")
    assert "is not an article file next to this set" in str(info.value)


def test_yaml_export_loads_back_as_the_same_set():
    doc = questionsets.load_file(ALL_TYPES)
    again = questionsets.load_text(questionsets.to_yaml(doc), "export.yaml")
    assert again == doc


def test_check_questions_command_passes_on_the_bundled_sets(runner):
    result = runner.invoke(args=["check-questions", str(ROOT / "questions")])
    assert result.exit_code == 0, result.output
    assert "ok: who-says-so" in result.output


def test_check_questions_command_fails_with_the_messages(runner, tmp_path, raw_set):
    change(raw_set, "questions.0.options.1.correct", True)
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(raw_set))
    result = runner.invoke(args=["check-questions", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}: question 1 (q-choice): options:" in result.output
