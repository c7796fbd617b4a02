"""Tests for quiz.gift: Moodle GIFT import and export."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from quiz import gift

# The conformance suite of fuhrmanator/GIFT-grammar-PEG.js (MIT), copied into the repository:
# tests/data/gift-conformance/README.md says where it comes from.
CASES = Path(__file__).resolve().parent / "data" / "gift-conformance" / "cases"

# Suite type -> the word our skip reason must contain.
SKIPPED_TYPES = {
    "Matching": "matching",
    "Numerical": "numerical",
    "Essay": "essay",
    "Description": "description",
}


def case_names() -> list[str]:
    """List the suite's case names."""
    return sorted(path.stem for path in CASES.glob("*.gift"))


def test_every_conformance_case_is_here() -> None:
    assert len(case_names()) == 51
    assert all((CASES / f"{name}.json").is_file() for name in case_names())


def only(text: str) -> dict:
    """Parse text that holds exactly one importable question and return it."""
    result = gift.parse(text)
    assert len(result.questions) == 1, result
    return result.questions[0]


def by_text(question: dict) -> dict:
    """Index a question's options by their text."""
    return {option["text"]: option for option in question["options"]}


# ---------------------------------------------------------------------------- conformance


def fold(text: str | None) -> str:
    """Fold white space for comparing text.

    Moodle trims every line and joins a question's lines with a line break (FORMAT_MOODLE
    then shows it as one); the suite joins lines with a space instead, and keeps the two
    trailing spaces of a markdown hard break that Moodle trims away. Line breaks are
    presentation, so conformance is checked modulo white space; the exact Moodle text is
    asserted in test_moodle_keeps_line_breaks_and_trims_lines.
    """
    return " ".join((text or "").split())


def moodle_blank(stem: str) -> str:
    """Turn the suite's blank into Moodle's.

    The suite pads "{...}." to "_____ ."; Moodle's format.php replaces the answer block in
    place, so the text reads "_____." (asserted in test_missing_word_blank_is_in_place).
    """
    return re.sub(r"_____ ([.,;:!?])", r"_____\1", stem)


def rich(part: dict | None) -> str | None:
    """Map a suite {format, text} to our format key: only html and markdown are kept."""
    return part["format"] if part and part["format"] in gift.RICH_FORMATS else None


def text_of(part: dict | None) -> str:
    """Return the text of a suite {format, text}, or "" for null."""
    return part["text"] if part else ""


def explained(part: dict | None) -> str:
    """Return what our explanation should be for a suite feedback."""
    return fold(text_of(part)) or gift.NO_FEEDBACK


def check_common(ours: dict, theirs: dict) -> None:
    """Compare the stem, its format, the title and the general feedback."""
    assert fold(ours["prompt"]) == fold(moodle_blank(theirs["stem"]["text"]))
    assert ours.get("format") == rich(theirs["stem"])
    assert ours.get("title") == theirs["title"]
    assert ours["difficulty"] == "medium" and ours["skill"] == "source"


def check_general_feedback(ours: dict, theirs: dict, *extra: str) -> None:
    """Compare the question explanation with the suite's global feedback."""
    parts = [fold(text_of(theirs["globalFeedback"])), *map(fold, extra)]
    assert fold(ours["explanation"]) == (" ".join(filter(None, parts)) or gift.NO_FEEDBACK)
    assert ours.get("explanation_format") == (rich(theirs["globalFeedback"]) if parts[0] else None)


def check_multiple_choice(ours: dict, theirs: dict) -> None:
    """Compare a suite MC question with our choice or multi."""
    choices = theirs["choices"]
    marked = [choice["isCorrect"] for choice in choices]
    weights = [choice["weight"] if choice["weight"] is not None
               else 100.0 if choice["isCorrect"] else 0.0 for choice in choices]
    correct = marked if any(marked) else [weight > 0 for weight in weights]
    assert ours["type"] == ("choice" if sum(marked) == 1 else "multi")
    check_general_feedback(ours, theirs)
    assert len(ours["options"]) == len(choices)
    rows = zip(ours["options"], choices, correct, weights, strict=True)
    for option, choice, right, weight in rows:
        assert fold(option["text"]) == fold(choice["text"]["text"])
        assert option.get("format") == rich(choice["text"])
        assert option.get("correct", False) is right
        assert option["weight"] == pytest.approx(weight)
        assert fold(option["explanation"]) == explained(choice["feedback"])
        assert option.get("explanation_format") == (
            rich(choice["feedback"]) if text_of(choice["feedback"]) else None)


def check_true_false(ours: dict, theirs: dict) -> None:
    """Compare a suite TF question with our two-option choice."""
    assert ours["type"] == "choice"
    check_general_feedback(ours, theirs)
    true, false = ours["options"]
    assert (true["text"], false["text"]) == ("True", "False")
    assert true.get("correct", False) is theirs["isTrue"]
    assert false.get("correct", False) is not theirs["isTrue"]
    first, second = theirs["trueFeedback"], theirs["falseFeedback"]
    # The suite always gives the first #feedback to True. Moodle documents {TRUE#wrong#right}
    # (format.php split_truefalse_comment): the first feedback is for the WRONG answer, so
    # for a TRUE question it belongs to False. Moodle wins; for FALSE questions they agree.
    if theirs["isTrue"]:
        first, second = second, first
    assert fold(true["explanation"]) == explained(first)
    assert fold(false["explanation"]) == explained(second)


