"""Score summaries at scale: each summary page and the CSV export at 1k, 10k and 100k attempts.

    .venv/bin/python benchmarks/summaries.py                  # 1k, 10k, 100k attempts; ~2 min
    .venv/bin/python benchmarks/summaries.py --students half  # one student per two attempts
    .venv/bin/python benchmarks/summaries.py --sizes 1000 10000 --repeat 3
    .venv/bin/python benchmarks/summaries.py --sizes 50000 --students 48000  # nearly every
                                                  # attempt by a different student
    .venv/bin/python benchmarks/summaries.py --cold 5 --sizes 50000 --students 48000
                                                  # cold: the first request after a submit

For each size, a fresh database holds one class and one bundled set (fact-claim-opinion: ten
questions of four types, two classify questions with fact / claim / hedged / opinion labels)
and N attempts by a class of 150 students (a year group sharing one class code; the rest
of the N attempts are retries), or with `--students half` by N / 2 students, the worst case
for item analysis: every summary then works over half of all attempts. Students differ in
ability and items in difficulty and discrimination (a two-parameter logistic model; one item
deliberately discriminates badly); the class leans sceptical on classify statements. Every
attempt is scored by quiz/scoring.py, exactly as a submitted quiz is.

Each page is fetched through the Flask test client (a real request: routing, login, SQL,
template), once to warm up and then `--repeat` times; the median is reported, with its ratio
to a baseline measured in the same run (the student home page, which reads one small table),
and the growth from 10k to 100k attempts (10.0 would be exactly linear).

`--cold N` measures what a teacher meets after students submit: N times, a fresh attempt is
submitted through the real submit path (`transactions.record_attempt`; by turns a new
student, a retry, a student's second retry), then the first request of each summary page
is timed (every kept summary is brought up to date with the new attempt), then the same
request again with every kept summary dropped from memory, as after a restart (read from its
snapshot on disk, `quiz/caches.py`, and brought up to date), and then once more with the
snapshots deleted too (counted anew from every attempt). It reports,
per page, the median and range of the wall time and of the CPU time of those requests.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz import caches, create_app, queries, scoring, transactions
from quiz.cli import prepare
from quiz.db import connect

SLUG = "fact-claim-opinion"
TARGET_MS = 300
SIZES = (1_000, 10_000, 100_000)


# Filling a database ----------------------------------------------------------------------

def _p(theta: float, a: float, b: float) -> float:
    """Two-parameter logistic: the chance that a student of ability theta gets a part right."""
    return 1 / (1 + math.exp(-1.7 * a * (theta - b)))


def _item_params(document: dict, rng: random.Random) -> dict[str, tuple[float, float]]:
    base = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
    params = {q["id"]: (rng.uniform(0.8, 1.6), base[q["difficulty"]] + rng.gauss(0, 0.3))
              for q in document["questions"]}
    last = document["questions"][-1]["id"]
    params[last] = (0.05, params[last][1])  # an item that does not discriminate: flagged
    return params


def _answer(q: dict, theta: float, a: float, b: float, rng: random.Random):
    """A plausible answer of a student of ability theta to question q."""
    p = _p(theta, a, b)
    if rng.random() < 0.02:
        return None  # left blank
    kind = q["type"]
    if kind == "choice":
        right = next(o["id"] for o in q["options"] if o["correct"])
        wrong = [o["id"] for o in q["options"] if not o["correct"]]
        # The first distractor is the attractive one.
        return right if rng.random() < p else rng.choices(wrong, [3] + [1] * (len(wrong) - 1))[0]
    if kind == "multi":
        picked = sorted(o["id"] for o in q["options"]
                        if rng.random() < (p if o["correct"] else (1 - p) * 0.5))
        return picked or None
    if kind == "classify":
        labels = [lab["id"] for lab in q["labels"]]
        answer = {}
        for s in q["statements"]:
            if rng.random() < p:
                answer[s["id"]] = s["label"]
            elif s["label"] == "fact" and "claim" in labels and rng.random() < 0.7:
                answer[s["id"]] = "claim"  # the sceptical slip: a fact called a mere claim
            else:
                answer[s["id"]] = rng.choice([x for x in labels if x != s["label"]])
        return answer
    if kind == "evidence":
        right = [x["sentence"] for x in q["answers"]]
        others = [d["sentence"] for d in q["distractors"]] or [1]
        picked = {n for n in right if rng.random() < p}
        if rng.random() > p:
            picked.add(rng.choice(others))
        return sorted(picked) or None
    if kind == "order":
        ids = [i["id"] for i in q["items"]]
        if rng.random() >= p:
            ids = ids[:]
            i = rng.randrange(len(ids) - 1)
            ids[i], ids[i + 1] = ids[i + 1], ids[i]
        return {iid: n for n, iid in enumerate(ids, start=1)}
    return q["answers"][0]["text"] if rng.random() < p else rng.choice(
        [w["text"] for w in q.get("wrong_answers", [])] or ["no idea"])


def fill(db, class_id: int, version_id: int, document: dict, attempts: int,
         n_students: int, seed: int = 1) -> None:
    """Add *attempts* scored attempts by *n_students* students of one class at one set."""
    rng = random.Random(seed)
    params = _item_params(document, rng)
    n_students = min(n_students, attempts)
    students = [(queries.insert_student(db, class_id, f"Student {n:06d}"), rng.gauss(0, 1))
                for n in range(n_students)]
    # Each student has at least one attempt; the rest are retries by random students.
    who = list(students) + [rng.choice(students) for _ in range(attempts - n_students)]
    start = time.time() - 90 * 86400
    scored: dict[tuple[str, str], scoring.Result] = {}
    attempt_rows, response_rows = [], []
    for n, (student_id, theta) in enumerate(who):
        theta += 0.3 * (n >= n_students)  # a retry goes a little better
        answers = {q["id"]: _answer(q, theta, *params[q["id"]], rng)
                   for q in document["questions"]}
        results = {}
        for q in document["questions"]:
            key = (q["id"], json.dumps(answers[q["id"]], sort_keys=True))
            if key not in scored:
                scored[key] = scoring.score(q, answers[q["id"]])
            results[q["id"]] = scored[key]
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                             time.gmtime(start + 90 * 86400 * n / len(who)))
        attempt_id = n + 1
        attempt_rows.append((attempt_id, secrets.token_urlsafe(12), f"k{attempt_id}",
                             version_id, f"Student {student_id}", sum(
                                 r.points for r in results.values()),
                             sum(r.max_points for r in results.values()), class_id,
                             student_id, when))
        response_rows.extend(
            (attempt_id, q["id"], pos, None if scoring.is_blank(answers[q["id"]])
             else json.dumps(answers[q["id"]]), results[q["id"]].points,
             results[q["id"]].max_points, results[q["id"]].verdict)
            for pos, q in enumerate(document["questions"]))
    db.executemany(
        """INSERT INTO attempt (id, token, submit_key, version_id, student_name, points,
                                max_points, class_id, student_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", attempt_rows)
    db.executemany(
        """INSERT INTO response (attempt_id, question_id, position, answer, points, max_points,
                                 verdict) VALUES (?, ?, ?, ?, ?, ?, ?)""", response_rows)
    db.execute("ANALYZE")


def build(folder: Path, attempts: int, students: int):
    """A fresh app and database with one teacher, one class and *attempts* attempts."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "DATABASE": str(folder / "bench.sqlite")})
    prepare(app)
    db = connect(app.config["DATABASE"])
    with db:
        teacher_id = queries.insert_teacher(db, "bench", "not-a-hash")
        class_id = queries.insert_class(db, teacher_id, "Benchmark class", "BENCH2")
        row = queries.set_by_slug(db, SLUG)
        queries.replace_class_sets(db, class_id, [row["id"]])
        fill(db, class_id, row["version_id"], caches.shared_document(db, row), attempts,
             students)
    db.close()
    return app, teacher_id, class_id, row["id"]


# Timing the pages ------------------------------------------------------------------------

PAGES = [
    ("baseline: student home page", "/"),
    ("class overview", "/teacher/classes/{c}/summary/"),
    ("set summary, first attempts", "/teacher/classes/{c}/summary/sets/{s}"),
    ("set summary, best attempts", "/teacher/classes/{c}/summary/sets/{s}?pick=best"),
    ("set summary, latest attempts", "/teacher/classes/{c}/summary/sets/{s}?pick=latest"),
    ("set summary, all attempts", "/teacher/classes/{c}/summary/sets/{s}?pick=all"),
    ("student grid, page 1", "/teacher/classes/{c}/summary/sets/{s}/students"),
    ("one student's attempts", "/teacher/classes/{c}/summary/students/{st}"),
    ("one attempt, teacher view", "/teacher/classes/{c}/summary/attempts/{t}"),
    ("CSV: student grid (all)", "/teacher/classes/{c}/summary/sets/{s}/students.csv"),
    ("CSV: question table", "/teacher/classes/{c}/summary/sets/{s}/questions.csv"),
    ("CSV: class scores (all)", "/teacher/classes/{c}/summary/scores.csv"),
]


def time_pages(app, teacher_id: int, class_id: int, set_id: int, repeat: int) -> dict:
    """Median milliseconds per page (one warm-up request first)."""
    db = connect(app.config["DATABASE"])
    student_id, token = db.execute(
        "SELECT student_id, token FROM attempt WHERE class_id = ? ORDER BY id LIMIT 1",
        (class_id,)).fetchone()
    db.close()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(teacher_id)
        session["_fresh"] = True
    result = {}
    for name, url in PAGES:
        url = url.format(c=class_id, s=set_id, st=student_id, t=token)
        times = []
        for n in range(repeat + 1):
            start = time.perf_counter()
            response = client.get(url)
            response.get_data()
            if n:
                times.append(1000 * (time.perf_counter() - start))
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
        result[name] = statistics.median(times)
    return result


COLD_PAGES = [p for p in PAGES if "set summary" in p[0] or "question table" in p[0]]


def time_cold(app, teacher_id: int, class_id: int, set_id: int, submits: int,
              restarts: bool = True) -> tuple[dict, dict, dict]:
    """Per page: (wall ms, CPU ms) of the first request after each of *submits* submits
    (the summary brought up to date), and with *restarts* the same request again with
    every summary dropped from memory, as after a restart (read from its snapshot on disk
    and brought up to date), then once more without the snapshots too (counted from every
    attempt, and the snapshot written again)."""
    db = connect(app.config["DATABASE"])
    row = queries.set_by_slug(db, SLUG)
    document = caches.shared_document(db, row)
    params = _item_params(document, random.Random(1))
    rng = random.Random(7)
    known = [r[0] for r in db.execute(
        "SELECT id FROM student WHERE class_id = ? ORDER BY id LIMIT 50", (class_id,))]
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(teacher_id)
        session["_fresh"] = True
    for _, url in COLD_PAGES:  # warm the code paths and the page cache once
        client.get(url.format(c=class_id, s=set_id)).get_data()
    result: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in COLD_PAGES}
    restarted: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in COLD_PAGES}
    unkept: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in COLD_PAGES}
    snapshots = caches.snapshot_folder(app.config["DATABASE"])
    for n in range(submits):
        # Varied: a new student, then a retry, then a second retry of the same student.
        if n % 3 == 0:
            student_id = transactions.join_class(db, class_id, f"Late {n:03d}")
        else:
            student_id = known[n % len(known)]
        theta = rng.gauss(0, 1)
        answers = {q["id"]: _answer(q, theta, *params[q["id"]], rng)
                   for q in document["questions"]}
        transactions.record_attempt(db, row["version_id"], document, answers, "bench",
                                    f"cold-{n}", class_id=class_id, student_id=student_id)
        _time_each(client, class_id, set_id, result)
        if restarts:  # the same pages again with nothing in memory: read from the snapshot
            caches._SUMMARIES.clear()
            _time_each(client, class_id, set_id, restarted)
            caches._SUMMARIES.clear()  # and with no snapshot either: counted from every attempt
            for path in snapshots.glob("*.json"):
                path.unlink()
            _time_each(client, class_id, set_id, unkept)
    db.close()
    return result, restarted, unkept


def _time_each(client, class_id: int, set_id: int, result: dict) -> None:
    for name, url in COLD_PAGES:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url.format(c=class_id, s=set_id))
        response.get_data()
        result[name].append((1000 * (time.perf_counter() - wall),
                             1000 * (time.process_time() - cpu)))
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")


def cold_table(results: dict[str, list[tuple[float, float]]], title: str) -> str:
    lines = [title, "", f"{'page':32s}{'wall median':>12s}{'range':>16s}{'CPU median':>12s}"
                        f"{'range':>16s}{'<300 ms':>9s}"]
    lines.append("-" * len(lines[-1]))
    for name, times in results.items():
        wall, cpu = [t[0] for t in times], [t[1] for t in times]
        lines.append(f"{name:32s}{statistics.median(wall):12.0f}"
                     f"{f'{min(wall):.0f}-{max(wall):.0f}':>16s}{statistics.median(cpu):12.0f}"
                     f"{f'{min(cpu):.0f}-{max(cpu):.0f}':>16s}"
                     f"{'yes' if max(cpu) < TARGET_MS else 'NO':>9s}")
    return "\n".join(lines)


def table(results: dict[int, dict], title: str) -> str:
    sizes = sorted(results)
    base = PAGES[0][0]
    lines = [title, ""]
    head = f"{'page':32s}" + "".join(f"{f'{n:,} ms':>12s}{'x base':>8s}" for n in sizes)
    if 10_000 in results and 100_000 in results:
        head += f"{'10k->100k':>11s}"
    head += f"{'<300 ms':>9s}"
    lines += [head, "-" * len(head)]
    for name, _ in PAGES:
        line = f"{name:32s}"
        for n in sizes:
            ms = results[n][name]
            line += f"{ms:12.1f}{ms / results[n][base]:8.1f}"
        if 10_000 in results and 100_000 in results:
            line += f"{results[100_000][name] / results[10_000][name]:11.2f}"
        line += f"{'yes' if results[sizes[-1]][name] < TARGET_MS else 'NO':>9s}"
        lines.append(line)
    return "\n".join(lines)


def run(sizes: list[int], students: str, repeat: int, cold: int = 0) -> dict[int, dict]:
    results = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            count = n // 2 if students == "half" else int(students)
            start = time.perf_counter()
            app, teacher_id, class_id, set_id = build(Path(folder), n, count)
            built = time.perf_counter() - start
            if cold:
                results[n] = time_cold(app, teacher_id, class_id, set_id, cold)
            else:
                results[n] = time_pages(app, teacher_id, class_id, set_id, repeat)
            print(f"  {n:>7,} attempts by {min(count, n):,} students: filled in {built:.0f} s, "
                  f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--students", default="150",
                        help="students in the class: a number, or 'half' (one per two attempts)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", type=int, default=0, metavar="N",
                        help="time the first request after each of N fresh submits instead")
    args = parser.parse_args()
    results = run(args.sizes, args.students, args.repeat, args.cold)
    who = ("attempts / 2 students" if args.students == "half"
           else f"{args.students} students (the rest are retries)")
    if args.cold:
        for n, (found, restarted, unkept) in results.items():
            print(cold_table(found, f"Cold score summaries: {n:,} attempts by {who}; the first "
                                    f"request after each of {args.cold} fresh submits "
                                    f"(milliseconds); 2-core machine."))
            print()
            print(cold_table(restarted, f"The same after a restart (each summary read from "
                                        f"its snapshot and brought up to date): {n:,} "
                                        f"attempts by {who}."))
            print()
            print(cold_table(unkept, f"The same after a restart with no snapshot (every "
                                     f"summary counted from every attempt, and its snapshot "
                                     f"written): {n:,} attempts by {who}."))
        return
    print(table(results, f"Score summaries: one class and one set ({SLUG}), {who}; "
                         f"median of {args.repeat} requests through the Flask test client, "
                         f"ratio to the baseline page in the same run; 2-core machine."))


if __name__ == "__main__":
    main()
