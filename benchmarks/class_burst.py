"""A whole class (or school) at once: throughput of the submit step and a 1,000-student burst.

    .venv/bin/python benchmarks/class_burst.py            # 3 runs x 3 server variants, ~9 min
    .venv/bin/python benchmarks/class_burst.py --quick    # 1 run, 200 students, waitress only
    .venv/bin/python benchmarks/class_burst.py --variants waitress --runs 3

Needs the benchmark-only dependencies: .venv/bin/pip install locust==2.47.0 gunicorn==27.0.1

For each server variant (benchmarks/benchlib.py VARIANTS) and each run:
1. ceiling: a bare Flask hello app (benchmarks/hello_app.py) served the same way, same
   server, same threads, driven by the same client with the same users; then the floor
   under any endpoint that stores something: one INSERT through the same hello app;
2. submit: POST answers (valid CSRF token, scoring, storing, 303) again and again, one
   session per user and a new submit_key per POST; requests/s reported as a ratio of (1);
3. burst: N students (default 1,000) each GET the start page, POST a name, GET the quiz,
   POST answers, GET results, all started within 10 s, on a fresh instance; then the
   database is checked: every submission acknowledged with a 303 stored exactly once,
   nothing stored that was not sent, every attempt with all its responses.
Everything runs on 127.0.0.1 only. The client (locust FastHttpUser, one process) shares the
2 cores with the server: every number is client+server on one machine, the same for every
variant, so compare them with each other, not with a server measured alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, PY, ROOT, VARIANTS, Server, check_database, server_cpu, step_costs

STEPS = ["start page", "post name", "quiz page", "submit answers", "results"]
TARGET_RATIO = 0.40
TARGET_P99_MS = 500


def drive(mode: str, server: Server, work: Path, *args: str) -> tuple[dict, dict]:
    out, keys = work / f"{mode}.json", work / f"{mode}-keys.json"
    subprocess.run([PY, str(HERE / "locust_driver.py"), mode, "--host", server.url,
                    "--out", str(out), "--keys-out", str(keys), *args],
                   check=True, cwd=ROOT, timeout=400)
    return json.loads(out.read_text()), json.loads(keys.read_text())


def run_once(variant: str, args, work: Path, n: int) -> dict:
    cmds = VARIANTS[variant]
    load = ["--users", str(args.users), "--duration", str(args.duration)]
    result: dict = {}

    hello = Server(cmds["hello"], work / f"hello-{n}", work / f"hello-{n}.log")
    try:
        hello.wait_ready()
        result["hello"], _ = drive("hello", hello, work, *load)
        # The floor: one INSERT through the same server, no form, session or scoring.
        result["insert"], _ = drive("insert", hello, work, *load)
        result["cost"] = step_costs(hello, ["hello", "insert"])
    finally:
        hello.stop()

    app = Server(cmds["app"], work / f"submit-{n}", work / f"submit-{n}.log")
    try:
        app.wait_ready()
        own = ["--instance", str(app.instance)]  # its secret: submits skip the quiz page
        result["submit"], keys = drive("submit", app, work, *load, *own)
        # One student alone: the latency of a submit with nothing else going on.
        result["single"], _ = drive("submit", app, work, "--users", "1", "--duration", "4",
                                    "--warmup", "1", *own)
        result["cost"].update(step_costs(app, STEPS))  # server CPU per request, alone
    finally:
        app.stop()
    result["submit_db"] = check_database(work / f"submit-{n}" / "sourcecheck.sqlite")

    app = Server(cmds["app"], work / f"burst-{n}", work / f"burst-{n}.log")
    try:
        app.wait_ready()
        cpu = server_cpu(app.proc.pid)
        result["burst"], keys = drive("burst", app, work, "--users", str(args.students),
                                      "--spawn-seconds", "10")
        result["burst_cpu_per_flow"] = 1000 * (server_cpu(app.proc.pid) - cpu) / args.students
        time.sleep(0.5)
        result["burst_db"] = check_database(work / f"burst-{n}" / "sourcecheck.sqlite",
                                            keys["ok"])
    finally:
        app.stop()
    return result


def med(values: list[float], fmt: str = "{:.0f}") -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}-" \
           f"{fmt.format(max(values))}]"


def report(all_runs: dict[str, list[dict]], args) -> dict[str, dict[str, bool]]:
    """Print the tables; return, per variant, which targets it met."""
    met = {v: {"ratio": True, "p99": True, "once": True} for v in all_runs}
    ceiling_waitress = [r["hello"]["steps"]["hello"]["rps"]
                        for r in all_runs.get("waitress", [])]
    print(f"\n## Throughput ({args.users} users, {args.duration:g} s window, median "
          f"[min-max] of {args.runs} run(s); client CPU = locust's share of one core)\n")
    print("| variant | hello req/s (ceiling) | one insert req/s | one insert / ceiling "
          "| submit req/s | submit / ceiling | submit / waitress hello | submit p99 ms "
          "| 1 student alone: submit p50 ms | client CPU hello / submit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for variant, runs in all_runs.items():
        hello = [r["hello"]["steps"]["hello"]["rps"] for r in runs]
        ins = [r["insert"]["steps"]["insert"]["rps"] for r in runs]
        sub = [r["submit"]["steps"]["submit"]["rps"] for r in runs]
        ratio = [s / h for s, h in zip(sub, hello, strict=True)]
        ins_ratio = [i / h for i, h in zip(ins, hello, strict=True)]
        vs_w = (med([s / statistics.median(ceiling_waitress) for s in sub], "{:.2f}")
                if ceiling_waitress else "-")
        p99 = [r["submit"]["steps"]["submit"]["p99"] for r in runs]
        alone = [r["single"]["steps"]["submit"]["p50"] for r in runs]
        cpu = (med([r["hello"]["client_cpu_share"] for r in runs], "{:.2f}") + " / "
               + med([r["submit"]["client_cpu_share"] for r in runs], "{:.2f}"))
        fails = sum(r["submit"]["steps"]["submit"]["failures"] for r in runs)
        print(f"| {variant} | {med(hello)} | {med(ins)} | {med(ins_ratio, '{:.2f}')} "
              f"| {med(sub)} | {med(ratio, '{:.2f}')} | {vs_w} "
              f"| {med(p99)} | {med(alone, '{:.1f}')} | {cpu} |"
              + (f" {fails} FAILED" if fails else ""))
        met[variant]["ratio"] &= statistics.median(ratio) >= TARGET_RATIO and not fails

    print(f"\n## Burst: {args.students} students started within 10 s, whole flow each "
          f"(ms, median [min-max] of {args.runs} run(s); target p99 < {TARGET_P99_MS} ms)\n")
    print("| variant | step | p50 | p95 | p99 | max | failures |")
    print("|---|---|---|---|---|---|---|")
    for variant, runs in all_runs.items():
        for step in STEPS:
            rows = [r["burst"]["steps"].get(step) for r in runs]
            if any(row is None for row in rows):
                print(f"| {variant} | {step} | - | - | - | - | missing |")
                met[variant]["p99"] = False
                continue
            p = {k: [row[k] for row in rows] for k in ("p50", "p95", "p99", "max")}
            fails = sum(row["failures"] for row in rows)
            print(f"| {variant} | {step} | {med(p['p50'])} | {med(p['p95'])} "
                  f"| {med(p['p99'])} | {med(p['max'])} | {fails} |")
            met[variant]["p99"] &= statistics.median(p["p99"]) < TARGET_P99_MS and not fails
    print(f"\n## Server CPU per request: one browser alone, keep-alive, 200 requests per step "
          f"(ms, from /proc, client excluded; median [min-max] of {args.runs} run(s))\n")
    print("| variant | hello | one insert | " + " | ".join(STEPS) + " | flow (5 steps) |")
    print("|---|---|---|" + "---|" * len(STEPS) + "---|")
    for variant, runs in all_runs.items():
        cells = [med([r["cost"][step] for r in runs], "{:.2f}")
                 for step in ["hello", "insert", *STEPS]]
        flow = med([sum(r["cost"][step] for step in STEPS) for r in runs], "{:.1f}")
        print(f"| {variant} | " + " | ".join(cells) + f" | {flow} |")
    print("\n## Burst database check (per run)\n")
    print("| variant | run | flows complete | 303s | attempts stored | acknowledged not "
          "stored | stored not sent | attempts missing responses | integrity | wall s "
          "| server CPU ms per flow |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for variant, runs in all_runs.items():
        for n, r in enumerate(runs, 1):
            b, d = r["burst"], r["burst_db"]
            print(f"| {variant} | {n} | {b['flows_complete']}/{b['users']} | {b['keys_ok']} "
                  f"| {d['attempts']} | {d['sent_not_stored']} | {d['stored_not_sent']} "
                  f"| {d['attempts_with_wrong_response_count']} | {d['integrity']} "
                  f"| {b['seconds']:.1f} | {r['burst_cpu_per_flow']:.1f} |")
            met[variant]["once"] &= (b["flows_complete"] == b["users"] and d["sent_not_stored"] == 0
                            and d["stored_not_sent"] == 0 and d["attempts"] == b["keys_ok"]
                            and d["attempts_with_wrong_response_count"] == 0
                            and d["integrity"] == "ok")
            sd = r["submit_db"]
            met[variant]["once"] &= (sd["attempts_with_wrong_response_count"] == 0
                            and sd["integrity"] == "ok")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 run, 200 students, 5 s windows, waitress")
    parser.add_argument("--variants", help="comma-separated, of: " + ", ".join(VARIANTS)
                        + " (default: all three; --quick: waitress)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50, help="concurrent users, throughput")
    parser.add_argument("--duration", type=float, default=8, help="throughput window, s")
    parser.add_argument("--json", help="also write every raw result here")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.students, args.duration = 1, 200, 5
        args.variants = args.variants or "waitress"
    args.variants = args.variants or ",".join(VARIANTS)
    variants = [v.strip() for v in args.variants.split(",")]
    for v in variants:
        if v not in VARIANTS:
            parser.error(f"unknown variant {v}")

    started = time.monotonic()
    all_runs: dict[str, list[dict]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="class_burst-") as tmp:
        for n in range(args.runs):  # runs outermost: drift on a noisy machine hits all alike
            for variant in variants:
                work = Path(tmp) / variant
                work.mkdir(exist_ok=True)
                t0 = time.monotonic()
                all_runs[variant].append(run_once(variant, args, work, n))
                print(f"run {n + 1}/{args.runs} {variant}: {time.monotonic() - t0:.0f} s",
                      file=sys.stderr, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(all_runs, indent=1))
    met = report(all_runs, args)
    names = {"ratio": f"submit/ceiling >= {TARGET_RATIO} (median of the runs)",
             "p99": f"burst p99 < {TARGET_P99_MS} ms (median of the runs, every step)",
             "once": "every submission stored exactly once, none half-stored"}
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")
    for variant, targets in met.items():
        for key, name in names.items():
            print(f"- {variant}: {'met    ' if targets[key] else 'NOT met'} {name}")
    raise SystemExit(0 if all(all(t.values()) for t in met.values()) else 1)


if __name__ == "__main__":
    main()