def check_short_answer(ours: dict, theirs: dict) -> None:
    """Compare a suite short answer with our text question."""
    assert ours["type"] == "text"
    choices = [(fold(choice["text"]["text"]), 100.0 if choice["weight"] is None
                else choice["weight"], choice["feedback"]) for choice in theirs["choices"]]
    # The suite lists "*" as one more choice. In Moodle a "*" answer is the feedback for any
    # other (wrong) typed answer, so it is kept apart from the general feedback.
    catch_all = [text_of(feedback) for text, _, feedback in choices if text == "*"]
    check_general_feedback(ours, theirs)
    assert fold(ours.get("catch_all_explanation")) == fold(next(filter(None, catch_all), ""))
    listed = [choice for choice in choices if choice[0] != "*"]
    expected = {
        "answers": [choice for choice in listed if choice[1] > 0],
        "wrong_answers": [choice for choice in listed if choice[1] <= 0],
    }
    for key, items in expected.items():
        got = ours.get(key, [])
        # Moodle keeps no format on short-answer texts, so only the text is compared.
        assert [fold(item["text"]) for item in got] == [text for text, _, _ in items]
        assert [item["weight"] for item in got] == pytest.approx([w for _, w, _ in items])
        assert [fold(item["explanation"]) for item in got] == [
            explained(feedback) for _, _, feedback in items]


CHECKS = {"MC": check_multiple_choice, "TF": check_true_false, "Short": check_short_answer}


@pytest.mark.parametrize("name", case_names())
def test_conformance_case(name: str) -> None:
    result = gift.parse((CASES / f"{name}.gift").read_text(encoding="utf-8"))
    expected = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    items = [item for item in expected if item["type"] != "Category"]
    imported = iter(result.questions)
    skipped = {entry.position: entry for entry in result.skipped}
    for position, item in enumerate(items, start=1):
        if item["type"] in SKIPPED_TYPES:
            entry = skipped.pop(position)
            assert entry.title == item["title"]
            assert SKIPPED_TYPES[item["type"]] in entry.reason
        else:
            question = next(imported)
            check_common(question, item)
            CHECKS[item["type"]](question, item)
    assert next(imported, None) is None
    assert not skipped


def test_moodle_keeps_line_breaks_and_trims_lines() -> None:
    # Moodle trims each line and joins them with "\n"; the suite's options1 and
    # type_inferred_multiline_markdown show spaces and untrimmed lines instead.
    question = only("::Kanji::Japanese characters originally\ncame from what country? {=China}")
    assert question["prompt"] == "Japanese characters originally\ncame from what country?"
    question = only("[markdown]stem line1  \nstem line2{\n    =answer1 line1  \nanswer1 line2\n}")
    assert question["prompt"] == "stem line1\nstem line2"
    assert question["answers"][0]["text"] == "answer1 line1\nanswer1 line2"


