"""Tests for the rule-based attribution reader (quiz.attribution)."""

import json
from pathlib import Path

import pytest
import yaml

from quiz.attribution import (
    HOWS,
    SOURCE_KINDS,
    format_text,
    read_article,
    same_source,
    to_json,
)
from quiz.sentences import split_article

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = Path(__file__).resolve().parent / "attribution_gold"
BUNDLED = ROOT / "questions" / "articles" / "north-korea-overseas-workers.yaml"


def read_one(text, marks=None):
    """Read a one-sentence text and return its only reading."""
    readings = read_article(text, marks)
    assert len(readings) == 1
    return readings[0]


# --------------------------------------------------------------------------- who says so

ATTRIBUTED = [
    # (sentence, how, source, source kind)
    (
        "Human rights groups say the conditions are tantamount to slavery.",
        "indirect-speech",
        "Human rights groups",
        "vague-group",
    ),
    (
        "AS MANY as 100,000 North Koreans have been sold into slavery, human rights activists "
        "have claimed.",
        "indirect-speech",
        "human rights activists",
        "vague-group",
    ),
    (
        "Ahn Myeong-chul, the head of NK Watch, a Seoul-based rights group, told the New York "
        "Times the regime was exploiting workers.",
        "indirect-speech",
        "Ahn Myeong-chul, the head of NK Watch, a Seoul-based rights group",
        "named-person",
    ),
    (
        "\u201cIt is a consistent position of us and the international community,\u201d said a "
        "defense ministry spokesman.",
        "direct-quote",
        "a defense ministry spokesman",
        "anonymous",
    ),
    (
        '"Foolhardy provocation deserves harsh punishment", added KCNA.',
        "direct-quote",
        "KCNA",
        "named-organisation",
    ),
    (
        "Other jobs include work in Russian logging camps, according to former workers and "
        "activists.",
        "indirect-speech",
        "former workers and activists",
        "vague-group",
    ),
    (
        "The report says the decline in iodine intake appears to be due to the dairy industry.",
        "document",
        "The report",
        "document",
    ),
    (
        'A worker in Kuwait was quoted in the report as saying: "We are trapped in wired fences."',
        "document",
        "A worker in Kuwait",
        "anonymous",
    ),
    (
        "Activists suspect the money pays for luxury goods.",
        "mental-state",
        "Activists",
        "vague-group",
    ),
    (
        "Another expert, Bong Young-shik from the Asan Institute, doubts the commitment.",
        "mental-state",
        "Another expert, Bong Young-shik from the Asan Institute",
        "named-person",
    ),
    (
        'Secretary of the Air Force James Roche: "No, Sir, save it and blow him away.',
        "direct-quote",
        "Secretary of the Air Force James Roche",
        "named-person",
    ),
    (
        "The BBC reported that the reporter was interrogated for eight hours.",
        "indirect-speech",
        "The BBC",
        "named-organisation",
    ),
    (
        "North Korea stated it would attack any loudspeakers.",
        "indirect-speech",
        "North Korea",
        "named-organisation",
    ),
    (
        "Officials who spoke on condition of anonymity said the talks had failed.",
        "indirect-speech",
        "Officials who spoke on condition of anonymity",
        "anonymous",
    ),
    (
        "Recent reports have revealed that a defector was arrested.",
        "document",
        "Recent reports",
        "document",
    ),
    (
        "According to Yonhap news agency, quoting the Korean Central News Agency (KCNA), the "
        "military has been placed on high alert.",
        "indirect-speech",
        "the Korean Central News Agency (KCNA)",
        "named-organisation",
    ),
    (
        "South Korea\u2019s Defense Ministry rejected Kim\u2019s assertion that the North is a "
        "nuclear power.",
        "indirect-speech",
        "South Korea\u2019s Defense Ministry",
        "named-organisation",
    ),
    (
        "A leaked internal letter seen by Sky News says the claim may be withdrawn.",
        "document",
        "A leaked internal letter seen by Sky News",
        "document",
    ),
    (
        'The incident was publicised in local newspapers, one of which called it "another '
        'indiscretion for which he should resign".',
        "direct-quote",
        "one of local newspapers",  # one unnamed newspaper (the gold guideline): anonymous
        "anonymous",
    ),
]


