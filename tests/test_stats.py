"""Score summaries: every figure against a small class computed by hand, and who may see it.

The class: five students answer the all-types set (6 questions, 7 points) once; then Ben,
Cat (twice) and Dan try again. Points per question of the FIRST attempts, by hand:

            choice  multi  classify  evidence  order   text   total   score
    (max)      1      2       1         1        1      1       7
    Ann        1      2       1         1        0      1       6     0.8571
    Ben        1      1      0.5        0        1      0      3.5    0.5
    Cat        0      1      0.5        0        0      -      1.5    0.2143
    Dan        0      -      0.5        -        1      0      1.5    0.2143
    Eve        1      2       1         0      0.6667   1     5.6667  0.8095
    ("-": left blank)

Retries: Ben 7/7; Cat 3/7 then 3/7 again (best = the earlier of the two); Dan 1/7.
"""

from __future__ import annotations

import csv
import io
import json
import math
from statistics import NormalDist, correlation

import pytest

from quiz import analysis, caches, exports, queries, transactions
from quiz.db import connect
from quiz.views.summaries import compute_summary, grid_students
from tests.helpers import soup

ANSWERS = {
    "Ann": {"q-choice": "a", "q-multi": ["a", "b"], "q-classify": {"s1": "fact", "s2": "claim"},
            "q-evidence": [4, 5], "q-order": {"vote": 3, "mayor": 2, "paper": 1},
            "q-text": "Test Gazette"},
    "Ben": {"q-choice": "a", "q-multi": ["a"], "q-classify": {"s1": "claim", "s2": "claim"},
            "q-evidence": [3, 4], "q-order": {"vote": 1, "mayor": 2, "paper": 3},
            "q-text": "AP"},
    "Cat": {"q-choice": "b", "q-multi": ["a", "b", "c"],
            "q-classify": {"s1": "fact", "s2": "fact"}, "q-evidence": [2],
            "q-order": {"vote": 3, "mayor": 2, "paper": 1}, "q-text": None},
    "Dan": {"q-choice": "b", "q-multi": [], "q-classify": {"s1": "fact", "s2": "fact"},
            "q-evidence": [], "q-order": {"vote": 1, "mayor": 2, "paper": 3}, "q-text": "ap"},
    "Eve": {"q-choice": "a", "q-multi": ["a", "b"], "q-classify": {"s1": "fact", "s2": "claim"},
            "q-evidence": [3], "q-order": {"vote": 1, "mayor": 3, "paper": 2},
            "q-text": "test gazette"},
}
ALL_RIGHT = {"q-choice": "a", "q-multi": ["a", "b"], "q-classify": {"s1": "fact", "s2": "claim"},
             "q-evidence": [4, 5], "q-order": {"vote": 1, "mayor": 2, "paper": 3},
             "q-text": "Test Gazette"}
RETRIES = [
    ("Ben", ALL_RIGHT),
    ("Cat", {"q-choice": "a", "q-multi": ["a", "b"]}),
    ("Cat", {"q-choice": "a", "q-multi": ["a", "b"], "q-text": "AP"}),
    ("Dan", {"q-choice": "a"}),
]
FIRST_POINTS = {"Ann": 6, "Ben": 3.5, "Cat": 1.5, "Dan": 1.5, "Eve": 5.6667}
TITLE = "Every type <em>once</em>"  # the title of tests/data/all-types.yaml
QUESTION_IDS = ["q-choice", "q-multi", "q-classify", "q-evidence", "q-order", "q-text"]


