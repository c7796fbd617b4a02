"""Teachers' sets and classes: ownership, files, join codes, rosters and class rules."""

from __future__ import annotations

import io
import json
import re

import pytest
import yaml

from quiz import questionsets
from quiz.transactions import JOIN_CODE_ALPHABET
from tests.helpers import ALL_TYPES, RIGHT, Student, hidden, option_checked, soup


def bundled_id(db) -> int:
    return db.execute("SELECT id FROM question_set WHERE slug = 'all-types'").fetchone()[0]


def upload(teacher, name: str, content: str):
    page = "/teacher/sets/import"
    return teacher.post(page, {"file": (io.BytesIO(content.encode()), name)}, form_page=page,
                        content_type="multipart/form-data")


def own_copy(teacher, db) -> int:
    response = teacher.post(f"/teacher/sets/{bundled_id(db)}/copy")
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_dashboard_lists_bundled_sets(teacher):
    html = teacher.get("/teacher/").get_data(as_text=True)
    assert "Bundled sets" in html and "Every type &lt;em&gt;once&lt;/em&gt;" in html


def test_bundled_set_can_be_read_but_not_changed(teacher, db):
    set_id = bundled_id(db)
    for path in ("", "/preview", "/key", "/export.yaml", "/export.gift"):
        assert teacher.get(f"/teacher/sets/{set_id}{path}").status_code == 200
    assert teacher.post(f"/teacher/sets/{set_id}/publish").status_code == 404
    assert teacher.get(f"/teacher/sets/{set_id}/delete").status_code == 404


def test_copy_makes_an_unpublished_set_of_ones_own(teacher, db):
    set_id = own_copy(teacher, db)
    row = db.execute("SELECT owner_id, published FROM question_set WHERE id = ?",
                     (set_id,)).fetchone()
    assert row["published"] == 0 and row["owner_id"] is not None
    assert "(copy)" in teacher.get(f"/teacher/sets/{set_id}").get_data(as_text=True)


def test_publish_unpublish_and_delete_with_confirmation(teacher, db):
    set_id = own_copy(teacher, db)
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    teacher.post(f"/teacher/sets/{set_id}/publish")
    assert teacher.client.get(f"/sets/{slug}").status_code == 200
    teacher.post(f"/teacher/sets/{set_id}/publish")
    assert teacher.client.get(f"/sets/{slug}").status_code == 404
    confirm = teacher.get(f"/teacher/sets/{set_id}/delete").get_data(as_text=True)
    assert "Delete this set?" in confirm
    teacher.post(f"/teacher/sets/{set_id}/delete", form_page=f"/teacher/sets/{set_id}/delete")
    gone = db.execute("SELECT count(*) FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    assert gone == 0


def test_preview_shows_the_student_page_without_the_key(teacher, db):
    html = teacher.get(f"/teacher/sets/{bundled_id(db)}/preview").get_data(as_text=True)
    assert "Who gives the cost of the work?" in html
    assert "RIGHT-A" not in html and "Nothing here can be submitted" in html


def test_answer_key_shows_every_answer_and_explanation(teacher, db):
    html = teacher.get(f"/teacher/sets/{bundled_id(db)}/key").get_data(as_text=True)
    for text in ("RIGHT-A", "WRONG-B", "STATEMENT-S1", "DISTRACTOR-3", "ITEM-PAPER",
                 "WRONGTEXT-AP"):
        assert text in html


def test_yaml_export_then_import_gives_the_same_set(teacher, db):
    exported = teacher.get(f"/teacher/sets/{bundled_id(db)}/export.yaml")
    assert 'filename="all-types.yaml"' in exported.headers["Content-Disposition"]
    response = upload(teacher, "all-types.yaml", exported.get_data(as_text=True))
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    stored = db.execute("SELECT document FROM set_version WHERE set_id = ?", (new_id,)).fetchone()
    original = questionsets.load_file(ALL_TYPES)
    imported = json.loads(stored[0])
    assert imported["questions"] == original["questions"]
    assert imported["article"] == original["article"]
    assert imported["title"] == original["title"]


def test_invalid_upload_is_refused_whole_with_every_problem(teacher, db, raw_set):
    raw_set["questions"][0]["options"][1]["correct"] = True
    raw_set["questions"][3]["answers"][0]["sentence"] = 99
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    html = upload(teacher, "bad.yaml", yaml.safe_dump(raw_set)).get_data(as_text=True)
    assert "bad.yaml: question 1 (q-choice): options:" in html
    assert "bad.yaml: question 4 (q-evidence): answers 1.sentence: &#39;99&#39;" in html
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.yaml", "id: [", "x.yaml: not valid YAML"),
    ("x.gift", "::Q1:: What? {=yes ~no", "x.gift:"),
    ("x.gift", "::E:: Write an essay {}", "no question in this file can be imported"),
    ("x.exe", "MZ", "Only .yaml, .yml, .gift, .xml or .txt files."),
])
def test_malformed_files_get_a_clear_message(teacher, name, content, message):
    html = upload(teacher, name, content).get_data(as_text=True)
    assert message in html


