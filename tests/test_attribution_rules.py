"""Issue 18's failure modes, one table each: every rule with the false friends it must leave.

Rows are made-up sentences of the shapes the issue lists, never sentences of a held-out
article. Each table holds what the reader must find and what it must not.
"""

from __future__ import annotations

import pytest

from quiz.attribution import read_article, same_source
from quiz.sentences import split_article


def _last(text: str):
    """Return the reading of the last sentence of *text*."""
    return read_article(text)[-1]


# (text, expected source or None for "not attributed"); the source is compared with
# same_source, as the benchmark does.
REPORTING_CUES = [
    ("Speaking in Geneva, a ministry spokesman repeated that the talks would go on.",
     "a ministry spokesman"),
    ('"We will not pay," the mayor explained.', "the mayor"),
    ("The minister revised her statement, explaining that the figures were wrong.",
     "The minister"),
    ("The opposition walked out, calling the plan a disgrace.", "The opposition"),
    ("The company played down the leak as a minor fault.", "The company"),
    ("Official reports insist seven people took part.", "Official reports"),
    ("News agency Reuters are reporting that the talks failed.", "News agency Reuters"),
    ("An analysis by the Pew Research Center of census data showed that rents rose.",
     "An analysis by the Pew Research Center of census data"),
    ("The Red Cross says its people on the ground estimate that 1,000 people died.",
     "its people on the ground"),
    ("A ranger must explain to them why no one can pass: the area is closed.", "A ranger"),
    ("The union has begun to accuse the board of lying.", "The union"),
]
REPORTING_FALSE_FRIENDS = [
    "The storm repeated its path of last year.",
    "The charity is calling for donations.",
    "The band played down the street.",
    "The attack claimed the lives of 132 children.",
    "Simone Orendain reports from Manila.",
    "The prime minister announced a three-day period of mourning.",
    "The man said to be the leader was arrested.",
    "Initial reports of damage were exaggerated.",
]


@pytest.mark.parametrize(("text", "source"), REPORTING_CUES)
def test_reporting_cue_outside_the_old_verb_list(text, source):
    reading = _last(text)
    assert reading.attributed, text
    assert same_source(reading.source, source), (reading.source, source)


@pytest.mark.parametrize("text", REPORTING_FALSE_FRIENDS)
def test_reporting_false_friend_is_not_attributed(text):
    assert not _last(text).attributed, text


HEADLINES = [
    ("Study: Neanderthals Were Artists", "Study"),
    ("Minister blasts rail plan over cost", "Minister"),
]
HEADLINE_FALSE_FRIENDS = [
    "Analysis: Why the vote matters",
    "VOA news: Monday, November 11th, 2013",
    "Explosion blasts hole in wall",
]


@pytest.mark.parametrize(("text", "source"), HEADLINES)
def test_headline_speaker(text, source):
    reading = read_article(text + "\n\nThe body starts here.", {1: "headline"})[0]
    assert reading.attributed and same_source(reading.source, source), reading.source


@pytest.mark.parametrize("text", HEADLINE_FALSE_FRIENDS)
def test_headline_false_friend(text):
    assert not read_article(text + "\n\nThe body.", {1: "headline"})[0].attributed


# Fronted and parenthetical attribution, and spans cut around commas and relative clauses.
SPANS = [
    ("City officials say money is tight. The plan, they said, would cost too much.",
     "City officials"),
    ("Under pressure at home, city officials said the tax would stay.", "city officials"),
    ("As reported by the Guardian, the deal collapsed.", "the Guardian"),
    ("A police source, who was not authorized to speak publicly, told the paper the man fled.",
     "A police source"),
    ("The bridge will close in May, said Jane Roe, a lecturer at the college.", "Jane Roe"),
    ('"We have lost the voters,"Jane Roe, who chairs the group, said.', "Jane Roe"),
    ("The Church, on October 18, 2008, accused the group of the attack.", "The Church"),
    ("Now, he said, the work is done.", None),  # a pronoun nobody was named for
]
SPAN_FALSE_FRIENDS = [
    # an apposition to a name is not cut away: the name stays the source
    ("Jane Roe, the lawyer, said, in a statement, that she would appeal.", "Jane Roe"),
    ("Paul Dewar, an MP, said the lapses raise questions.", "Paul Dewar"),
]


# The source exactly as written, without the phrase fronted before it (third round).
FRONTED = [
    # A place or time phrase led by a preposition and a determiner.
    ("Around that time, scientists believe, people arrived from Africa.", "scientists"),
    ("Across the region, local officials said the roads were shut.", "local officials"),
    # A time word fronted without a comma, before a determiner.
    ("Yesterday the mayor said the road would reopen.", "the mayor"),
    ("On Monday the police said the road was shut.", "the police"),
    # A modal before the reporting verb ends the subject, as "will" does.
    ("A ranger at the gate must explain to visitors that the area is closed.",
     "A ranger at the gate"),
    # A bare lower-case group after a fronted phrase.
    ("In the morning, police said three men were held.", "police"),
    ("After the vote, prosecutors said the case would go on.", "prosecutors"),
]
FRONTED_FALSE_FRIENDS = [
    # Names that start with a time word or a modal stay whole.
    ("Now Magazine said the story was false.", "Now Magazine"),
    ("Today Show host Jane Roe said the guest was late.", "Today Show host Jane Roe"),
    ("May Smith said the road was shut.", "May Smith"),
    # A number after the preposition is the subject itself, not a fronted phrase.
    ("Around 200 residents said the water was cut.", "Around 200 residents"),
]