def login(client, teacher_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(teacher_id)
        session["_fresh"] = True


def build_school(app) -> dict:
    """Two teachers; the owner's class with the hand-computed attempts; its ids."""
    db = connect(app.config["DATABASE"])
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
        other = queries.insert_teacher(db, "other", "not-a-hash")
    class_id = transactions.create_class(db, owner, "7B")
    other_class = transactions.create_class(db, owner, "7C")
    row = queries.set_by_slug(db, "all-types")
    document = caches.shared_document(db, row)
    with db:
        queries.replace_class_sets(db, class_id, [row["id"]])
        queries.replace_class_sets(db, other_class, [row["id"]])
    tokens: dict[str, list[str]] = {}

    def attempt(klass: int, name: str, answers: dict) -> None:
        student_id = transactions.join_class(db, klass, name)
        full = {q: answers.get(q) for q in QUESTION_IDS}
        key = f"k{len(tokens)}-{sum(map(len, tokens.values()))}"
        token = transactions.record_attempt(db, row["version_id"], document, full, name, key,
                                     class_id=klass, student_id=student_id)
        tokens.setdefault(name, []).append(token)

    for name, answers in ANSWERS.items():
        attempt(class_id, name, answers)
    for name, answers in RETRIES:
        attempt(class_id, name, answers)
    attempt(other_class, "Zed", ALL_RIGHT)  # another class: never counted in 7B
    with db:  # one day apart, in order: 2024-05-01 ... 2024-05-09 (Zed on the 10th)
        for day, attempt_id in enumerate(
                [r[0] for r in db.execute("SELECT id FROM attempt ORDER BY id")], start=1):
            db.execute("UPDATE attempt SET created_at = ? WHERE id = ?",
                       (f"2024-05-{day:02d}T09:00:00Z", attempt_id))
    students = {r["name"]: r["id"] for r in queries.roster(db, class_id)}
    return {"owner": owner, "other": other, "class_id": class_id, "set_id": row["id"],
            "code": queries.class_by_id(db, class_id)["code"], "tokens": tokens,
            "students": students, "document": document, "db": db, "app": app}


@pytest.fixture(scope="module")
def school(app_maker, tmp_path_factory):
    """The class, built once for the tests that only read it."""
    school = build_school(app_maker(tmp_path_factory.mktemp("school")))
    yield school
    school["db"].close()


@pytest.fixture
def own_school(app):
    """The class, built afresh for a test that changes it."""
    school = build_school(app)
    yield school
    school["db"].close()


@pytest.fixture
def client(school):
    """A client of the read-only class's app."""
    return school["app"].test_client()


@pytest.fixture
def runner(school):
    return school["app"].test_cli_runner()





def summary(school, pick="first") -> analysis.SetSummary:
    return compute_summary(school["db"], school["class_id"], school["set_id"],
                             school["document"], pick)


# The figures -------------------------------------------------------------------------------

@pytest.mark.parametrize(("pick", "mean", "median", "low", "high"), [
    ("first", (6 + 3.5 + 1.5 + 1.5 + 5.6667) / 35, 3.5 / 7, 1.5 / 7, 6 / 7),
    ("best", (6 + 7 + 3 + 1.5 + 5.6667) / 35, (17 / 3) / 7, 1.5 / 7, 1.0),
    ("latest", (6 + 7 + 3 + 1 + 5.6667) / 35, (17 / 3) / 7, 1 / 7, 1.0),
    # every attempt: 1, 1.5, 1.5, 3, 3, 3.5, 5.67, 6, 7 points of 7 (the median is the 5th)
    ("all", (6 + 3.5 + 1.5 + 1.5 + 5.6667 + 7 + 3 + 3 + 1) / 63, 3 / 7, 1 / 7, 1.0),
])
def test_overview(school, pick, mean, median, low, high):
    o = summary(school, pick).overview
    assert o["students"] == 5 and o["attempts"] == 9
    assert o["mean"] == pytest.approx(mean, abs=1e-6)
    assert o["median"] == pytest.approx(median, abs=1e-6)
    assert o["min"] == pytest.approx(low) and o["max"] == pytest.approx(high)
    assert (o["first_at"], o["last_at"]) == ("2024-05-01T09:00:00Z", "2024-05-09T09:00:00Z")


@pytest.mark.parametrize(("pick", "bins"), [
    # 6/7 = 86 %, 3.5/7 = 50 % (the boundary goes up), 1.5/7 = 21 % twice, 5.67/7 = 81 %
    ("first", [0, 0, 2, 0, 0, 1, 0, 0, 2, 0]),
    # 100 % goes in the last bin; Cat 3/7 = 43 %
    ("best", [0, 0, 1, 0, 1, 0, 0, 0, 2, 1]),
    ("latest", [0, 1, 0, 0, 1, 0, 0, 0, 2, 1]),
    ("all", [0, 1, 2, 0, 2, 1, 0, 0, 2, 1]),
])
def test_histogram(school, pick, bins):
    assert summary(school, pick).histogram == bins


@pytest.mark.parametrize(("points", "max_points", "expected_bin"), [
    (0, 7, 0), (0.69999, 7, 0), (0.7, 7, 1), (0.2, 2, 1), (6.3, 7, 9), (6.29, 7, 8),
    (7, 7, 9), (3.5, 7, 5), (1, 3, 3), (2, 3, 6),
])
def test_histogram_bin_edges(app, db, points, max_points, expected_bin):
    with db:
        teacher = queries.insert_teacher(db, "t", "x")
        class_id = queries.insert_class(db, teacher, "c", "EDGES2")
        student = queries.insert_student(db, class_id, "s")
        row = queries.set_by_slug(db, "all-types")
        queries.insert_attempt(db, token="t", submit_key="k", version_id=row["version_id"],
                               student_name="s", points=points, max_points=max_points,
                               class_id=class_id, student_id=student)
    document = caches.document_of(queries.class_set(db, class_id, row["id"]))
    counts = compute_summary(db, class_id, row["id"], document, "first").histogram
    assert counts[expected_bin] == 1 and sum(counts) == 1


def _hand_discrimination(index: int) -> float:
    """Item-rest r computed from the table in this file's docstring, independently."""
    points = {"Ann": [1, 2, 1, 1, 0, 1], "Ben": [1, 1, .5, 0, 1, 0], "Cat": [0, 1, .5, 0, 0, 0],
              "Dan": [0, 0, .5, 0, 1, 0], "Eve": [1, 2, 1, 0, 2 / 3, 1]}
    top = [1, 2, 1, 1, 1, 1]
    x = [p[index] / top[index] for p in points.values()]
    y = [(sum(p) - p[index]) / (7 - top[index]) for p in points.values()]
    return correlation(x, y)


# number, facility (by hand), discrimination (item-rest r, by hand), right/partly/wrong/blank,
# flagged
QUESTIONS = [
    ("q-choice", 3 / 5, 0.8247, (3, 0, 2, 0), []),
    ("q-multi", 6 / 10, 0.7613, (2, 2, 0, 1), []),
    ("q-classify", 3.5 / 5, 0.9031, (2, 3, 0, 0), []),
    ("q-evidence", 1 / 5, 0.4534, (1, 0, 3, 1), ["very hard (facility below 0.3)"]),
    ("q-order", 2.6667 / 5, -0.4105, (2, 1, 2, 0),
     ["does not separate stronger from weaker students (discrimination below 0.2)"]),
    ("q-text", 2 / 5, 0.8707, (2, 0, 2, 1), []),
]


@pytest.mark.parametrize(("index", "case"), list(enumerate(QUESTIONS)))
def test_item_analysis(school, index, case):
    qid, facility, discrimination, verdicts, flags = case
    q = summary(school).questions[index]
    assert q.question["id"] == qid and q.number == index + 1 and q.n == 5
    assert q.facility == pytest.approx(facility, abs=1e-4)
    assert q.discrimination == pytest.approx(discrimination, abs=1e-4)
    assert q.discrimination == pytest.approx(_hand_discrimination(index), abs=1e-6)
    assert (q.right, q.partly, q.wrong, q.blank) == verdicts
    assert q.flags == flags


@pytest.mark.parametrize(("qid", "chosen"), [
    ("q-choice", [("The mayor", 3, True), ("Jo Bloggs", 2, False), ("AP", 0, False)]),
    ("q-multi", [("as many as", 4, True), ("reportedly", 3, True), ("voted", 1, False),
                 ("old", 0, False)]),
    ("q-evidence", [("Sentence 3", 2, False), ("Sentence 4", 2, True), ("Sentence 5", 1, True),
                    ("Sentence 2", 1, False)]),
    ("q-text", [("AP", 2, False), ("Test Gazette", 2, True)]),  # folded as scoring folds
])
def test_how_often_each_option_was_chosen(school, qid, chosen):
    q = next(s for s in summary(school).questions if s.question["id"] == qid)
    assert [(c["text"], c["n"], c["right"]) for c in q.choices] == chosen
    assert q.choices[0]["share"] == pytest.approx(chosen[0][1] / 5)


@pytest.mark.parametrize(("qid", "part", "chosen"), [
    ("q-classify", 0, [("Verified fact", 4, True), ("Attributed claim", 1, False)]),
    ("q-classify", 1, [("Verified fact", 2, False), ("Attributed claim", 3, True)]),
    ("q-order", 0, [("Position 1", 3, True), ("Position 2", 0, False), ("Position 3", 2, False)]),
    ("q-order", 2, [("Position 1", 2, False), ("Position 2", 1, False), ("Position 3", 2, True)]),
])
def test_how_often_each_label_or_place_was_given(school, qid, part, chosen):
    q = next(s for s in summary(school).questions if s.question["id"] == qid)
    assert [(c["text"], c["n"], c["right"]) for c in q.parts[part]["choices"]] == chosen


@pytest.mark.parametrize(("qid", "answer", "n"), [
    ("q-choice", "Jo Bloggs", 2),
    ("q-multi", None, 0),  # Ben's and Cat's answers were partly right: not wrong answers
    ("q-classify", "“The work will cost as many as 2 million pounds.” labelled Verified fact", 2),
    ("q-evidence", "Sentence 2", 1),
    ("q-order", "The Gazette reports → The mayor speaks → The council votes", 2),
    ("q-text", "AP", 2),
])
def test_most_common_wrong_answer(school, qid, answer, n):
    q = next(s for s in summary(school).questions if s.question["id"] == qid)
    assert (q.common_wrong, q.common_wrong_n) == (answer, n)


def test_skill_scores(school):
    got = {k["skill"]: k["score"] for k in summary(school).skills}
    assert got == pytest.approx({"source": 0.6, "hedging": 0.6, "fact-vs-claim": 0.7,
                                 "attribution": 0.2, "sourcing-chain": (2 + 2 / 3) / 5,
                                 "verification": 0.4})


def test_class_discernment(school):
    d = summary(school).discernment
    # s1 is a fact: Ben called it a claim. s2 is a claim: Cat and Dan called it a fact.
    assert (d.facts, d.facts_right, d.facts_doubted) == (5, 4, 1)
    assert (d.claims, d.claims_right, d.claims_as_fact) == (5, 3, 2)
    z = NormalDist().inv_cdf
    assert d.bias == pytest.approx(-(z(4.5 / 6) + z(2.5 / 6)) / 2)
    assert d.bias == pytest.approx(-0.2320, abs=1e-4)
    assert d.leaning == "credulous"
    assert d.d_prime == pytest.approx(z(4.5 / 6) - z(2.5 / 6))
    assert d.bias_interval.low < -0.2 < d.bias_interval.high
    assert d.class_leaning == "not clear yet"


@pytest.mark.parametrize(("name", "bias", "leaning"), [
    ("Ann", 0.0, "balanced"),          # H = F' : (1.5/2, 0.5/2)
    ("Ben", 0.6745, "over-sceptical"),  # doubted the fact, believed no claim
    ("Cat", -0.6745, "credulous"),      # took the claim for a fact
])
def test_each_students_discernment(school, name, bias, leaning):
    db = school["db"]
    attempt = queries.attempt_by_token(db, school["tokens"][name][0])
    d = analysis.attempt_discernment(school["document"], queries.responses(db, attempt["id"]))
    assert d.bias == pytest.approx(bias, abs=1e-4) and d.leaning == leaning


def test_grid_picks_one_attempt_per_student(school):
    db, ids = school["db"], school
    rows = {s.name: s for s in grid_students(db, ids["class_id"], ids["set_id"], "best")}
    assert list(rows) == ["Ann", "Ben", "Cat", "Dan", "Eve"]
    assert rows["Cat"].token == school["tokens"]["Cat"][1]  # the earlier of two equal bests
    assert rows["Cat"].attempts == 3
    assert rows["Dan"].token == school["tokens"]["Dan"][0]  # his first was his best
    assert [rows["Ben"].cells[q][0] for q in QUESTION_IDS] == ["right"] * 6
    assert [rows["Cat"].cells[q][0] for q in QUESTION_IDS] == [
        "right", "right", "blank", "blank", "blank", "blank"]


# CSV ---------------------------------------------------------------------------------------

def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads it as UTF-8
    text = body[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_grid_csv(client, school):
    login(client, school["owner"])
    response = client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                          f"{school['set_id']}/students.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert rows[0] == ["Student", "Attempt", "Attempts", "Date (UTC)", "Points", "Max points",
                       "Percent", "Q1 q-choice (1 pt)", "Q2 q-multi (2 pt)",
                       "Q3 q-classify (1 pt)", "Q4 q-evidence (1 pt)", "Q5 q-order (1 pt)",
                       "Q6 q-text (1 pt)"]
    # Blank is an empty cell, wrong is 0.
    assert rows[1:] == [
        ["Ann", "first", "1", "2024-05-01 09:00:00", "6.0", "7.0", "85.7",
         "1.0", "2.0", "1.0", "1.0", "0.0", "1.0"],
        ["Ben", "first", "2", "2024-05-02 09:00:00", "3.5", "7.0", "50.0",
         "1.0", "1.0", "0.5", "0.0", "1.0", "0.0"],
        ["Cat", "first", "3", "2024-05-03 09:00:00", "1.5", "7.0", "21.4",
         "0.0", "1.0", "0.5", "0.0", "0.0", ""],
        ["Dan", "first", "2", "2024-05-04 09:00:00", "1.5", "7.0", "21.4",
         "0.0", "", "0.5", "", "1.0", "0.0"],
        ["Eve", "first", "1", "2024-05-05 09:00:00", "5.6667", "7.0", "81.0",
         "1.0", "2.0", "1.0", "0.0", "0.6667", "1.0"],
    ]


def test_questions_csv(client, school):
    login(client, school["owner"])
    rows = read_csv(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                               f"{school['set_id']}/questions.csv").data)
    assert rows[0][:9] == ["Number", "Question id", "Type", "Skill", "Question", "Points",
                           "Answered", "Facility", "Discrimination (item-rest r)"]
    by_id = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert list(by_id) == QUESTION_IDS
    assert by_id["q-order"]["Facility"] == "0.533"
    assert by_id["q-order"]["Discrimination (item-rest r)"] == "-0.41"  # -0.4105: a number
    assert by_id["q-order"]["Look at it because"].startswith("does not separate")
    assert by_id["q-choice"]["Most common wrong answer"] == "Jo Bloggs"
    assert by_id["q-choice"]["Given by"] == "2"
    assert by_id["q-multi"]["Right"] == "2" and by_id["q-multi"]["Blank"] == "1"


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Ada =1", "Ada =1"),
    ("", ""),
    (-0.25, -0.25),  # numbers are numbers: a negative discrimination stays a number
    (3, 3),
])
def test_safe_cell(value, cell):
    assert exports.safe_cell(value) == cell


