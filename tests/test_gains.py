"""Learning gains (pre-test and post-test) and a student's skills across sets, by hand.

The class joins and answers through the real forms. The pre-test is the all-types set, the
post-test a copy of it under another id ("all-types-post"); both have 7 points: choice 1
(source), multi 2 (hedging), classify 1, evidence 1, order 1 (left blank: 0) and text 1
(verification). First attempts:

            pre                      post                     change    g
    Ann     choice        1/7 14.3%  choice multi text 4/7   +42.9    (4-1)/(7-1) = 0.5
    Ben     choice multi  3/7 42.9%  choice       1/7 14.3%  -28.6    (1-3)/(7-3) = -0.5
    Cat     nothing       0/7  0%    choice multi text 4/7   +57.1    4/7 = 0.571
    Dan     multi         2/7        (none: pre-test only)
    Eve     (none)                   text         1/7        (post-test only)

Ann tries the pre-test again afterwards (all right: not counted, the first attempt is);
Cat takes the post-test before the pre-test. Class means over Ann, Ben and Cat: pre 4/21,
post 9/21, so Hake's g = (9/21 - 4/21) / (1 - 4/21) = 5/17 = 0.294. Per skill (shares):
source 2/3 -> 1, g = 1; hedging 1/3 -> 2/3, g = 0.5; verification 0 -> 2/3, g = 0.667;
fact-vs-claim, attribution and sourcing-chain 0 -> 0, g = 0.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from quiz import analysis, psychometrics
from tests.conftest import ALL_TYPES, make_questions_dir
from tests.helpers import RIGHT, Student, join_class, soup

CHOICE = {"q-q-choice": "a"}
MULTI = {"q-q-multi": ["a", "b"]}
TEXT = {"q-q-text": "Test Gazette"}
PRE, POST = "all-types", "all-types-post"


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """The all-types set, and a copy of it under another id and title: the post-test."""
    folder = make_questions_dir(tmp_path / "questions")
    text = Path(ALL_TYPES).read_text(encoding="utf-8")
    text = text.replace("id: all-types", f"id: {POST}", 1).replace(
        "title: Every type <em>once</em>", "title: Every type again", 1)
    (folder / f"{POST}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ALL_TYPES, folder)
    return folder


def set_id(db, slug: str) -> int:
    return db.execute("SELECT id FROM question_set WHERE slug = ?", (slug,)).fetchone()[0]


def answer(student: Student, slug: str, *parts: dict) -> None:
    assert student.start(slug, "x").status_code == 302
    answers = {k: v for part in parts for k, v in part.items()}
    assert student.submit(answers, slug=slug).status_code == 303


@pytest.fixture
def klass(app, teacher, db) -> dict:
    """A class with both sets assigned and paired; the five students' attempts."""
    page = "/teacher/classes/new"
    class_id = int(teacher.post(page, {"name": "9C"}, form_page=page)
                   .headers["Location"].rsplit("/", 1)[1])
    page = f"/teacher/classes/{class_id}"
    pre, post = set_id(db, PRE), set_id(db, POST)
    assert teacher.post(f"{page}/sets", {"sets": [str(pre), str(post)]},
                        form_page=page).status_code == 302
    response = teacher.post(f"{page}/gains", {"pre": str(pre), "post": str(post)},
                            form_page=page)
    assert response.status_code == 302
    code = db.execute("SELECT code FROM class WHERE id = ?", (class_id,)).fetchone()[0]
    ann, ben, cat = (join_class(app, code, n) for n in ("Ann", "Ben", "Cat"))
    dan, eve = join_class(app, code, "Dan"), join_class(app, code, "Eve")
    answer(ann, PRE, CHOICE)
    answer(ben, PRE, CHOICE, MULTI)
    answer(cat, POST, CHOICE, MULTI, TEXT)
    answer(cat, PRE)
    answer(dan, PRE, MULTI)
    answer(ann, POST, CHOICE, MULTI, TEXT)
    answer(ben, POST, CHOICE)
    answer(eve, POST, TEXT)
    answer(ann, PRE, RIGHT)  # a retry after feedback: never the pre-test score
    students = dict(db.execute("SELECT name, id FROM student WHERE class_id = ?", (class_id,)))
    return {"id": class_id, "page": page, "pre": pre, "post": post, "students": students,
            "gains": f"/teacher/classes/{class_id}/summary/gains"}


def table(html, selector: str) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            for tr in soup(html).select_one(selector).select("tbody tr")]


