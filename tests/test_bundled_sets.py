"""The bundled question sets: complete, explained, and scored right through the real quiz."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quiz import create_app, questionsets, questiontypes, scoring, setchecks
from quiz.cli import prepare
from tests.helpers import ROOT, Student

FILES = sorted((ROOT / "questions").glob("*.yaml"))
SETS = {path.stem: questionsets.load_file(path) for path in FILES}
SKILLS = set(questionsets.SKILLS)


def test_every_file_is_a_bundled_set_named_by_its_id():
    # Counted by file: sets are added (a parallel form, a fifth topic) without a literal here.
    assert len(SETS) == len(FILES) >= 5
    assert all(doc["id"] == name for name, doc in SETS.items())
    assert SETS["who-says-so-b"]["article"] == SETS["who-says-so"]["article"]


def test_the_upstream_set_points_into_every_text_it_carries():
    """Evidence reaches into the excerpts, and every excerpt is cited at least once."""
    doc = SETS["follow-the-claim-upstream"]
    sentences = doc["article"]["sentences"]
    cited = {n for q in doc["questions"] for n in q["evidence"]}
    cited |= {p["sentence"] for q in doc["questions"] for p in q.get("answers", [])
              if p.get("sentence")}
    cited |= {n for q in doc["questions"] for s in q.get("statements", [])
              for n in s.get("evidence", [])}
    labels = {sentences[n - 1].get("excerpt") for n in cited}
    assert labels >= {t["label"] for t in doc["texts"]} == set("BCDEFGH")
    assert all(t["url"] and (t["date"] or t["date_note"]) for t in doc["texts"])
    evidence = [q for q in doc["questions"] if q["type"] == "evidence"]
    assert all(sentences[a["sentence"] - 1].get("excerpt") for q in evidence
               for a in q["answers"])


@pytest.mark.parametrize("name", SETS)
def test_set_has_8_to_12_questions_an_intro_and_takeaways(name):
    doc = SETS[name]
    assert 8 <= len(doc["questions"]) <= 12
    assert 2 <= doc["intro"].count(".") + doc["intro"].count("?") <= 6  # 2-4 sentences
    assert doc["takeaways"]


@pytest.mark.parametrize("name", SETS)
def test_every_set_has_an_evidence_question(name):
    assert any(q["type"] == "evidence" for q in SETS[name]["questions"])


def test_every_type_is_used_at_least_twice_across_the_sets():
    counts = Counter(q["type"] for doc in SETS.values() for q in doc["questions"])
    assert all(counts[t] >= 2 for t in questiontypes.REGISTRY), counts


def test_difficulties_and_skills_are_spread():
    questions = [q for doc in SETS.values() for q in doc["questions"]]
    assert {q["difficulty"] for q in questions} == {"easy", "medium", "hard"}
    assert {q["skill"] for q in questions} == SKILLS


@pytest.mark.parametrize("name", SETS)
def test_every_part_has_its_own_explanation_and_real_evidence(name):
    doc = SETS[name]
    n = len(doc["article"]["sentences"])
    for q in doc["questions"]:
        parts = [p for key in ("options", "statements", "items", "answers", "distractors",
                               "wrong_answers") for p in q.get(key, [])]
        assert parts, q["id"]
        assert all(p["explanation"] and len(p["explanation"]) > 15 for p in parts), q["id"]
        cited = q["evidence"] + [p.get("sentence") for p in parts if p.get("sentence")]
        assert all(1 <= s <= n for s in cited), q["id"]


def test_fact_claim_set_holds_established_facts():
    statements = [s for q in SETS["fact-claim-opinion"]["questions"]
                  for s in q.get("statements", [])]
    labels = Counter(s["label"] for s in statements)
    # Doubting everything must not win: facts are as common as claims.
    assert labels["fact"] >= 3 and labels["claim"] >= 3


def test_all_sets_share_the_article_faithful_to_the_capture():
    capture = Path(ROOT.parent / "shared/article/north-korea-overseas-workers.txt")
    texts = {doc["article"]["text"].rstrip("\n") for doc in SETS.values()}
    assert len(texts) == 1
    if capture.exists():
        assert texts.pop() == capture.read_text(encoding="utf-8").rstrip("\n")
    article = next(iter(SETS.values()))["article"]
    assert article["outlet"] == "Daily Express" and article["date"] is None
    assert "not given" in article["date_note"]


def _texts_shown(doc: dict):
    """Yield (where, text, sentences it is about) for the intro, takeaways, prompts and
    explanations of *doc*; the intro and takeaways are about no sentence in particular."""
    yield "intro", doc.get("intro") or "", set()
    for takeaway in doc.get("takeaways") or []:
        yield "takeaways", takeaway, set()
    for q in doc["questions"]:
        about = set(q.get("evidence") or [])
        yield f"{q['id']} prompt", q["prompt"], about
        yield f"{q['id']} explanation", q.get("explanation") or "", about
        for key in ("options", "answers", "wrong_answers", "statements", "items", "distractors"):
            for part in q.get(key) or []:
                own = set(part.get("evidence") or []) | (
                    {part["sentence"]} if part.get("sentence") else set())
                yield f"{q['id']} {key}", part.get("explanation") or "", own or about


@pytest.mark.parametrize(("one", "other"), [("who-says-so", "who-says-so-b"),
                                            ("who-says-so-b", "who-says-so")])
def test_one_form_never_prints_the_other_forms_typed_answers(one, other):
    """Either form may be the pre-test: what it shows must not answer the other's questions.

    A typed answer is what a recall question tests, so the other form's intro, takeaways,
    prompts and explanations never print it, except where they are about the same sentence
    as the question (then both forms ask about that sentence, and its text is in the article).
    """
    leaks = []
    for q in SETS[other]["questions"]:
        if not questiontypes.kind_of(q).typed_key:
            continue
        for _, answer in questiontypes.kind_of(q).key_texts(q):
            needle = setchecks.normalise(answer)
            if len(needle) < setchecks.MIN_LEAK_LENGTH:
                continue
            for where, text, about in _texts_shown(SETS[one]):
                if about & set(q.get("evidence") or []):
                    continue
                if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", setchecks.normalise(text)):
                    leaks.append(f"{one} {where} prints {other} {q['id']}'s answer {answer!r}")
    assert leaks == []


@pytest.mark.parametrize("name", SETS)
def test_bundled_set_gives_no_answer_away(name):
    assert [str(f) for f in setchecks.findings(SETS[name])] == []


def test_check_questions_prints_give_aways_as_warnings(tmp_path):
    """A planted leak is printed by check-questions, and the bundled sets print none."""
    raw = yaml.safe_load((ROOT / "questions/follow-the-sourcing.yaml").read_text("utf-8"))
    raw["article"] = yaml.safe_load(
        (ROOT / "questions/articles/north-korea-overseas-workers.yaml").read_text("utf-8"))
    raw["intro"] += " Ahn spoke to the New York Times."
    (tmp_path / "leaky.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    runner = create_app({"TESTING": True, "SECRET_KEY": "t"}).test_cli_runner()
    leaky = runner.invoke(args=["check-questions", str(tmp_path)])
    assert leaky.exit_code == 0, leaky.output  # a warning, not a problem
    assert ("warning: follow-the-sourcing: question fs-nyt: answers 2: the answer 'New York "
            "Times' is printed in the set's intro") in leaky.output
    bundled = runner.invoke(args=["check-questions", str(ROOT / "questions")])
    assert bundled.exit_code == 0 and "warning" not in bundled.output, bundled.output
    assert bundled.output.count("ok: ") == len(SETS)


@pytest.fixture(scope="module")
def bundled_app(tmp_path_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "t",
                      "DATABASE": str(tmp_path_factory.mktemp("db") / "b.sqlite"),
                      "QUESTIONS_DIR": str(ROOT / "questions")})
    prepare(app)
    return app


def wrong_answer(q: dict):
    """Return an answer that earns no point."""
    kind = q["type"]
    if kind == "choice":
        return next(o["id"] for o in q["options"] if not o["correct"])
    if kind in ("multi", "evidence"):
        return []
    if kind == "classify":
        labels = [lab["id"] for lab in q["labels"]]
        return {s["id"]: next(lab for lab in labels if lab != s["label"]) for s in q["statements"]}
    if kind == "order":
        n = len(q["items"])
        return {item["id"]: n - i for i, item in enumerate(q["items"])}
    return "certainly not this"


def fields(doc: dict, answer_of) -> dict:
    out = {}
    for q in doc["questions"]:
        out.update(scoring.form_fields(q, answer_of(q)))
    return out


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize(("answer_of", "percent"), [(scoring.key_answer, "100%"),
                                                    (wrong_answer, "(0%)")])
def test_set_scores_full_and_zero_through_the_quiz(bundled_app, name, answer_of, percent):
    student = Student(bundled_app.test_client())
    doc = SETS[name]
    student.start(doc["id"])
    response = student.submit(fields(doc, answer_of), slug=doc["id"])
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    html = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert percent in html
    text = re.sub(r"<[^>]+>", "", html)  # "sentence N" in an explanation is a link
    for q in doc["questions"]:
        assert q["explanation"] in text.replace("&#34;", '"').replace("&#39;", "'")