def test_csv_neutralises_formulas_in_names(own_school):
    school, client = own_school, own_school["app"].test_client()
    db = school["db"]
    document = school["document"]
    row = queries.set_by_slug(db, "all-types")
    student_id = transactions.join_class(db, school["class_id"], "=1+1")
    transactions.record_attempt(db, row["version_id"], document, dict.fromkeys(QUESTION_IDS),
                         "=1+1", "evil", class_id=school["class_id"], student_id=student_id)
    login(client, school["owner"])
    rows = read_csv(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                               f"{school['set_id']}/students.csv").data)
    assert rows[1][0] == "'=1+1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r
                   if not cell.lstrip("-").replace(".", "").isdigit())


def test_class_scores_csv(client, school):
    login(client, school["owner"])
    rows = read_csv(client.get(
        f"/teacher/classes/{school['class_id']}/summary/scores.csv?pick=latest").data)
    assert rows[0] == ["Student", "Set", "Set id", "Version", "Attempt", "Attempts",
                       "Date (UTC)", "Points", "Max points", "Percent"]
    # The set by its title, its id in a column of its own (issue 15).
    assert {(r[1], r[2]) for r in rows[1:]} == {(TITLE, "all-types")}
    assert [(r[0], r[5], r[7]) for r in rows[1:]] == [
        ("Ann", "1", "6.0"), ("Ben", "2", "7.0"), ("Cat", "3", "3.0"), ("Dan", "2", "1.0"),
        ("Eve", "1", "5.6667")]


