"""Load client for class_burst.py: locust (FastHttpUser) used as a library, one process.

    .venv/bin/python benchmarks/locust_driver.py hello|insert|submit|burst --host URL --out FILE ...

Prints nothing; writes a JSON result: per step the count, failures, p50/p95/p99 (exact,
from every request, not locust's rounded buckets) and the requests/s in the measured
window, plus the client's own CPU use (it shares the 2 cores with the server).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (
    CSRF,
    SLUG,
    QuizPage,
    instance_secret,
    max_points,
    right_answers,
    set_document,
)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}

DOCUMENT = set_document(SLUG)
# Choice and multi answers carry the page's values (scoring.PageKey); the other answers are
# encoded once. The client shares the 2 cores with the server, so every microsecond it
# spends re-encoding the same form is taken from the server it measures.
CHOSEN = {f"q-{q['id']}" for q in DOCUMENT["questions"] if q["type"] in ("choice", "multi")}
FIXED_BODY = urlencode({k: v for k, v in right_answers(DOCUMENT).items() if k not in CHOSEN},
                       doseq=True)
SCORE_TEXT = f"out of {max_points(DOCUMENT):g}"
SECRET: list[str] = []  # the server's secret key (--instance), for submits without a page
SAMPLES: list[tuple[float, str, float, bool]] = []  # (end time, step, ms, ok)
KEYS_SENT: list[str] = []
KEYS_OK: list[str] = []
FLOW = {"done": 0, "complete": 0}


class StepFailed(Exception):
    pass


def _check(response, status: int, name: str, text: str | None = None):
    if response.status_code != status:
        response.failure(f"{name}: status {response.status_code}")
        raise StepFailed(name)
    if text is not None and text not in (response.text or ""):
        response.failure(f"{name}: {text!r} not in the page")
        raise StepFailed(name)
    response.success()


def _post(client, url, fields, name):
    return client.post(url, data=urlencode(fields, doseq=True), headers=FORM, name=name,
                       allow_redirects=False, catch_response=True)


def open_quiz(client, prefix: str = "") -> QuizPage:
    """Start the set as a student: return what the quiz page carries, read as a browser."""
    with client.get(f"/sets/{SLUG}", name=f"{prefix}start page", catch_response=True) as r:
        _check(r, 200, "start page")
        token = CSRF.search(r.text).group(1)
    with _post(client, f"/sets/{SLUG}", {"csrf_token": token, "name": "Ada Lovelace"},
               f"{prefix}post name") as r:
        _check(r, 302, "post name")
    with client.get(f"/sets/{SLUG}/quiz", name=f"{prefix}quiz page", catch_response=True) as r:
        _check(r, 200, "quiz page")
        return QuizPage.read(r.text, DOCUMENT)


def body(page: QuizPage) -> str:
    """The all-right answer sheet of *page*, URL-encoded."""
    chosen = {k: v for k, v in right_answers(DOCUMENT, page).items() if k in CHOSEN}
    return f"{FIXED_BODY}&{urlencode(dict(chosen, **page.fields()), doseq=True)}"


def submit(client, page: QuizPage, name: str) -> str:
    key = page.submit_key
    KEYS_SENT.append(key)
    with client.post(f"/sets/{SLUG}/quiz", data=body(page), headers=FORM, name=name,
                     allow_redirects=False, catch_response=True) as r:
        if r.status_code == 303 and "/results/" in r.headers.get("Location", ""):
            r.success()
            KEYS_OK.append(key)
            return r.headers["Location"]
        r.failure(f"submit: status {r.status_code}")
        raise StepFailed("submit")


class Hello(FastHttpUser):
    wait_time = constant(0)

    @task
    def hello(self):
        self.client.get("/", name="hello")


class Inserter(FastHttpUser):
    """The floor: POST to hello_app's one-insert endpoint again and again."""

    wait_time = constant(0)

    @task
    def insert(self):
        with (self.client.post("/insert", data="", headers=FORM, name="insert",
                               allow_redirects=False, catch_response=True) as r,
              contextlib.suppress(StepFailed)):  # counted as a failure by locust already
            _check(r, 303, "insert")


