"""The give-away checks: each catches a planted case and passes a clean one."""

from __future__ import annotations

import copy

import pytest

from quiz import setchecks


def choice(qid: str, right: str, *wrong: str, prompt: str = "Which one?") -> dict:
    options = [{"id": "a", "text": right, "correct": True, "explanation": "x"}]
    options += [{"id": f"w{i}", "text": t, "correct": False, "explanation": "x"}
                for i, t in enumerate(wrong)]
    return {"id": qid, "type": "choice", "prompt": prompt, "options": options}


def text_q(qid: str, *answers: str, prompt: str = "Type it.") -> dict:
    return {"id": qid, "type": "text", "prompt": prompt,
            "answers": [{"text": a, "explanation": "x"} for a in answers], "wrong_answers": []}


def order_q(qid: str, *items: str) -> dict:
    return {"id": qid, "type": "order", "prompt": "Put them in order.",
            "items": [{"id": f"i{n}", "text": t, "explanation": "x"} for n, t in enumerate(items)]}


def doc(*questions: dict, intro: str = "Read the article carefully.") -> dict:
    return {"id": "s", "intro": intro, "questions": list(questions)}


# Four choice questions whose options are all about the same length.
EVEN = [choice(f"c{n}", "Human rights activists", "The Daily Express paper",
               "The New York Times", "Seoul-based rights group") for n in range(4)]


def messages(document: dict) -> list[str]:
    return [str(f) for f in setchecks.findings(document)]


def test_a_set_with_even_options_and_no_repeats_has_no_findings():
    assert setchecks.findings(doc(*EVEN)) == []


@pytest.mark.parametrize(("longest", "flagged"), [
    (1, False),  # one of four: a quarter, under a third
    (2, True),   # two of four: a half
    (4, True),
])
def test_the_correct_option_longest_too_often_is_reported(longest, flagged):
    questions = copy.deepcopy(EVEN)
    for q in questions[:longest]:
        q["options"][0]["text"] = "Human rights activists, unnamed"  # longest, but not by far
    found = setchecks.findings(doc(*questions))
    assert bool(found) is flagged
    if flagged:
        assert {f.question for f in found} == {q["id"] for q in questions[:longest]}
        assert all(f.field == "options" and f"{longest} of the 4" in f.message for f in found)


@pytest.mark.parametrize(("right", "wrong", "flagged"), [
    ("It is one unnamed worker's account, quoted from a report; the article does not prove it",
     "It is in quote marks, so it is true", True),
    ("It is one unnamed worker's account, from a report", "It is in quote marks, so it is true",
     False),  # longer, but not half as long again
    ("A photo credit", "A byline", False),  # nearly twice as long, but only 6 letters more
])
def test_a_correct_option_far_longer_than_every_distractor_is_reported(right, wrong, flagged):
    questions = copy.deepcopy(EVEN)
    questions[0] = choice("c0", right, wrong, wrong + ".", wrong + "!")
    found = [f for f in setchecks.longest_findings(doc(*questions)) if "far longer" in f.message]
    assert bool(found) is flagged
    if flagged:
        assert found[0].question == "c0" and found[0].field == "options"


@pytest.mark.parametrize(("where", "flagged"), [
    ("Put the steps in order: Ahn spoke to The  NEW york times.", True),  # case, spacing
    ("Put the steps in order: Ahn spoke to the “New York Times”.", True),  # curly quotes
    ("Put the steps in order: Ahn spoke to a newspaper in New York.", False),
    ("Put the steps in order: the New York Timesheet.", False),  # not a whole-word match
])
def test_a_typed_answer_printed_in_another_prompt_is_reported(where, flagged):
    nyt = text_q("nyt", "New York Times")
    other = order_q("chain", "a", "b", "c")
    other["prompt"] = where
    found = setchecks.leak_findings(doc(nyt, other))
    assert bool(found) is flagged
    if flagged:
        assert str(found[0]) == ("question nyt: answers 1: the answer 'New York Times' is "
                                 "printed in question chain, prompt")


@pytest.mark.parametrize(("answer", "flagged"), [
    ("NK Watch", True),
    ("NK Watch.", True),  # punctuation around the answer is not part of it
    ("NKW", False),       # too short to count: below MIN_LEAK_LENGTH letters
])
def test_a_typed_answer_in_another_questions_options_is_reported(answer, flagged):
    found = setchecks.leak_findings(doc(text_q("group", answer),
                                        choice("who", "Ahn of NK Watch", "A reporter", "A worker")))
    assert bool(found) is flagged
    if flagged:
        assert found[0].question == "group" and "question who, option 'a'" in found[0].message


@pytest.mark.parametrize(("intro", "flagged"), [
    ("Notice which names are real sources and which are only a photo credit.", True),
    ("Notice which names are real sources and which are only credits.", False),
])
def test_an_answer_printed_in_the_intro_is_reported(intro, flagged):
    questions = copy.deepcopy(EVEN)
    questions[0] = choice("reuters", "A photo credit", "The source", "The author", "The editor")
    found = setchecks.leak_findings(doc(*questions, intro=intro))
    assert bool(found) is flagged
    if flagged:
        assert found[0].question == "reuters" and found[0].field == "option 'a'"
        assert "set's intro" in found[0].message


@pytest.mark.parametrize(("where", "flagged"), [
    ("statement", True),   # a statement reads as a given
    ("item", True),
    ("option", False),     # one option among others gives nothing away
])
def test_a_choice_key_counts_where_it_reads_as_a_given(where, flagged):
    key = "Human rights activists"
    later = (choice("later", key, "The Daily Express paper", "The New York Times")
             if where == "option" else order_q("later", key, "b", "c"))
    if where == "statement":
        later = {"id": "later", "type": "classify", "prompt": "Sort them.",
                 "labels": [{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}],
                 "statements": [{"id": "s1", "text": f"{key} said so.", "label": "x"}]}
    first = choice("first", key, "The Daily Express paper", "The New York Times")
    found = setchecks.leak_findings(doc(first, later))
    assert [f.question for f in found if "question later" in f.message] == (
        ["first"] if flagged else [])


def test_the_whole_answer_must_appear_not_a_part():
    found = setchecks.leak_findings(doc(text_q("r", "North Korea Strategy Centre"),
                                        order_q("o", "North Korea sends workers", "b", "c")))
    assert found == []