@pytest.mark.parametrize(("args", "url"), [
    (["--set", "all-types"], "sets/{set_id}/students.csv"),
    (["--set", "all-types", "--pick", "best"], "sets/{set_id}/students.csv?pick=best"),
    (["--set", "all-types", "--pick", "all"], "sets/{set_id}/students.csv?pick=all"),
    (["--set", "all-types", "--questions", "--pick", "all"],
     "sets/{set_id}/questions.csv?pick=all"),
    (["--pick", "all"], "scores.csv?pick=all"),
    (["--set", "all-types", "--questions"], "sets/{set_id}/questions.csv"),
    ([], "scores.csv"),
])
def test_export_command_writes_the_same_csv(client, runner, school, args, url):
    login(client, school["owner"])
    web = client.get(f"/teacher/classes/{school['class_id']}/summary/"
                     + url.format(set_id=school["set_id"])).data
    result = runner.invoke(args=["export-results", "--class", school["code"].lower(), *args])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == web


@pytest.mark.parametrize(("args", "message"), [
    (["--class", "NOPE22"], "No class has the code"),
    (["--class", "{code}", "--set", "nope"], "has no set 'nope'"),
    (["--class", "{code}", "--questions"], "--questions needs --set"),
])
def test_export_command_refuses_unknown_names(runner, school, args, message):
    result = runner.invoke(args=["export-results", *[a.format(code=school["code"])
                                                     for a in args]])
    assert result.exit_code == 1 and message in result.output


