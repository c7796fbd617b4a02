"""A bare Flask hello endpoint: the throughput ceiling of a server on this machine. Beside it,
the cheapest write a Flask app can do: the floor under any endpoint that stores something.

Served exactly as `sourcecheck serve` serves SourceCheck (waitress, 8 threads), or as the
gunicorn variant is (2 workers x 4 gthread threads):

    .venv/bin/python benchmarks/hello_app.py --port 8001 [--server gunicorn]

GET / says Hello. POST /insert stores one row in a SQLite database in SOURCECHECK_INSTANCE,
with the connection pattern SourceCheck uses (WAL, synchronous NORMAL, one connection kept
per thread), and answers 303 like a submit: no form, no CSRF, no session, no scoring.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import threading

from flask import Flask, redirect

app = Flask(__name__)
_local = threading.local()
DATABASE = os.path.join(os.environ.get("SOURCECHECK_INSTANCE", "."), "hello.sqlite")


def _db() -> sqlite3.Connection:
    db = getattr(_local, "db", None)
    if db is None:
        db = _local.db = sqlite3.connect(DATABASE, timeout=10, check_same_thread=False)
        db.execute("PRAGMA synchronous = NORMAL")
    return db


@app.get("/")
def hello() -> str:
    return "Hello"


@app.post("/insert")
def insert():
    with _db() as db:
        db.execute("INSERT INTO hit (at) VALUES (julianday('now'))")
    return redirect("/", code=303)


def prepare() -> None:
    os.makedirs(os.path.dirname(DATABASE) or ".", exist_ok=True)
    db = sqlite3.connect(DATABASE)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE IF NOT EXISTS hit (id INTEGER PRIMARY KEY, at REAL NOT NULL)")
    db.close()


def serve_readahead(port: int, every_turn: bool) -> None:
    """Serve the hello with quiz/serving.py's worker, 2 processes x 4 threads, as
    `sourcecheck serve` does."""
    from gunicorn.app.base import BaseApplication

    from quiz.serving import ReadAheadWorker

    worker = ReadAheadWorker.configure(10, 2 * 1024 * 1024)
    if every_turn:
        worker.heartbeat_every = 0.0
    options = {"bind": f"127.0.0.1:{port}", "workers": 2, "threads": 4,
               "worker_class": worker, "control_socket_disable": True}

    class Hello(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Hello().run()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    parser.add_argument("--worker", default="gthread",
                        choices=["gthread", "readahead", "readahead-every-turn"],
                        help="gunicorn: its gthread worker, or quiz/serving.py's (issue 17: "
                             "every-turn touches the heartbeat file on each turn of the loop)")
    args = parser.parse_args()
    prepare()  # before the fork: no connection crosses it
    if args.server == "gunicorn" and args.worker != "gthread":
        serve_readahead(args.port, every_turn=args.worker == "readahead-every-turn")
    elif args.server == "gunicorn":
        here = os.path.dirname(os.path.abspath(__file__))
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        argv = [gunicorn, "-w", "2", "-k", "gthread", "--threads", "4", "--no-control-socket",
                "-b", f"127.0.0.1:{args.port}", "--chdir", here, "hello_app:app"]
        os.execv(gunicorn, argv)  # noqa: S606
    import waitress

    print(f"hello at http://127.0.0.1:{args.port}/", flush=True)
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=args.threads,
                   ident="SourceCheck")


if __name__ == "__main__":
    main()
