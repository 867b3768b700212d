"""Real-browser tests: Playwright (Python, sync API) driving Debian's chromium.

The browser is installed by ``scripts/install-browser`` and launched from
``/usr/bin/chromium`` (Playwright's own browser download is not used). Without it,
every test here is skipped, so ``make test`` passes on a machine without a browser;
``.ci/browser`` installs it and runs them (``pytest -m browser tests/browser``).
"""

import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"{CHROMIUM} is missing: run scripts/install-browser (Debian's chromium) to run the "
    "browser tests"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # chromium refuses to start as root with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, chromium calls Google's servers (updates, sync, field trials).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds Playwright waits for an element or a page.
TIMEOUT_MS = 15_000


def pytest_configure(config):
    # pyproject.toml runs pytest with --strict-markers: the marker must be registered.
    config.addinivalue_line(
        "markers",
        "browser: drives a real browser (Debian's chromium through Playwright); "
        "run with `pytest -m browser tests/browser`, skipped when /usr/bin/chromium is missing",
    )


@pytest.fixture
def live_server(request, transactional_db):
    """pytest-django's live server, one per test, speaking plain HTTP.

    Without DEBUG the settings redirect plain HTTP to HTTPS (``SECURE_SSL_REDIRECT``),
    and Django's SecurityMiddleware reads that setting once, when the server starts:
    changing it during a test (as ``tests/conftest.py`` does for the test client) does
    not reach a server started earlier. So each browser test starts its own server
    with the redirect off (the browser speaks HTTP to localhost; cookies stay "Secure",
    which Chromium accepts on localhost).
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(address)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def _django_orm_beside_playwright(monkeypatch):
    """Let the test process use the ORM while Playwright's sync API is running.

    Playwright's sync API runs an asyncio event loop in this thread (in a greenlet)
    for as long as it is started. Django sees that loop and refuses every ORM call
    of the test process with ``SynchronousOnlyOperation`` (creating users, reading
    what the admin saved). Nothing runs concurrently with that loop (Playwright only
    runs it while a sync call waits), so Django's check is turned off, and only while
    the browser runs: ``browser`` depends on this fixture, so the variable is removed
    again after Playwright has stopped.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(_django_orm_beside_playwright):
    """Debian's chromium, headless, launched through Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            # Inside sync_playwright() the test runs in another contextvars context, so
            # Django's ORM opened its own database connections there: close them before
            # leaving it, or they stay open (PostgreSQL then cannot drop the test database).
            connections.close_all()


@dataclass
class PageProblems:
    """What went wrong in a page, as the browser saw it."""

    origin: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_static: list[str] = field(default_factory=list)
    #: Static requests the browser itself cancelled (a navigation under a favicon's load).
    aborted_static: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    static_loaded: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "") if message.location else ""
        # The browser asks for /favicon.ico by itself; the admin has none (a 404, harmless).
        if urlsplit(location).path == "/favicon.ico":
            return
        self.console_errors.append(f"{location}: {message.text}")

    def _on_response(self, response) -> None:
        path = urlsplit(response.url).path
        if not path.startswith("/static/"):
            return
        if response.status >= 400:
            self.failed_static.append(f"{response.status} {response.url}")
        else:
            self.static_loaded.append(path)

    def _on_request_failed(self, request) -> None:
        if not urlsplit(request.url).path.startswith("/static/"):
            return
        if request.failure == "net::ERR_ABORTED":
            self.aborted_static.append(request.url)  # checked against the server at the end
        else:
            self.failed_static.append(f"failed ({request.failure}) {request.url}")

    def _check_aborted(self) -> None:
        """A request the browser cancelled says nothing of the server: ask it directly."""
        for url in dict.fromkeys(self.aborted_static):
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                self.failed_static.append(f"{status} {url} (its load was aborted in the page)")
        self.aborted_static.clear()

    def _on_request(self, request) -> None:
        """The admin must work offline: no CDN, no third-party request."""
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).netloc != urlsplit(self.origin).netloc:
            self.foreign_requests.append(url)

    def assert_clean(self) -> None:
        """No JavaScript error, no static file missing, nothing fetched from elsewhere."""
        self._check_aborted()
        sections = {
            "JavaScript errors in the page": self.page_errors,
            "static files not served": self.failed_static,
            "requests outside the site": self.foreign_requests,
            "errors in the browser console": self.console_errors,
        }
        report = [
            f"{title}:\n  " + "\n  ".join(lines) for title, lines in sections.items() if lines
        ]
        assert not report, "\n".join(report)


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(locale="en-US", width=1280, height=900)``: a new page (own context)
    watched for problems.

    Returns ``(page, problems)``; call ``problems.assert_clean()`` at the end of a test.
    """
    contexts = []

    def _open(locale: str = "en-US", width: int = 1280, height: int = 900):
        context = browser.new_context(
            locale=locale, base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems(origin=live_server.url)
        problems.watch(page)
        return page, problems

    yield _open
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str, *, next_path: str = "/admin/") -> None:
    """Sign in through the admin's login form and wait for ``next_path``.

    A user whose role needs two-factor sign-in (or who set it up) then gets the code page:
    the code their authenticator app shows now is typed there (``tests/two_factor.py``;
    the user gets an authenticator first if they have none).
    """
    from django.contrib.auth import get_user_model

    from clinic.twofactor.policy import requires_two_factor
    from clinic.twofactor.services import enrolled
    from tests.two_factor import authenticator, next_code

    user = get_user_model().objects.get(username=username)
    second_factor = requires_two_factor(user) or enrolled(user)
    device = authenticator(user) if second_factor else None
    page.goto(f"/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")
    if device is not None:
        page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
        page.fill("#id_code", next_code(device))
        page.click("#two-factor-form [type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