# Who may see what --------------------------------------------------------------------------

PAGES = [
    "/teacher/classes/{c}/summary/",
    "/teacher/classes/{c}/summary/scores.csv",
    "/teacher/classes/{c}/summary/sets/{s}",
    "/teacher/classes/{c}/summary/sets/{s}?pick=latest",
    "/teacher/classes/{c}/summary/sets/{s}/students",
    "/teacher/classes/{c}/summary/sets/{s}/students.csv",
    "/teacher/classes/{c}/summary/sets/{s}/questions.csv",
    "/teacher/classes/{c}/summary/students/{st}",
    "/teacher/classes/{c}/summary/attempts/{t}",
]


def _url(page: str, school) -> str:
    return page.format(c=school["class_id"], s=school["set_id"],
                       st=school["students"]["Ben"], t=school["tokens"]["Ben"][0])


# Anonymous visitors are sent to sign in: tests/test_attacks.py walks every teacher route.
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "status"), [("other", 404), ("owner", 200)])
def test_access(client, school, page, who, status):
    login(client, school[who])
    assert client.get(_url(page, school)).status_code == status


@pytest.mark.parametrize("page", [
    "/teacher/classes/{c}/summary/sets/999",
    "/teacher/classes/{c}/summary/sets/{s}?pick=worst",
    "/teacher/classes/{c}/summary/sets/{s}/students?page=2",
    "/teacher/classes/{c}/summary/students/{zed}",   # a student of another class
    "/teacher/classes/{c}/summary/attempts/{zt}",    # an attempt of another class
    "/teacher/classes/{c}/summary/attempts/nope",
])
def test_what_is_not_in_the_class_is_404(client, school, page):
    db = school["db"]
    login(client, school["owner"])
    zed = db.execute("SELECT id FROM student WHERE name = 'Zed'").fetchone()[0]
    url = page.format(c=school["class_id"], s=school["set_id"], zed=zed,
                      zt=school["tokens"]["Zed"][0])
    assert client.get(url).status_code == 404