@pytest.mark.parametrize(("text", "source"), FRONTED + FRONTED_FALSE_FRIENDS)
def test_fronted_phrase_is_not_the_source(text, source):
    assert _last(text).source == source


@pytest.mark.parametrize(("text", "source"), SPANS + SPAN_FALSE_FRIENDS)
def test_source_span(text, source):
    reading = _last(text)
    assert reading.attributed, text
    if source is None:
        assert reading.source is None
    else:
        assert same_source(reading.source, source), (reading.source, source)
        assert not reading.source.lower().startswith(("as ", "under ", "the plan")), reading.source


def test_he_takes_the_person_mentioned_not_the_group_before():
    readings = read_article(
        "Researchers say the art is old. The findings surprised Wil Roebroeks, an expert on "
        "early humans. He said it is a breakthrough."
    )
    assert same_source(readings[2].source, "Wil Roebroeks")


def test_she_takes_the_person_introduced_the_sentence_before():
    readings = read_article(
        "Inga Palsdottir is the head of the tourism agency. She said films put places on the map."
    )
    assert readings[1].attributed and same_source(readings[1].source, "Inga Palsdottir")


def test_they_still_takes_a_group_before():
    """False friend: "they" may mean a group; only he and she need a person."""
    readings = read_article("Local officials say the toll is rising. They said help is slow.")
    assert same_source(readings[1].source, "Local officials")


def test_the_official_keeps_the_kind_of_the_anonymous_official_before():
    readings = read_article(
        "A senior official said the talks failed. The official said a deal was still possible."
    )
    assert readings[0].source_kind == "anonymous"
    assert readings[1].source_kind == "anonymous"


def test_the_official_with_no_antecedent_is_not_made_anonymous():
    """False friend: only a role named before, without a name, is carried over."""
    readings = read_article("The Mayor spoke first. The mayor said the roads were closed.")
    assert readings[1].source_kind != "anonymous"


KINDS = [
    ("A memo seen by the paper says the plan is dead.", "document"),
    ("An analysis by a research centre showed that rents rose.", "document"),
    ("A large sign warns people that the canyon is closed.", "document"),
    ("The Philippine Red Cross says 1,000 people died.", "named-organisation"),
    ("Dirk Hoffmann, of Germany's Max Planck Institute, said the art is simple.", "named-person"),
    ("Red Cross Secretary-General Gwendolyn Pang says food is short.", "named-person"),
    ("According to reports transmitted by the local press, the miners are safe.", "document"),
    ("The Church of Scientology accused the group of the attack.", "named-organisation"),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_source_kind(text, kind):
    assert _last(text).source_kind == kind


# Hedges: (text, the writer's hedges expected).
HEDGES = [
    ("The toll could reach as high as 10,000.", ["could", "as high as"]),
    ("The man, believed to be 30, fled.", ["believed"]),
    ("An estimated 5,000 people marched.", ["estimated"]),
    ("Unofficial results gave the party a lead.", ["Unofficial"]),
    ("Police are studying a possible motive.", ["possible"]),
    ("Two students are accused of plotting an attack at their school on November 20, the "
     "first anniversary of the shooting in which a former student left six people wounded "
     "by gunfire.", ["accused"]),
]
HEDGE_FALSE_FRIENDS = [
    "The virus first appeared in China in 2019.",
    "He appeared in court on Monday.",
    "The minister could not be reached for comment.",
    "The vote is in May.",
    "The claims were rejected.",
    'The mayor said: "It could be possible that we may close."',
    "Finish the work as soon as possible.",
    "The region has the potential for growth.",
    "He was accused of fraud by prosecutors.",
    "Officials estimated that 5,000 people marched.",
]


@pytest.mark.parametrize(("text", "hedges"), HEDGES)
def test_writer_hedge_found(text, hedges):
    assert [h.lower() for h in _last(text).hedges] == [h.lower() for h in hedges]


@pytest.mark.parametrize("text", HEDGE_FALSE_FRIENDS)
def test_hedge_false_friend(text):
    assert _last(text).hedges == (), text


def test_capital_sub_heading_is_split_from_the_next_sentence():
    sentences = split_article("The art is old. NEW EVIDENCE Researchers say it is older.")
    assert [s.text for s in sentences] == [
        "The art is old.", "NEW EVIDENCE", "Researchers say it is older."
    ]
    assert sentences[1].kind == "furniture"
    assert same_source(read_article("NEW EVIDENCE Researchers say it is older.")[1].source,
                       "Researchers")


@pytest.mark.parametrize(
    "text",
    ["US President Joe Biden said so.", "A US Army spokesman said so.", "NATO UN talks began."],
)
def test_capitals_that_are_not_a_sub_heading_stay(text):
    assert [s.text for s in split_article(text)] == [text]


@pytest.mark.parametrize(("text", "loaded"), [
    # Common judging words in the writer's voice (issue 18, second reading).
    ("The controversial law was passed on Monday.", ("controversial",)),
    ("The disastrous harvest left farmers in debt.", ("disastrous",)),
    ("It was a shameful episode for the council.", ("shameful",)),
    # False friends: the noun, and a word inside another.
    ("The law caused a controversy in parliament.", ()),
    ("The disaster left farmers in debt.", ()),
    ("The uncontroversially dull report was filed.", ()),
])
def test_common_judging_words_are_loaded(text, loaded):
    [reading] = read_article(text, {})
    assert tuple(w.lower() for w in reading.loaded) == loaded
