"""Sentence references follow their sentences when the article or its marks change."""

from __future__ import annotations

import pytest

from quiz.renumber import follow, sentence_map
from quiz.sentences import split_article

A = "The council voted 7 to 2 on Monday to repair the old bridge."
B = "The mayor said the work would cost as many as 2 million pounds."
C = "Residents reportedly oppose the closure."
D = '"It will split the town," said Jo Bloggs, a shopkeeper.'
E = "Traffic will use the ferry while the bridge is shut."
NEW = "A spokesperson for the council declined to comment on Tuesday."


def texts(article: str, marks: dict[int, str] | None = None) -> list[str]:
    return [s.text for s in split_article(article, marks)]


# Each case: old sentences, new sentences, the expected map (old number -> new number).
CASES = {
    "unchanged": ([A, B, C], [A, B, C], {1: 1, 2: 2, 3: 3}),
    "a sentence inserted above": ([A, B, C], [NEW, A, B, C], {1: 2, 2: 3, 3: 4}),
    "a sentence inserted between": ([A, B, C], [A, NEW, B, C], {1: 1, 2: 3, 3: 4}),
    "a sentence deleted": ([A, B, C, D], [A, C, D], {1: 1, 3: 2, 4: 3}),
    "a word edited": ([A, B, C], [A, B.replace("as many as", "up to"), C],
                      {1: 1, 2: 2, 3: 3}),
    "a word edited and one inserted above": (
        [A, B, C], [NEW, A, B.replace("mayor", "town mayor"), C], {1: 2, 2: 3, 3: 4}),
    "changed beyond recognition": ([A, B, C], [A, "Nobody knows what it costs.", C],
                                   {1: 1, 3: 3}),
    "paragraphs reordered": ([A, B, C, D], [C, D, A, B], {1: 3, 2: 4, 3: 1, 4: 2}),
    "reordered and a word edited": ([A, B, C, D], [C, D.replace("shopkeeper", "baker"), A, B],
                                    {1: 3, 2: 4, 3: 1, 4: 2}),
    # A sentence split in two: the longer half is most of it; the short half maps nothing.
    "split into two": ([A, B + " " + E[:-1] + " from June."],
                       [A, B, E[:-1] + " from June."], {1: 1}),
    "split, one half most of it": (
        [A, "The mayor said the work would cost as many as 2 million pounds in all. Maybe."],
        [A, "The mayor said the work would cost as many as 2 million pounds in all.", "Maybe."],
        {1: 1, 2: 2}),
    # Two sentences merged: neither old sentence is most of the new one.
    "two merged": ([A, C, D], [A, C[:-1] + " and " + D], {1: 1}),
    "a repeated sentence, one copy deleted": (
        ["PHOTO: AP", A, "PHOTO: AP", B], ["PHOTO: AP", A, B], {1: 1, 2: 2, 4: 3}),
    "a repeated sentence, text inserted above": (
        ["PHOTO: AP", A, "PHOTO: AP"], [NEW, "PHOTO: AP", A, "PHOTO: AP"], {1: 2, 2: 3, 3: 4}),
    # Two new sentences equally close to one old one: no guess.
    "a tie": ([A, "The bridge shut on Monday."],
              [A, "The bridge shut on Monday!", "The bridge shut on Monday?"], {1: 1}),
}


@pytest.mark.parametrize(("old", "new", "expected"), CASES.values(), ids=list(CASES))
def test_sentence_map(old, new, expected):
    assert sentence_map(old, new) == expected


ARTICLE = (f"Town council votes on bridge\n\n{A} {B}\n\n{C} {D}\n\n"
           "The old bridge in spring. PHOTO: AP")


