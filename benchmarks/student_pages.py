"""The student pages before and after a change: HTML size, rendered height, server CPU.

    .venv/bin/python benchmarks/student_pages.py [--ref REF] [--set SLUG] [--renders N]

For this checkout and for REF (default: where this branch left main; checked out into a
temporary git worktree, removed afterwards), one child process each:
- serves the app on a fresh database holding this checkout's questions/ (the same sets for
  both) and opens each student page in Chromium (Playwright, Debian's /usr/bin/chromium) at
  1280 and 360 px wide: the HTML's size and the page's rendered height (scrollHeight; at
  360 px the quiz page shows its questions, the view a student lands on);
- renders each page N times through Flask's test client and takes time.process_time per
  render, as a ratio to a bare Flask hello endpoint measured the same way in the same
  process (so the two trees compare on one scale, whatever the machine's speed); the
  quickest of 5 rounds of each, taken in turns, so other work on the machine counts least.
The pages: home, start, quiz, quiz with the blank warning, results (all blank).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["home", "start", "quiz", "quiz-blank-warning", "results"]


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def _batch(get, renders: int) -> float:
    start = time.process_time()
    for _ in range(renders):
        get()
    return (time.process_time() - start) / renders


def _cpu(get, hello, renders: int, rounds: int = 5) -> float:
    """Return the CPU per render of *get* over that of *hello*: the quickest of several
    rounds of each, taken in turns, so that other work on the machine counts least."""
    for _ in range(5):  # warm caches: templates, documents, rendered article panes
        get()
    page = base = float("inf")
    for _ in range(rounds):
        base = min(base, _batch(hello, renders))
        page = min(page, _batch(get, renders))
    return page / base


def _measured(page: str, get, hello, renders: int) -> dict:
    response = get()
    assert response.status_code == 200, (page, response.status_code)
    return {"bytes": len(response.data), "cpu": _cpu(get, hello, renders)}


def measure_cpu(app, slug: str, renders: int) -> dict:
    """Server CPU per render of each page, and the HTML sizes, through the test client."""
    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello")
    hello_client = hello.test_client()

    def base():
        return hello_client.get("/")

    client = app.test_client()
    out = {"hello_ms": min(_batch(base, renders) for _ in range(5)) * 1000}
    start = client.get(f"/sets/{slug}").get_data(as_text=True)
    client.post(f"/sets/{slug}", data={"csrf_token": hidden(start, "csrf_token"), "name": "Ada"})
    quiz = client.get(f"/sets/{slug}/quiz").get_data(as_text=True)
    fields = {k: hidden(quiz, k) for k in ("csrf_token", "submit_key", "version")}
    gets = {
        "home": lambda: client.get("/"),
        "start": lambda: client.get(f"/sets/{slug}"),
        "quiz": lambda: client.get(f"/sets/{slug}/quiz"),
        # a submit with blanks and no confirmation stores nothing: it can be sent again
        "quiz-blank-warning": lambda: client.post(f"/sets/{slug}/quiz", data=fields),
    }
    for page, get in gets.items():
        out[page] = _measured(page, get, base, renders)
    sent = client.post(f"/sets/{slug}/quiz", data={**fields, "confirm_blank": "y"})
    results = sent.headers["Location"].split("#")[0]
    out["results"] = _measured("results", lambda: client.get(results), base, renders)
    return out


def _height(page) -> int:
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollHeight")


def measure_heights(app, slug: str) -> dict:
    """Rendered heights of each page at 1280 and 360 px in Chromium."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    heights: dict[str, dict[int, int]] = {page: {} for page in PAGES}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            for width in (1280, 360):
                page = browser.new_context(viewport={"width": width, "height": 800}).new_page()

                page.goto(url + "/")
                heights["home"][width] = _height(page)
                page.goto(f"{url}/sets/{slug}")
                heights["start"][width] = _height(page)
                page.get_by_label("Your name").fill("Ada")
                page.get_by_role("button", name="Start").click()
                page.wait_for_url(re.compile(r"/quiz"))
                heights["quiz"][width] = _height(page)
                page.get_by_role("button", name="Submit answers").click()
                page.get_by_label("Submit with unanswered questions").wait_for()
                heights["quiz-blank-warning"][width] = _height(page)
                page.get_by_label("Submit with unanswered questions").check()
                page.get_by_role("button", name="Submit answers").click()
                page.wait_for_url(re.compile(r"/results/"))
                heights["results"][width] = _height(page)
            browser.close()
    finally:
        server.shutdown()
    return heights


def child(slug: str, renders: int, questions: str) -> None:
    """Measure the checkout this process imports `quiz` from; print JSON."""
    from quiz import create_app
    from quiz.cli import prepare

    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(questions, tmp / "questions")
    app = create_app({"SECRET_KEY": "bench", "DATABASE": str(tmp / "db.sqlite"),
                      "QUESTIONS_DIR": str(tmp / "questions")})
    prepare(app)
    heights = measure_heights(app, slug)
    cpu = measure_cpu(app, slug, renders)
    print(json.dumps({"heights": heights, "cpu": cpu}))
    shutil.rmtree(tmp, ignore_errors=True)


def run_tree(tree: Path, slug: str, renders: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", "--set", slug,
         "--renders", str(renders), "--questions", str(ROOT / "questions")],
        cwd=tree, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="the commit to compare with (default: the merge base "
                                      "with main)")
    parser.add_argument("--set", default="who-says-so", help="a bundled set's id")
    parser.add_argument("--renders", type=int, default=100, help="renders per round")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--questions", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.set, args.renders, args.questions)
        return
    ref = args.ref or git("merge-base", "HEAD", "main")
    before_tree = Path(tempfile.mkdtemp()) / "before"
    git("worktree", "add", "--detach", str(before_tree), ref)
    try:
        before = run_tree(before_tree, args.set, args.renders)
    finally:
        git("worktree", "remove", "--force", str(before_tree))
    after = run_tree(ROOT, args.set, args.renders)
    print(f"Student pages of {args.set}: before = {git('rev-parse', '--short', ref)}, "
          f"after = this checkout. CPU: process time per render / a bare Flask hello's "
          f"(hello: {before['cpu']['hello_ms']:.3f} ms before, "
          f"{after['cpu']['hello_ms']:.3f} ms after), {args.renders} renders a round.")
    print(f"{'page':<20}{'HTML KB':>16}{'height 1280 px':>20}{'height 360 px':>20}"
          f"{'CPU x hello':>18}")
    for page in PAGES:
        b, a = before["cpu"][page], after["cpu"][page]
        hb, ha = before["heights"][page], after["heights"][page]
        print(f"{page:<20}{b['bytes'] / 1024:>7.1f} -> {a['bytes'] / 1024:>5.1f}"
              f"{hb['1280']:>10} -> {ha['1280']:>6}{hb['360']:>10} -> {ha['360']:>6}"
              f"{b['cpu']:>9.1f} -> {a['cpu']:>5.1f}")


if __name__ == "__main__":
    main()
