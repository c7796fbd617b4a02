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

from quiz import queries, stats, store

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
QUESTION_IDS = ["q-choice", "q-multi", "q-classify", "q-evidence", "q-order", "q-text"]


def login(client, teacher_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(teacher_id)
        session["_fresh"] = True


@pytest.fixture
def school(app, db):
    """Two teachers; the owner's class with the hand-computed attempts; its ids."""
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
        other = queries.insert_teacher(db, "other", "not-a-hash")
    class_id = store.create_class(db, owner, "7B")
    other_class = store.create_class(db, owner, "7C")
    row = queries.set_by_slug(db, "all-types")
    document = store.shared_document(db, row)
    with db:
        queries.replace_class_sets(db, class_id, [row["id"]])
        queries.replace_class_sets(db, other_class, [row["id"]])
    tokens: dict[str, list[str]] = {}

    def attempt(klass: int, name: str, answers: dict) -> None:
        student_id = store.join_class(db, klass, name)
        full = {q: answers.get(q) for q in QUESTION_IDS}
        key = f"k{len(tokens)}-{sum(map(len, tokens.values()))}"
        token = store.record_attempt(db, row["version_id"], document, full, name, key,
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
            "students": students, "document": document, "db": db}


def summary(school, pick="first") -> stats.SetSummary:
    return stats.set_summary(school["db"], school["class_id"], school["set_id"],
                             school["document"], pick)


# The figures -------------------------------------------------------------------------------

@pytest.mark.parametrize(("pick", "mean", "median", "low", "high"), [
    ("first", (6 + 3.5 + 1.5 + 1.5 + 5.6667) / 35, 3.5 / 7, 1.5 / 7, 6 / 7),
    ("best", (6 + 7 + 3 + 1.5 + 5.6667) / 35, 5.6667 / 7, 1.5 / 7, 1.0),
    ("latest", (6 + 7 + 3 + 1 + 5.6667) / 35, 5.6667 / 7, 1 / 7, 1.0),
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
    counts = stats.score_histogram(db, stats.picked_ids(db, class_id, row["id"], "first"))
    assert counts[expected_bin] == 1 and sum(counts) == 1


def _hand_discrimination(index: int) -> float:
    """Item-rest r computed from the table in this file's docstring, independently."""
    points = {"Ann": [1, 2, 1, 1, 0, 1], "Ben": [1, 1, .5, 0, 1, 0], "Cat": [0, 1, .5, 0, 0, 0],
              "Dan": [0, 0, .5, 0, 1, 0], "Eve": [1, 2, 1, 0, .6667, 1]}
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
    ("q-multi", "as many as; reportedly; voted", 1),  # ties: the first in JSON text order
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
                                 "attribution": 0.2, "sourcing-chain": 2.6667 / 5,
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


@pytest.mark.parametrize(("name", "bias", "leaning"), [
    ("Ann", 0.0, "balanced"),          # H = F' : (1.5/2, 0.5/2)
    ("Ben", 0.6745, "over-sceptical"),  # doubted the fact, believed no claim
    ("Cat", -0.6745, "credulous"),      # took the claim for a fact
])
def test_each_students_discernment(school, name, bias, leaning):
    db = school["db"]
    attempt = queries.attempt_by_token(db, school["tokens"][name][0])
    d = stats.attempt_discernment(school["document"], queries.responses(db, attempt["id"]))
    assert d.bias == pytest.approx(bias, abs=1e-4) and d.leaning == leaning


def test_grid_picks_one_attempt_per_student(school):
    db, ids = school["db"], school
    picked = stats.picked_ids(db, ids["class_id"], ids["set_id"], "best")
    rows = {s.name: s for s in stats.grid(stats.grid_rows(db, ids["class_id"], ids["set_id"],
                                                            picked))}
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
    assert stats.safe_cell(value) == cell


def test_csv_neutralises_formulas_in_names(client, school):
    db = school["db"]
    document = school["document"]
    row = queries.set_by_slug(db, "all-types")
    student_id = store.join_class(db, school["class_id"], "=1+1")
    store.record_attempt(db, row["version_id"], document, dict.fromkeys(QUESTION_IDS),
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
    assert rows[0] == ["Student", "Set", "Version", "Attempt", "Attempts", "Date (UTC)",
                       "Points", "Max points", "Percent"]
    assert [(r[0], r[4], r[6]) for r in rows[1:]] == [
        ("Ann", "1", "6.0"), ("Ben", "2", "7.0"), ("Cat", "3", "3.0"), ("Dan", "2", "1.0"),
        ("Eve", "1", "5.6667")]


@pytest.mark.parametrize(("args", "url"), [
    (["--set", "all-types"], "sets/{set_id}/students.csv"),
    (["--set", "all-types", "--pick", "best"], "sets/{set_id}/students.csv?pick=best"),
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


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("other", 404),
                                             ("owner", 200)])
def test_access(client, school, page, who, status):
    if who != "anonymous":
        login(client, school[who])
    response = client.get(_url(page, school))
    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/teacher/login")


@pytest.mark.parametrize("page", [
    "/teacher/classes/{c}/summary/sets/999",
    "/teacher/classes/{c}/summary/sets/{s}?pick=worst",
    "/teacher/classes/{c}/summary/sets/{s}/students?page=2",
    "/teacher/classes/{c}/summary/students/{zed}",   # a student of another class
    "/teacher/classes/{c}/summary/attempts/{zt}",    # an attempt of another class
    "/teacher/classes/{c}/summary/attempts/nope",
])
def test_what_is_not_in_the_class_is_404(client, school, db, page):
    login(client, school["owner"])
    zed = db.execute("SELECT id FROM student WHERE name = 'Zed'").fetchone()[0]
    url = page.format(c=school["class_id"], s=school["set_id"], zed=zed,
                      zt=school["tokens"]["Zed"][0])
    assert client.get(url).status_code == 404


# The pages ---------------------------------------------------------------------------------

def test_class_page_links_to_the_summaries(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}").get_data(as_text=True)
    assert f'href="/teacher/classes/{school["class_id"]}/summary/"' in html


def test_class_overview_page(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}/summary/").get_data(as_text=True)
    assert "Every type &lt;em&gt;once&lt;/em&gt;" in html  # titles are escaped
    assert ">5</td><td class=\"text-end\">9</td>" in html
    assert "51.9%" in html  # mean of first attempts: 0.519, one decimal (not "52%")


def test_set_summary_page(client, school):
    login(client, school["owner"])
    response = client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                          f"{school['set_id']}")
    html = response.get_data(as_text=True)
    assert "stats.css" in html and " style=" not in html and "<script" not in html
    assert 'role="img"' in html and "<title id=\"hist-title\">" in html  # accessible SVG
    assert "20-29 %</td><td class=\"text-end\">2</td>" in html            # its table
    assert 'class="stat-bar-fill  bar-w-60"' in html                     # facility 0.6
    assert "item-rest correlation" in html and "Bias: <strong>-0.23</strong>, credulous" in html
    assert "over-sceptical" in html  # the plain sentence names both ways
    assert '<a class="alert-link" href="#q-4">Question 4</a>: very hard' in html
    assert "Students</dt><dd>5</dd>" in html and "Median</dt><dd>50%</dd>" in html


def test_grid_page(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}/summary/sets/"
                      f"{school['set_id']}/students?pick=best").get_data(as_text=True)
    assert html.count('class="grid-cell grid-') == 30
    assert '<span class="visually-hidden">partly right</span>' in html
    assert f"/summary/attempts/{school['tokens']['Cat'][1]}" in html


def test_student_page(client, school):
    login(client, school["owner"])
    html = client.get(f"/teacher/classes/{school['class_id']}/summary/students/"
                      f"{school['students']['Cat']}").get_data(as_text=True)
    assert html.count("Attempt ") >= 3 and "2024-05-08 09:00:00" in html
    for token in school["tokens"]["Cat"]:
        assert f"/summary/attempts/{token}" in html


def test_teacher_sees_explanations_the_class_holds_back(client, school, db):
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
    assert stats.width_class(fraction) == css


@pytest.mark.parametrize(("values", "r"), [
    ([(1, 1), (0, 0), (1, 1)], 1.0),
    ([(1, 0), (0, 1), (1, 0)], -1.0),
    ([(1, 0.5), (1, 0.2), (1, 0.9)], None),  # everyone right: r is undefined
    ([(1, 1), (0, 0)], None),                # too few
])
def test_pearson(values, r):
    n = len(values)
    xs, ys = [v[0] for v in values], [v[1] for v in values]
    got = stats.pearson(n, sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys),
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
    d = stats.Discernment(facts, facts_right, claims, claims - claims_as_fact, claims_as_fact)
    assert d.leaning == leaning
    assert math.isfinite(d.bias)


def test_merged_questions_keep_removed_questions_after_current_ones():
    v1 = {"questions": [{"id": "a", "prompt": "old"}, {"id": "b"}, {"id": "c"}]}
    v2 = {"questions": [{"id": "c"}, {"id": "a", "prompt": "new"}]}
    merged = stats.merged_questions([v1, v2])
    assert [q["id"] for q in merged] == ["c", "a", "b"] and merged[1]["prompt"] == "new"


def test_picking_attempts_reads_the_index_only(school):
    db = school["db"]
    sql = f"SELECT count(*) FROM ({stats._PICK_IDS['first']})"
    plan = " ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}",
                                             {"class_id": 1, "set_id": 1}))
    assert "COVERING INDEX attempt_class_student" in plan



def test_a_set_nobody_answered_yet(client, school, db):
    class_id = store.create_class(db, school["owner"], "8A")
    with db:
        queries.replace_class_sets(db, class_id, [school["set_id"]])
    login(client, school["owner"])
    base = f"/teacher/classes/{class_id}/summary/sets/{school['set_id']}"
    assert "Nobody in this class has answered" in client.get(base).get_data(as_text=True)
    assert client.get(f"{base}/students").status_code == 200
    assert len(read_csv(client.get(f"{base}/students.csv").data)) == 1  # the header only
    assert len(read_csv(client.get(f"{base}/questions.csv").data)) == 7  # no figures yet


def test_attempts_at_two_versions_are_summarised_together(school):
    db = school["db"]
    document = json.loads(json.dumps(school["document"]))
    document["questions"][0]["prompt"] = "Who names the cost? (edited)"
    document["questions"] = document["questions"][:-1]  # q-text removed
    assert store.store_document(db, document) == "updated"
    row = queries.set_by_slug(db, "all-types")
    student_id = store.join_class(db, school["class_id"], "Fay")
    store.record_attempt(db, row["version_id"], document, ALL_RIGHT, "Fay", "v2",
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
    assert stats.signed(value) == text