@pytest.mark.parametrize(("marks_before", "marks_after", "expected"), [
    # The caption paragraph is one sentence when marked, two when not.
    ({1: "headline", 4: "caption"}, {1: "headline"}, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}),
    ({1: "headline"}, {1: "headline", 4: "caption"}, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}),
    # Marking the headline changes its kind, never its number or text.
    ({}, {1: "headline"}, {n: n for n in range(1, 8)}),
])
def test_caption_marks_added_or_removed(marks_before, marks_after, expected):
    old, new = texts(ARTICLE, marks_before), texts(ARTICLE, marks_after)
    assert sentence_map(old, new) == expected


def test_unmarking_a_caption_keeps_what_the_references_above_and_below_point_at():
    marked = texts(ARTICLE + f"\n\n{E}", {4: "caption"})
    unmarked = texts(ARTICLE + f"\n\n{E}")
    assert marked[6] == E and unmarked[7] == E  # E moved from 7 to 8
    assert sentence_map(marked, unmarked)[7] == 8


QUESTIONS = [
    {"id": "q1", "type": "choice", "prompt": "Who gives the cost?", "evidence": [2]},
    {"id": "q2", "type": "evidence", "prompt": "Which shows who objects?", "evidence": [3, 4],
     "answers": [{"sentence": 3, "explanation": "oppose"}, {"sentence": 4, "explanation": "Jo"}],
     "distractors": [{"sentence": 1, "explanation": "a vote"}]},
    {"id": "q3", "type": "classify", "prompt": "Sort.", "evidence": [],
     "labels": [{"id": "fact", "text": "Fact"}],
     "statements": [{"id": "s1", "text": "x", "label": "fact", "evidence": [1, 4]}]},
]


def test_every_reference_follows_its_sentence():
    result = follow([A, B, C, D], [NEW, A, NEW + " Again.", B, C, D], QUESTIONS)
    q1, q2, q3 = result.questions
    assert q1["evidence"] == [4]
    assert q2["evidence"] == [5, 6]
    assert [a["sentence"] for a in q2["answers"]] == [5, 6]
    assert [d["sentence"] for d in q2["distractors"]] == [2]
    assert q3["statements"][0]["evidence"] == [2, 6]
    assert result.lost == [] and result.moved == 8
    assert "review" not in q1 and QUESTIONS[0]["evidence"] == [2]  # the input is untouched


def test_a_deleted_sentence_is_listed_removed_and_the_question_marked():
    result = follow([A, B, C, D], [A, B, D], QUESTIONS)  # C (3) is deleted
    assert [(x.question, x.qid, x.field, x.sentence, x.text) for x in result.lost] == [
        (2, "q2", "deciding sentences", 3, C), (2, "q2", "answer sentence 1", 3, C)]
    q2 = result.questions[1]
    assert q2["evidence"] == [3]
    assert q2["answers"] == [{"sentence": 3, "explanation": "Jo"}]  # the answer went with it
    assert q2["review"][0].startswith(f"The edited article no longer has sentence 3 (“{C}”)")
    assert "review" not in result.questions[0] and "review" not in result.questions[2]
    assert result.questions[2]["statements"][0]["evidence"] == [1, 3]


def test_the_key_names_exactly_the_lost_references():
    deleted_c = follow([A, B, C, D], [A, B, D], QUESTIONS)
    deleted_d = follow([A, B, C, D], [A, B, C], QUESTIONS)
    assert deleted_c.key() == follow([A, B, C, D], [A, B, D], QUESTIONS).key()
    assert deleted_c.key() != deleted_d.key()


def test_past_the_comparison_budget_edited_sentences_are_left_to_the_teacher(monkeypatch):
    from quiz import renumber

    old, new = [A, B, C], [A, B.replace("mayor", "town mayor"), C.replace("closure", "plan")]
    assert sentence_map(old, new) == {1: 1, 2: 2, 3: 3}
    assert sentence_map(old, new, cited={2}) == {1: 1, 2: 2}  # only what questions cite
    monkeypatch.setattr(renumber, "MAX_PAIRS", 3)
    assert sentence_map(old, new) == {1: 1}  # 2 x 2 pairs is over the budget
    assert sentence_map(old, new, cited={2}) == {1: 1, 2: 2}  # 1 x 2 is not
