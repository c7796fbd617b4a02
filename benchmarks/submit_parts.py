"""Where a submit's time goes: the submit view with its parts cut away one at a time.

    .venv/bin/python benchmarks/submit_parts.py [--rounds 5] [--count 300]

In one process, no server and no client: each request is Flask's WSGI call on a prepared
environ (a student's session cookie, the all-right answers of the bundled set
`who-says-so`, a valid CSRF token, a new page key each time, encoded before the clock
starts). Prints the CPU time per
request (min of the rounds) and its ratio to a bare Flask hello measured in the same run:

1. bare hello: `benchmarks/hello_app.py`'s app, GET /;
2. submit: SourceCheck's real submit view;
3-5. the cuts of `cut_submit.py`: without Flask-WTF's form (CSRF by `validate_csrf`);
   without storing either; only parsing the form, reading the session and redirecting;
and the unit of work alone: `transactions.record_attempt` (score and store one attempt with its
responses, one transaction).

Views are swapped on a throwaway instance in a temp folder; nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import CSRF, SLUG, QuizPage, answer_sheet, set_document


def cpu_ms(func, count: int, rounds: int) -> float:
    """CPU ms per call, the least of *rounds* series of *count* calls after a warm-up."""
    for _ in range(20):
        func()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(count):
            func()
        best = min(best, (time.process_time() - started) * 1000 / count)
    return best


def wsgi_caller(app, cookie: str = ""):
    """Return call(method, path, body, cookie) -> (status, headers) through *app*'s WSGI
    entry; *cookie* defaults to the one given here."""
    default = cookie

    def call(method: str, path: str, body: bytes = b"",
             cookie: str | None = None) -> tuple[str, dict]:
        out: dict = {}

        def start_response(status, headers, exc_info=None):
            out.update(status=status, headers=dict(headers))

        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": default if cookie is None else cookie,
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        }
        result = app(environ, start_response)
        b"".join(result)
        getattr(result, "close", lambda: None)()
        return out["status"], out["headers"]
    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    os.environ["SOURCECHECK_INSTANCE"] = tempfile.mkdtemp(prefix="submit_parts-")

    import cut_submit
    import hello_app

    from quiz import caches, create_app, db, scoring, transactions
    from quiz.cli import prepare
    from quiz.views import student

    app = create_app()
    with contextlib.redirect_stdout(io.StringIO()):
        prepare(app)
    client = app.test_client()  # only to open a session and get a token, as a browser does
    page = client.get(f"/sets/{SLUG}").get_data(as_text=True)
    client.post(f"/sets/{SLUG}", data={"csrf_token": CSRF.search(page).group(1), "name": "Ada"})
    page = client.get(f"/sets/{SLUG}/quiz").get_data(as_text=True)
    cookie = f"session={client.get_cookie('session').value}"
    call = wsgi_caller(app.wsgi_app, cookie)
    document = set_document()
    shown = QuizPage.read(page, document)
    bodies: list[bytes] = []

    def prepare_bodies() -> None:
        """Encode each submit's form (a new page key each) before the clock starts."""
        bodies[:] = [urlencode(answer_sheet(document, QuizPage.computed(
            app.config["SECRET_KEY"], shown.csrf, shown.version_id)), doseq=True).encode()
            for _ in range(20 + args.rounds * args.count)]
        bodies.reverse()

    def submit() -> None:
        status, _ = call("POST", f"/sets/{SLUG}/quiz", bodies.pop())
        if not status.startswith("303"):
            raise RuntimeError(f"submit answered {status}")

    def measure() -> float:
        prepare_bodies()
        return cpu_ms(submit, args.count, args.rounds)

    hello_call = wsgi_caller(hello_app.app.wsgi_app)
    hello = cpu_ms(lambda: hello_call("GET", "/"), args.count, args.rounds)
    rows = [("bare Flask hello (baseline)", hello), ("submit", measure())]
    for name, cut in [("without the form (validate_csrf)", "no-form"),
                      ("without storing either", "no-store"),
                      ("form and session only", "form-and-session")]:
        cut_submit.install(app, cut)
        rows.append((name, measure()))
    cut_submit.install(app, None)

    with app.app_context():
        conn = db.get_db()
        row = student.queries.set_by_slug(conn, SLUG)
        document = caches.shared_document(conn, row)
        answers = {q["id"]: scoring.key_answer(q) for q in document["questions"]}

        def record() -> None:
            transactions.record_attempt(conn, row["version_id"], document, answers, "Ada",
                                 secrets.token_urlsafe(24))

        rows.append(("transactions.record_attempt alone", cpu_ms(record, args.count, args.rounds)))

    print(f"\n## CPU per request in-process (ms, min of {args.rounds} rounds of {args.count})\n")
    print("| what | ms | x bare hello |")
    print("|---|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.3f} | {ms / hello:.1f} |")


if __name__ == "__main__":
    main()