def test_missing_word_blank_is_in_place() -> None:
    # The suite writes "_____ ." for these; Moodle keeps the text around the block as it is.
    assert only("Two plus two equals {=four =4}.")["prompt"] == "Two plus two equals _____."
    question = only("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert question["prompt"] == "Grant is _____ in Grant's tomb."
    assert only("{ =Asia } is the largest.")["prompt"] == "_____ is the largest."
    assert only("Who's buried here?{=no one}")["prompt"] == "Who's buried here?"


def test_true_false_feedback_follows_moodle() -> None:
    # Moodle documents {TRUE#wrong#right}; the suite's TFTwoFeedback reads it as {#true#false}.
    true, false = only("Grant is buried in Grant's tomb.{TRUE#feedback for true}")["options"]
    assert true == {"id": "true", "text": "True", "correct": True,
                    "explanation": gift.NO_FEEDBACK}
    assert false == {"id": "false", "text": "False", "explanation": "feedback for true"}
    true, false = only("Grant is buried.{TRUE# #feedback for false}")["options"]
    assert true["explanation"] == "feedback for false"
    assert false["explanation"] == gift.NO_FEEDBACK
    true, false = only("42 is the answer.{\nFALSE#42 is the Ultimate Answer.#Right.}")["options"]
    assert true["explanation"] == "42 is the Ultimate Answer."
    assert false["explanation"] == "Right."
    assert false["correct"] is True and "correct" not in true


# ---------------------------------------------------------------------------- mapping


def test_single_right_answer_is_a_choice() -> None:
    question = only("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert question == {
        "id": "q1",
        "type": "choice",
        "prompt": "Who's buried in Grant's tomb?",
        "explanation": gift.NO_FEEDBACK,
        "difficulty": "medium",
        "skill": "source",
        "options": [
            {"id": "a", "text": "Grant", "explanation": gift.NO_FEEDBACK, "weight": 0.0},
            {"id": "b", "text": "Jefferson", "explanation": gift.NO_FEEDBACK, "weight": 0.0},
            {"id": "c", "text": "no one", "correct": True, "explanation": gift.NO_FEEDBACK,
             "weight": 100.0},
        ],
    }


def test_feedback_and_general_feedback() -> None:
    question = only(
        "::Q2:: What's between orange and green?\n{\n=yellow # right; good!\n"
        "~red # [html]wrong, it's <b>yellow</b>\n~[plain]blue\n####Yellow sits between them.}"
    )
    assert question["explanation"] == "Yellow sits between them."
    options = by_text(question)
    assert options["yellow"]["explanation"] == "right; good!"
    assert options["red"]["explanation"] == "wrong, it's <b>yellow</b>"
    assert options["red"]["explanation_format"] == "html"
    assert options["blue"]["explanation"] == gift.NO_FEEDBACK
    assert "format" not in options["blue"]


def test_weights_without_equals_make_a_multi() -> None:
    result = gift.parse("What two people are entombed? {\n~%-50%No one\n~%50%Grant\n"
                        "~%50%Grant's wife\n~%-50%Grant's father }")
    question = result.questions[0]
    assert question["type"] == "multi"
    assert [option.get("correct", False) for option in question["options"]] == [
        False, True, True, False]
    assert [option["weight"] for option in question["options"]] == [-50.0, 50.0, 50.0, -50.0]
    assert result.notes == []  # 50/50/-50/-50 is exactly SourceCheck's equal shares


def test_fractional_weights_are_kept_with_a_note() -> None:
    result = gift.parse("Continents?{\n~%33.33333%Africa\n~%33.33333%Asia\n~%-100%China\n"
                        "~%33.33333%Antarctica\n}")
    question = result.questions[0]
    assert [option["weight"] for option in question["options"]] == [
        33.33333, 33.33333, -100.0, 33.33333]
    assert len(result.notes) == 1 and "scored as in Moodle" in result.notes[0].message


def test_partial_credit_in_a_choice_is_noted() -> None:
    result = gift.parse("Difficult question.{~wrong answer ~%50%half credit answer "
                        "=full credit answer}")
    question = result.questions[0]
    assert question["type"] == "choice"
    assert by_text(question)["half credit answer"]["weight"] == 50.0
    assert "correct" not in by_text(question)["half credit answer"]
    assert "partial credit" in result.notes[0].message


def test_several_equals_become_a_multi_with_a_note() -> None:
    result = gift.parse("Specify the seasons\\: {= spring = summer ~ easter}")
    question = result.questions[0]
    assert question["prompt"] == "Specify the seasons:"
    assert question["type"] == "multi"
    assert [o.get("correct", False) for o in question["options"]] == [True, True, False]
    assert "any one" in result.notes[0].message


@pytest.mark.parametrize(("mark", "is_true"), [("T", True), ("TRUE", True), ("F", False),
                                               ("FALSE", False)])
def test_true_false_marks(mark: str, is_true: bool) -> None:
    true, false = only(f"The sun rises in the east.{{{mark}}}")["options"]
    assert true.get("correct", False) is is_true
    assert false.get("correct", False) is not is_true


def test_lower_case_true_is_a_short_answer() -> None:
    # Moodle compares with T, TRUE, F and FALSE exactly.
    assert only("Is it?{true}")["type"] == "text"


def test_short_answer_becomes_text() -> None:
    result = gift.parse("::Shortanswer::Which is the best animal?{\n=Frog#Good!\n"
                        "=%50%Cat#Cats!\n=%0%Dog#No.\n=%0%*#Completely wrong\n}")
    question = result.questions[0]
    assert question["type"] == "text"
    assert question["answers"] == [
        {"text": "Frog", "explanation": "Good!", "weight": 100.0},
        {"text": "Cat", "explanation": "Cats!", "weight": 50.0},
    ]
    assert question["wrong_answers"] == [{"text": "Dog", "explanation": "No.", "weight": 0.0}]
    # "*" is Moodle's "any other answer": its feedback is for wrong typed answers only, never
    # the general explanation that a student who answered right reads too.
    assert question["catch_all_explanation"] == "Completely wrong"
    assert question["explanation"] == gift.NO_FEEDBACK
    assert "partial credit" in result.notes[0].message


def test_short_answer_without_equals() -> None:
    question = only("How do you write the number 1? {One}")
    assert question["answers"] == [{"text": "One", "explanation": gift.NO_FEEDBACK,
                                    "weight": 100.0}]


def test_short_answer_accepting_anything_is_skipped() -> None:
    result = gift.parse("Say anything.{=%100%*#Fine}")
    assert result.questions == []
    assert "any text" in result.skipped[0].reason


def test_titles_become_unique_ids() -> None:
    result = gift.parse(
        "::Jesus' hometown::Jesus was from {=Nazareth}.\n\n"
        "::Jesus' hometown::Jesus was from {=Nazareth ~Rome}.\n\n"
        "Untitled{T}\n\n"
        "::Ünïcode — Titel::Text{F}\n\n"
        "::q3::Clashes with the fallback{F}"
    )
    ids = [question["id"] for question in result.questions]
    assert ids == ["jesus-hometown", "jesus-hometown-2", "q3", "unicode-titel", "q3-2"]
    assert result.questions[0]["title"] == "Jesus' hometown"
    assert "title" not in result.questions[2]


def test_format_markers_are_stripped_and_recorded() -> None:
    question = only("[html]<p>The sun rises in which direction?</p> {\n"
                    "=<p>The east.</p>#<b>Awesome!</b>\n~[moodle]The west.\n####[markdown]*Yes*}")
    assert question["prompt"] == "<p>The sun rises in which direction?</p>"
    assert question["format"] == "html"
    assert question["explanation"] == "*Yes*"
    assert question["explanation_format"] == "markdown"
    east, west = question["options"]
    assert (east["format"], east["explanation_format"]) == ("html", "html")
    assert "format" not in west
    assert "format" not in only("[plain]Plain?{T}")


def test_html_comments_are_kept() -> None:
    question = only("[html]<p>Q<!-- note --></p>{=a ~b}")
    assert question["prompt"] == "<p>Q<!-- note --></p>"


def test_skill_and_difficulty_from_tags() -> None:
    question = only("// [id:7] [tag:Hedging] [tag:hard] [tag:other]\nQ?{=a ~b}")
    assert (question["skill"], question["difficulty"]) == ("hedging", "hard")
    question = only("// [tag:unknown]\nQ?{=a ~b}")
    assert (question["skill"], question["difficulty"]) == ("source", "medium")


def test_escapes() -> None:
    question = only(
        "Which is NOT a control character\\: \\{ \\} ? {\n"
        "~ \\~ # \\~ is one.\n~ \\= # \\= too.\n~ \\# # \\# too.\n"
        "= \\\\ # Correct! \\\\ only escapes.\\nSee the docs.\n}"
    )
    assert question["prompt"] == "Which is NOT a control character: { } ?"
    assert [option["text"] for option in question["options"]] == ["~", "=", "#", "\\"]
    assert question["options"][0]["explanation"] == "~ is one."
    assert question["options"][3]["explanation"] == "Correct! \\ only escapes.\nSee the docs."


def test_backslash_pairs_fold_once() -> None:
    question = only("A \\\\\\\\ B \\\\n C{=x ~y}")
    assert question["prompt"] == "A \\\\ B \\n C"


def test_comments_and_categories_are_ignored() -> None:
    result = gift.parse(
        "// header\n\n$CATEGORY: $course$/top/Unit 1\n\n// lead-in\n"
        "Q1?{=a ~b}\n// trailing comment\n\n$CATEGORY: other\n\nQ2?{T}"
    )
    assert [question["prompt"] for question in result.questions] == ["Q1?", "Q2?"]
    assert [question["id"] for question in result.questions] == ["q1", "q2"]
    assert result.skipped == [] and result.notes == []


def test_unsupported_types_are_skipped_with_positions() -> None:
    result = gift.parse(
        "::Intro::Use a pencil.\n\n"
        "Match these.{=Canada->Ottawa =Italy->Rome}\n\n"
        "::Born::When was Grant born?{#1822:5}\n\n"
        "Write an essay. {}\n\n"
        "Kept?{T}"
    )
    assert [(s.position, s.title) for s in result.skipped] == [
        (1, "Intro"), (2, None), (3, "Born"), (4, None)]
    assert [s.reason for s in result.skipped] == [
        gift.UNSUPPORTED[kind] for kind in ("description", "match", "numerical", "essay")]
    assert "matching questions cannot be represented in SourceCheck" in result.skipped[1].reason
    assert [s.line for s in result.skipped] == [1, 3, 5, 7]
    assert result.questions[0]["id"] == "q5"


def test_arrow_inside_multiple_choice_is_not_matching() -> None:
    question = only("How to make coffee?{~go -> order =powder -> water}")
    assert question["type"] == "choice"
    assert question["options"][1]["text"] == "powder -> water"


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Unclosed {=a ~b", "braces"),
        ("Stray } here{=a}", "braces"),
        ("One answer only?{~a}", "at least two"),
        ("No right answer?{~a ~b}", "no answer is marked right"),
        ("Only wrong?{=%0%a}", "no answer is accepted"),
        # Moodle drops answers with no text, so this is a one-answer question.
        ("Empty answer?{=a ~}", "at least two answers with text"),
        ("Weight?{~%150%a =b}", "outside -100% to 100%"),
        ("[HTML]Shouting format?{=a ~b}", "'\\[HTML\\]' is not a text format"),
        ("Answer format?{=[md]a ~b}", "'\\[md\\]' is not a text format"),
        ("Deep?{=[html]" + "<div>" * 101 + "a ~b}", "101 levels deep"),
        ("::Blank::{T}", "no text"),
    ],
)
def test_errors_name_the_question(text: str, message: str) -> None:
    with pytest.raises(gift.GiftError, match=message) as caught:
        gift.parse(f"Fine?{{T}}\n\n// comment\n{text}\n\nAlso fine?{{F}}")
    assert caught.value.position == 2
    assert caught.value.line == 3
    assert str(caught.value).startswith("Question 2")