@pytest.mark.parametrize(("text", "how", "source", "kind"), ATTRIBUTED)
def test_attributed_sentences(text, how, source, kind):
    reading = read_one(text)
    assert reading.attributed
    assert reading.how == how
    assert reading.source == source
    assert reading.source_kind == kind


NOT_ATTRIBUTED = [
    "The practice has apparently been used since the 1980s to fund luxuries for the regime.",
    "However, the situation is believed to have worsened under Jong-un.",
    "No injuries or deaths were reported in the attacks from either side.",
    "U.S. officials have not said why the team was initially denied visas.",
    "Rathbun requested donations via a statement made on his blog.",
    "The Sams continued to shun conventional medical treatment.",
    "Currently the Republic of China maintains formal diplomatic relationships with 27 countries.",
    "The forms are part of an effort to clear the 92,000 asylum claim- 'legacy backlog'.",
    'Jong-un has reportedly ordered members to carry out a "campaign against abuse of power".',
    "The minister could not be reached for comment.",
    "The company declined to comment.",
]


@pytest.mark.parametrize("text", NOT_ATTRIBUTED)
def test_not_attributed_sentences(text):
    reading = read_one(text)
    assert not reading.attributed
    assert reading.how is None
    assert reading.source is None
    assert reading.source_kind is None


def test_noun_claims_is_not_a_reporting_verb():
    reading = read_one("The claims come after the leader indicated he could purge his staff.")
    assert reading.source == "the leader"
    assert reading.cues == ("indicated",)
    assert reading.hedges == ("could",)


def test_pronoun_takes_the_previous_source():
    readings = read_article(
        "Paul Dewar, an Ottawa MP, said the lapses raise questions. He said the government "
        "must act."
    )
    assert readings[1].attributed
    assert readings[1].source == "Paul Dewar, an Ottawa MP"
    assert readings[1].source_kind == "named-person"


def test_relative_pronoun_takes_its_antecedent():
    reading = read_one(
        "He traveled to Florida to meet with Devocht, who had told Montalvo he would assist him."
    )
    assert reading.source == "Devocht"


def test_quote_only_sentence_takes_the_speaker_before_it():
    readings = read_article(
        "Bennett said the North does not need nuclear weapons.\n\n"
        "\u201cIf they have more than a few, they\u2019re not purely defensive.\u201d"
    )
    assert readings[1].attributed
    assert readings[1].how == "quote-continuation"
    assert readings[1].source == "Bennett"


def test_quote_spanning_sentences_takes_the_speaker_after_it():
    readings = read_article('"I then approached him. He punched me on the shoulder," said Mr. Bao.')
    assert [r.how for r in readings] == ["quote-continuation", "direct-quote"]
    assert [r.source for r in readings] == ["Mr. Bao", "Mr. Bao"]


def test_unclosed_quote_does_not_swallow_the_paragraph():
    readings = read_article(
        'They call for "urgent implementation of iodisation. Most iodine comes from seafood.'
    )
    assert not readings[1].attributed


def test_headline_quote_is_the_lead_sources_claim():
    readings = read_article(
        "North Korea 'sends 100,000 abroad to work as slaves'\n\n"
        "AS MANY as 100,000 North Koreans have been sold into slavery, human rights activists "
        "have claimed.",
        {1: "headline"},
    )
    assert readings[0].attributed
    assert readings[0].source == "human rights activists"


def test_short_quoted_term_in_headline_is_not_attribution():
    readings = read_article("North Korea puts military in 'quasi-state of war'", {1: "headline"})
    assert not readings[0].attributed
    assert readings[0].scare_quotes == ("'quasi-state of war'",)


# --------------------------------------------------------------------------- second round
# One row per rule added in the second round (tests/attribution_gold/README.md), each with its
# false friends below.