def test_gift_upload_imports_what_maps_and_lists_what_is_skipped(teacher, db):
    gift = ("::Source:: Who said it? {=The mayor#Named in sentence 2 ~A shopkeeper#No}\n\n"
            "::Match:: Match them {=a -> b =c -> d =e -> f}\n\n"
            "::Outlet:: Which paper? {=Test Gazette#The masthead}\n")
    response = upload(teacher, "quiz.gift", gift)
    assert response.status_code == 302
    html = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 questions." in html
    assert "Skipped question 2 (Match)" in html


def test_upload_larger_than_the_limit_gets_413(teacher, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(teacher, "big.yaml", "x" * 5000)
    assert response.status_code == 413
    assert "That is too large" in response.get_data(as_text=True)


def test_cli_import_prints_questions_and_skips(runner, teacher, tmp_path, db):
    path = tmp_path / "mixed.gift"
    path.write_text("::One:: Pick {=a#yes ~b#no}\n\n::Num:: How many? {#3}\n")
    result = runner.invoke(args=["import-set", str(path), "--owner", "ms-lee"])
    assert result.exit_code == 0, result.output
    assert "imported: one (choice)" in result.output
    assert "skipped: question 2 (Num): numerical" in result.output


def test_cli_import_of_an_invalid_file_imports_nothing(runner, tmp_path, db, raw_set):
    raw_set["id"] = "other"
    raw_set["questions"][1]["type"] = "poll"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw_set))
    result = runner.invoke(args=["import-set", str(path)])
    assert result.exit_code == 1 and "question 2 (q-multi): type: 'poll'" in result.output
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == 1


@pytest.mark.parametrize("fmt", ["yaml", "gift"])
def test_cli_export(runner, fmt):
    result = runner.invoke(args=["export-set", "all-types", "--format", fmt])
    assert result.exit_code == 0
    assert ("id: all-types" if fmt == "yaml" else "::q-choice::") in result.output


# Classes ------------------------------------------------------------------------------

def make_class(teacher, db, name: str = "8B") -> dict:
    page = "/teacher/classes/new"
    response = teacher.post(page, {"name": name}, form_page=page)
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    row = db.execute("SELECT * FROM class WHERE id = ?", (class_id,)).fetchone()
    return dict(row)


def assign(teacher, klass: dict, *set_ids: int):
    page = f"/teacher/classes/{klass['id']}"
    return teacher.post(f"{page}/sets", {"sets": [str(s) for s in set_ids]}, form_page=page)


def join(client, code: str, name: str):
    page = client.get("/join").get_data(as_text=True)
    return client.post("/join", data={"csrf_token": hidden(page, "csrf_token"), "code": code,
                                      "name": name})


def test_join_code_has_no_ambiguous_characters(teacher, db):
    codes = [make_class(teacher, db, f"c{n}")["code"] for n in range(5)]
    for code in codes:
        assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)