def test_error_message_names_the_title() -> None:
    with pytest.raises(gift.GiftError) as caught:
        gift.parse("::Grant's Tomb::Grant is {~buried =entombed")
    assert caught.value.title == "Grant's Tomb"
    assert str(caught.value).startswith("Question 1 (\"Grant's Tomb\"), line 1: ")


def test_category_glued_to_a_question_is_an_error() -> None:
    with pytest.raises(gift.GiftError, match="blank line"):
        gift.parse("$CATEGORY: unit\nQ?{T}")


# ---------------------------------------------------------------------------- export


def sample_questions() -> list[dict]:
    """Return SourceCheck questions of every type, with awkward characters."""
    return [
        {
            "id": "q-who-claims", "type": "choice", "difficulty": "easy", "skill": "attribution",
            "prompt": "Who makes the claim {in sentence 1}? a=b, c~d #1: \\ ok\nSecond line.",
            "explanation": "Sentence 2 ends: \"activists have claimed\".",
            "options": [
                {"id": "a", "text": "Human rights activists", "correct": True,
                 "explanation": "They claim it #1."},
                {"id": "b", "text": "%50% The Daily Express", "explanation": "It reports."},
                {"id": "c", "text": "[html] is not a format here",
                 "explanation": gift.NO_FEEDBACK},
            ],
        },
        {
            "id": "q-all", "type": "multi", "difficulty": "hard", "skill": "hedging",
            "prompt": "<p>Which words <b>hedge</b>?</p>", "format": "html",
            "explanation": "Hedges soften a claim.",
            "options": [
                {"id": "a", "text": "<i>reportedly</i>", "format": "html", "correct": True,
                 "explanation": "<b>Yes</b>", "explanation_format": "html"},
                {"id": "b", "text": "allegedly", "correct": True, "explanation": "Yes."},
                {"id": "c", "text": "confirmed", "explanation": "No: it is a firm claim."},
            ],
        },
        {
            "id": "q-group", "type": "text", "difficulty": "medium", "skill": "source",
            "prompt": "Which group does Ahn head?", "explanation": gift.NO_FEEDBACK,
            "answers": [{"text": "NK Watch", "explanation": "Sentence 6."},
                        {"text": "%90%", "explanation": "Odd but allowed."}],
            "wrong_answers": [{"text": "New York Times", "explanation": "That is the paper."}],
        },
        {
            "id": "q-tf", "type": "choice", "difficulty": "medium", "skill": "verification",
            "prompt": "The claim is verified.", "explanation": "Nobody checked it.",
            "options": [
                {"id": "true", "text": "True", "explanation": "Look again."},
                {"id": "false", "text": "False", "correct": True, "explanation": gift.NO_FEEDBACK},
            ],
        },
    ]


