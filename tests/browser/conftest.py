"""Real-browser tests: Playwright (Python, sync API) driving Debian's chromium.

The browser is installed by ``scripts/install-browser`` and launched from
``/usr/bin/chromium`` (Playwright's own browser download is not used). Without it,
every test here is skipped, so ``make test`` passes on a machine without a browser;
``.ci/browser`` installs it and runs them (``pytest -m browser tests/browser``).
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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


@pytest.fixture(scope="session")
def _django_orm_beside_playwright():
    """Let the test process use the ORM while Playwright's sync API is running.

    Playwright's sync API runs an asyncio event loop in this thread (in a greenlet)
    for as long as it is started. Django sees that loop and refuses every ORM call
    of the test process (``SynchronousOnlyOperation``): creating users, reading what
    the admin saved, and pytest-django's own database flush after each test.
    Nothing here runs concurrently with that loop (Playwright only runs it while a
    sync call waits), so the check is safely turned off, for the browser tests only:
    set when the first browser starts, restored at the end of the session.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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


@dataclass
class PageProblems:
    """What went wrong in a page, as the browser saw it."""

    origin: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_static: list[str] = field(default_factory=list)
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
        if urlsplit(request.url).path.startswith("/static/"):
            self.failed_static.append(f"failed ({request.failure}) {request.url}")

    def _on_request(self, request) -> None:
        """The admin must work offline: no CDN, no third-party request."""
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.origin):
            self.foreign_requests.append(url)

    def assert_clean(self) -> None:
        """No JavaScript error, no static file missing, nothing fetched from elsewhere."""
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
    """``open_page(locale="en-US")``: a new page (own context) watched for problems.

    Returns ``(page, problems)``; call ``problems.assert_clean()`` at the end of a test.
    """
    contexts = []

    def _open(locale: str = "en-US"):
        context = browser.new_context(
            locale=locale, base_url=live_server.url, viewport={"width": 1280, "height": 900}
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