def test_pairing_is_stored(klass, db):
    row = db.execute("SELECT pre_set_id, post_set_id FROM gain_pair WHERE class_id = ?",
                     (klass["id"],)).fetchone()
    assert tuple(row) == (klass["pre"], klass["post"])


def test_gains_page_per_student(klass, teacher):
    html = teacher.get(klass["gains"]).get_data(as_text=True)
    assert table(html, ".gains-table") == [
        ["Ann", "1 / 7 (14.3%)", "4 / 7 (57.1%)", "+42.9", "0.50"],
        ["Ben", "3 / 7 (42.9%)", "1 / 7 (14.3%)", "-28.6 went down", "-0.50"],
        ["Cat", "0 / 7 (0%)", "4 / 7 (57.1%)", "+57.1", "0.57"],
    ]
    assert "first attempt" in html


def test_gains_page_class_figures_and_who_went_down(klass, teacher):
    page = soup(teacher.get(klass["gains"]).get_data(as_text=True))
    figures = {d.dt.get_text(strip=True): d.dd.get_text(" ", strip=True)
               for d in page.select(".gain-figures div")}
    assert figures["Students with both"] == "3"
    assert figures["Mean pre-test"] == "19%"
    assert figures["Mean post-test"] == "42.9%"
    assert figures["Class normalised gain (g)"].startswith("0.29 (95% interval ")
    text = page.get_text(" ", strip=True)
    assert "Ben (42.9% → 14.3%)" in text
    assert "Dan: pre-test only, 2 / 7 (28.6%)" in text
    assert "Eve: post-test only, 1 / 7 (14.3%)" in text


def test_gains_per_skill(klass, teacher):
    rows = table(teacher.get(klass["gains"]).get_data(as_text=True), "table:not(.gains-table)")
    by_skill = {r[0]: r[1:] for r in rows}
    assert list(by_skill) == ["Finding the source", "Attribution", "Fact or claim", "Hedges",
                              "Sourcing chain", "Checking claims"]
    assert by_skill["Finding the source"][:3] == ["3", "66.7%", "100%"]
    assert by_skill["Finding the source"][3].startswith("1.00")
    assert by_skill["Hedges"][:3] == ["3", "33.3%", "66.7%"]
    assert by_skill["Hedges"][3].startswith("0.50")
    assert by_skill["Checking claims"][3].startswith("0.67")
    assert by_skill["Attribution"][3].startswith("0.00")


def test_class_gain_and_its_interval_by_hand(klass, app):
    from quiz import queries
    from quiz.db import get_db

    with app.app_context():
        found = analysis.gains(queries.first_attempt_skills(
            get_db(), klass["id"], [klass["pre"], klass["post"]]), klass["pre"], klass["post"])
    assert found.g == pytest.approx(5 / 17)
    assert [s.name for s in found.went_down] == ["Ben"]
    assert [s.name for s in found.pre_only] == ["Dan"]
    assert [s.name for s in found.post_only] == ["Eve"]
    pairs = [(1 / 7, 4 / 7), (3 / 7, 1 / 7), (0.0, 4 / 7)]
    expected = psychometrics.bootstrap(
        pairs, lambda rows: psychometrics.class_gain([(100 * p, 100 * q) for p, q in rows]))
    assert found.interval.low == pytest.approx(expected.low)
    assert found.interval.high == pytest.approx(expected.high)
    assert found.interval.low < 5 / 17 < found.interval.high
    skills = {k.skill: k for k in found.skills}
    assert skills["source"].g_value == pytest.approx(1.0)
    assert skills["verification"].g_value == pytest.approx(2 / 3)


def test_gains_csv(klass, teacher):
    response = teacher.get(klass["gains"] + ".csv")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header = rows[0]
    cells = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    ann, ben = cells[0], cells[1]
    assert (ann["Student"], ann["Pre points"], ann["Pre percent"], ann["Post percent"],
            ann["Change (percentage points)"], ann["Normalised gain"]) == (
        "Ann", "1.0", "14.3", "57.1", "42.9", "0.5")
    assert ben["Went down"] == "yes" and ben["Normalised gain"] == "-0.5"
    assert [(c["Row"], c["Student"]) for c in cells[3:5]] == [
        ("pre-test only", "Dan"), ("post-test only", "Eve")]
    assert cells[3]["Post percent"] == "" and cells[4]["Pre percent"] == ""
    whole = cells[-1]
    assert (whole["Row"], whole["Normalised gain"], whole["Students"]) == ("class", "0.294", "3")
    assert float(whole["95% interval low"]) < 0.294 < float(whole["95% interval high"])
    assert ann["source pre percent"] == "100.0" and ann["hedging post percent"] == "100.0"