# The pages ---------------------------------------------------------------------------------

def rows(page, *, tag: str = "tr") -> list[list[str]]:
    """Return the text of each cell of each table row in *page*."""
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in page.find_all(tag)]


def facts(page) -> dict[str, str]:
    """Return a page's description list as term -> description."""
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
            for dt in page.find_all("dt")}


def test_class_page_links_to_the_summaries(client, school):
    login(client, school["owner"])
    page = soup(client.get(f"/teacher/classes/{school['class_id']}").get_data(as_text=True))
    assert page.find("a", href=f"/teacher/classes/{school['class_id']}/summary/")


def test_class_overview_page(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}/summary/").get_data(as_text=True)
    assert "Every type &lt;em&gt;once&lt;/em&gt;" in html  # titles are escaped
    # students, attempts, mean of first attempts (0.519: one decimal), the last attempt's date
    assert ["Every type <em>once</em> bundled", "5", "9", "51.9%", "2024-05-09 09:00:00"] in rows(
        soup(html))


def test_set_summary_page(client, school):
    login(client, school["owner"])
    response = client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                          f"{school['set_id']}")
    page = soup(response.get_data(as_text=True))
    assert page.find("link", href=lambda href: href and "stats.css" in href)
    assert not page.find(style=True) and not page.find("script")
    svg = page.find("svg", role="img")  # an accessible SVG ...
    assert svg.find("title", id="hist-title").get_text() == "Histogram of scores"
    assert ["20-29 %", "2"] in rows(page)  # ... and its table
    facility = page.find("a", href="#q-1").find_parent("tr").find(class_="facility-cell")
    assert "bar-w-60" in facility.find(class_="stat-bar-fill")["class"]
    assert facility.get_text(strip=True) == "0.60"
    text = page.get_text(" ", strip=True)
    assert "item-rest correlation" in text and "Bias (c) -0.23 (95% interval" in text
    assert "Telling apart (d′) 0.88" in text  # z(4.5/6) - z(2.5/6) = 0.674 + 0.210
    assert "Leaning: not clear yet" in text  # five students: the interval spans -0.2
    assert "over-sceptical" in text  # the plain sentence names both ways
    flag = page.find("a", class_="alert-link", href="#q-4")
    assert flag.find_parent("li").get_text() == "Question 4: very hard (facility below 0.3)."
    assert facts(page) | {"Students": "5", "Median": "50%"} == facts(page)


def test_grid_page(client, school):
    login(client, school["owner"])
    page = soup(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                           f"{school['set_id']}/students?pick=best").get_data(as_text=True))
    assert len(page.find_all(class_="grid-cell")) == 30  # 5 students, 6 questions
    assert page.find("span", class_="visually-hidden", string="partly right")
    assert page.find("a", href=f"/teacher/classes/{school['class_id']}/summary/attempts/"
                               f"{school['tokens']['Cat'][1]}")


def test_student_page(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}/summary/students/"
                      f"{school['students']['Cat']}").get_data(as_text=True)
    assert html.count("Attempt ") >= 3 and "2024-05-08 09:00:00" in html
    for token in school["tokens"]["Cat"]:
        assert f"/summary/attempts/{token}" in html


def test_teacher_sees_explanations_the_class_holds_back(own_school):
    school, db = own_school, own_school["db"]
    client = school["app"].test_client()
    with db:
        klass = queries.class_by_id(db, school["class_id"])
        queries.update_class(db, klass["id"], name=klass["name"], is_open=True,
                             one_attempt=False, hold_explanations=True)
    token = school["tokens"]["Ben"][0]
    student_view = client.get(f"/results/{token}").get_data(as_text=True)
    assert "RIGHT-A" not in student_view
    assert "Facts and claims" not in student_view  # the counts would hint at the answers
    login(client, school["owner"])
    teacher_view = client.get(f"/teacher/classes/{school['class_id']}/summary/attempts/{token}")
    html = teacher_view.get_data(as_text=True)
    assert teacher_view.status_code == 200
    assert "RIGHT-A" in html and "Teacher view" in html and "holds explanations back" in html
    assert "Ben scored" in html and "Keep this page" not in html  # worded for the teacher
    assert "You lean <strong>over-sceptical</strong>" in html


def test_students_see_their_own_discernment(client, school):
    with client.session_transaction() as session:  # Ben's browser: results open only there
        session["student_id"] = school["students"]["Ben"]
    html = client.get(f"/results/{school['tokens']['Ben'][0]}").get_data(as_text=True)
    assert "You labelled 0 of 1 verified fact as a fact," in html
    assert "over-sceptical" in html


# Pure helpers and the index ----------------------------------------------------------------

