"""What gunicorn's worker itself spends per request: a bare hello served by each worker.

    .venv/bin/python benchmarks/worker_cost.py [--rounds 5] [--count 3000]

The app is benchmarks/hello_app.py's hello, so nearly all the server CPU is the worker's own:
HTTP parsing, the socket, the event loop. Workers, 2 processes x 4 threads each, interleaved
round by round on one kept-alive connection (one browser alone, benchlib.step_costs), the
server's CPU read from /proc (the client excluded):
- gthread: gunicorn's own worker;
- readahead: quiz/serving.py's ReadAheadWorker, as `sourcecheck serve` runs it;
- readahead-every-turn: the same, touching its heartbeat file on every turn of the loop as
  gthread does (heartbeat_every = 0), the cost issue 17 found.
Printed: server CPU ms per hello, median [min-max] over the rounds. Linux only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, PY, Server, step_costs

WORKERS = ["gthread", "readahead", "readahead-every-turn"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--workers", default=",".join(WORKERS))
    args = parser.parse_args()
    workers = args.workers.split(",")
    costs: dict[str, list[float]] = {w: [] for w in workers}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in range(args.rounds):
            for worker in workers:
                cmd = [PY, str(HERE / "hello_app.py"), "--server", "gunicorn", "--worker", worker]
                server = Server(cmd, work / f"{worker}-{n}", work / f"{worker}-{n}.log")
                try:
                    server.wait_ready()
                    costs[worker].append(step_costs(server, ["hello"], args.count)["hello"])
                finally:
                    server.stop()
                print(f"round {n + 1} {worker}: {costs[worker][-1]:.3f} ms", flush=True)
    print("\n| worker | server CPU ms per hello |\n|---|---|")
    for worker in workers:
        c = costs[worker]
        print(f"| {worker} | {statistics.median(c):.3f} [{min(c):.3f}-{max(c):.3f}] |")


if __name__ == "__main__":
    main()