def essentials(question: dict) -> dict:
    """Keep what a round trip must preserve."""
    keys = ("id", "type", "prompt", "format", "explanation", "difficulty", "skill")
    kept = {key: question.get(key) for key in keys}
    for group in ("options", "answers", "wrong_answers"):
        kept[group] = [(item["text"], item.get("format"), bool(item.get("correct")),
                        item["explanation"], item.get("explanation_format"))
                       for item in question.get(group, [])]
    return kept


def test_dump_then_parse_round_trips() -> None:
    questions = sample_questions()
    result = gift.parse(gift.dump(questions))
    assert result.skipped == []
    assert [essentials(q) for q in result.questions] == [essentials(q) for q in questions]


def test_dump_writes_moodle_gift() -> None:
    text = gift.dump(sample_questions())
    assert "::q-who-claims::" in text
    assert "// [tag:attribution] [tag:easy]" in text
    assert "\\{in sentence 1\\}? a\\=b, c\\~d \\#1\\: \\\\ ok\\nSecond line." in text
    # Answers inherit the question's [html]; plain parts of an html question say [moodle].
    assert "::q-all::[html]<p>Which words <b>hedge</b>?</p>{" in text
    assert "\t~%50%<i>reportedly</i>#<b>Yes</b>" in text
    assert "\t~%-50%[moodle]confirmed#[moodle]No\\: it is a firm claim." in text
    assert "\t~%0%%50% The Daily Express#It reports." in text
    assert "\t=%0%New York Times#That is the paper." in text
    assert "{FALSE#Look again.####Nobody checked it.}" in text
    assert gift.NO_FEEDBACK not in text


def test_dump_multi_uses_equal_shares() -> None:
    question = {"id": "m", "type": "multi", "prompt": "Pick", "explanation": "x",
                "options": [{"id": k, "text": k, "correct": k != "d", "explanation": "e"}
                            for k in "abcd"]}
    text = gift.dump([question])
    assert "~%33.33333%a#e" in text and "~%-33.33333%d#e" in text
    again = gift.parse(text).questions[0]
    assert [o.get("correct", False) for o in again["options"]] == [True, True, True, False]


def test_dump_comments_out_what_gift_cannot_hold() -> None:
    questions = [
        {"id": "q-sort", "type": "classify"},
        {"id": "q-find", "type": "evidence"},
        {"id": "q-chain", "type": "order"},
        {"id": "q-arrow", "type": "text", "prompt": "P", "explanation": "E",
         "answers": [{"text": "a -> b", "explanation": "e"}]},
        {"id": "q-ok", "type": "text", "prompt": "P", "explanation": "E",
         "answers": [{"text": "a", "explanation": "e"}]},
    ]
    text = gift.dump(questions)
    assert "// skipped: q-sort (classify cannot be expressed in GIFT)" in text
    assert "// skipped: q-find (evidence cannot be expressed in GIFT)" in text
    assert "// skipped: q-chain (order cannot be expressed in GIFT)" in text
    assert "// skipped: q-arrow (" in text
    result = gift.parse(text)
    assert [q["id"] for q in result.questions] == ["q-ok"]
    assert result.skipped == []