class Submitter(FastHttpUser):
    """One session (GET, name, quiz page), then POST answers again and again, new key each.

    It skips the quiz page's GET before each submit: the new page key is computed from the
    secret of the server's instance folder (class_burst.py made it and passes --instance),
    as the page would have carried it.
    """

    wait_time = constant(0)

    def on_start(self):
        page = open_quiz(self.client, prefix="setup ")
        self.csrf, self.version = page.csrf, page.version_id

    @task
    def submit(self):
        page = QuizPage.computed(SECRET[0], self.csrf, self.version)
        with contextlib.suppress(StepFailed):  # counted as a failure by locust already
            submit(self.client, page, "submit")


class Student(FastHttpUser):
    """The whole flow once: start page, name, quiz page, answers, results; then leave."""

    wait_time = constant(0)

    @task
    def flow(self):
        try:
            location = submit(self.client, open_quiz(self.client), "submit answers")
            path = location.split("://", 1)[-1].split("/", 1)[-1]
            with self.client.get("/" + path, name="results", catch_response=True) as r:
                _check(r, 200, "results", SCORE_TEXT)
            FLOW["complete"] += 1
        except StepFailed:
            pass
        finally:
            FLOW["done"] += 1
            self.client.client.clientpool.close()  # the student leaves: no idle keep-alive
        gevent.sleep(3600)  # stay counted, so that locust does not spawn a replacement


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["hello", "insert", "submit", "burst"])
    parser.add_argument("--host", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10, help="measured window, s")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--spawn-seconds", type=float, default=10, help="burst: start all in")
    parser.add_argument("--timeout", type=float, default=240, help="burst: give up after")
    parser.add_argument("--keys-out")
    parser.add_argument("--instance", help="submit: the server's instance folder (its secret)")
    args = parser.parse_args()
    if not args.host.startswith("http://127.0.0.1:"):
        raise SystemExit("load only 127.0.0.1")

    if args.mode == "submit":
        SECRET.append(instance_secret(args.instance))
    user = {"hello": Hello, "insert": Inserter, "submit": Submitter, "burst": Student}[args.mode]
    env = Environment(user_classes=[user], host=args.host, events=events)

    @env.events.request.add_listener
    def record(name, response_time, exception, **_):
        SAMPLES.append((time.monotonic(), name, response_time, exception is None))

    runner = env.create_local_runner()
    started = time.monotonic()
    if args.mode == "burst":
        runner.start(args.users, spawn_rate=args.users / args.spawn_seconds)
        while FLOW["done"] < args.users and time.monotonic() - started < args.timeout:
            gevent.sleep(0.1)
        window = (started, time.monotonic())
        cpu = os.times()
    else:
        runner.start(args.users, spawn_rate=args.users)  # all within a second
        gevent.sleep(args.warmup)
        cpu0 = os.times()
        window = (time.monotonic(), time.monotonic() + args.duration)
        gevent.sleep(args.duration)
        cpu = os.times()
        cpu = (cpu.user - cpu0.user, cpu.system - cpu0.system)
    runner.quit()

    seconds = window[1] - window[0]
    steps: dict[str, dict] = {}
    for name in dict.fromkeys(s[1] for s in SAMPLES):
        rows = [s for s in SAMPLES if s[1] == name and window[0] <= s[0] <= window[1]]
        if not rows:
            continue
        times = [s[2] for s in rows if s[3]]
        steps[name] = {
            "count": len(rows), "failures": sum(1 for s in rows if not s[3]),
            "rps": len(times) / seconds,
            "p50": percentile(times, 50), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": max(times, default=float("nan")),
        }
    client_cpu = (cpu[0] + cpu[1]) if args.mode != "burst" else (cpu.user + cpu.system)
    result = {
        "mode": args.mode, "users": args.users, "seconds": seconds, "steps": steps,
        "client_cpu_share": client_cpu / seconds,  # 1.0 = one whole core
        "flows_done": FLOW["done"], "flows_complete": FLOW["complete"],
        "keys_sent": len(KEYS_SENT), "keys_ok": len(KEYS_OK),
        "errors": {str(k): v.occurrences for k, v in env.stats.errors.items()},
    }
    with open(args.out, "w") as f:
        json.dump(result, f)
    if args.keys_out:
        with open(args.keys_out, "w") as f:
            json.dump({"sent": KEYS_SENT, "ok": KEYS_OK}, f)


if __name__ == "__main__":
    main()
