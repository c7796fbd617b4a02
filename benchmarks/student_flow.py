"""A student's whole visit in bare-Flask-hello units: every student page and the submit.

    .venv/bin/python benchmarks/student_flow.py [--rounds 7] [--series 20] [--alternations 5]
    .venv/bin/python benchmarks/student_flow.py --quick
    .venv/bin/python benchmarks/student_flow.py --burst-json out.json   # class_burst --json

In one process, no server and no client (issue 17, "Benchmark hygiene"): each request is
Flask's WSGI call on a prepared environ, and its CPU time (`time.process_time`) is compared
with a bare Flask hello (`benchmarks/hello_app.py`'s app) measured A/B interleaved with it:
each round alternates short series of hellos and of the step, so drift on a shared machine
hits both alike. Printed: per step the CPU ms and the hellos (medians [min-max] over the
rounds), issue 17's targets as met or not, and the capacity of one 2-core server at 70 % CPU.

The inputs vary as a class's would: a pool of distinct students, each with its own session
cookie, CSRF token and quiz page, every submit with its own page key and its own answers
(right, wrong and blank mixed), every join with its own name. Everything a request needs is
prepared before the clock starts. The steps:
- start page: GET /sets/<slug> on a first visit (no cookie: the app makes the session);
- post name: POST the name with that visit's cookie and CSRF token (302);
- quiz page: GET the quiz with the named student's cookie (the page makes its key, 200);
- submit: POST an answer sheet (303; scored and stored);
- results: GET one of the student's own attempts (200);
- class join: POST /join with the class code and a new name (302), and class home: GET /class.

In-process CPU leaves out what the server itself spends per request (HTTP parsing, the
socket, the worker's loop): give class_burst.py's served "server CPU per flow" beside it
(--burst-json) for capacity that counts it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import CSRF, ROOT, SLUG, QuizPage, answer_sheet, set_document

FLOW = ["start page", "post name", "quiz page", "submit", "results"]
CLASS = ["class join", "class home"]
TARGETS = {"start page": 10, "post name": 10, "quiz page": 25, "submit": 12, "results": 25}
CORES, BUSY = 2, 0.70  # capacity: one 2-core server at 70 % CPU
MIX = "r" * 6 + "w" * 3 + "b"  # each answer: right 60 %, wrong 30 %, blank 10 %


def median_range(values: list[float], fmt: str) -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return (f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}-"
            f"{fmt.format(max(values))}]")


class Students:
    """A pool of distinct students, each set up through the app as its browser would."""

    def __init__(self, app, count: int, rng: random.Random):
        from quiz import queries, transactions
        from quiz.db import get_db
        from quiz.views.auth import create_teacher

        self.app, self.rng, self.document = app, rng, set_document()
        self.secret = app.config["SECRET_KEY"]
        with app.app_context():
            db = get_db()
            teacher = create_teacher(db, "flow-teacher", "flow-password-1234")
            class_id = transactions.create_class(db, teacher, "Flow class")
            transactions.assign_sets(db, class_id, [r["id"] for r in queries.published_sets(db)])
            self.code = queries.class_by_id(db, class_id)["code"]
        self.pool = [self._student(n) for n in range(count)]
        self.joins = 0

    def _marks(self) -> str:
        return "".join(self.rng.choice(MIX) for _ in self.document["questions"])

    def _student(self, n: int) -> dict:
        client = self.app.test_client()

        def cookie() -> str:
            return f"session={client.get_cookie('session').value}"

        page = client.get(f"/sets/{SLUG}").get_data(as_text=True)
        me = {"name": f"Student {n}", "start_cookie": cookie(),
              "start_csrf": CSRF.search(page).group(1)}
        response = client.post(f"/sets/{SLUG}", data={"csrf_token": me["start_csrf"],
                                                      "name": me["name"]})
        assert response.status_code == 302, response.status_code
        me["named_cookie"] = cookie()
        html = client.get(f"/sets/{SLUG}/quiz").get_data(as_text=True)
        me["page"], me["quiz_cookie"] = QuizPage.read(html, self.document), cookie()
        me["results"] = []
        for _ in range(3):  # attempts of its own to read back, each scored differently
            page = QuizPage.read(client.get(f"/sets/{SLUG}/quiz").get_data(as_text=True),
                                 self.document)
            response = client.post(f"/sets/{SLUG}/quiz",
                                   data=answer_sheet(self.document, page, self._marks()))
            assert response.status_code == 303, response.status_code
            me["results"].append(response.headers["Location"].split("://", 1)[-1]
                                 .partition("/results/")[2])
        joiner = self.app.test_client()
        page = joiner.get("/join").get_data(as_text=True)
        me["join_cookie"] = f"session={joiner.get_cookie('session').value}"
        me["join_csrf"] = CSRF.search(page).group(1)
        response = joiner.post("/join", data={"csrf_token": me["join_csrf"], "code": self.code,
                                              "name": f"Member {n}"})
        assert response.status_code == 302, response.status_code
        me["class_cookie"] = f"session={joiner.get_cookie('session').value}"
        return me

    def requests(self, step: str, count: int) -> list[tuple[str, str, bytes, str, str]]:
        """*count* requests of a step, each (method, path, body, cookie, expected status),
        going round the pool."""
        out = []
        for i in range(count):
            me = self.pool[i % len(self.pool)]
            if step == "start page":
                out.append(("GET", f"/sets/{SLUG}", b"", "", "200"))
            elif step == "post name":
                out.append(("POST", f"/sets/{SLUG}", urlencode(
                    {"csrf_token": me["start_csrf"], "name": me["name"]}).encode(),
                    me["start_cookie"], "302"))
            elif step == "quiz page":
                out.append(("GET", f"/sets/{SLUG}/quiz", b"", me["named_cookie"], "200"))
            elif step == "submit":
                page = QuizPage.computed(self.secret, me["page"].csrf, me["page"].version_id)
                sheet = answer_sheet(self.document, page, self._marks())
                out.append(("POST", f"/sets/{SLUG}/quiz", urlencode(sheet, doseq=True).encode(),
                            me["quiz_cookie"], "303"))
            elif step == "results":
                token = me["results"][(i // len(self.pool)) % len(me["results"])]
                out.append(("GET", f"/results/{token}", b"", me["quiz_cookie"], "200"))
            elif step == "class join":
                self.joins += 1
                out.append(("POST", "/join", urlencode({
                    "csrf_token": me["join_csrf"], "code": self.code,
                    "name": f"Joiner {self.joins}"}).encode(), me["join_cookie"], "302"))
            elif step == "class home":
                out.append(("GET", "/class", b"", me["class_cookie"], "200"))
            else:
                raise ValueError(step)
        return out


def cpu(call, requests) -> float:
    """CPU seconds to send *requests* through *call*; refuse any unexpected status."""
    started = time.process_time()
    for method, path, body, cookie, expect in requests:
        status, _ = call(method, path, body, cookie)
        if not status.startswith(expect):
            raise RuntimeError(f"{method} {path} answered {status}, expected {expect}")
    return time.process_time() - started


def measure(app, steps: list[str], args) -> dict[str, list[tuple[float, float]]]:
    """Per step, per round: (step ms, hello ms), A/B interleaved in short series."""
    import hello_app
    from submit_parts import wsgi_caller

    call, hello_call = wsgi_caller(app.wsgi_app), wsgi_caller(hello_app.app.wsgi_app)
    students = Students(app, args.students, random.Random(17))
    hello = [("GET", "/", b"", "", "200")] * args.series
    out: dict[str, list[tuple[float, float]]] = {step: [] for step in steps}
    for step in steps:  # warm up every page and its caches
        cpu(call, students.requests(step, 20))
    cpu(hello_call, hello)
    for n in range(args.rounds):
        for step in steps:
            batches = [students.requests(step, args.series) for _ in range(args.alternations)]
            page_s = hello_s = 0.0
            for batch in batches:
                hello_s += cpu(hello_call, hello)
                page_s += cpu(call, batch)
            count = args.series * args.alternations
            out[step].append((1000 * page_s / count, 1000 * hello_s / count))
        print(f"round {n + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    return out


def served_flow_ms(path: str | None) -> list[float]:
    """class_burst.py's server CPU per student (ms per whole flow), from its --json file."""
    if not path:
        return []
    import json

    runs = json.loads(Path(path).read_text())
    return [r["burst_cpu_per_flow"] for variant in runs.values() for r in variant]


