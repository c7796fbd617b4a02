"""Submit throughput with the view cut down, as a ratio of hello: what 0.40 would leave.

    .venv/bin/python benchmarks/submit_floors.py [--runs 3]      # ~2 min per run

Needs the benchmark-only dependencies (see benchmarks/README.md). In each run, on gunicorn
as `sourcecheck serve` runs it (2 processes x 4 threads), each on a fresh instance folder,
50 users as fast as they go (8 s after 2 s warm-up), the same client as class_burst.py:
the bare Flask hello (the ceiling), SourceCheck's real submit, and the submit view with the
cuts of cut_submit.py (no Flask-WTF form; no storing either; only the form and session).
Prints submits/s and the ratio to the hello of the same run, median [min-max] of the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, PY, ROOT, VARIANTS, Server

ROWS = [("real submit", None), ("without Flask-WTF's form (validate_csrf)", "no-form"),
        ("without storing either", "no-store"), ("form and session only", "form-and-session")]


def rate(cmd: list[str], mode: str, work: Path, name: str, users: int) -> float:
    server = Server(cmd, work / name, work / f"{name}.log")
    try:
        server.wait_ready()
        out = work / f"{name}.json"
        subprocess.run([PY, str(HERE / "locust_driver.py"), mode, "--host", server.url,
                        "--out", str(out), "--users", str(users), "--duration", "8",
                        "--instance", str(server.instance)],  # its secret, for page keys
                       check=True, cwd=ROOT, timeout=120)
        result = json.loads(out.read_text())["steps"][mode]
    finally:
        server.stop()
    if result["failures"]:
        raise RuntimeError(f"{name}: {result['failures']} failed requests; see {work}")
    return result["rps"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    serve = [PY, str(HERE / "serve_variant.py"), "gunicorn"]
    rates: dict[str, list[float]] = {"hello": []} | {name: [] for name, _ in ROWS}
    with tempfile.TemporaryDirectory(prefix="submit_floors-") as tmp:
        for n in range(args.runs):
            work = Path(tmp) / str(n)
            work.mkdir()
            rates["hello"].append(rate(VARIANTS["gunicorn"]["hello"], "hello", work, "hello",
                                       args.users))
            for name, cut in ROWS:
                cmd = serve + (["--cut", cut] if cut else [])
                rates[name].append(rate(cmd, "submit", work, cut or "real", args.users))
            print(f"run {n + 1}/{args.runs} done", file=sys.stderr, flush=True)

    def med(values: list[float], fmt: str) -> str:
        return (f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}-"
                f"{fmt.format(max(values))}]")

    print(f"\n## gunicorn 2x4, {args.users} users, median [min-max] of {args.runs} run(s)\n")
    print("| what | req/s | / hello of the same run |")
    print("|---|---|---|")
    print(f"| bare Flask hello (ceiling) | {med(rates['hello'], '{:.0f}')} | 1 |")
    for name, _ in ROWS:
        ratios = [r / h for r, h in zip(rates[name], rates["hello"], strict=True)]
        print(f"| {name} | {med(rates[name], '{:.0f}')} | {med(ratios, '{:.2f}')} |")


if __name__ == "__main__":
    main()
