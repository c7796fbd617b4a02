"""Real-browser fixtures: Debian's Chromium driven by Playwright, against a live SourceCheck.

One browser and one server for the whole session keep the suite fast on a 2-core machine;
every test still gets a fresh browser context (no shared cookies or localStorage).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from quiz import create_app, queries, questionsets
from quiz.cli import prepare
from quiz.db import connect
from quiz.views.auth import new_setup_token
from tests.browser.screenshots import run_folder

ROOT = Path(__file__).resolve().parents[2]
ALL_TYPES = ROOT / "tests" / "data" / "all-types.yaml"
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
        # Fast hashing for tests only; installs keep Werkzeug's default, scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    prepare(app)
    return app


def _closed_before_sending(app):
    """Wrap *app* so each response is read whole and closed before Werkzeug sends it."""
    # Werkzeug's development server closes a response only after draining the socket, and a
    # browser that has already dropped the connection (a page left mid-load) makes that
    # read raise: the response's open static file is then never closed, and pytest reports
    # its ResourceWarning in whatever test runs next. The test server only; installs serve
    # with gunicorn or waitress.
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, _closed_before_sending(live_app), threaded=True,
                         request_handler=_QuietHandler)
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
    """This run's own folder, test-results/screenshots/<start time>-<run id>/.

    A run never empties another's folder, so two runs at once keep their screenshots;
    test-results/screenshots/latest points at the newest run.
    """
    return run_folder()


def take_screenshots(page, name: str, folder: Path) -> str | None:
    """Full-page PNGs of *page* at 1280 and 360 px wide in *folder*.

    Returns what makes the page scroll sideways at 360 px, or None when nothing does.
    """
    before = page.viewport_size
    overflow = None
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=str(folder / f"{_slug(name)}-{width}.png"), full_page=True)
            if width == 360:
                overflow = horizontal_overflow(page, name)
    finally:
        if before:
            page.set_viewport_size(before)
    return overflow


@pytest.fixture
def shoot(screenshots_dir: Path):
    """shoot(page, name): full-page PNGs at 1280 and 360 px wide in this run's folder.

    Also checks that nothing makes the page scroll sideways at 360 px.
    """

    def _shoot(page, name: str) -> None:
        overflow = take_screenshots(page, name, screenshots_dir)
        if overflow:
            pytest.fail(overflow, pytrace=False)

    return _shoot


def horizontal_overflow(page, name: str = "") -> str | None:
    """Say what is too wide when the page scrolls sideways, else None."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] <= widths[1]:
        return None
    # Elements that stick out, leaving out those that a box which scrolls or clips them
    # holds (e.g. a wide table in .table-responsive): those do not widen the page. An
    # absolutely positioned element (.visually-hidden) escapes every box up to its
    # containing block, its nearest positioned ancestor.
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .filter(e => {
            const position = getComputedStyle(e).position;
            if (position === 'fixed') return true;
            let escapes = position === 'absolute';
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                const style = getComputedStyle(a);
                if (escapes && style.position === 'static') continue;
                if (style.overflowX !== 'visible') return false;
                if (style.position === 'fixed') return true;
                escapes = style.position === 'absolute';
            }
            return true;
        })
        .slice(0, 10)
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
             + (e.className && typeof e.className === 'string'
                ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
             + ' right=' + Math.round(e.getBoundingClientRect().right))""")
    return (f"{name}: the page is {widths[0]} px wide in a {widths[1]} px window; "
            f"too wide: {wide}")


def assert_no_horizontal_overflow(page, name: str = "") -> None:
    overflow = horizontal_overflow(page, name)
    if overflow:
        pytest.fail(overflow, pytrace=False)


# --- accessibility audits ----------------------------------------------------------------

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA},
               "resultTypes": ["violations"]}


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  [{v.get('helpUrl', '')}]")
        for node in v["nodes"]:
            lines.append(f"    target {', '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def page_problems(page, name: str, axe, folder: Path) -> list[str]:
    """Scan *page* with axe (WCAG 2.1 A+AA), photograph it at 1280 and 360 px, and return
    every problem found: axe violations, sideways scrolling at 360 px, repeated ids."""
    page.wait_for_load_state()
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    problems = []
    overflow = take_screenshots(page, name, folder)
    if overflow:
        problems.append(overflow)
    duplicates = page.evaluate("""() => {
        const seen = {};
        for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
    if duplicates:  # WCAG 2.1's 4.1.1 Parsing; axe no longer checks it
        problems.append(f"{name}: ids used more than once: {duplicates}")
    if violations:
        text = f"{len(violations)} axe violation(s) on {name} ({page.url}):\n" \
               f"{describe_violations(violations)}"
        print(text)
        problems.append(text)
    return problems


@pytest.fixture
def audit(axe, screenshots_dir: Path):
    """audit(page, name): axe scan (WCAG 2.1 A+AA), screenshots, no sideways scroll at 360 px."""

    def _audit(page, name: str) -> None:
        problems = page_problems(page, name, axe, screenshots_dir)
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)

    return _audit


