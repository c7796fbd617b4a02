"""A gunicorn worker that reads each request whole before a thread serves it.

Served by `sourcecheck serve` (quiz/cli.py) on Linux and macOS, like gunicorn itself.

gunicorn's gthread worker hands a connection to one of its few threads as soon as the first
bytes arrive; the thread then blocks reading the rest. Ten clients that send headers with
`Content-Length: 100000` and then nothing held all eight threads, and `GET /` got no answer
for two minutes (issue 11). This worker reads the request line, headers and body in its
event loop instead, where a slow client costs a socket and no thread, as waitress does, and
gives a thread only a request that has arrived whole. A client that stalls meets
`408 Request Timeout` and a closed connection:

- the headers must arrive within `timeout` seconds of the request's first byte;
- a connection that sends nothing at all in that time is closed without an answer;
- the body may pause at most `timeout` seconds, and must be complete within
  `BODY_TIMEOUTS` times `timeout`.

What the event loop cannot frame (chunked bodies, `Expect: 100-continue`, TLS) goes to a
thread as before; a socket timeout of `timeout` seconds then bounds every read and write,
so a stalled client frees the thread within that, plus at most 5 s when gunicorn then
drains a body the app did not read.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import time
from functools import partial

from gunicorn.http import wsgi
from gunicorn.workers.gthread import TConn, ThreadWorker

# Headers larger than this are refused from the event loop (431): browsers send a few KB.
MAX_HEADER_BYTES = 64 * 1024
BODY_TIMEOUTS = 12
# gthread touches its heartbeat file (a utime syscall on disk) on every turn of its loop, three
# or more per request; the arbiter only needs one within its `timeout` (30 s by default).
HEARTBEAT_EVERY = 1.0
# gunicorn has no setting for its `Server: gunicorn` header (its maintainers declined one,
# benoitc/gunicorn#825); each response takes it from this module constant.
SERVER_NAME = "SourceCheck"

REFUSALS = {
    408: b"HTTP/1.1 408 Request Timeout\r\n",
    431: b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
}


def request_complete(buf: bytes, max_body: int) -> bool | None:
    """Whether *buf* holds a whole HTTP/1 request: True, False (read on), or None when
    the loop cannot tell (chunked, Expect, a bad length) and a thread must read it."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return False
    length = 0
    for line in buf[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip()
        if name == b"transfer-encoding" or (name == b"expect" and value):
            return None
        if name == b"content-length":
            if not value.isdigit() or int(value) > max_body:
                return None  # gunicorn answers 400, the app 413, without the body
            length = int(value)
    return len(buf) - end - 4 >= length


class ReadConn(TConn):
    """A connection whose request is read ahead by the event loop."""

    def __init__(self, cfg, sock, client, server, timeout: float):
        super().__init__(cfg, sock, client, server)
        self.read_timeout = timeout
        self.buffer = bytearray()
        self.started = self.last_byte = 0.0
        self.headers_done = False

    def init(self):
        """Set up the parser, give it the bytes read ahead, and bound every socket call."""
        super().init()
        if self.buffer:
            self.parser.unreader.unread(bytes(self.buffer))
            self.buffer = bytearray()
        # gthread sets the socket blocking before each request: a timeout bounds each read
        # and write, so a client that stalls past it frees the thread.
        self.sock.settimeout(self.read_timeout)

    def deadline(self) -> float:
        if not self.headers_done:
            return self.started + self.read_timeout
        return min(self.last_byte + self.read_timeout,
                   self.started + BODY_TIMEOUTS * self.read_timeout)


class ReadAheadWorker(ThreadWorker):
    """gthread, with each request read whole in the event loop before a thread gets it."""

    # Set by `configure` in the master before the fork.
    timeout_seconds = 10.0
    max_body = 2 * 1024 * 1024
    heartbeat_every = HEARTBEAT_EVERY

    @classmethod
    def configure(cls, timeout: float, max_body: int) -> type[ReadAheadWorker]:
        """Return this worker class with the client timeout and largest body set."""
        return type(cls.__name__, (cls,), {"timeout_seconds": float(timeout),
                                           "max_body": int(max_body)})

    def init_process(self):
        self.reading: set[ReadConn] = set()
        self.last_heartbeat = float("-inf")
        wsgi.SERVER = SERVER_NAME
        super().init_process()

    def notify(self):
        """Tell the arbiter this worker is alive, at most once every `heartbeat_every` seconds."""
        now = time.monotonic()
        if now - self.last_heartbeat >= self.heartbeat_every:
            self.last_heartbeat = now
            super().notify()

    def accept(self, listener):
        """Accept a connection and start reading its first request."""
        try:
            sock, client = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = ReadConn(self.cfg, sock, client, listener.getsockname(), self.timeout_seconds)
        if self.cfg.is_ssl:  # TLS bytes cannot be framed here: a thread reads them
            self.enqueue_req(conn)
        else:
            self._read_ahead(conn)

    def on_client_socket_readable(self, conn, client):
        """Read the next request of a kept-alive connection in the loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        if isinstance(conn, ReadConn) and not self.cfg.is_ssl:
            self._read_ahead(conn)
        else:
            self.enqueue_req(conn)

    def _read_ahead(self, conn: ReadConn) -> None:
        conn.sock.setblocking(False)
        conn.started = conn.last_byte = time.monotonic()
        conn.headers_done = False
        self.reading.add(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_bytes, conn))

    def _on_bytes(self, conn: ReadConn, sock) -> None:
        try:
            data = sock.recv(256 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._drop(conn)
            return
        conn.buffer += data
        conn.last_byte = time.monotonic()
        complete = request_complete(conn.buffer, self.max_body)
        if complete is False:
            conn.headers_done = b"\r\n\r\n" in conn.buffer
            if not conn.headers_done and len(conn.buffer) > MAX_HEADER_BYTES:
                self._drop(conn, 431)
            return
        self.poller.unregister(sock)
        self.reading.discard(conn)
        conn.data_ready = True  # gthread then skips its own wait for data
        self.enqueue_req(conn)

    def _drop(self, conn: ReadConn, status: int | None = None) -> None:
        """Stop reading a connection; answer *status* first when given, then close it."""
        self.reading.discard(conn)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        if status and conn.buffer:  # silent for a connection that never sent a byte
            # A client that is gone or not reading gets no answer: closing is all that is left.
            with contextlib.suppress(OSError):
                conn.sock.send(REFUSALS[status] + b"Connection: close\r\n"
                               b"Content-Length: 0\r\n\r\n")
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Also answer 408 to connections whose request stopped arriving in time."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c in self.reading if c.deadline() <= now]:
            self._drop(conn, 408)