SECOND_ROUND = [
    # (sentence, how, source, cue)
    # Licensed judgement and belief verbs.
    ("Beijing sees Taiwan as its 23rd province.", "mental-state", "Beijing", "sees"),
    ("Kim regards the South as an enemy.", "mental-state", "Kim", "regards"),
    ("The minister considers the plan to be unworkable.", "mental-state", "The minister",
     "considers"),
    ("The union hopes that the strike will end soon.", "mental-state", "The union", "hopes"),
    ("Experts reckon that prices will fall.", "mental-state", "Experts", "reckon"),
    ("Doctors are concerned that the outbreak is spreading.", "mental-state", "Doctors",
     "are concerned"),
    ("The judge found that the evidence was unreliable.", "indirect-speech", "The judge",
     "found"),
    ("Kim accused Seoul of staging the attack.", "indirect-speech", "Kim", "accused"),
    ("The minister blamed the opposition for the delays.", "indirect-speech", "The minister",
     "blamed"),
    ("Officials blamed the fire on faulty wiring.", "indirect-speech", "Officials", "blamed"),
    ("The regulator deemed the drug unsafe.", "indirect-speech", "The regulator", "deemed"),
    # New reporting verbs.
    ("The agency stressed that the tests were safe.", "indirect-speech", "The agency",
     "stressed"),
    ("Economists estimates that growth will slow.", "indirect-speech", "Economists",
     "estimates"),
    ("Smith recalled that the door was open.", "indirect-speech", "Smith", "recalled"),
    ("The government defended the plan as necessary.", "indirect-speech", "The government",
     "defended"),
    ("The minister reiterated that the deal was off.", "indirect-speech", "The minister",
     "reiterated"),
    # Participles.
    ('The form "must be completed in English", the government recommending "online tools".',
     "direct-quote", "the government", "recommending"),
    ("The talks ended, with the government saying it would try again.", "indirect-speech",
     "the government", "saying"),
    ("The ministry issued a statement, saying the talks had failed.", "indirect-speech",
     "The ministry", "saying"),
    ("Citing privacy rules, the ministry refused to release the names.", "indirect-speech",
     "the ministry", "citing"),
    ("The ministry refused to release the names, citing privacy rules.", "indirect-speech",
     "The ministry", "citing"),
    # An infinitive of purpose.
    ("Mr. Bao approached Mr. Vohor at the time to complain that the flag was still flying.",
     "indirect-speech", "Mr. Bao", "to complain"),
    ("The envoy went on television to deny that troops had crossed.", "indirect-speech",
     "The envoy", "to deny"),
    # A colon introducing a quotation.
    ('Sunak defended the record: "We are working as quickly as possible on this."',
     "direct-quote", "Sunak", ":"),
]


@pytest.mark.parametrize(("text", "how", "source", "cue"), SECOND_ROUND)
def test_second_round_rules(text, how, source, cue):
    reading = read_one(text)
    assert reading.attributed
    assert (reading.how, reading.source, reading.cues[0]) == (how, source, cue)


SECOND_ROUND_FALSE_FRIENDS = [
    "The city saw a rise in crime as prices went up.",
    "As regards the budget, nothing has changed.",
    "The leader is widely seen as a reformer.",
    "The court considered the case on Monday.",
    "The union hopes to end the strike.",
    "The company expected profits to rise.",
    "The ministry is concerned about the outbreak.",
    "The body was found dead on Monday.",
    "Police found a bomb in the car.",
    "PM accused of assaulting envoy",
    "The PM was accused of assault.",
    "Nobody is to blame for the crash.",
    "The minister took the blame for the delays.",
    "The measures were deemed necessary.",
    "Drug deemed unsafe by regulator",
    "Smith recalled the ambassador.",
    "The government defended its record.",
    "The minister reiterated his commitment to the deal.",
    "Official estimates put the number at 300.",
    "The citing of sources is important.",
    "He was arrested for claiming benefits he was not entitled to.",
    "Sunak made migration a priority, with laws banning migrants from claiming asylum expected.",
    "The reporter asked him to confirm that the flag was still flying.",
    "The minister declined to say whether the flag was still flying.",
    "The minister is expected to announce that taxes will rise.",
    'The campaign has a slogan: "Make it count."',
]


