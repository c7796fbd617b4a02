"""A set summary kept on disk gives a restarted worker the same summary without recounting.

The counts of each (database, class, set, pick) are written to summaries/ beside the
database (`caches._write_snapshot`); a worker whose memory holds nothing reads them, checks
they still fit the database, and catches up from the attempts made since. A snapshot that is
corrupt, of another class or format, or that a removed student made stale, is ignored and the
summary counted anew: never a wrong summary.
"""

from __future__ import annotations

import json
import logging
import random
import stat
from pathlib import Path

import pytest

from quiz import analysis, caches, queries, transactions
from quiz.views import summaries
from tests.test_summaries_incremental import _answer

BUILD = summaries.build_state


@pytest.fixture
def klass(app, db, monkeypatch):
    """A class at the all-types set, snapshots of every state written at once (however fast
    it counts), and a way to submit."""
    monkeypatch.setattr(caches, "SNAPSHOT_MIN_BUILD", 0.0)
    monkeypatch.setattr(caches, "SNAPSHOT_EVERY", 0.0)
    caches._SUMMARIES.clear()
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, "9S")
    row = queries.set_by_slug(db, "all-types")
    document = caches.shared_document(db, row)
    rng = random.Random(5)
    made = {"n": 0}

    def submit(student_id: int, skill: float | None = None) -> None:
        made["n"] += 1
        chance = rng.random() if skill is None else skill
        answers = {q["id"]: _answer(q, chance, rng) for q in document["questions"]}
        transactions.record_attempt(db, row["version_id"], document, answers, "x",
                                    f"snap{made['n']}", class_id=class_id,
                                    student_id=student_id)

    students = [transactions.join_class(db, class_id, f"Student {n}") for n in range(6)]
    for student in students * 2:
        submit(student)
    yield {"db": db, "class_id": class_id, "set_id": row["id"], "document": document,
           "students": students, "submit": submit, "app": app}
    caches._SUMMARIES.clear()


def _summary(k: dict, pick: str) -> analysis.SetSummary:
    return summaries.compute_summary(k["db"], k["class_id"], k["set_id"], k["document"], pick)


def _fresh(k: dict, pick: str) -> analysis.SetSummary:
    return BUILD(k["db"], k["class_id"], k["set_id"], k["document"], pick).summary()


def _builds(monkeypatch) -> list[str]:
    builds: list[str] = []
    monkeypatch.setattr(summaries, "build_state", lambda *a: builds.append(a[-1]) or BUILD(*a))
    return builds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_snapshot_read_back_gives_the_built_summary(db, seed):
    """Round trip through JSON, for every pick, after each of a random run of submits."""
    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, "9R")
    row = queries.set_by_slug(db, "all-types")
    document = caches.shared_document(db, row)
    rng = random.Random(seed)
    students: list[int] = []
    for step in range(24):
        if not students or rng.random() < 0.4:
            students.append(transactions.join_class(db, class_id, f"Student {step}"))
        skill = rng.choice([0.05, 0.5, 0.95])
        answers = {q["id"]: _answer(q, skill, rng) for q in document["questions"]}
        transactions.record_attempt(db, row["version_id"], document, answers, "x",
                                    f"r{seed}-{step}", class_id=class_id,
                                    student_id=rng.choice(students))
        for pick in analysis.PICKS:
            built = BUILD(db, class_id, row["id"], document, pick)
            data = json.loads(json.dumps(built.dump()))
            restored = summaries.restore_state(db, class_id, row["id"], document, pick, data)
            assert restored is not None
            assert restored.mark() == built.mark()
            assert restored.summary() == built.summary(), (step, pick)


def test_a_restarted_worker_catches_up_from_the_snapshot(klass, monkeypatch):
    k = klass
    for pick in analysis.PICKS:
        _summary(k, pick)  # built, and written to disk
    caches._SUMMARIES.clear()  # a restart: nothing in memory
    k["submit"](k["students"][0], 0.95)  # a retry ...
    k["submit"](transactions.join_class(k["db"], k["class_id"], "Newcomer"))  # ... a new student
    builds = _builds(monkeypatch)
    for pick in analysis.PICKS:
        kept = _summary(k, pick)
        assert kept == _fresh(k, pick), pick
        assert kept.overview["attempts"] == 14
    assert builds == []  # every pick read its snapshot and counted two attempts only


def test_snapshots_are_private_files_in_the_instance_folder(klass):
    for pick in analysis.PICKS:
        _summary(klass, pick)
    folder = caches.snapshot_folder(klass["app"].config["DATABASE"])
    assert folder == Path(klass["app"].config["DATABASE"]).parent / "summaries"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert len(files) == len(analysis.PICKS)
    for path in files:
        assert path.suffix == ".json"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        data = json.loads(path.read_text())  # JSON: plain data, never code
        assert data["state"]["format"] == analysis.SNAPSHOT_FORMAT
        assert data["key"][1:3] == [klass["class_id"], klass["set_id"]]