@pytest.mark.parametrize(("fraction", "css"), [
    (None, "bar-w-0"), (0, "bar-w-0"), (0.024, "bar-w-0"), (0.026, "bar-w-5"),
    (0.6, "bar-w-60"), (0.99, "bar-w-100"), (1.0, "bar-w-100"), (1.7, "bar-w-100"),
])
def test_width_class(fraction, css):
    assert analysis.width_class(fraction) == css


@pytest.mark.parametrize(("values", "r"), [
    ([(1, 1), (0, 0), (1, 1)], 1.0),
    ([(1, 0), (0, 1), (1, 0)], -1.0),
    ([(1, 0.5), (1, 0.2), (1, 0.9)], None),  # everyone right: r is undefined
    ([(1, 1), (0, 0)], None),                # too few
])
def test_pearson(values, r):
    n = len(values)
    xs, ys = [v[0] for v in values], [v[1] for v in values]
    got = analysis.pearson(n, sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys),
                        sum(x * y for x, y in values))
    assert got == (None if r is None else pytest.approx(r))


@pytest.mark.parametrize(("counts", "leaning"), [
    ((10, 10, 10, 0), "balanced"),       # perfect: c = 0
    ((10, 2, 10, 0), "over-sceptical"),  # facts doubted, claims not believed
    ((10, 10, 10, 8), "credulous"),      # claims believed
    ((10, 5, 10, 5), "balanced"),        # guessing: no lean either way
])
def test_discernment_leaning(counts, leaning):
    facts, facts_right, claims, claims_as_fact = counts
    d = analysis.Discernment(facts, facts_right, claims, claims - claims_as_fact, claims_as_fact)
    assert d.leaning == leaning
    assert math.isfinite(d.bias)


def test_merged_questions_keep_removed_questions_after_current_ones():
    v1 = {"questions": [{"id": "a", "prompt": "old"}, {"id": "b"}, {"id": "c"}]}
    v2 = {"questions": [{"id": "c"}, {"id": "a", "prompt": "new"}]}
    merged = analysis.merged_questions([v1, v2])
    assert [q["id"] for q in merged] == ["c", "a", "b"] and merged[1]["prompt"] == "new"


def test_picking_attempts_reads_the_index_only(school):
    db = school["db"]
    sql = f"SELECT count(*) FROM ({queries.summaries._PICK_IDS['first']})"
    plan = " ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}",
                                             {"class_id": 1, "set_id": 1}))
    assert "COVERING INDEX attempt_class_student" in plan



def test_a_set_nobody_answered_yet(own_school):
    school, db = own_school, own_school["db"]
    client = school["app"].test_client()
    class_id = transactions.create_class(db, school["owner"], "8A")
    with db:
        queries.replace_class_sets(db, class_id, [school["set_id"]])
    login(client, school["owner"])
    base = f"/teacher/classes/{class_id}/summary/sets/{school['set_id']}"
    assert "Nobody in this class has answered" in client.get(base).get_data(as_text=True)
    assert client.get(f"{base}/students").status_code == 200
    assert len(read_csv(client.get(f"{base}/students.csv").data)) == 1  # the header only
    assert len(read_csv(client.get(f"{base}/questions.csv").data)) == 7  # no figures yet


def test_attempts_at_two_versions_are_summarised_together(own_school):
    school = own_school
    db = school["db"]
    document = json.loads(json.dumps(school["document"]))
    document["questions"][0]["prompt"] = "Who names the cost? (edited)"
    document["questions"] = document["questions"][:-1]  # q-text removed
    assert transactions.store_document(db, document) == "updated"
    row = queries.set_by_slug(db, "all-types")
    student_id = transactions.join_class(db, school["class_id"], "Fay")
    transactions.record_attempt(db, row["version_id"], document, ALL_RIGHT, "Fay", "v2",
                         class_id=school["class_id"], student_id=student_id)
    s = summary(school)
    assert s.versions == [1, 2] and s.overview["students"] == 6
    assert [q.question["id"] for q in s.questions] == QUESTION_IDS  # the removed one last
    assert s.questions[0].question["prompt"] == "Who names the cost? (edited)"
    assert s.questions[0].facility == pytest.approx(4 / 6)
    assert s.questions[5].n == 5  # Fay's version had no q-text


@pytest.mark.parametrize(("value", "text"), [(0.004, "0.00"), (-0.004, "0.00"), (0.25, "+0.25"),
                                             (-1.5, "-1.50")])
def test_bias_is_printed_with_its_sign_but_never_minus_zero(value, text):
    assert analysis.signed(value) == text


# Wording (issue 15) ------------------------------------------------------------------------