def test_csv_guards_names(app, klass, teacher, db):
    db.execute("UPDATE student SET name = '=cmd()' WHERE id = ?", (klass["students"]["Ann"],))
    db.commit()
    body = teacher.get(klass["gains"] + ".csv").get_data(as_text=True)
    assert "'=cmd()" in body and "\n=cmd()" not in body


def test_class_summary_links_to_the_gains(klass, teacher):
    html = soup(teacher.get(f"/teacher/classes/{klass['id']}/summary/").get_data(as_text=True))
    assert html.find("a", href=klass["gains"])


def test_only_the_owner_sees_or_pairs(klass, other_teacher, client):
    assert other_teacher.get(klass["gains"]).status_code == 404
    assert other_teacher.get(klass["gains"] + ".csv").status_code == 404
    response = other_teacher.post(klass["page"] + "/gains",
                                  {"pre": str(klass["post"]), "post": str(klass["pre"])})
    assert response.status_code == 404
    assert client.get(klass["gains"]).status_code == 302  # signed out: to the sign-in page


def test_pairing_needs_csrf(klass, teacher, db):
    response = teacher.client.post(klass["page"] + "/gains",
                                   data={"pre": str(klass["post"]), "post": str(klass["pre"])})
    assert response.status_code == 400
    assert db.execute("SELECT pre_set_id FROM gain_pair").fetchone()[0] == klass["pre"]


@pytest.mark.parametrize("which, message", [
    ("same", "Choose two different sets"),
    ("one", "Choose both a pre-test and a post-test, or neither."),
    ("foreign", "Not a valid choice"),
])
def test_bad_pairs_are_refused_with_a_message(klass, teacher, db, which, message):
    data = {"same": {"pre": klass["post"], "post": klass["post"]},
            "one": {"pre": klass["post"], "post": 0},
            "foreign": {"pre": 9999, "post": klass["pre"]}}[which]
    response = teacher.post(klass["page"] + "/gains", {k: str(v) for k, v in data.items()},
                            form_page=klass["page"])
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    row = db.execute("SELECT pre_set_id, post_set_id FROM gain_pair").fetchone()
    assert tuple(row) == (klass["pre"], klass["post"])


def test_unpairing(klass, teacher, db):
    response = teacher.post(klass["page"] + "/gains", {"pre": "0", "post": "0"},
                            form_page=klass["page"])
    assert response.status_code == 302
    assert db.execute("SELECT count(*) FROM gain_pair").fetchone()[0] == 0
    html = teacher.get(klass["gains"]).get_data(as_text=True)
    assert "No pre-test and post-test are paired" in html
    assert teacher.get(klass["gains"] + ".csv").status_code == 404


def test_class_page_shows_the_pair(klass, teacher):
    page = soup(teacher.get(klass["page"]).get_data(as_text=True))
    assert page.select_one("#pre option[selected]")["value"] == str(klass["pre"])
    assert page.select_one("#post option[selected]")["value"] == str(klass["post"])


def test_student_page_shows_skills_across_sets_in_the_order_taken(klass, teacher):
    base = f"/teacher/classes/{klass['id']}/summary/students/"
    rows = table(teacher.get(base + str(klass["students"]["Cat"])).get_data(as_text=True),
                 ".progress-table")
    # Cat took the post-test first: 4/7, source, hedging and checking 100 %, the rest 0 %.
    assert [r[0] for r in rows] == ["Every type again", "Every type <em>once</em>"]
    assert rows[0][2:] == ["57.1%", "100%", "0%", "0%", "100%", "0%", "100%"]
    assert rows[1][2:] == ["0%", "0%", "0%", "0%", "0%", "0%", "0%"]
    rows = table(teacher.get(base + str(klass["students"]["Ann"])).get_data(as_text=True),
                 ".progress-table")
    # Ann's retry of the pre-test (all right) is not her first attempt: 1/7 stays.
    assert [(r[0], r[2]) for r in rows] == [("Every type <em>once</em>", "14.3%"),
                                            ("Every type again", "57.1%")]


def test_student_page_headers_name_the_skills(klass, teacher):
    base = f"/teacher/classes/{klass['id']}/summary/students/"
    page = soup(teacher.get(base + str(klass["students"]["Dan"])).get_data(as_text=True))
    heads = [th.get_text(strip=True) for th in page.select(".progress-table thead th")]
    assert heads == ["Set", "Date (UTC)", "Score", "Finding the source", "Attribution",
                     "Fact or claim", "Hedges", "Sourcing chain", "Checking claims"]
