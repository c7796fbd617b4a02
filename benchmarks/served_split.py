"""Split a served student step's CPU into the app's own and the server's (issue 17).

    .venv/bin/python benchmarks/served_split.py [--rounds 3] [--count 400]

One browser alone on one kept-alive connection (benchlib.step_costs) against
`serve_variant.py timed`: `sourcecheck serve` whose app sums its own thread CPU per request.
Per step: the server process's CPU per request (from /proc), the app's part (thread CPU
inside the worker, the response made whole), and the rest, the server's own (gunicorn's
parsing, socket, loop). Medians [min-max] over the rounds. Linux only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, PY, Server, step_costs

STEPS = ["start page", "post name", "quiz page", "submit answers", "results"]
KINDS = [lambda k: k.startswith("GET /sets/") and not k.endswith("/quiz"),
         lambda k: k.startswith("POST /sets/") and not k.endswith("/quiz"),
         lambda k: k.startswith("GET /sets/") and k.endswith("/quiz"),
         lambda k: k.startswith("POST /sets/") and k.endswith("/quiz"),
         lambda k: k.startswith("GET /results/")]


def app_cpu(instance: Path) -> dict[str, tuple[int, float]]:
    total: dict[str, list] = {}
    for f in instance.glob("app-cpu-*.json"):
        for kind, (n, cpu) in json.loads(f.read_text()).items():
            entry = total.setdefault(kind, [0, 0.0])
            entry[0] += n
            entry[1] += cpu
    return {k: (n, cpu) for k, (n, cpu) in total.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, float]]] = {s: [] for s in STEPS}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            instance = Path(tmp) / f"i{n}"
            server = Server([PY, str(HERE / "serve_variant.py"), "timed"], instance,
                            Path(tmp) / f"{n}.log")
            try:
                server.wait_ready()
                served = step_costs(server, STEPS, args.count)  # 20 + count of each, in order
                spent = app_cpu(instance)  # includes the warm-up requests: an average all the same
                for step, kind in zip(STEPS, KINDS, strict=True):
                    n, cpu = next(v for k, v in spent.items() if kind(k))
                    rows[step].append((served[step], 1000 * cpu / n))
            finally:
                server.stop()
    print("\n| step | served CPU ms | app's own | server's own |\n|---|---|---|---|")
    for step, r in rows.items():
        cols = [[s for s, _ in r], [a for _, a in r], [s - a for s, a in r]]
        print(f"| {step} | " + " | ".join(
            f"{statistics.median(c):.2f} [{min(c):.2f}-{max(c):.2f}]" for c in cols) + " |")


if __name__ == "__main__":
    main()
