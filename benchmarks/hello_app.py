"""A bare Flask hello endpoint: the throughput ceiling of a server on this machine.

Served exactly as `sourcecheck serve` serves SourceCheck (waitress, 8 threads), or as the
gunicorn variant is (2 workers x 4 gthread threads):

    .venv/bin/python benchmarks/hello_app.py --port 8001 [--server gunicorn]
"""

from __future__ import annotations

import argparse
import os
import sys

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    args = parser.parse_args()
    if args.server == "gunicorn":
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
