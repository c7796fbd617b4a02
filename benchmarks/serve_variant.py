"""Serve SourceCheck the way a benchmark variant needs that `sourcecheck serve` does not offer.

    .venv/bin/python benchmarks/serve_variant.py waitress-per-request --port 8001
    .venv/bin/python benchmarks/serve_variant.py gunicorn --port 8001
    .venv/bin/python benchmarks/serve_variant.py gunicorn --cut no-form --port 8001
    .venv/bin/python benchmarks/serve_variant.py timed --port 8001

timed is `sourcecheck serve` (gunicorn, quiz/serving.py's worker) with the app's own thread
CPU summed per request kind into app-cpu-PID.json in the instance folder (benchmarks/
served_split.py): what the server spends is the process's CPU minus that.

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


def serve_timed(port: int) -> None:
    """Serve as `sourcecheck serve` does, summing each app call's thread CPU by request kind."""
    import json
    import time
    from collections import defaultdict

    import quiz
    from quiz import cli

    make = quiz.create_app
    folder = os.environ["SOURCECHECK_INSTANCE"]

    def create_app(*args, **kwargs):
        app = make(*args, **kwargs)
        inner, spent = app.wsgi_app, defaultdict(lambda: [0, 0.0])

        def timed(environ, start_response):
            start = time.thread_time()
            body = inner(environ, start_response)
            out = list(body)  # the whole response made, as the server would iterate it
            if hasattr(body, "close"):
                body.close()
            kind = environ["REQUEST_METHOD"] + " " + "/".join(environ["PATH_INFO"].split("/")[:4])
            entry = spent[kind]
            entry[0] += 1
            entry[1] += time.thread_time() - start
            if entry[0] % 10 == 0:
                with open(os.path.join(folder, f"app-cpu-{os.getpid()}.json"), "w") as f:
                    json.dump(spent, f)
            return out

        app.wsgi_app = timed
        return app

    cli.create_app = quiz.create_app = create_app
    cli.main(["serve", "--server", "gunicorn", "--port", str(port)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["waitress-per-request", "gunicorn", "timed"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cut", help="gunicorn: serve cut_submit.py with this cut")
    args = parser.parse_args()
    if args.variant == "timed":
        serve_timed(args.port)
        return
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