def test_student_joins_with_code_sees_sets_and_attempt_is_recorded(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    student = Student(app.test_client())
    response = join(student.client, klass["code"].lower(), "Sam")  # case does not matter
    assert response.headers["Location"] == "/class"
    html = student.client.get("/class").get_data(as_text=True)
    assert "8B" in html and "Every type" in html
    start = student.client.get("/sets/all-types").get_data(as_text=True)
    assert "You are answering as <strong>Sam</strong>" in start
    student.client.post("/sets/all-types", data={"csrf_token": hidden(start, "csrf_token")})
    student.submit(RIGHT)
    row = db.execute("SELECT a.class_id, s.name FROM attempt a JOIN student s "
                     "ON s.id = a.student_id").fetchone()
    assert (row[0], row[1]) == (klass["id"], "Sam")
    page = teacher.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True)
    assert "Sam" in page and "7 / 7" in page


@pytest.mark.parametrize(("code", "message"), [
    ("ZZZZZZ", "No class has that code."),
    ("", "Type the code your teacher gave you."),
])
def test_joining_with_a_bad_code_says_why(client, code, message):
    assert message in join(client, code, "Sam").get_data(as_text=True)


def test_closed_class_refuses_joins_and_submissions(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    student = Student(app.test_client())
    join(student.client, klass["code"], "Sam")
    _, fields = student.open_quiz()
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(page, {"name": "8B"}, form_page=page)  # is_open unticked: closed
    # a closed class answers like a wrong code: a guesser learns nothing
    assert "No class has that code." in join(app.test_client(), klass["code"], "Al").get_data(
        as_text=True)
    student.submit(RIGHT, fields=fields)
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 0


def test_one_attempt_class_sends_a_second_try_to_the_results(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(page, {"name": "8B", "is_open": "y", "one_attempt": "y"}, form_page=page)
    student = Student(app.test_client())
    join(student.client, klass["code"], "Sam")
    first = student.submit(RIGHT).headers["Location"]
    again = student.client.get("/sets/all-types/quiz")
    assert again.headers["Location"] == first
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 1


def test_held_explanations_show_the_score_only_until_released(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(page, {"name": "8B", "is_open": "y", "hold_explanations": "y"}, form_page=page)
    student = Student(app.test_client())
    join(student.client, klass["code"], "Sam")
    results = student.submit(RIGHT).headers["Location"]
    held = student.client.get(results).get_data(as_text=True)
    assert "you scored 7 out of 7" in held and "RIGHT-A" not in held
    assert "Your teacher will release which answers were right" in held
    assert "verdict-" not in held and "By skill" not in held  # no badge to probe the key
    teacher.post(page, {"name": "8B", "is_open": "y"}, form_page=page)  # release
    assert "RIGHT-A" in student.client.get(results).get_data(as_text=True)


def test_merge_duplicate_names_moves_attempts(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    for name in ("Sam", "Sam B"):
        s = Student(app.test_client())
        join(s.client, klass["code"], name)
        s.submit(RIGHT)
    ids = dict(db.execute("SELECT name, id FROM student").fetchall())
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(f"{page}/merge", {"source": ids["Sam B"], "target": ids["Sam"]}, form_page=page)
    assert db.execute("SELECT name FROM student").fetchall()[0][0] == "Sam"
    assert db.execute("SELECT count(*) FROM attempt WHERE student_id = ?",
                      (ids["Sam"],)).fetchone()[0] == 2


def test_remove_student_deletes_their_attempts(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    s = Student(app.test_client())
    join(s.client, klass["code"], "Sam")
    s.submit(RIGHT)
    sid = db.execute("SELECT id FROM student").fetchone()[0]
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(f"{page}/students/{sid}/remove", form_page=page)
    assert db.execute("SELECT count(*) FROM student").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 0


def test_deleting_a_class_asks_first_then_removes_its_students_and_attempts(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    student = Student(app.test_client())
    join(student.client, klass["code"], "Sam")
    results = student.submit(RIGHT).headers["Location"]
    url = f"/teacher/classes/{klass['id']}/delete"
    confirm = teacher.get(url).get_data(as_text=True)
    assert "Delete this class?" in confirm
    assert "Its students and all their attempts are deleted." in confirm
    assert db.execute("SELECT count(*) FROM class").fetchone()[0] == 1  # asking deleted nothing
    response = teacher.post(url, form_page=url)
    assert response.headers["Location"] == "/teacher/"
    assert "Deleted the class 8B." in teacher.get("/teacher/").get_data(as_text=True)
    for table in ("class", "student", "attempt", "response"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert student.client.get(results).status_code == 404
    assert "No class has that code." in join(app.test_client(), klass["code"], "Al").get_data(
        as_text=True)


def test_leaving_a_class_forgets_it_on_this_device_only(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    student = Student(app.test_client())
    join(student.client, klass["code"], "Sam")
    page = student.client.get("/class").get_data(as_text=True)
    assert "You are in this class as <strong>Sam</strong>" in page
    response = student.client.post("/class/leave", data={"csrf_token": hidden(page, "csrf_token")})
    assert response.headers["Location"] == "/"
    assert student.client.get("/class").headers["Location"] == "/join"
    start = soup(student.client.get("/sets/all-types").get_data(as_text=True))
    assert start.find("input", attrs={"name": "name"})  # asked for a name again
    assert "You are answering as" not in start.get_text()
    # The teacher's roster keeps Sam: leaving only forgets the class in this browser.
    assert [r[0] for r in db.execute("SELECT name FROM student")] == ["Sam"]


def test_rejoining_with_the_same_name_is_the_same_student(teacher, db, app):
    klass = make_class(teacher, db)
    join(app.test_client(), klass["code"], "Sam")
    join(app.test_client(), klass["code"], "sam")
    assert db.execute("SELECT count(*) FROM student").fetchone()[0] == 1


def test_another_teacher_gets_404_for_every_owned_thing(teacher, other_teacher, db):
    klass = make_class(teacher, db)
    set_id = own_copy(teacher, db)
    for path in (f"/teacher/sets/{set_id}", f"/teacher/sets/{set_id}/preview",
                 f"/teacher/sets/{set_id}/key", f"/teacher/sets/{set_id}/export.yaml",
                 f"/teacher/sets/{set_id}/delete", f"/teacher/sets/{set_id}/edit",
                 f"/teacher/classes/{klass['id']}", f"/teacher/classes/{klass['id']}/delete"):
        assert other_teacher.get(path).status_code == 404, path
    for path in (f"/teacher/sets/{set_id}/publish", f"/teacher/sets/{set_id}/copy",
                 f"/teacher/sets/{set_id}/delete", f"/teacher/classes/{klass['id']}/sets",
                 f"/teacher/classes/{klass['id']}/merge"):
        assert other_teacher.post(path).status_code == 404, path
    assert db.execute("SELECT count(*) FROM class").fetchone()[0] == 1


def test_teacher_flow_import_assign_join_submit_see_attempt(teacher, db, app):
    response = upload(teacher, "set.yaml", ALL_TYPES.read_text())
    set_id = int(response.headers["Location"].rsplit("/", 1)[1])
    teacher.post(f"/teacher/sets/{set_id}/publish")
    slug = db.execute("SELECT slug FROM question_set WHERE id = ?", (set_id,)).fetchone()[0]
    klass = make_class(teacher, db)
    assign(teacher, klass, set_id)
    student = Student(app.test_client())
    join(student.client, klass["code"], "Ada")
    student.submit(RIGHT, slug=slug)
    page = soup(teacher.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True))
    latest = page.find(id="attempts-h").find_next("table").find("tbody").find_all("tr")
    assert [cell.get_text(strip=True) for cell in latest[0].find_all("td")][:3] == [
        "Ada", "Every type <em>once</em>", "7 / 7"]


def test_a_set_without_questions_cannot_be_published(teacher, db):
    page = "/teacher/sets/new"
    response = teacher.post(page, {
        "title": "Empty", "intro": "Nothing yet.", "takeaways": "Later.",
        "article_title": "A headline", "outlet": "Paper", "text": "One sentence here."},
        form_page=page)
    set_id = int(response.headers["Location"].split("/")[-2])
    html = teacher.post(f"/teacher/sets/{set_id}/publish", follow_redirects=True).get_data(
        as_text=True)
    assert "Add at least one question before publishing." in html
    assert db.execute("SELECT published FROM question_set WHERE id = ?",
                      (set_id,)).fetchone()[0] == 0


def test_a_taken_name_needs_its_rejoin_code_and_never_opens_a_classmate(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    page = f"/teacher/classes/{klass['id']}"
    teacher.post(page, {"name": "8B", "is_open": "y", "one_attempt": "y"}, form_page=page)
    sam = Student(app.test_client())
    join(sam.client, klass["code"], "Sam")
    results = sam.submit(RIGHT).headers["Location"]
    code = db.execute("SELECT rejoin_code FROM student WHERE name = 'Sam'").fetchone()[0]
    shown = soup(sam.client.get("/class").get_data(as_text=True)).find(string=re.compile(
        "Your rejoin code")).parent
    assert shown.find("strong").get_text() == code
    assert code in teacher.get(page).get_data(as_text=True)  # in the roster

    eve = Student(app.test_client())
    html = join(eve.client, klass["code"], "sam").get_data(as_text=True)
    assert "already joined as sam" in html and 'name="rejoin"' in html
    assert eve.client.get("/sets/all-types/quiz").status_code == 302  # not in the class
    assert eve.client.get(results).status_code == 403
    wrong = eve.client.post("/join", data={"csrf_token": hidden(html, "csrf_token"),
                                           "code": klass["code"], "name": "sam",
                                           "rejoin": "WRONG1"})
    assert "That rejoin code is not right" in wrong.get_data(as_text=True)
    assert eve.client.get(results).status_code == 403

    phone = Student(app.test_client())
    page_html = phone.client.get("/join").get_data(as_text=True)
    right = phone.client.post("/join", data={"csrf_token": hidden(page_html, "csrf_token"),
                                             "code": klass["code"], "name": "Sam",
                                             "rejoin": code.lower()})
    assert right.headers["Location"] == "/class"
    assert "you scored 7 out of 7" in phone.client.get(results).get_data(as_text=True)


def test_teacher_resets_a_rejoin_code(teacher, other_teacher, db, app):
    klass = make_class(teacher, db)
    join(app.test_client(), klass["code"], "Sam")
    sid, old = db.execute("SELECT id, rejoin_code FROM student").fetchone()
    url = f"/teacher/classes/{klass['id']}/students/{sid}/rejoin"
    assert other_teacher.post(url).status_code == 404
    assert teacher.client.post(url).status_code == 400  # no CSRF token: nothing changes
    assert db.execute("SELECT rejoin_code FROM student").fetchone()[0] == old
    teacher.post(url)
    new = db.execute("SELECT rejoin_code FROM student").fetchone()[0]
    assert new != old and len(new) == 6 and set(new) <= set(JOIN_CODE_ALPHABET)


def test_a_removed_student_gets_the_quiz_back_with_every_answer(teacher, db, app):
    klass = make_class(teacher, db)
    assign(teacher, klass, bundled_id(db))
    sam = Student(app.test_client())
    join(sam.client, klass["code"], "Sam")
    _, fields = sam.open_quiz()
    sid = db.execute("SELECT id FROM student").fetchone()[0]
    teacher.post(f"/teacher/classes/{klass['id']}/students/{sid}/remove",
                 form_page=f"/teacher/classes/{klass['id']}")
    response = sam.submit(dict(RIGHT), fields=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "removed your name" in html
    assert 'value="test GAZETTE!"' in html
    assert option_checked(sam.client, html, "q-choice", "a")
    assert db.execute("SELECT count(*) FROM attempt").fetchone()[0] == 0


def test_wrong_join_codes_are_throttled_per_address(app, db):
    app.config["JOIN_ATTEMPTS"] = 3
    client = app.test_client()
    for _ in range(3):
        assert "No class has that code." in join(client, "ZZZZZZ", "x").get_data(as_text=True)
    response = join(client, "ZZZZZZ", "x")
    assert response.status_code == 429 and "Wait 15 minutes" in response.get_data(as_text=True)


def test_old_wrong_join_codes_are_forgotten(app, db):
    # A failure from two windows ago is deleted at the next wrong code, so the table keeps
    # only one window's guesses.
    db.execute("INSERT INTO join_failure (address, at) VALUES ('127.0.0.1', 1.0)")
    db.commit()
    join(app.test_client(), "ZZZZZZ", "x")
    assert [row[0] for row in db.execute("SELECT at FROM join_failure")] != [1.0]
    assert db.execute("SELECT count(*) FROM join_failure WHERE at = 1.0").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM join_failure").fetchone()[0] == 1
