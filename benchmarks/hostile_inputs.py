"""Hostile inputs against the served app: does any request stall or bloat a worker?

    .venv/bin/python benchmarks/hostile_inputs.py [--timeout 60] [--only NAME ...]

Starts `sourcecheck serve` (gunicorn, as the README does on Linux) on a fresh instance on
127.0.0.1, creates a teacher account with the app's own functions, and sends each hostile
input of issue 11 in turn, as the page a teacher or student would use. For each it prints:
the time to answer (or "timed out" after --timeout, the client's cap), the status, the RSS
growth of the gunicorn workers (from /proc, before and after), and whether `GET /` stayed
under 200 ms meanwhile (polled from another thread, on new connections, while the hostile
request runs). Students submit answers all through the run; at the end PRAGMA
integrity_check must be ok and every acknowledged submission stored.

Exit status is non-zero only if the benchmark itself crashes: a slow or failing input is a
finding, printed in the table. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    BIN,
    CSRF,
    ROOT,
    SLUG,
    Browser,
    QuizPage,
    Server,
    answer_sheet,
    check_database,
    instance_secret,
    set_document,
)

POLL_LIMIT_MS = 200
USERNAME, PASSWORD = "bench-teacher", "bench-password-1234"


class Client(Browser):
    """A Browser that can also send a raw body (a multipart upload) and time out."""

    def send(self, method: str, path: str, body: bytes, content_type: str):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Content-Type": content_type}
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        r.read()
        self.close()
        return r.status

    def token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        return CSRF.search(page).group(1)


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def ordinary_article(size: int) -> str:
    para = ("The council voted on Monday to repair the old bridge, officials said. "
            "Residents reportedly oppose the closure, which could last as many as six months. "
            '"It will split the town," said Jo Bloggs, a shopkeeper. ')
    out, n = [], 0
    while n < size:
        out.append(para)
        n += len(para) + 2
    return "\n\n".join(out)


def yaml_set(text: str) -> str:
    body = "\n".join("    " + line for line in text.splitlines())
    return ("id: hostile\ntitle: Hostile\nintro: A set.\ntakeaways:\n  - One.\narticle:\n"
            "  title: A headline\n  outlet: Nobody\n  text: |\n" + body + "\nquestions:\n"
            "  - id: q1\n    type: choice\n    prompt: Who?\n    explanation: Because.\n"
            "    options:\n      - id: a\n        text: A\n        correct: true\n"
            "        explanation: Yes.\n      - id: b\n        text: B\n"
            "        explanation: No.\n")


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\nid: laughs\n"


def gift_questions(count: int, same_title: bool = False) -> str:
    return "\n\n".join(
        f"::{'Same title' if same_title else f'Q{i}'}:: Who said the bridge would cost "
        f"{i} pounds? {{=The mayor ~The council ~A shopkeeper}}" for i in range(count))


def gift_of_size(size: int) -> str:
    text, count = "", 1000
    while len(text) < size:
        text = gift_questions(count)
        count *= 2
    return text[:size].rsplit("\n\n", 1)[0]


def hostile_inputs(teacher: Client, student: QuizPage, secret: str) -> list[tuple[str, object]]:
    """(name, callable returning a status) for every input of issue 11, in order."""
    def draft(text: str):
        def go():
            return teacher.send("POST", "/teacher/drafts/from-article", urlencode({
                "csrf_token": teacher.token("/teacher/drafts/from-article"),
                "article_title": "A headline", "outlet": "Nobody", "text": text,
                "read": "Read the article"}).encode(), "application/x-www-form-urlencoded")
        return go

    def upload(filename: str, content: str):
        def go():
            body, kind = multipart({"csrf_token": teacher.token("/teacher/sets/import")},
                                   filename, content.encode())
            return teacher.send("POST", "/teacher/sets/import", body, kind)
        return go

    def editor(text: str):
        def go():
            return teacher.send("POST", "/teacher/sets/new", urlencode({
                "csrf_token": teacher.token("/teacher/sets/new"), "title": "Long article",
                "intro": "An intro.", "takeaways": "One.", "article_title": "A headline",
                "outlet": "Nobody", "text": text}).encode(), "application/x-www-form-urlencoded")
        return go

    def evidence():
        # A page the student's session opened, with a new key (as a second quiz page).
        page = QuizPage.computed(secret, student.csrf, student.version_id)
        answers = answer_sheet(set_document(), page)
        answers["q-ws-worker-quotes"] = "9" * 5000
        return student_browser.send("POST", f"/sets/{SLUG}/quiz",
                                    urlencode(answers, doseq=True).encode(),
                                    "application/x-www-form-urlencoded")

    def big_ids():
        statuses = set()
        for path in (f"/teacher/sets/{2**63}", f"/teacher/sets/{2**64 + 1}/edit",
                     f"/teacher/classes/{2**63}", f"/teacher/classes/{2**70}/summary/"):
            statuses.add(teacher.request("GET", path)[0])
        return "/".join(str(s) for s in sorted(statuses))

    student_browser = teacher.student
    deep = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    return [
        ("draft: nested curly quotes (“ x10,240, x, ” x10,240)",
         draft("“" * 10_240 + "x" + "”" * 10_240)),
        ('draft: 10 KB of `" said x`', draft('" said x' * (10_240 // 8))),
        ("draft: 1 MB ordinary article", draft(ordinary_article(1_000_000))),
        ("GIFT: comment line of `[tag:` x26,214",
         upload("tags.gift", "// " + "[tag:" * 26_214 + "\n::Q:: Who? {=A ~B}\n")),
        ("YAML: billion laughs (8 levels x10 aliases)", upload("laughs.yaml", billion_laughs())),
        ("YAML: 200 KB one-paragraph article",
         upload("long.yaml", yaml_set(" ".join(["The mayor said so."] * 11_000)))),
        ("YAML: 1.5 MB of 150k keys",
         upload("keys.yaml", "".join(f"k{i:06d}: {i}\n" for i in range(150_000)))),
        ("YAML: int of 5,000 digits", upload("int.yaml", "id: " + "9" * 5000 + "\n")),
        ("YAML: nesting 10,000 deep", upload("deep.yaml", deep)),
        ("set editor: 58 KB article", editor(ordinary_article(58_000))),
        ("GIFT: 1 MB of many questions", upload("many.gift", gift_of_size(1_000_000))),
        ("GIFT: 4,700 questions with the same title",
         upload("same.gift", gift_questions(4700, same_title=True))),
        ("evidence answer of 5,000 digits", evidence),
        ("ids above 2^63 in URLs", big_ids),
    ]


def workers(master: int) -> dict[int, int]:
    """RSS in KB of each child of the gunicorn master, from /proc."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[int(stat.parent.name)] = int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return out


