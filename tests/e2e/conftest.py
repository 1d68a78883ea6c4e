"""Browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

Nothing here downloads a browser: the suite uses the system Chromium (`apt-get install -y
chromium`) and skips itself, saying why, on a machine without one.
"""

import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from accounts.roles import MODERATORS
from tests.factories import UserFactory

from .data import build_article, build_deep_discussion
from .support import CHROMIUM, CHROMIUM_ARGS, Browsing, screenshot

E2E_DIR = Path(__file__).resolve().parent
NO_CHROMIUM = (
    f"No Chromium at {CHROMIUM}: browser tests skipped. Install Debian's with "
    "`apt-get install -y chromium` (README, 'Browser tests')."
)


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, running Django for one request at a time.

    With an in-memory SQLite database every request shares the test's one connection, and
    two requests on it at once can read each other's rows (Django's LiveServerTestCase docs
    warn of this); a browser page reload racing another request did exactly that once.
    Connections still get their own threads, so an idle keep-alive blocks nobody.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def serially(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(serially)


LiveServerThread.server_class = OneRequestAtATime


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Skip every test that needs a browser, with the reason, when none is installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if Path(item.path).is_relative_to(E2E_DIR) and "browser" in item.fixturenames:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what each open page showed and say where."""
    report = yield
    browsing = getattr(item, "funcargs", {}).get("browsing")
    if report.when == "call" and report.failed and browsing is not None:
        lines = []
        for number, page in enumerate(browsing.pages, start=1):
            if page.is_closed():
                continue
            try:
                path = screenshot(page, f"{item.name}-{number}")
            except Exception as error:  # noqa: BLE001 - a broken page must not hide the failure
                lines.append(f"page {number} at {page.url}: no screenshot ({error})")
            else:
                lines.append(f"page {number} at {page.url}: screenshot {path}")
        if lines:
            report.sections.append(("What the reader saw", "\n".join(lines)))
    return report


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module; per module so nothing below outlives the browser tests."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an event loop running in this thread while it is up,
        # so Django would refuse ORM calls from the test body (SynchronousOnlyOperation)
        # although nothing here is async. Allowed only while this browser runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # launch() gives the browser a fresh temporary profile (user data dir).
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _migration_data(django_db_setup):
    """The test database as migrations left it, serialized by Django before any test ran.

    Read here, before a browser starts: while Playwright's event loop runs, Django hands this
    thread a fresh connection object that lacks the serialized copy.
    """
    return {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }


@pytest.fixture(autouse=True)
def _restore_migration_data(request, _migration_data, django_db_blocker):
    """Live-server tests end with a flush; put back what migrations created (the role groups)
    so the tests that follow in this worker find the database as they expect."""
    yield
    if "live_server" not in request.fixturenames:
        return
    with django_db_blocker.unblock():
        for alias, contents in _migration_data.items():
            if contents:
                # Empty again without post_migrate (it would recreate content types under
                # new ids), then load the migrated state back, ids and all.
                call_command(
                    "flush",
                    database=alias,
                    interactive=False,
                    verbosity=0,
                    inhibit_post_migrate=True,
                )
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture
def browsing(browser, live_server, django_db_serialized_rollback):
    """Browser contexts on the live server; fails the test on any CSP violation or script error.

    Asking for a serialized rollback makes Django keep a copy of the migrated database.
    """
    browsing = Browsing(browser, live_server)
    yield browsing
    browsing.close()
    assert not browsing.script_problems, "\n".join(browsing.script_problems)


@pytest.fixture
def page(browsing):
    """An anonymous reader's tab on a desktop screen."""
    return browsing.page()


@pytest.fixture
def desk_moderator(db):
    """A moderator who can use the moderation desk in admin."""
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    return UserFactory(
        username="desk-moderator",
        display_name="Mo Moderator",
        is_staff=True,
        is_superuser=True,
        groups=[group],
    )


@pytest.fixture
def article(author):
    """A published post with enough prose to look like one."""
    return build_article(author)


@pytest.fixture
def deep_discussion(article, author, reader):
    """The deepest thread of a discussion eight levels deep, root first."""
    return build_deep_discussion(article, author, reader)
