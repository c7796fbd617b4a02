"""The served worker's heartbeat: the arbiter still hears from it, at a cost paid once a second."""

from __future__ import annotations

from quiz import serving
from quiz.serving import ReadAheadWorker


class _Heartbeat:
    """Stands in for gunicorn's WorkerTmp: counts the touches of the heartbeat file."""

    def __init__(self):
        self.touches = 0

    def notify(self):
        self.touches += 1


def _worker(monkeypatch, clock: list[float]) -> ReadAheadWorker:
    monkeypatch.setattr(serving.time, "monotonic", lambda: clock[0])
    worker = object.__new__(ReadAheadWorker.configure(10, 1024))  # no arbiter, no sockets
    worker.tmp = _Heartbeat()
    worker.last_heartbeat = float("-inf")
    return worker


def test_heartbeat_file_is_touched_once_however_many_turns_the_loop_takes(monkeypatch):
    clock = [100.0]
    worker = _worker(monkeypatch, clock)
    for _ in range(300):  # a hundred requests' worth of turns within one second
        worker.notify()
        clock[0] += 0.003
    assert worker.tmp.touches == 1


def test_heartbeat_goes_on_every_second_so_the_arbiter_keeps_the_worker(monkeypatch):
    clock = [100.0]
    worker = _worker(monkeypatch, clock)
    for _ in range(30):  # an idle worker: its loop turns once a second (select's timeout)
        worker.notify()
        clock[0] += serving.HEARTBEAT_EVERY
    assert worker.tmp.touches == 30
    # gunicorn kills a worker silent for `timeout` (30 s by default): far more than this
    assert serving.HEARTBEAT_EVERY <= 2
