"""The server CPU of a submit, a start page, a name post and the cheapest request, in hellos.

    .venv/bin/python benchmarks/submit_cost.py [--rounds 9] [--series 40] [--students 40]
        [--steps submit ...]

In one process, no server and no client: each request is Flask's WSGI call on a prepared
environ. Its CPU time (`time.process_time`) is compared with a bare Flask hello
(`benchmarks/hello_app.py`'s app) measured A/B interleaved with it: each round runs a short
series of hellos, then of every step, so drift on a shared machine hits them alike. Printed:
per step the CPU ms and the hellos, medians [min-max] over the rounds, and issue 17's
targets as met or not.

The inputs vary: a pool of students, each with their own session cookie and CSRF token;
every submit has its own page key (so its own option values and signed version, computed
from the app's secret as the quiz page would) and its own answers (right or a known wrong
typed answer). Everything is prepared before the clock starts. The steps:
- cheapest: GET /sets/<slug>/quiz with no name in the session (302 to the start page);
- start page: GET /sets/<slug> with a student's cookie;
- post name: POST a name to the start page (302 to the quiz);
- submit: POST an answer sheet (303; scored and stored).

Each step's series runs right after a series of hellos, and its ratio is to that hello.

    .venv/bin/python benchmarks/submit_cost.py --compare /path/to/checkout-a /path/to/checkout-b

compares checkouts A/B interleaved: one child process per checkout (PYTHONPATH and
SOURCECHECK_CHECKOUT, which benchlib reads, set to it; the folder it imports `quiz` from is
checked), each round run in A, then in B, so drift hits both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import SLUG

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')
TARGETS = {"start page": 10, "post name": 10, "submit": 12}


def wsgi_call(app, method: str, path: str, cookie: str = "", body: bytes = b"") -> str:
    """Call *app* once through its WSGI entry; return the status line."""
    out: dict = {}

    def start_response(status, headers, exc_info=None):
        out["status"] = status

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie, "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
    }
    result = app(environ, start_response)
    b"".join(result)
    getattr(result, "close", lambda: None)()
    return out["status"]


def students(app, n: int) -> list[tuple[str, str]]:
    """Open *n* named students' sessions as browsers do; return (cookie, CSRF token) each."""
    pool = []
    for i in range(n):
        client = app.test_client()
        page = client.get(f"/sets/{SLUG}").get_data(as_text=True)
        token = CSRF.search(page).group(1)
        client.post(f"/sets/{SLUG}", data={"csrf_token": token, "name": f"Student {i}"})
        client.get(f"/sets/{SLUG}/quiz")  # the quiz page gives the session its browser id
        pool.append((f"session={client.get_cookie('session').value}", token))
    return pool


def answer_sheets(app, pool, n: int) -> list[tuple[str, bytes]]:
    """Return *n* (cookie, body) submits: each its own page key, answers and student."""
    from quiz import caches, db, queries, scoring

    with app.app_context():
        row = queries.set_by_slug(db.get_db(), SLUG)
        document = caches.shared_document(db.get_db(), row)
    rng = random.Random(17)
    sheets = []
    for cookie, token in itertools.islice(itertools.cycle(pool), n):
        key = secrets.token_urlsafe(24)
        page = scoring.PageKey(app.config["SECRET_KEY"], key)
        fields: dict = {"csrf_token": token, "submit_key": key,
                        "version": page.sign_version(row["version_id"])}
        for q in document["questions"]:
            answer = scoring.key_answer(q)
            if q["type"] == "text" and q.get("wrong_answers") and rng.random() < 0.5:
                answer = q["wrong_answers"][0]["text"]
            fields.update(scoring.form_fields(q, answer, page))
        sheets.append((cookie, urlencode(fields, doseq=True).encode()))
    return sheets


