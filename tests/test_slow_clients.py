"""Slow and stalled clients against the real `sourcecheck serve` (issue 11).

Each test starts the server as the README does, on a free loopback port, with a client
timeout of a few seconds (the CLIENT_TIMEOUT setting) so the suite stays fast.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from quiz.serving import request_complete
from tests.helpers import ROOT, hidden

TIMEOUT = 2  # CLIENT_TIMEOUT for these servers, seconds
THREADS = 8  # the default of `sourcecheck serve`
DRAIN = 5  # gunicorn's deadline for draining a body the app did not read (gthread)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["gunicorn", "waitress"])
def served(request, tmp_path_factory):
    """Start `sourcecheck serve --server ...` on a free port; yield the port."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    port = free_port()
    env = dict(os.environ, SOURCECHECK_INSTANCE=str(tmp_path / "instance"),
               SOURCECHECK_CLIENT_TIMEOUT=str(TIMEOUT), PYTHONPATH=str(ROOT))
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-c", "from quiz.cli import main; main()", "serve",
         "--server", request.param, "--port", str(port)],
        env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(15)
        log.close()
    # the served code is this checkout's, not an installed copy
    assert f"Serving the code in {ROOT / 'quiz'}" in (tmp_path / "server.log").read_text()


def stall(port: int, head: bytes) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 10)
    s.sendall(head)
    return s


STALLS = {
    "body never sent": b"POST /teacher/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       b"application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
    "headers never finished": b"GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n",
    "chunked body never sent": b"POST /teacher/login HTTP/1.1\r\nHost: x\r\n"
                               b"Transfer-Encoding: chunked\r\n\r\n",
}


def test_stalled_clients_hold_no_thread_and_are_closed_in_time(served, request):
    port = served
    server = request.node.callspec.params["served"]
    # more stalled connections than threads; chunked ones are read by a thread (the loop
    # cannot frame them), so fewer of those than one gunicorn process has threads
    stalled = ([stall(port, STALLS["body never sent"]) for _ in range(THREADS + 2)]
               + [stall(port, STALLS["headers never finished"]) for _ in range(THREADS + 2)])
    chunked = [stall(port, STALLS["chunked body never sent"]) for _ in range(THREADS // 4)]
    opened = time.monotonic()
    time.sleep(0.5)  # let the server take them all

    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=TIMEOUT + 10) as r:
        assert r.status == 200
        assert "SourceCheck" in r.read().decode()
    assert time.monotonic() - started < 2, "GET / waited for the stalled clients"

    for sockets, limit in [(stalled, TIMEOUT), (chunked, TIMEOUT + DRAIN)]:
        for s in sockets:
            answer = b""
            while chunk := s.recv(4096):  # the server closes it: recv returns b""
                answer += chunk
            s.close()
            if server == "waitress":  # closes idle connections without an answer
                assert answer == b""
            elif sockets is stalled:
                assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
            else:
                assert answer.startswith(b"HTTP/1.1 4")
        # a thread reads a chunked body: the timeout bounds the read, gunicorn's deadline
        # the drain of the unread body
        assert time.monotonic() - opened < limit + 2, "a stalled socket stayed open too long"


def test_served_app_takes_forms_over_kept_connections_and_hides_the_server(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=20)
    conn.request("GET", "/sets/who-says-so")
    r = conn.getresponse()
    page = r.read().decode()
    assert r.status == 200
    assert r.headers["Server"] in (None, "SourceCheck")  # not gunicorn, not waitress
    cookie = r.headers["Set-Cookie"].split(";", 1)[0]
    token = hidden(page, "csrf_token")
    # a body far larger than one read (1 MB), trickled in pieces, arrives whole
    body = urlencode({"csrf_token": token, "name": "Ada", "padding": "x" * 1_000_000}).encode()
    conn.putrequest("POST", "/sets/who-says-so")
    for name, value in [("Cookie", cookie), ("Content-Length", str(len(body))),
                        ("Content-Type", "application/x-www-form-urlencoded")]:
        conn.putheader(name, value)
    conn.endheaders()
    for i in range(0, len(body), 300_000):
        conn.send(body[i:i + 300_000])
        time.sleep(0.2)
    r = conn.getresponse()
    r.read()
    assert r.status == 302
    cookie = r.headers["Set-Cookie"].split(";", 1)[0]
    conn.request("GET", "/sets/who-says-so/quiz", headers={"Cookie": cookie})  # same socket
    r = conn.getresponse()
    assert r.status == 200
    assert "Ada" in r.read().decode()
    conn.close()


@pytest.mark.parametrize(("data", "complete"), [
    (b"GET / HTTP/1.1\r\nHost: x\r\n", False),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", True),
    (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcd", False),
    (b"POST / HTTP/1.1\r\ncontent-length:5\r\n\r\nabcde", True),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", None),
    (b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n", None),
    (b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", None),
    (b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", None),  # over the limit: 413
])
def test_request_complete_frames_what_the_loop_can(data, complete):
    assert request_complete(data, max_body=1000) is complete
