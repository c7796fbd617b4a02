"""Where a test run's screenshots go: a folder of its own, so concurrent runs keep theirs.

Pure file handling (no browser), so the fast suite can test it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
# Runs older than this are removed when a new run starts: screenshots are for looking at
# soon after a run, and each run writes some 20 MB.
KEEP_SECONDS = 24 * 3600
# A run without pytest-xdist (-n 0) has no shared run id: one per process is one per run.
_OWN_RUN = uuid.uuid4().hex


def run_folder(root: Path = SCREENSHOTS, run: str | None = None) -> Path:
    """Return this run's folder under *root*, `<start time>-<run id>`, made on first call.

    pytest-xdist gives every worker of one run the same PYTEST_XDIST_TESTRUNUID: the first
    worker makes the folder, under a lock, and the others find it. `root/latest` then
    points at the newest run's folder.
    """
    run = (run or os.environ.get("PYTEST_XDIST_TESTRUNUID") or _OWN_RUN)[:12]
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        found = sorted(root.glob(f"*-{run}"))
        if found:
            return found[0]
        folder = root / f"{time.strftime('%Y%m%d-%H%M%S')}-{run}"
        folder.mkdir()
        link = root / f".latest-{run}"
        link.unlink(missing_ok=True)
        link.symlink_to(folder.name)
        os.replace(link, root / "latest")  # atomic: a reader sees the old run or the new
        _remove_old_runs(root, keep=folder)
    return folder


def _remove_old_runs(root: Path, keep: Path) -> None:
    """Remove runs (and files from before runs had folders) older than KEEP_SECONDS."""
    limit = time.time() - KEEP_SECONDS
    for entry in root.iterdir():
        if entry == keep or entry.is_symlink() or entry.name == ".lock":
            continue
        try:
            if entry.stat().st_mtime >= limit:
                continue
        except FileNotFoundError:  # another run removed it first
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
