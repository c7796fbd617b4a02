"""Real-browser fixtures: Debian's Chromium driven by Playwright, against a live SourceCheck.

One browser and one server for the whole session keep the suite fast on a 2-core machine;
every test still gets a fresh browser context (no shared cookies or localStorage).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from quiz import create_app, questionsets
from quiz.cli import prepare

ROOT = Path(__file__).resolve().parents[2]
ALL_TYPES = ROOT / "tests" / "data" / "all-types.yaml"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
WIDTHS = (1280, 360)


# --- the browser -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("SOURCECHECK_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"No Chromium at {path}. The browser tests drive Debian's Chromium: install it "
            "with `apt-get install -y chromium` (or point SOURCECHECK_CHROMIUM at a Chromium "
            "binary). `playwright install` cannot download browsers on this network.",
            pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_path: str) -> dict:
    """pytest-playwright's launch options, pointed at the system Chromium."""
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": args}


# --- the live server ---------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request is noise here
        pass


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The real app on a temporary database, serving the bundled sets and all-types."""
    tmp = tmp_path_factory.mktemp("live")
    folder = tmp / "questions"
    shutil.copytree(ROOT / "questions", folder)
    shutil.copy(ALL_TYPES, folder)
    app = create_app({
        "SECRET_KEY": "browser-test-secret",
        "DATABASE": str(tmp / "live.sqlite"),
        "QUESTIONS_DIR": str(folder),
    })
    prepare(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Every page.goto('/...') goes to the live server."""
    return live_server


@pytest.fixture(scope="session")
def all_types() -> dict:
    return questionsets.load_file(ALL_TYPES)


# --- screenshots -------------------------------------------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """test-results/screenshots/, emptied once per session so it shows only this run."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def shoot(screenshots_dir: Path):
    """shoot(page, name): full-page PNGs at 1280 and 360 px wide in test-results/screenshots/.

    Also checks that nothing makes the page scroll sideways at 360 px.
    """

    def _shoot(page, name: str) -> None:
        before = page.viewport_size
        try:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.screenshot(path=str(screenshots_dir / f"{_slug(name)}-{width}.png"),
                                full_page=True)
                if width == 360:
                    assert_no_horizontal_overflow(page, name)
        finally:
            if before:
                page.set_viewport_size(before)

    return _shoot


def assert_no_horizontal_overflow(page, name: str = "") -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 10)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"{name}: the page is {widths[0]} px wide in a {widths[1]} px window; "
                    f"too wide: {wide}", pytrace=False)