def per_minute(flow_ms: float) -> float:
    return CORES * BUSY * 60_000 / flow_ms


def report(results: dict[str, list[tuple[float, float]]], args) -> None:
    print(f"\n## A student's visit in-process: CPU per request in bare-Flask-hello units\n\n"
          f"{args.rounds} rounds; each alternates {args.alternations} series of {args.series} "
          f"hellos and {args.series} requests of the step; {args.students} students; "
          f"median [min-max] over the rounds.\n")
    print("| step | ms | hellos | issue 17 target | met |")
    print("|---|---|---|---|---|")
    hellos_all = [h for rows in results.values() for _, h in rows]
    print(f"| bare Flask hello | {median_range(hellos_all, '{:.3f}')} | 1 | | |")
    for step, rows in results.items():
        ms, ratio = [m for m, _ in rows], [m / h for m, h in rows]
        target = TARGETS.get(step)
        met = "" if target is None else ("met" if statistics.median(ratio) <= target
                                         else "NOT met")
        print(f"| {step} | {median_range(ms, '{:.3f}')} | {median_range(ratio, '{:.1f}')} "
              f"| {f'<= {target}' if target else '-'} | {met} |")
    flows = [sum(results[s][n][0] for s in FLOW) for n in range(args.rounds)]
    units = [sum(results[s][n][0] / results[s][n][1] for s in FLOW) for n in range(args.rounds)]
    print(f"| whole flow ({', '.join(FLOW)}) | {median_range(flows, '{:.2f}')} "
          f"| {median_range(units, '{:.1f}')} | | |")
    capacity = [per_minute(f) for f in flows]
    print(f"\nCapacity of one {CORES}-core server at {BUSY:.0%} CPU, from the in-process CPU "
          f"per whole flow: {median_range(capacity, '{:,.0f}')} students per minute. "
          "In-process CPU omits the server's own per-request cost (HTTP parsing, sockets, "
          "the worker loop), so this is an upper bound.")
    served = served_flow_ms(args.burst_json)
    if served:
        print(f"Served (class_burst.py's server CPU per student in its burst, "
              f"{median_range(served, '{:.1f}')} ms per flow): "
              f"{median_range([per_minute(s) for s in served], '{:,.0f}')} students per minute.")
    else:
        print("Served figure: run class_burst.py --json FILE and pass it as --burst-json.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--series", type=int, default=20, help="requests per short series")
    parser.add_argument("--alternations", type=int, default=5,
                        help="hello/step series pairs per step per round")
    parser.add_argument("--students", type=int, default=40, help="distinct students")
    parser.add_argument("--no-class", action="store_true", help="skip class join and home")
    parser.add_argument("--burst-json", help="class_burst.py --json output: served CPU per flow")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 rounds, 10 students")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.alternations, args.students = 2, 2, 10
    os.environ["SOURCECHECK_INSTANCE"] = tempfile.mkdtemp(prefix="student_flow-")

    import quiz
    from quiz import create_app
    from quiz.cli import prepare

    measured = Path(quiz.__file__).resolve().parent
    if measured != ROOT / "quiz":
        raise SystemExit(f"imported {measured}, not {ROOT / 'quiz'}: check PYTHONPATH")
    print(f"Measured code: {measured}")
    app = create_app()
    with contextlib.redirect_stdout(io.StringIO()):
        prepare(app)
    started = time.monotonic()
    results = measure(app, FLOW + ([] if args.no_class else CLASS), args)
    report(results, args)
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
