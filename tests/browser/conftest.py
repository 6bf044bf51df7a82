"""Browser tests: Python Playwright driving Debian's Chromium against the app served from a thread."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from burden_tracker import create_app
from burden_tracker.db import open_session
from burden_tracker.services.demo import DEMO_PASSWORD, load_demo
from tests.support.pages import SCREENSHOTS
from tests.support.serving import closed_before_written

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory):
    """A database with the demo loaded, once for each test worker: each test copies it, as it copies the empty
    template, rather than loading the demo again (seconds each time)."""
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(sqlite_template, database)
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "a key for tests only"})
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        load_demo(session=session)
    app.extensions["db_engine"].dispose()  # the last connection closed: its write-ahead log is folded in
    return database


@pytest.fixture
def live_app(demo_template, tmp_path):
    """The app with the demo data in its own SQLite file; `live_db()` opens a session on it."""
    database = tmp_path / "browser.sqlite3"
    shutil.copy(demo_template, database)
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "a key for tests only",
                      "ATTACHMENTS_DIR": str(tmp_path / "attachments"),
                      "JOBS_URL": "immediate"})  # each job runs as it is queued: tests/system/test_worker.py
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def live_db(live_app):
    """A session on the live server's database, for arranging and checking what the browser does.

    End each use with commit() or rollback() before the browser acts, and keep ids rather than
    objects (touching an expired object opens a new transaction): on SQLite an open write holds
    the lock the server needs, and an open read keeps an old snapshot.
    """
    with open_session(live_app.extensions["db_engine"], read_only=True) as session:
        yield session


@pytest.fixture
def live_server(live_app):
    """The app served on a free port of 127.0.0.1; yields its base address."""
    server = make_server("127.0.0.1", 0, closed_before_written(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _sign_in(page, live_server: str, email: str):
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


SCREENS = {"phone": (375, 812), "desktop": (1280, 800)}


@pytest.fixture(params=list(SCREENS))
def screen(request, page):
    """A phone's screen and a desktop's in turn: (name, width), with the page already that size."""
    width, height = SCREENS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return request.param, width


@pytest.fixture
def sign_in_as(page, live_server):
    """Signs the page in as a demo account and returns the page."""
    return lambda email: _sign_in(page, live_server, email)


@pytest.fixture
def sign_in_without_javascript(browser, live_server):
    """Like sign_in_as, in a browser with JavaScript turned off: a new page, signed in as a demo account."""
    context = browser.new_context(java_script_enabled=False)
    yield lambda email: _sign_in(context.new_page(), live_server, email)
    context.close()


@pytest.fixture
def sign_in_elsewhere(browser, page, live_server):
    """Like sign_in_as, for a second person at the same time: a new page in a browser context of its own, the same
    size as `page`."""
    contexts = []

    def sign_in(email: str):
        contexts.append(browser.new_context(viewport=page.viewport_size))
        return _sign_in(contexts[-1].new_page(), live_server, email)

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take