def _only_snapshot(klass: dict) -> list[Path]:
    return sorted(caches.snapshot_folder(klass["app"].config["DATABASE"]).glob("*.json"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "format", "foreign", "counts"])
def test_a_corrupt_or_foreign_snapshot_is_ignored(klass, monkeypatch, caplog, damage):
    k = klass
    _summary(k, "best")
    [path] = _only_snapshot(klass)
    text = path.read_text()
    data = json.loads(text)
    if damage == "garbage":
        path.write_bytes(b"\x80not json")
    elif damage == "truncated":
        path.write_text(text[: len(text) // 2])
    elif damage == "format":
        data["state"]["format"] += 1
        path.write_text(json.dumps(data))
    elif damage == "foreign":  # another class's counts under this name
        data["key"][1] += 1
        path.write_text(json.dumps(data))
    else:  # counts that do not match their own mark
        data["state"]["picked"] = data["state"]["picked"][1:]
        path.write_text(json.dumps(data))
    caches._SUMMARIES.clear()
    builds = _builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="quiz.caches"):
        kept = _summary(k, "best")
    assert kept == _fresh(k, "best")
    assert kept.overview["students"] == 6
    assert builds == ["best"]  # counted anew
    if damage != "format":  # another format is expected after an upgrade: quietly rebuilt
        assert "ignoring the summary snapshot" in caplog.text
    assert json.loads(path.read_text())["state"]["format"] == analysis.SNAPSHOT_FORMAT


def test_a_student_removed_after_the_snapshot_forces_a_build(klass, monkeypatch):
    k = klass
    for pick in analysis.PICKS:
        _summary(k, pick)
    caches._SUMMARIES.clear()
    transactions.remove_student(k["db"], k["students"][0])
    builds = _builds(monkeypatch)
    for pick in analysis.PICKS:
        kept = _summary(k, pick)
        assert kept == _fresh(k, pick)
        assert kept.overview["students"] == 5
    assert sorted(builds) == sorted(analysis.PICKS)


def test_merged_students_after_the_snapshot_force_a_build(klass, monkeypatch):
    k = klass
    _summary(k, "latest")
    caches._SUMMARIES.clear()
    transactions.merge_students(k["db"], k["students"][1], k["students"][2])
    builds = _builds(monkeypatch)
    kept = _summary(k, "latest")
    assert kept == _fresh(k, "latest")
    assert kept.overview["students"] == 5
    assert builds == ["latest"]


def test_a_database_made_anew_at_the_same_path_ignores_the_old_snapshot(klass, monkeypatch):
    k = klass
    _summary(k, "first")
    [path] = _only_snapshot(klass)
    data = json.loads(path.read_text())
    data["state"]["mark"][2] += 1000  # its last attempt is not in this database
    path.write_text(json.dumps(data))
    caches._SUMMARIES.clear()
    builds = _builds(monkeypatch)
    assert _summary(k, "first") == _fresh(k, "first")
    assert builds == ["first"]


def test_a_fast_class_writes_no_snapshot_and_writes_are_throttled(klass, monkeypatch):
    k = klass
    monkeypatch.setattr(caches, "SNAPSHOT_MIN_BUILD", 60.0)  # this class counts in ms
    _summary(k, "first")
    assert not caches.snapshot_folder(klass["app"].config["DATABASE"]).exists()
    monkeypatch.setattr(caches, "SNAPSHOT_MIN_BUILD", 0.0)
    monkeypatch.setattr(caches, "SNAPSHOT_EVERY", 3600.0)
    _summary(k, "best")  # built: written whatever the time since
    [path] = _only_snapshot(klass)
    before = path.read_text()
    k["submit"](k["students"][3])
    assert _summary(k, "best").overview["attempts"] == 13
    assert path.read_text() == before  # caught up, but not written again within the hour


def test_the_folder_keeps_the_newest_snapshots_only(klass, monkeypatch):
    monkeypatch.setattr(caches, "SNAPSHOTS_MAX", 2)
    for pick in analysis.PICKS:
        _summary(klass, pick)
    assert len(_only_snapshot(klass)) == 2


def test_a_class_counted_fast_again_leaves_no_old_snapshot(klass, monkeypatch):
    # A file from when the class was slow to count holds students' answers; once the class
    # counts fast (students removed), the next count must not leave it on disk.
    k = klass
    _summary(k, "best")
    assert _only_snapshot(klass)
    caches._SUMMARIES.clear()
    transactions.remove_student(k["db"], k["students"][0])
    monkeypatch.setattr(caches, "SNAPSHOT_MIN_BUILD", 60.0)
    assert _summary(k, "best") == _fresh(k, "best")
    assert _only_snapshot(klass) == []
