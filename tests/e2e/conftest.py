"""The built app against the test database, and Debian's Chromium driven by Playwright,
at two tablet viewports and a desktop one."""

import sqlite3
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright

from closeout.services.auth import COOKIE, DEMO_REP_EMAIL
from tests.conftest import RUN_DIR, SCALED_OUT
from tests.factories import actor_for_email, new_session
from tests.harness import ROOT, launch_chromium, running_app
from tests.relay import Relay
from tests.smtp import smtp_server

VIEWPORTS = {
    "tablet-landscape": {"width": 1024, "height": 768},
    "tablet-portrait": {"width": 768, "height": 1024},
    "desktop": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844},  # the public pages (sign-in, signing link, buyer PO, invitation)
}
SHOTS = ROOT / "test-artifacts"
# Assertions wait as long as actions do: a cold server's first events (PostgreSQL + Redis, two
# workers, a 2-core CI machine) can take more than Playwright's default 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def mail_server():
    """The SMTP server the app under test sends to: (inbox, port)."""
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="session")
def db_relay(database):
    """On PostgreSQL the app reaches the database through a relay the tests can cut."""
    if not SCALED_OUT:
        return None
    url = sa.engine.make_url(database)
    return Relay(url.host, url.port).start()


@pytest.fixture(scope="session")
def app_db_url(database, db_relay) -> str:
    if db_relay is None:
        return database
    return sa.engine.make_url(database).set(port=db_relay.port).render_as_string(hide_password=False)


@pytest.fixture
def database_outage(database, db_relay):
    """A context manager during which the app cannot save: PostgreSQL unreachable (the
    relay cut), or SQLite locked by another program holding its write lock."""
    if db_relay is not None:
        return db_relay.cut

    @contextmanager
    def locked():
        holder = sqlite3.connect(sa.engine.make_url(database).database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()

    return locked


@pytest.fixture(scope="session")
def app_url(app_db_url, mail_server):
    _, port = mail_server
    smtp = {
        "CLOSEOUT_SMTP_HOST": "127.0.0.1",
        "CLOSEOUT_SMTP_PORT": str(port),
        "CLOSEOUT_SMTP_SECURITY": "none",
        "CLOSEOUT_PO_REMINDERS": "off",
    }  # the weekly job has its own tests; here it would mail at start-up
    with running_app(app_db_url, RUN_DIR / "app.log", **smtp) as url:
        yield url


class Browser:
    """Chromium, whose new contexts block service workers unless told otherwise (see the
    `service_workers` fixture)."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._chromium.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield Browser(chromium)
        chromium.close()


# Each workflow runs once per pass, at one tablet viewport (touch); a test that is about another
# viewport says so with `@pytest.mark.parametrize("viewport", [...], indirect=True)`. What each
# screen looks like at every viewport is the layout tests' business (marked `layout`), which run
# in the SQLite pass: a page's layout does not depend on the database behind it.
WORKFLOW_VIEWPORT = "tablet-landscape"
LAYOUTS_ELSEWHERE = "layout check: runs in the SQLite pass (a page's layout does not depend on the database)"


@pytest.fixture
def viewport(request):
    return getattr(request, "param", WORKFLOW_VIEWPORT)


def pytest_collection_modifyitems(items):
    """On the PostgreSQL + Redis pass, skip the layout checks, saying why."""
    if not SCALED_OUT:
        return
    for item in items:
        if item.get_closest_marker("layout"):
            item.add_marker(pytest.mark.skip(reason=LAYOUTS_ELSEWHERE))


UNEXPLAINED = ("", "unconditional skip", "no reason")
_unexplained: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test (the `page` fixture screenshots failures only), and
    note a browser test skipped without a reason: every workflow runs in both passes, and one
    that cannot says why."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
    if report.skipped and "e2e" in item.path.parts:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if reason.removeprefix("Skipped:").strip().lower() in UNEXPLAINED:
            _unexplained.append(item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _unexplained:
        print("\nBrowser tests skipped without a reason (say why, or run them):\n  " + "\n  ".join(_unexplained))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def signed_in(context, app_url: str, email: str = DEMO_REP_EMAIL) -> None:
    """Give the browser a session of `email` (the sign-in form has its own test)."""
    context.add_cookies([{"name": COOKIE, "value": new_session(actor_for_email(email)), "url": app_url, "httpOnly": True,
                         "sameSite": "Strict"}])  # as the server sets it (session_routes.py)


@pytest.fixture
def user_email():
    """Who the `page` fixture is signed in as; override with parametrize or a fixture."""
    return DEMO_REP_EMAIL


@pytest.fixture
def service_workers(request) -> str:
    """Service workers are blocked in browser contexts (precaching the shell costs every test
    seconds of work), except in the tests marked `service_worker`: the offline client's and
    the service worker's own."""
    return "allow" if request.node.get_closest_marker("service_worker") else "block"


@pytest.fixture
def page(browser, app_url, viewport, user_email, service_workers, request):
    """A fresh browser context signed in as `user_email` (the demo rep unless said
    otherwise); touch on tablets. Fails the test on any JavaScript error, and leaves a
    screenshot in test-artifacts/ when the test fails."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=app_url, has_touch=viewport != "desktop",
                                  service_workers=service_workers)  # fmt: skip
    context.set_default_timeout(15_000)
    if user_email:
        signed_in(context, app_url, user_email)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    if getattr(request.node, "report_call", None) is None or request.node.report_call.failed:
        SHOTS.mkdir(exist_ok=True)
        tab.screenshot(path=SHOTS / f"failed-{request.node.name}.png")
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session", autouse=True)
def _e2e_database(database):
    """Every browser test needs the test database (built once per run)."""
    return database