# --- the session's one teacher -----------------------------------------------------------

TEACHER = "ms-rivera"
TEACHER_PASSWORD = "correct horse battery"


@dataclass
class TeacherAccount:
    username: str
    password: str
    state: str  # the signed-in browser's storage state (cookies), for new contexts
    first_pages: dict  # audits of the pages that exist only before the first account


@pytest.fixture(scope="session")
def teacher_account(live_app, browser, browser_context_args, axe, screenshots_dir,
                    tmp_path_factory) -> TeacherAccount:
    """The session's one teacher account, made in the browser through the one-time setup link.

    The setup page exists only while there is no teacher account, and the dashboard is empty
    only until the first set or class: both are audited here, once, whatever test asks for
    the teacher first (`first_pages`: page name -> problems found).
    """
    db = connect(live_app.config["DATABASE"])
    try:
        assert queries.count_teachers(db) == 0, "a teacher account exists before the setup"
        token = new_setup_token(db)
    finally:
        db.close()
    context = browser.new_context(**browser_context_args)
    audits: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        page.goto(f"/teacher/setup/{token}")
        expect(page.locator("h1")).to_have_text("Create the first teacher account")
        audits["teacher-setup"] = page_problems(page, "teacher-setup", axe, screenshots_dir)
        page.get_by_label("Username").fill(TEACHER)
        page.get_by_label("Password", exact=True).fill("short")
        page.get_by_label("Repeat the password").fill("different")
        page.get_by_role("button", name="Create account").click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()
        audits["teacher-setup-error"] = page_problems(page, "teacher-setup-error", axe,
                                                      screenshots_dir)
        page.get_by_label("Password", exact=True).fill(TEACHER_PASSWORD)
        page.get_by_label("Repeat the password").fill(TEACHER_PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page).to_have_url(re.compile(r"/teacher/$"))
        expect(page.locator("h1")).to_have_text(f"Hello, {TEACHER}")
        expect(page.locator("#main")).to_contain_text("No classes yet")
        expect(page.locator("#main")).to_contain_text("You have no sets of your own yet")
        audits["teacher-dashboard-empty"] = page_problems(page, "teacher-dashboard-empty", axe,
                                                          screenshots_dir)
        state = str(tmp_path_factory.mktemp("teacher") / "state.json")
        context.storage_state(path=state)
    finally:
        context.close()
    return TeacherAccount(TEACHER, TEACHER_PASSWORD, state, audits)


@pytest.fixture
def teacher_page(new_context, teacher_account: TeacherAccount):
    """A page in a new browser context signed in as the session's teacher."""
    return new_context(storage_state=teacher_account.state).new_page()


@pytest.fixture(scope="session")
def teacher_client(live_app, teacher_account: TeacherAccount):
    """A Flask test client on the live app's database, signed in as the session's teacher:
    quick set-up of data that the browser tests then look at."""
    from tests.helpers import sign_in

    client = live_app.test_client()
    assert sign_in(client, teacher_account.username, teacher_account.password).status_code == 302
    return client