def test_dump_of_imported_suite_questions_round_trips() -> None:
    source = (
        "::Grant's Tomb::Grant is {\n~buried#No one is buried there.\n=entombed#Right answer!\n"
        "~living#We hope not!\n} in Grant's tomb.\n\n"
        "::colours:: What's between orange and green?\n{\n~%50%yellow # right\n"
        "~%-100%red # [html]wrong\n~%50%off-beige # right\n}\n\n"
        "Who's buried in Grant's tomb?{=no one#excellent =nobody ####Nobody is.}"
    )
    first = gift.parse(source).questions
    second = gift.parse(gift.dump(first)).questions
    assert [essentials(q) for q in second] == [essentials(q) for q in first]


# ---------------------------------------------------------------------------- Moodle's idioms

BANK = Path(__file__).resolve().parent / "data" / "moodle-bank.gift"


def bank() -> gift.GiftImport:
    """Read the sample Moodle bank."""
    return gift.parse(BANK.read_text(encoding="utf-8"))


def test_tilde_before_equals_keeps_the_right_answer() -> None:
    # Moodle splits "~=few ~a little" into "", "=few", "a little" and drops the blank answer.
    question = bank().questions[0]
    assert question["title"] == "Unit 4 Grammar q1"
    assert question["id"] == "unit-4-grammar-q1"
    assert question["prompt"] == "She has _____ friends."
    assert question["type"] == "choice"
    assert [(o["text"], o.get("correct", False)) for o in question["options"]] == [
        ("few", True), ("a little", False)]
    assert (question["skill"], question["difficulty"]) == ("hedging", "easy")


def test_a_second_answer_block_stays_in_the_text_with_a_note() -> None:
    result = bank()
    question = result.questions[1]
    assert question["prompt"] == "I have _____ time, and too {~many =much} work."
    assert [o["text"] for o in question["options"]] == ["hardly any", "a few"]
    notes = [n for n in result.notes if n.position == 2]
    assert len(notes) == 1 and "only the first answer block" in notes[0].message
    assert notes[0].title == "Unit 4 Grammar q2" and notes[0].line == 8


def test_formats_weights_and_feedback_are_kept() -> None:
    question = bank().questions[2]
    assert question["format"] == "html"
    assert question["prompt"] == ('<p dir="ltr">What\'s between <b>orange</b>&nbsp;and '
                                  "green?</p>")
    assert question["explanation"] == "<p>Yellow sits between them.</p>"
    assert question["explanation_format"] == "html"
    assert question["type"] == "multi"
    options = by_text(question)
    assert [o["weight"] for o in question["options"]] == [50.0, -100.0, 0.0, 50.0]
    assert [o.get("correct", False) for o in question["options"]] == [True, False, False, True]
    # A 0% option adds nothing and takes nothing: it is kept as 0, not as a penalty.
    assert options["blue"]["weight"] == 0.0
    assert options["yellow"]["explanation"] == "**Half** right"
    assert options["yellow"]["explanation_format"] == "markdown"
    assert options["red"]["explanation_format"] == "html"  # inherited from the question


def test_partial_credit_on_typed_answers_and_the_catch_all() -> None:
    question = bank().questions[3]
    assert question["answers"] == [
        {"text": "Nazareth", "explanation": "Yes", "weight": 75.0},
        {"text": "Bethlehem", "explanation": "Born there", "weight": 25.0},
    ]
    assert question["catch_all_explanation"] == "Completely wrong"
    assert question["explanation"] == gift.NO_FEEDBACK
    assert "wrong_answers" not in question


def test_partial_credit_on_a_single_choice_option() -> None:
    question = bank().questions[4]
    assert question["type"] == "choice"
    assert [(o["text"], o["weight"], o.get("correct", False)) for o in question["options"]] == [
        ("Galilee", 100.0, True), ("Judea", 50.0, False), ("Rome", 0.0, False)]


def test_untitled_questions_keep_no_title() -> None:
    questions = bank().questions
    assert "title" not in questions[5] and questions[5]["id"] == "q6"
    assert questions[6]["format"] == "markdown"
    assert questions[6]["prompt"] == "A *markdown* prompt with an escaped brace { and colon: ok"


def test_an_unclosed_title_is_read_as_text_with_a_note() -> None:
    # Moodle drops the "::" and imports the rest as an untitled question.
    result = gift.parse("::Open title Q?{T}")
    assert result.questions[0]["prompt"] == "Open title Q?"
    assert "title" not in result.questions[0]
    assert "not closed" in result.notes[0].message


def test_every_problem_is_listed() -> None:
    text = ("::Fine::Q?{T}\n\n::Bad one::Unclosed {=a ~b\n\nGood?{=a ~b}\n\n"
            "::Bad two::No right?{~a ~b}\n\n[md]Unknown format?{=a ~b}\n\n"
            "$CATEGORY: x\nGlued?{T}")
    with pytest.raises(gift.GiftError) as caught:
        gift.parse(text)
    problems = caught.value.problems
    assert [(p.position, p.title, p.line) for p in problems] == [
        (2, "Bad one", 3), (4, "Bad two", 7), (5, None, 9), (None, None, 11)]
    lines = str(caught.value).splitlines()
    assert lines[0] == "Question 2 ('Bad one'), line 3: the braces { } around the answers do " \
                       "not match; write a literal brace as \\{ or \\}."
    assert lines[1].startswith("Question 4 ('Bad two'), line 7: no answer is marked right")
    assert lines[2].startswith("Question 5, line 9: '[md]' is not a text format")
    assert lines[3] == "Line 11: a $CATEGORY line must be followed by a blank line."