def test_answered_by_counts_only_students_who_answered(client, school):
    login(client, school["owner"])
    base = f"/teacher/classes/{school['class_id']}/summary/sets/{school['set_id']}"
    page = soup(client.get(base).get_data(as_text=True))
    detail = page.find("details", id="q-2").get_text(" ", strip=True)  # q-multi: Dan blank
    assert "Answered by 4 (1 left it blank);" in detail
    assert "Answered by 5" not in detail
    table = read_csv(client.get(f"{base}/questions.csv").data)
    by_id = {r[1]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert by_id["q-multi"]["Answered"] == "4" and by_id["q-choice"]["Answered"] == "5"


def test_most_common_wrong_answer_leaves_out_partly_right_ones(client, school):
    login(client, school["owner"])
    page = soup(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                           f"{school['set_id']}").get_data(as_text=True))
    cells = page.find("a", href="#q-2").find_parent("tr").find_all("td")
    assert cells[-1].get_text(strip=True) == "–"  # only partly right answers: none is wrong
    assert "partly right ones are left out" in page.get_text(" ", strip=True)


def test_one_student_flags_no_question_and_the_page_says_why(own_school):
    school, db = own_school, own_school["db"]
    client = school["app"].test_client()
    class_id = transactions.create_class(db, school["owner"], "8B")
    row = queries.set_by_slug(db, "all-types")
    student_id = transactions.join_class(db, class_id, "Solo")
    transactions.record_attempt(db, row["version_id"], school["document"],
                                dict(ANSWERS["Cat"]), "Solo", "solo", class_id=class_id,
                                student_id=student_id)
    s = compute_summary(db, class_id, row["id"], school["document"])
    assert [q.flags for q in s.questions] == [[]] * 6
    login(client, school["owner"])
    page = soup(client.get(f"/teacher/classes/{class_id}/summary/sets/{row['id']}")
                .get_data(as_text=True))
    assert not page.find(class_="flagged") and "Questions to look at" not in page.get_text()
    assert "no question is flagged with fewer than 5 students" in page.get_text(" ", strip=True)


@pytest.mark.parametrize(("points", "max_points", "cell"), [
    (1, 40, 2.5), (1, 80, 1.3), (1, 8, 12.5), (3, 7, 42.9), (6, 7, 85.7), (7, 7, 100.0),
    (9999, 10000, 99.9), (1, 3000, 0.1), (0, 7, 0.0), (1, 0, ""),
])
def test_csv_percent_rounds_half_up_as_the_pages_do(points, max_points, cell):
    assert exports.percent(points, max_points) == cell


# All attempts (issue 15) -------------------------------------------------------------------

def test_all_attempts_count_every_retry(client, school):
    s = summary(school, "all")
    assert (s.overview["students"], s.overview["counted"]) == (5, 9)
    q = s.questions[0]  # q-choice: right in Ann, Ben, Eve, Ben, Cat, Cat, Dan's attempts
    assert (q.n, q.right, q.wrong) == (9, 7, 2) and q.facility == pytest.approx(7 / 9)
    login(client, school["owner"])
    page = soup(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                           f"{school['set_id']}?pick=all").get_data(as_text=True))
    assert "Counting every attempt : 9 attempts by 5 students" in page.get_text(" ", strip=True)
    assert page.find("option", value="all", selected=True).get_text() == (
        "All attempts (every retry counts)")


def test_all_attempts_grid_has_a_row_per_attempt(client, school):
    rows = grid_students(school["db"], school["class_id"], school["set_id"], "all")
    assert [r.name for r in rows] == ["Ann", "Ben", "Ben", "Cat", "Cat", "Cat", "Dan", "Dan",
                                      "Eve"]
    assert [r.token for r in rows if r.name == "Cat"] == school["tokens"]["Cat"]
    login(client, school["owner"])
    table = read_csv(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                                f"{school['set_id']}/students.csv?pick=all").data)
    assert [(r[0], r[1], r[4]) for r in table[1:] if r[0] == "Cat"] == [
        ("Cat", "all", "1.5"), ("Cat", "all", "3.0"), ("Cat", "all", "3.0")]
    page = soup(client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                           f"{school['set_id']}/students?pick=all").get_data(as_text=True))
    assert len(page.find_all(class_="grid-cell")) == 9 * 6


def test_all_attempts_scores_csv(client, school):
    login(client, school["owner"])
    rows = read_csv(client.get(
        f"/teacher/classes/{school['class_id']}/summary/scores.csv?pick=all").data)
    assert [(r[0], r[4], r[7]) for r in rows[1:]] == [  # student, attempt, points
        ("Ann", "all", "6.0"), ("Ben", "all", "3.5"), ("Ben", "all", "7.0"),
        ("Cat", "all", "1.5"), ("Cat", "all", "3.0"), ("Cat", "all", "3.0"),
        ("Dan", "all", "1.5"), ("Dan", "all", "1.0"), ("Eve", "all", "5.6667")]
    overview = client.get(f"/teacher/classes/{school['class_id']}/summary/").get_data(
        as_text=True)
    assert "scores.csv?pick=all" in overview
