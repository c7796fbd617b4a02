"""Serve SourceCheck the way a benchmark variant needs that `sourcecheck serve` does not offer.

    .venv/bin/python benchmarks/serve_variant.py waitress-per-request --port 8001
    .venv/bin/python benchmarks/serve_variant.py gunicorn --port 8001
    .venv/bin/python benchmarks/serve_variant.py gunicorn --cut no-form --port 8001

waitress-per-request is `sourcecheck serve` with benchmarks/request_db.py installed first: a
connection opened and closed per request, the old flaskr pattern, for comparison.
gunicorn prepares the database once (as `sourcecheck serve` does), then execs
gunicorn -w 2 -k gthread --threads 4 --no-control-socket on the real app (`app:app`, no
patching), or with --cut on benchmarks/cut_submit.py's app, whose submit view is cut down.
Unix only (gunicorn); the instance folder comes from SOURCECHECK_INSTANCE as usual.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["waitress-per-request", "gunicorn"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cut", help="gunicorn: serve cut_submit.py with this cut")
    args = parser.parse_args()
    if args.variant == "waitress-per-request":
        sys.path.insert(0, HERE)
        import request_db

        request_db.install()  # before quiz.cli imports the app's modules
        from quiz.cli import main as sourcecheck

        sourcecheck(["serve", "--server", "waitress", "--port", str(args.port)])
        return
    import quiz
    from quiz import create_app
    from quiz.cli import prepare

    # Serve the checkout whose `quiz` was imported (benchlib sets PYTHONPATH to it), not the
    # one this script sits in: gunicorn puts --chdir first on the import path.
    code = os.path.dirname(os.path.abspath(quiz.__file__))
    print(f"Serving the code in {code}", flush=True)
    prepare(create_app())  # opens and closes its own connection: nothing crosses the fork
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    chdir, target = (HERE, "cut_submit:served()") if args.cut else (
        os.path.dirname(code), "app:app")
    os.environ["SUBMIT_CUT"] = args.cut or ""
    argv = [gunicorn, "-w", "2", "-k", "gthread", "--threads", "4", "--no-control-socket",
            "-b", f"127.0.0.1:{args.port}", "--chdir", chdir, target]
    os.execv(gunicorn, argv)  # noqa: S606


if __name__ == "__main__":
    main()
