"""The browser tests' screenshots: each run in its own folder, so runs at once keep theirs."""

from __future__ import annotations

import os
import time

from tests.browser.screenshots import KEEP_SECONDS, run_folder


def test_a_second_run_keeps_the_first_runs_screenshots(tmp_path):
    first = run_folder(tmp_path, run="a" * 32)
    (first / "home-1280.png").write_bytes(b"png")
    second = run_folder(tmp_path, run="b" * 32)
    (second / "home-1280.png").write_bytes(b"png")
    assert first != second
    assert (first / "home-1280.png").read_bytes() == b"png"  # was emptied by the second run
    assert (tmp_path / "latest").resolve() == second.resolve()


def test_the_workers_of_one_run_share_its_folder(tmp_path):
    assert run_folder(tmp_path, run="c" * 32) == run_folder(tmp_path, run="c" * 32)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir() and not p.is_symlink()] == [
        run_folder(tmp_path, run="c" * 32).name]


def test_runs_older_than_a_day_are_removed_when_a_run_starts(tmp_path):
    old = run_folder(tmp_path, run="d" * 32)
    recent = run_folder(tmp_path, run="e" * 32)
    loose = tmp_path / "home-360.png"  # from before runs had folders
    loose.write_bytes(b"png")
    long_ago = time.time() - KEEP_SECONDS - 60
    for path in (old, loose):
        os.utime(path, (long_ago, long_ago))
    run_folder(tmp_path, run="f" * 32)
    assert not old.exists() and not loose.exists()
    assert recent.is_dir()