def test_every_accepted_escape() -> None:
    question = only("::A\\:B::Q \\: \\# \\= \\{ \\} \\~ \\\\ end\\nnext{=a\\=b#f\\#1 ~c}")
    assert question["title"] == "A:B"
    assert question["prompt"] == "Q : # = { } ~ \\ end\nnext"
    assert question["options"][0]["text"] == "a=b"
    assert question["options"][0]["explanation"] == "f#1"


@pytest.mark.parametrize("marker", ["html", "markdown", "plain", "moodle"])
def test_every_format_marker(marker: str) -> None:
    question = only(f"[{marker}]Q?{{=a ~b}}")
    assert question["prompt"] == "Q?"
    assert question.get("format") == (marker if marker in gift.RICH_FORMATS else None)


# ---------------------------------------------------------------------------- round trips


def test_the_moodle_bank_round_trips_through_gift() -> None:
    first = bank().questions
    text = gift.dump(first)
    again = gift.parse(text).questions
    assert again == first
    assert "::Unit 4 Grammar q1::" in text
    assert "~%-100%red#Wrong" in text and "~%0%blue" in text
    assert "=%25%Bethlehem#Born there" in text and "=%0%*#Completely wrong" in text
    assert "~%50%Judea#Close" in text
    assert "::q6::" not in text  # untitled stays untitled
    assert "####[html]<p>Yellow sits between them.</p>" not in text  # inherited from the stem
    assert "####<p>Yellow sits between them.</p>" in text


def test_dump_writes_negative_weights_exactly() -> None:
    result = gift.parse("Colours?{~%50%yellow ~%-100%red ~%50%green}")
    text = gift.dump(result.questions)
    assert "~%-100%red" in text and "~%-50%" not in text


# ---------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize(("text", "message"), [
    ("Q?{=a ~b}\n\n" * 200_000, "at most 1,000,000"),
    ("Q {=a ~b\n\n" * 1000, "braces"),
    ("[rtf]Q?{=a ~b}\n\n" * 1000, "not a text format"),
    ("[html]" + "<div>" * 150_000 + "Q?{=a ~b}", "levels deep"),
])
def test_hostile_gift_is_refused_quickly(text: str, message: str) -> None:
    start = time.process_time()
    with pytest.raises(gift.GiftError, match=message):
        gift.parse(text)
    assert time.process_time() - start < 0.5


# ---------------------------------------------------------------------------- stored sets


def test_an_imported_bank_is_stored_with_what_moodle_keeps(tmp_path) -> None:
    from quiz import imports

    result = imports.read_import("bank.gift", BANK.read_text(encoding="utf-8"), tmp_path)
    # The stored questions are the parsed ones plus the defaults every stored question has.
    expected = []
    for question in bank().questions:
        question = {**question, "points": 1, "shuffle": True, "evidence": []}
        if "options" in question:
            question["options"] = [{**o, "correct": bool(o.get("correct"))}
                                   for o in question["options"]]
        else:
            question.setdefault("wrong_answers", [])
        expected.append(question)
    assert result.document["questions"] == expected
    assert "question 2 (Unit 4 Grammar q2): only the first answer block" in result.notes[0]


@pytest.mark.parametrize(("change", "message"), [
    ({"weight": 101}, "options 1.weight: '101' is not a weight in percent from -100 to 100"),
    ({"weight": "half"}, "options 1.weight: 'half' is not a weight"),
    ({"format": "rtf"}, "options 1.format: 'rtf' is not one of plain, html, markdown"),
    ({"explanation_format": "wiki"}, "options 1.explanation_format: 'wiki' is not one of"),
])
def test_set_files_refuse_bad_moodle_fields(raw_set: dict, change: dict, message: str) -> None:
    from quiz import questionsets

    raw_set["questions"][0]["options"][0].update(change)
    raw_set["questions"][0]["title"] = "x" * 256
    with pytest.raises(questionsets.InvalidSetError) as caught:
        questionsets.parse_set(raw_set, "x.yaml")
    assert any(message in problem for problem in caught.value.problems)
    assert any("title: must be text of 1 to 255" in p for p in caught.value.problems)


def test_set_files_keep_moodle_fields(raw_set: dict) -> None:
    from quiz import questionsets

    question = raw_set["questions"][0]
    question.update(title="Who? (1)", format="markdown", explanation_format="html")
    question["options"][1].update(weight=-33.5, format="html")
    document = questionsets.parse_set(raw_set, "x.yaml")
    stored = document["questions"][0]
    assert (stored["title"], stored["format"], stored["explanation_format"]) == (
        "Who? (1)", "markdown", "html")
    assert (stored["options"][1]["weight"], stored["options"][1]["format"]) == (-33.5, "html")
    assert "weight" not in stored["options"][2]
    again = questionsets.parse_set(yaml_round_trip(questionsets.to_yaml(document)), "x.yaml")
    assert again["questions"][0] == stored


def yaml_round_trip(text: str) -> dict:
    """Read a YAML export back as raw data."""
    import yaml

    return yaml.safe_load(text)


# --- the editor keeps what an import brought --------------------------------------------------

