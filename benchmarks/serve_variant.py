"""Serve SourceCheck with a kept-per-thread connection, on waitress or on gunicorn.

    .venv/bin/python benchmarks/serve_variant.py waitress-thread --port 8001
    .venv/bin/python benchmarks/serve_variant.py gunicorn-thread --port 8001

waitress-thread is `sourcecheck serve` with benchmarks/kept_db.py installed first.
gunicorn-thread prepares the database once (as `sourcecheck serve` does), then execs
gunicorn -w 2 -k gthread --threads 4 --no-control-socket on benchmarks/kept_wsgi.py.
Unix only (gunicorn); the instance folder comes from SOURCECHECK_INSTANCE as usual.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kept_db  # noqa: E402

kept_db.install()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["waitress-thread", "gunicorn-thread"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.variant == "waitress-thread":
        from quiz.cli import main as sourcecheck

        sourcecheck(["serve", "--port", str(args.port)])
        return
    from quiz import create_app
    from quiz.cli import prepare

    prepare(create_app())  # opens and closes its own connection: nothing crosses the fork
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    argv = [gunicorn, "-w", "2", "-k", "gthread", "--threads", "4", "--no-control-socket",
            "-b", f"127.0.0.1:{args.port}", "--chdir", HERE, "kept_wsgi:app"]
    os.execv(gunicorn, argv)  # noqa: S606


if __name__ == "__main__":
    main()