def measure(args):
    """Prepare the app and its inputs; return run_round() -> {step: (ms, hellos)}."""
    os.environ["SOURCECHECK_INSTANCE"] = tempfile.mkdtemp(prefix="submit_cost-")

    import hello_app

    from quiz import create_app
    from quiz.cli import prepare

    app = create_app()
    with contextlib.redirect_stdout(io.StringIO()):
        prepare(app)
    pool = students(app, args.students)
    total = args.series * (args.rounds + 1)
    sheets = iter(answer_sheets(app, pool, total))
    names = iter(urlencode({"csrf_token": t, "name": f"Name {i}"}).encode()
                 for i, (_, t) in enumerate(itertools.islice(itertools.cycle(pool), total)))
    cookies = itertools.cycle([c for c, _ in pool])
    # Each name post goes with the cookie of the student whose CSRF token it carries.
    name_cookies = itertools.cycle([c for c, _ in pool])
    bare = app.test_client()
    bare.get(f"/sets/{SLUG}")
    no_name = f"session={bare.get_cookie('session').value}"
    wsgi = app.wsgi_app

    def submit() -> str:
        cookie, body = next(sheets)
        return wsgi_call(wsgi, "POST", f"/sets/{SLUG}/quiz", cookie, body)

    def hello() -> str:
        return wsgi_call(hello_app.app.wsgi_app, "GET", "/")

    steps = {
        "cheapest (302)": (lambda: wsgi_call(wsgi, "GET", f"/sets/{SLUG}/quiz", no_name), "302"),
        "start page": (lambda: wsgi_call(wsgi, "GET", f"/sets/{SLUG}", next(cookies)), "200"),
        "post name": (lambda: wsgi_call(wsgi, "POST", f"/sets/{SLUG}", next(name_cookies),
                                        next(names)), "302"),
        "submit": (submit, "303"),
    }
    steps = {name: step for name, step in steps.items() if not args.steps or name in args.steps}

    def series(name: str, call, expect: str) -> float:
        started = time.process_time()
        for _ in range(args.series):
            status = call()
        elapsed = (time.process_time() - started) * 1000 / args.series
        if not status.startswith(expect):
            raise RuntimeError(f"{name} answered {status}, not {expect}")
        return elapsed

    def run_round() -> dict[str, tuple[float, float]]:
        out = {}
        for name, (call, expect) in steps.items():
            base = series("hello", hello, "200")
            ms = series(name, call, expect)
            out[name] = (ms, ms / base)
        return out

    run_round()  # warm-up, not counted
    return run_round


def report(title: str, rounds: list[dict]) -> None:
    print(f"\n## {title}\n")
    print("| step | ms | hellos, median [min-max] | target |")
    print("|---|---|---|---|")
    for name in rounds[0]:
        ms = statistics.median(r[name][0] for r in rounds)
        ratios = [r[name][1] for r in rounds]
        target = TARGETS.get(name)
        verdict = "" if target is None else (
            f"<= {target}: {'met' if statistics.median(ratios) <= target else 'NOT met'}")
        print(f"| {name} | {ms:.3f} | {statistics.median(ratios):.1f} "
              f"[{min(ratios):.1f}-{max(ratios):.1f}] | {verdict} |")


def compare(args) -> None:
    """Run each round in every checkout's child process in turn; report each."""
    children = []
    for folder in args.compare:
        folder = str(Path(folder).resolve())
        env = dict(os.environ, PYTHONPATH=folder, SOURCECHECK_CHECKOUT=folder)  # benchlib
        argv = [sys.executable, __file__, "--child", "--rounds", str(args.rounds),
                "--series", str(args.series), "--students", str(args.students),
                *(["--steps", *args.steps] if args.steps else [])]
        child = subprocess.Popen(argv, env=env, cwd=folder, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        served = child.stdout.readline().strip()
        if Path(served) != Path(folder) / "quiz":
            raise SystemExit(f"{folder}: the child imported quiz from {served}")
        children.append((folder, child))
    rounds: dict[str, list] = {folder: [] for folder, _ in children}
    for _ in range(args.rounds):
        for folder, child in children:
            child.stdin.write("round\n")
            child.stdin.flush()
            rounds[folder].append(json.loads(child.stdout.readline()))
    for folder, child in children:
        child.stdin.close()
        child.wait()
        report(f"{folder}: {args.rounds} rounds of {args.series}, interleaved", rounds[folder])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--series", type=int, default=30, help="requests per step per round")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--compare", nargs="+", metavar="CHECKOUT")
    parser.add_argument("--steps", nargs="+", metavar="STEP",
                        help="measure only these steps (e.g. submit; 'start page' quoted)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        return compare(args)
    import quiz

    where = Path(quiz.__file__).resolve().parent
    if args.child:  # speak to compare(): where quiz came from, then a round per request
        run_round = measure(args)
        print(where, flush=True)
        for _ in sys.stdin:
            print(json.dumps(run_round()), flush=True)
        return None
    print(f"quiz imported from {where}")
    run_round = measure(args)
    report(f"CPU per request in-process: {args.rounds} rounds of {args.series}, "
           f"{args.students} students", [run_round() for _ in range(args.rounds)])
    return None


if __name__ == "__main__":
    main()