@pytest.mark.parametrize("name", ["moodle-bank.gift", "moodle-bank.xml"])
def test_saving_every_imported_question_unchanged_changes_no_export(teacher, db, name):
    """Import a weighted bank, open and save each question in the editor: same exports."""
    import io

    from tests.test_authoring import browser_fields, document

    page = "/teacher/sets/import"
    content = (Path(__file__).resolve().parent / "data" / name).read_bytes()
    response = teacher.post(page, {"file": (io.BytesIO(content), name)}, form_page=page,
                            content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    set_id = int(re.search(r"/teacher/sets/(\d+)", response.headers["Location"])[1])
    exports = {fmt: teacher.get(f"/teacher/sets/{set_id}/export.{fmt}").get_data(as_text=True)
               for fmt in ("gift", "xml")}
    before = document(db, set_id)
    assert any("weight" in o for q in before["questions"] for o in q.get("options", []))
    for q in before["questions"]:
        url = f"/teacher/sets/{set_id}/questions/{q['id']}/edit"
        fields = browser_fields(teacher.get(url).get_data(as_text=True))
        saved = teacher.client.post(url, data=fields)
        assert saved.status_code == 302, (q["id"], saved.get_data(as_text=True))
    for old, new in zip(before["questions"], document(db, set_id)["questions"], strict=True):
        assert new == old
    for fmt, exported in exports.items():
        assert teacher.get(f"/teacher/sets/{set_id}/export.{fmt}").get_data(
            as_text=True) == exported


def import_bank(teacher, name: str = "moodle-bank.gift") -> int:
    """Upload a bank from tests/data as the teacher; return the new set's id."""
    import io

    page = "/teacher/sets/import"
    content = (Path(__file__).resolve().parent / "data" / name).read_bytes()
    response = teacher.post(page, {"file": (io.BytesIO(content), name)}, form_page=page,
                            content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/teacher/sets/(\d+)", response.headers["Location"])[1])


def test_weighted_bank_scored_explained_and_shown_in_its_formats(app, teacher, db):
    from tests.helpers import Student, soup

    set_id = import_bank(teacher)
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    teacher.post(f"/teacher/sets/{set_id}/publish")

    key = soup(teacher.get(f"/teacher/sets/{set_id}/key").get_data(as_text=True))
    colours = next(h for h in key.find_all("h2") if "Colours" in h.get_text())
    assert colours.find(class_="question-name").get_text() == "Colours"
    assert colours.find("b").get_text() == "orange"  # [html] shown formatted, not as tags
    assert "&nbsp;" not in str(colours) or "\xa0" in colours.get_text()
    key_text = key.get_text(" ")
    assert "Earns 50 % of the points (0.5 points)" in key_text
    assert "Takes away 100 % of the points (1 point)" in key_text
    assert "Any other answer" in key_text and "Completely wrong" in key_text
    assert key.find("strong", string="Half") is not None  # [markdown] feedback rendered

    student = Student(app.test_client())
    student.start(slug)
    quiz_page, _ = student.open_quiz(slug)
    legend = next(lg for lg in soup(quiz_page).find_all("legend") if "orange" in lg.get_text())
    assert legend.find("b").get_text() == "orange" and "<b>" not in legend.get_text()
    response = student.submit({"q-colours": ["a"], "q-hometown": "bethlehem",
                               "q-galilee": "b"}, slug=slug)
    assert response.status_code == 303
    results = soup(student.client.get(response.headers["Location"]).get_data(as_text=True))
    by_title = {s.find("summary").get_text(" "): s.get_text(" ")
                for s in results.select("details.result-question")}
    colours = next(t for h, t in by_title.items() if "orange" in h)
    assert "Partly right" in colours and "0.5/1" in colours  # the row: points of the most
    assert "Earns 50 % of the points (0.5 points), because:" in colours
    hometown = next(t for h, t in by_title.items() if "Jesus" in h)
    assert "Partly right" in hometown and "Earns 25 % of the points (0.25 points)" in hometown
    assert "Born there" in hometown and "Completely wrong" not in hometown
    galilee = next(t for h, t in by_title.items() if "region" in h)
    assert "Partly right" in galilee and "Close" in galilee

    other = Student(app.test_client())
    other.start(slug, name="Bo")
    response = other.submit({"q-hometown": "Jerusalem"}, slug=slug)
    results = soup(other.client.get(response.headers["Location"]).get_data(as_text=True))
    hometown = next(s.get_text(" ") for s in results.select("details.result-question")
                    if "Jesus" in s.find("summary").get_text())
    assert "Completely wrong" in hometown  # typed answer matched nothing listed
    stored = db.execute("SELECT sum(points) FROM response").fetchone()[0]
    assert stored == pytest.approx(0.5 + 0.25 + 0.5)  # both attempts; Bo scored nothing


def test_editor_refuses_weights_on_some_options_only(teacher, db):
    from tests.test_authoring import browser_fields, document

    set_id = import_bank(teacher)
    before = document(db, set_id)
    url = f"/teacher/sets/{set_id}/questions/colours/edit"
    fields = browser_fields(teacher.get(url).get_data(as_text=True))
    assert [fields[f"options-{i}-weight"] for i in range(4)] == ["50", "-100", "0", "50"]
    fields["options-0-weight"] = ""
    fields["options-2-weight"] = "25"
    page = teacher.client.post(url, data=fields)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Give every option a weight, or leave every weight empty." in html
    assert "Not ticked correct, so give it a weight of 0 or less." in html
    assert document(db, set_id) == before