@pytest.mark.parametrize("text", SECOND_ROUND_FALSE_FRIENDS)
def test_second_round_false_friends(text):
    assert not read_one(text).attributed


def test_personal_pronoun_skips_a_document_antecedent():
    readings = read_article(
        "The report's authors say iodine deficiency is common. The results revealed that "
        "children are deficient. They say iodised salt is the answer."
    )
    assert readings[2].source == "The report's authors"


def test_it_may_still_refer_to_a_document():
    readings = read_article("The report was published today. It said the schools had failed.")
    assert not readings[0].attributed
    readings = read_article("The report said schools had failed. It said pupils suffered.")
    assert readings[1].source == "The report"


# --------------------------------------------------------------------------- hedges

HEDGES = [
    ("Slaves reportedly fund luxuries for the Pyongyang administration.", ["reportedly"]),
    ("Montalvo allegedly left with the hard drives.", ["allegedly"]),
    ("Allegedly, his sister pleaded with him.", ["Allegedly"]),
    ("The practice has apparently been used since the 1980s.", ["apparently"]),
    ("The situation is believed to have worsened.", ["is believed"]),
    ("AS MANY as 100,000 people have been sent abroad.", ["AS MANY as"]),
    ("Police arrested up to 40 people.", ["up to"]),
    ("He walked up to the door.", []),
    ("The leader could be on the verge of a purge.", ["could"]),
    ("The vote may be delayed.", ["may"]),
    ("The vote might be delayed.", ["might"]),
    ("The vote will possibly be delayed.", ["possibly"]),
    ("Molecules are likely to remain.", ["likely"]),
    ("Police detained the suspected smugglers.", ["suspected"]),
    ("Two men were suspected of fraud.", ["suspected"]),
    ("The decline appears to be due to changes in the dairy industry.", ["appears"]),
    ("His position now seems precarious.", ["seems"]),
    ("The PM was accused of assaulting an envoy.", ["accused"]),
    # False friends.
    ("Talks began on May 4.", []),
    ("The election will be held in May.", []),
    ("In May the talks may resume.", ["may"]),
    ("The minister could not be reached for comment.", []),
    ("He couldn't find any of the required documents.", []),
    ("The claims come after a string of purges.", []),
    ("Activists suspect the money pays for luxury goods.", []),
    ("Activists suspected the money paid for luxury goods.", []),
]


@pytest.mark.parametrize(("text", "hedges"), HEDGES)
def test_writer_hedges(text, hedges):
    assert list(read_one(text).hedges) == hedges


def test_hedges_inside_a_direct_quote_belong_to_the_speaker():
    reading = read_one('Bennett said: "We might win, and it could rain."')
    assert reading.hedges == ()
    assert reading.quoted_hedges == ("might", "could")


def test_first_person_belief_inside_a_quote_is_the_speakers_hedge():
    reading = read_one('They added: "We suspect that Kim is using some of the money."')
    assert reading.quoted_hedges == ("suspect",)
    assert reading.hedges == ()


# --------------------------------------------------------------------------- loaded words

LOADED = [
    (
        "The 32-year-old cheese-loving dictator unleashed a series of purges.",
        ["cheese-loving", "dictator"],
    ),
    ("The North Korean dictator enjoys a lavish lifestyle.", ["dictator", "lavish"]),
    ("Jong-un, who was recently ridiculed for his hairstyle, ordered a campaign.", ["ridiculed"]),
    ("The regime is exploiting their labour.", ["regime"]),
    ("Montalvo read an article in the propaganda publication.", ["propaganda"]),
    ("The workers were sent abroad.", []),
    # A loaded word inside someone's quote is the speaker's word, not the writer's.
    ('Dewar said: "This regime is obsessed with secrecy."', []),
]


