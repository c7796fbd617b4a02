"""kill -9 the production server in the middle of a burst of submissions, then start it again.

    .venv/bin/python benchmarks/kill_restart.py [--cycles 3] [--students 16] [--variant ...]

Each cycle: start `sourcecheck serve` (as the README does) on one temp instance folder, let
students (threads, http.client, one session each) submit the all-right answers of a bundled
set as fast as they can, SIGKILL the server's process group once enough attempts are
stored, and start it again on the same folder. Then check:
- PRAGMA integrity_check is ok;
- no attempt is half-stored: every attempt has all its responses (attempts x questions ==
  responses);
- every submission the server acknowledged (303) before the kill is stored (WAL with
  synchronous=NORMAL loses no committed transaction when only the process dies);
- the server serves again: home page, an old results page, a new submission.
With --kill worker (gunicorn variants), each cycle SIGKILLs one gunicorn worker instead and
does not restart anything: gunicorn's master must spawn a new worker, the burst goes on, and
the same checks hold.
Exit status 0 when every check passes. Only 127.0.0.1 is loaded; each loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    SLUG,
    VARIANTS,
    Browser,
    QuizPage,
    Server,
    answer_sheet,
    check_database,
    instance_secret,
    max_points,
    set_document,
)


def burst(server: Server, students: int, document: dict, max_each: int, acked: list,
          errors: list, stop: threading.Event) -> list[threading.Thread]:
    # Each student reads one quiz page, then sends again and again without fetching it: the
    # next pages' keys are computed from the secret of the instance folder this made.
    secret = instance_secret(server.instance)

    def student(i: int) -> None:
        browser = Browser(server.port, keep_alive=False, timeout=20)
        try:
            page = browser.open_quiz(f"Student {i}", document)
        except (OSError, http.client.HTTPException, AssertionError) as exc:
            errors.append(f"setup: {exc!r}")
            return
        for n in range(max_each):  # bounded
            if stop.is_set():
                return
            if n:
                page = QuizPage.computed(secret, page.csrf, page.version_id)
            try:
                status, headers, _ = browser.request(
                    "POST", f"/sets/{SLUG}/quiz", answer_sheet(document, page))
            except (OSError, http.client.HTTPException):
                return  # the server died under us: expected
            if status == 303:
                acked.append((page.submit_key, urlsplit(headers["Location"]).path,
                              browser.cookies))
            else:
                errors.append(f"submit: status {status}")

    threads = [threading.Thread(target=student, args=(i,), daemon=True) for i in range(students)]
    for t in threads:
        t.start()
    return threads


def worker_pids(master: int) -> set[int]:
    """The children of a gunicorn master, from /proc."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                out.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def kill_one_worker(server: Server) -> bool:
    """SIGKILL one worker mid-burst; return whether the master replaced it within 30 s."""
    before = worker_pids(server.proc.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = worker_pids(server.proc.pid)
        if victim not in now and len(now) == len(before):
            return True
        time.sleep(0.1)
    return False


def count_attempts(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM attempt").fetchone()[0]
    except sqlite3.Error:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--kill-after", type=int, default=150,
                        help="attempts stored in this cycle before the kill")
    parser.add_argument("--variant", default="waitress", choices=list(VARIANTS))
    parser.add_argument("--kill", default="server", choices=["server", "worker"],
                        help="SIGKILL the whole server (then restart it) or one gunicorn worker")
    args = parser.parse_args()
    document = set_document()
    started = time.monotonic()
    ok = True
    with tempfile.TemporaryDirectory(prefix="kill_restart-") as tmp:
        instance, log = Path(tmp) / "instance", Path(tmp) / "server.log"
        database = instance / "sourcecheck.sqlite"
        all_acked: list[tuple[str, str, dict]] = []
        print("| cycle | stored when kill sent | acked (303) | stored, never acked (in flight) "
              "| integrity | attempts | responses | half-stored | acked not stored | serves |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for cycle in range(1, args.cycles + 1):
            server = Server(VARIANTS[args.variant]["app"], instance, log)
            server.wait_ready()
            before = count_attempts(database)
            acked: list[tuple[str, str, dict]] = []
            errors: list[str] = []
            stop = threading.Event()
            threads = burst(server, args.students, document, 2000, acked, errors, stop)
            deadline = time.monotonic() + 60
            while (count_attempts(database) - before < args.kill_after
                   and time.monotonic() < deadline):
                time.sleep(0.05)
            stored_at_kill = count_attempts(database) - before
            replaced = True
            if args.kill == "worker":
                replaced = kill_one_worker(server)  # mid-burst; the others keep serving
                time.sleep(2)  # the burst goes on through the new worker
            else:
                server.kill9()  # mid-burst: requests are in flight
            stop.set()
            for t in threads:
                t.join(30)
            all_acked.extend(acked)

            if args.kill == "server":
                server = Server(VARIANTS[args.variant]["app"], instance, log)
            try:
                server.wait_ready()
                check = check_database(database, [k for k, _, _ in all_acked])
                browser = Browser(server.port, keep_alive=False, timeout=20)
                serves = browser.request("GET", "/")[0] == 200
                if all_acked:  # results are shown only to the browser that sent them
                    _, path, cookies = all_acked[-1]
                    sender = Browser(server.port, keep_alive=False, timeout=20)
                    sender.cookies = dict(cookies)
                    status, _, page = sender.request("GET", path)
                    serves &= status == 200 and f"out of {max_points(document):g}" in page
                page = browser.open_quiz("After restart", document)
                status, _, _ = browser.request("POST", f"/sets/{SLUG}/quiz",
                                               answer_sheet(document, page))
                serves &= status == 303 and replaced
            finally:
                server.stop()
            questions = len(document["questions"])
            good = (check["integrity"] == "ok" and check["attempts_with_wrong_response_count"] == 0
                    and check["responses"] == check["attempts"] * questions
                    and check["sent_not_stored"] == 0 and serves and not errors)
            ok &= good
            never_acked = check["attempts"] - before - len(acked)  # committed, 303 not read
            print(f"| {cycle} | {stored_at_kill} | {len(acked)} | {never_acked} "
                  f"| {check['integrity']} | {check['attempts']} | {check['responses']} "
                  f"| {check['attempts_with_wrong_response_count']} "
                  f"| {check['sent_not_stored']} | {'yes' if serves else 'NO'} |"
                  + (f" errors: {errors[:3]}" if errors else ""), flush=True)
    print(f"\n{args.cycles} kill -9 cycles in {time.monotonic() - started:.0f} s: "
          f"{'all checks passed' if ok else 'CHECKS FAILED'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