class Poller(threading.Thread):
    """GET / on a new connection every 50 ms; remember the slowest answer (or failure)."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.stop, self.worst, self.failed = port, threading.Event(), 0.0, 0

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/")
                ok = conn.getresponse().status == 200
                conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
            self.worst = max(self.worst, time.monotonic() - started)
            self.failed += not ok
            time.sleep(0.05)


class Submitter(threading.Thread):
    """A student submitting the right answers every 200 ms; keeps the acknowledged keys.

    It reads one quiz page; the next pages' keys are computed from the secret of the
    instance folder this benchmark made, as those pages would have carried them.
    """

    def __init__(self, port: int, secret: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.secret, self.stop, self.acked, self.errors = port, secret, stop, [], []

    def run(self) -> None:
        browser = Browser(self.port, keep_alive=False, timeout=60)
        document = set_document()
        try:
            page = browser.open_quiz("Steady Student", document)
        except (OSError, http.client.HTTPException, AssertionError) as exc:
            self.errors.append(repr(exc))
            return
        while not self.stop.is_set():
            key = page.submit_key
            try:
                status, _, _ = browser.request("POST", f"/sets/{SLUG}/quiz",
                                               answer_sheet(document, page))
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(repr(exc))
                continue
            if status == 303:
                self.acked.append(key)
            else:
                self.errors.append(f"status {status}")
            page = QuizPage.computed(self.secret, page.csrf, page.version_id)
            time.sleep(0.2)


def stalled(port: int, hold: float) -> str:
    """Ten POSTs that stop after their headers and ten slow-header connections; return
    when the server closed them."""
    head = (b"POST /teacher/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
            b"x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n")
    socks = []
    for i in range(20):
        s = socket.create_connection(("127.0.0.1", port), timeout=hold)
        s.sendall(head if i < 10 else b"GET / HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    started, closed, answers = time.monotonic(), [], set()
    for s in socks:
        try:
            data = s.recv(100)
            answers.add(data.split(b"\r\n", 1)[0].decode(errors="replace")[9:] or "closed")
            closed.append(time.monotonic() - started)
        except OSError:
            answers.add("still open")
        finally:
            s.close()
    return (f"{len(closed)}/20 closed by the server, the last after "
            f"{max(closed, default=0):.1f} s: {', '.join(sorted(answers))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=60,
                        help="client timeout per hostile request, seconds")
    parser.add_argument("--only", nargs="*", help="run only inputs whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        instance = Path(tmp) / "instance"
        server = Server([str(BIN / "sourcecheck"), "serve"], instance, Path(tmp) / "server.log")
        try:
            server.wait_ready()
            run(server, instance, args)
        finally:
            server.stop()


def make_teacher(instance: Path) -> None:
    """Create the benchmark's teacher account with the app's own functions."""
    os.environ["SOURCECHECK_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from quiz import create_app
    from quiz.db import get_db
    from quiz.views.auth import create_teacher

    with create_app().app_context():
        create_teacher(get_db(), USERNAME, PASSWORD)


def run(server: Server, instance: Path, args) -> None:
    make_teacher(instance)
    teacher = Client(server.port, timeout=args.timeout)
    status, _, _ = teacher.request("POST", "/teacher/login", {
        "csrf_token": teacher.token("/teacher/login"), "username": USERNAME,
        "password": PASSWORD})
    assert status == 302, f"sign-in: {status}"
    teacher.student = Client(server.port, timeout=args.timeout)
    student = teacher.student.open_quiz("Hostile Student", set_document())
    secret = instance_secret(instance)

    stop = threading.Event()
    submitter = Submitter(server.port, secret, stop)
    submitter.start()
    inputs = hostile_inputs(teacher, student, secret)
    inputs.append(("10 stalled POSTs + 10 slow-header connections",
                   lambda: stalled(server.port, args.timeout)))
    if args.only:
        inputs = [(n, f) for n, f in inputs if any(o in n for o in args.only)]
    print(f"Served code: {ROOT / 'quiz'}; client timeout {args.timeout:g} s\n")
    print(f"| input | answered in | status | worker RSS growth | GET / worst | "
          f"GET / under {POLL_LIMIT_MS} ms |")
    print("|---|---|---|---|---|---|")
    for name, send in inputs:
        before = workers(server.proc.pid)
        poller = Poller(server.port)
        poller.start()
        started = time.monotonic()
        try:
            status = send()
        except TimeoutError:
            status = "timed out"
        except (OSError, http.client.HTTPException) as exc:
            status = f"error: {exc!r}"[:80]
        finally:
            teacher.close()
            teacher.student.close()
        took = time.monotonic() - started
        time.sleep(0.3)
        poller.stop.set()
        poller.join(10)
        after = workers(server.proc.pid)
        growth = sum(after.get(p, 0) - kb for p, kb in before.items())
        replaced = len(set(before) - set(after))
        print(f"| {name} | {took * 1000:.0f} ms | {status} | {growth / 1024:+.1f} MB"
              + (f" ({replaced} worker(s) replaced)" if replaced else "")
              + f" | {poller.worst * 1000:.0f} ms"
              + (f", {poller.failed} failed" if poller.failed else "")
              + f" | {'yes' if poller.worst * 1000 < POLL_LIMIT_MS and not poller.failed else 'NO'}"
              + " |",
              flush=True)
    stop.set()
    submitter.join(70)
    check = check_database(instance / "sourcecheck.sqlite", submitter.acked)
    print(f"\nintegrity_check: {check['integrity']}; submissions acknowledged during the run: "
          f"{check['sent']}, not stored: {check['sent_not_stored']}; half-stored attempts: "
          f"{check['attempts_with_wrong_response_count']}"
          + (f"; submit errors: {submitter.errors[:3]}" if submitter.errors else ""))


if __name__ == "__main__":
    main()