@pytest.mark.parametrize(("text", "loaded"), LOADED)
def test_loaded_words(text, loaded):
    assert list(read_one(text).loaded) == loaded


SCARE_QUOTES = [
    ("Other recipients of 'slaves' include China.", ["'slaves'"]),
    (
        'They work as "state-sponsered slaves", whose wages are confiscated.',
        ['"state-sponsered slaves"'],
    ),
    ('He called it "a textbook case of favoritism to a single defense contractor."', []),
    ("Thomas' sister pleaded with him.", []),
    ("The Workers\u2019 Party met.", []),
]


@pytest.mark.parametrize(("text", "quotes"), SCARE_QUOTES)
def test_scare_quotes(text, quotes):
    assert list(read_one(text).scare_quotes) == quotes


def test_scare_quoted_loaded_word_is_the_writers():
    assert read_one("Other recipients of 'slaves' include China.").loaded == ("slaves",)


# --------------------------------------------------------------------------- not a source

NOT_SOURCES = [
    (
        "Slaves reportedly fund luxuries for the Pyongyang administrationREUTERS",
        ("REUTERS", "photo-credit"),
    ),
    ("The leader at a parade (AP Photo)", ("AP Photo", "photo-credit")),
    ("Kim Jong-un inspects a factory. Getty Images", ("Getty Images", "photo-credit")),
    ("By Jane Doe", ("By Jane Doe", "byline")),
    ("Friday, August 15, 2008", ("Friday, August 15, 2008", "dateline")),
    ("The company declined to comment.", ("declined to comment", "no-comment")),
    (
        "The minister could not be reached for comment.",
        ("could not be reached for comment", "no-comment"),
    ),
    (
        "Ahn told the New York Times the regime was exploiting workers.",
        ("the New York Times", "recipient"),
    ),
]


@pytest.mark.parametrize(("text", "mark"), NOT_SOURCES)
def test_not_a_source(text, mark):
    reading = read_article(text, {1: "caption"})[0]
    assert mark in reading.not_source
    assert reading.source != mark[0]


def test_dateline_is_not_the_source():
    reading = read_one("SEOUL (Reuters) - North Korea fired a missile, officials said.")
    assert ("SEOUL (Reuters) -", "dateline") in reading.not_source
    assert reading.source == "officials"


def test_glued_credit_is_not_read_as_text():
    reading = read_article("The dictator enjoys a lavish lifestyleREUTERS", {1: "caption"})[0]
    assert not reading.attributed
    assert reading.loaded == ("dictator", "lavish")


# --------------------------------------------------------------------------- numbers


def test_numbers_carry_their_supplier():
    reading = read_one(
        "Activists named Russia as the largest recipient, with between 20,000 to 25,000 labourers."
    )
    assert reading.numbers == (("20,000", "Activists"), ("25,000", "Activists"))


def test_number_does_not_take_the_following_comma():
    assert read_one("Friday, August 21, 2015").numbers == (("21", None), ("2015", None))


def test_numbers_in_the_writers_voice_have_no_supplier():
    reading = read_one("The 32-year-old leader ordered the death of his uncle in 2013.")
    assert reading.numbers == (("32", None), ("2013", None))


# --------------------------------------------------------------------------- output


def test_to_dict_and_to_json_give_plain_data():
    readings = read_article("Activists say 100 people were sent abroad.REUTERS", {1: "caption"})
    data = json.loads(to_json(readings))
    assert data == [readings[0].to_dict()]
    assert data[0]["numbers"] == [{"text": "100", "supplied_by": "Activists"}]
    assert data[0]["not_source"] == [{"text": "REUTERS", "kind": "photo-credit"}]
    assert data[0]["how"] in HOWS
    assert data[0]["source_kind"] in SOURCE_KINDS


def test_format_text_reports_each_sentence():
    text = format_text(read_article("Slaves reportedly fund luxuriesREUTERS", {1: "caption"}))
    assert "  1 [caption] Slaves reportedly fund luxuriesREUTERS" in text
    assert "attributed: no" in text
    assert "hedges: reportedly" in text
    assert "loaded: Slaves" in text
    assert "not a source: REUTERS (photo-credit)" in text


# --------------------------------------------------------------------------- source matching

MATCHES = [
    ("Ahn Myeong-chul", "Ahn Myeong-chul, the head of NK Watch, a Seoul-based rights group", True),
    ("activists", "human rights activists", True),
    ("The BBC", "BBC", True),
    ('a "Senate aide"', "a Senate aide", True),
    ("NK Watch", "Ahn Myeong-chul, the head of NK Watch, a Seoul-based rights group", False),
    ("Experts", "a defense ministry spokesman", False),
    (None, "Experts", False),
]


@pytest.mark.parametrize(("predicted", "gold", "expected"), MATCHES)
def test_same_source(predicted, gold, expected):
    assert same_source(predicted, gold) is expected


# --------------------------------------------------------------------------- gold files


def load_gold(name):
    """Return a gold annotation file and the sentences of its article."""
    gold = yaml.safe_load((GOLD_DIR / name).read_text(encoding="utf-8"))
    raw = (GOLD_DIR / gold["article"]).resolve().read_text(encoding="utf-8")
    if gold["article"].endswith(".yaml"):
        raw = yaml.safe_load(raw)["text"]
    else:
        raw = raw.split("\n", 1)[1]
    return gold, raw


# held-out-2: the fourth round, fresh articles no rule writer has seen (read only as totals).
GOLD_SPLITS = {"bundled", "development", "held-out", "held-out-2"}
GOLD_FIELDS = {"attributed", "source", "source_kind", "cue", "hedges", "speaker_hedges", "note"}


def _words(value):
    """Tell whether *value* is a list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(h, str) and h for h in value)


def gold_problems(gold, text):
    """Return what is wrong with one gold file, as readable lines (empty when well-formed)."""
    problems = []
    sentences = split_article(text, gold["marks"])
    if len(sentences) != gold["sentence_count"]:
        problems.append(f"sentence_count {gold['sentence_count']}, splitter {len(sentences)}")
    if sorted(gold["sentences"]) != [s.number for s in sentences]:
        problems.append("sentence numbers differ from the splitter's")
    if gold["split"] not in GOLD_SPLITS:
        problems.append(f"split {gold['split']!r}")
    if gold.get("added", "third-round") not in {"third-round", "fourth-round"}:
        problems.append(f"added {gold['added']!r}")
    for number, entry in gold["sentences"].items():
        attributed = entry.get("attributed")
        ok = (
            set(entry) <= GOLD_FIELDS
            and {"attributed", "source", "source_kind", "hedges"} <= set(entry)
            and isinstance(attributed, bool)
            and attributed == isinstance(entry["source"], str)
            and entry["source_kind"] in ((*SOURCE_KINDS,) if attributed else (None,))
            and (entry.get("cue") is None or (attributed and isinstance(entry["cue"], str)))
            and _words(entry.get("hedges"))
            and _words(entry.get("speaker_hedges", []))
            and isinstance(entry.get("note", ""), str)
        )
        if not ok:
            problems.append(f"sentence {number}: {entry}")
    return problems


@pytest.mark.parametrize("name", sorted(p.name for p in GOLD_DIR.glob("*.yaml")))
def test_gold_file_is_well_formed(name):
    gold, text = load_gold(name)
    assert gold_problems(gold, text) == []


@pytest.mark.parametrize(
    "entry",
    [
        {"attributed": True, "source": None, "source_kind": None, "hedges": []},
        {"attributed": False, "source": None, "source_kind": "anonymous", "hedges": []},
        {"attributed": True, "source": "police", "source_kind": "crowd", "hedges": []},
        {"attributed": False, "source": None, "source_kind": None, "cue": "said", "hedges": []},
        {"attributed": False, "source": None, "source_kind": None, "hedges": "may"},
        {"attributed": False, "source": None, "source_kind": None, "hedges": [], "hedge": []},
    ],
)
def test_gold_check_names_a_malformed_sentence(entry):
    gold, text = load_gold("wikinews_2012_chile_students_detained.yaml")
    gold["sentences"][2] = entry
    assert gold_problems(gold, text) == [f"sentence 2: {entry}"]


def test_gold_check_names_a_drifted_sentence_count():
    gold, text = load_gold("wikinews_2012_chile_students_detained.yaml")
    gold["sentence_count"] += 1
    assert gold_problems(gold, text) == ["sentence_count 5, splitter 4"]


def test_third_round_collection_is_split_in_half():
    golds = [load_gold(p.name)[0] for p in sorted(GOLD_DIR.glob("*.yaml"))]
    added = [g for g in golds if g.get("added") == "third-round"]
    assert len(added) >= 20
    splits = [g["split"] for g in added]
    assert splits.count("development") == splits.count("held-out")


def test_gold_check_names_an_unknown_split():
    gold, text = load_gold("wikinews_2012_chile_students_detained.yaml")
    gold["split"] = "held-out-3"
    assert gold_problems(gold, text) == ["split 'held-out-3'"]


def test_fourth_round_collection_is_all_held_out_2():
    golds = [load_gold(p.name)[0] for p in sorted(GOLD_DIR.glob("*.yaml"))]
    added = [g for g in golds if g.get("added") == "fourth-round"]
    assert len(added) >= 8
    assert {g["split"] for g in added} == {"held-out-2"}
    assert all(g.get("added") == "fourth-round" for g in golds if g["split"] == "held-out-2")


BUNDLED_GOLD, BUNDLED_TEXT = load_gold("north-korea-overseas-workers.yaml")
BUNDLED_READINGS = read_article(BUNDLED_TEXT, BUNDLED_GOLD["marks"])


@pytest.mark.parametrize("number", sorted(BUNDLED_GOLD["sentences"]))
def test_bundled_article_sentence(number):
    gold = BUNDLED_GOLD["sentences"][number]
    reading = BUNDLED_READINGS[number - 1]
    assert reading.number == number
    assert reading.attributed == gold["attributed"]
    assert same_source(reading.source, gold["source"])
    assert reading.source_kind == gold["source_kind"]
    assert [h.lower() for h in reading.hedges] == [h.lower() for h in gold["hedges"]]


def test_bundled_article_reads_as_the_quiz_expects():
    by_number = {r.number: r for r in BUNDLED_READINGS}
    assert len(BUNDLED_READINGS) == 24
    for number in (3, 13):  # captions glued to the photo credit
        assert ("REUTERS", "photo-credit") in by_number[number].not_source
    assert all("REUTERS" not in (r.source or "") for r in BUNDLED_READINGS)
    assert by_number[6].source.startswith("Ahn Myeong-chul, the head of NK Watch")
    assert ("the New York Times", "recipient") in by_number[6].not_source
    assert by_number[7].quoted_hedges == ("suspect",)
    assert by_number[11].how == "document"
    assert by_number[12].how == "quote-continuation"
    assert by_number[17].how == "document"
    assert by_number[15].scare_quotes == ("'slaves'",)
    assert by_number[22].loaded == ("cheese-loving", "dictator", "reclusive")
    assert by_number[20].cues == ("indicated",)


def test_read_article_command_prints_each_sentence(runner, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["text"], encoding="utf-8")
    plain = runner.invoke(args=["read-article", str(path)])
    as_json = runner.invoke(args=["read-article", str(path), "--json"])
    assert plain.exit_code == 0 and as_json.exit_code == 0
    assert "source: human rights activists [vague-group]" in plain.output
    rows = json.loads(as_json.output)
    assert len(rows) == 24
    second = rows[1]
    assert second["attributed"] is True and second["source"] == "human rights activists"
    assert {"text", "how", "source_kind", "cues", "hedges", "loaded", "not_source"} <= set(second)
    reuters = next(r for r in rows if r["text"].endswith("REUTERS"))
    assert reuters["attributed"] is False and reuters["not_source"]
