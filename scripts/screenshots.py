"""Screenshots of the admin's main pages, in English and Arabic, for docs/editors.md.

``make screenshots`` runs it. It builds a throwaway SQLite database with the demo
content (as ``make run`` loads it) and a throwaway superuser per language (who sets up
two-factor sign-in first, photographed too), serves it with
Django's development server on a free local port, and photographs each page in
Debian's chromium (``scripts/install-browser``) at 1,280 × 800, the visible part
only (modest PNGs), into ``docs/screenshots/<page>-<language>.png``. Nothing of
the developer's own database or cache is touched.
"""

import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import free_port, terminate  # noqa: E402  (the project root, just added)

logger = logging.getLogger("screenshots")

CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
#: Browser locale → the language part of the file names.
LANGUAGES = {"en-US": "en", "ar": "ar"}
USERNAME = "screenshots"
#: Seconds the development server may take to answer for the first time.
START_SECONDS = 60


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_served(url: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise SystemExit(f"screenshots: nothing answered at {url}") from None
            time.sleep(0.5)


def first_result_link(page, list_path: str) -> str:
    """The change page of the first object of an admin list."""
    page.goto(list_path)
    return page.locator("#result_list tbody tr th a").first.get_attribute("href")


def photograph(base_url: str, password: str) -> list[Path]:
    import pyotp
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for locale, language in LANGUAGES.items():
            context = browser.new_context(locale=locale, base_url=base_url, viewport=VIEWPORT)
            page = context.new_page()
            page.goto("/admin/login/?next=/admin/")
            page.fill("#id_username", f"{USERNAME}-{language}")
            page.fill("#id_password", password)
            page.click("#login-form [type=submit]")
            # A superuser sets up two-factor sign-in at the first sign-in: photographed, then
            # done as a phone's authenticator app would (pyotp, from the key on the page).
            page.wait_for_url("**/admin/two-factor/setup/**")
            target = OUTPUT / f"two-factor-setup-{language}.png"
            page.screenshot(path=str(target))
            written.append(target)
            secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
            page.fill("#id_code", pyotp.TOTP(secret).now())
            page.click("#two-factor-form [type=submit]")
            page.wait_for_url("**/admin/two-factor/recovery-codes/**")
            page.click("#two-factor-continue")
            page.wait_for_url("**/admin/")
            pages = {
                "article-list": "/admin/articles/article/",
                "article-change": first_result_link(page, "/admin/articles/article/"),
                "contact-line": first_result_link(page, "/admin/clinic/contactline/"),
                "translation-matrix": "/admin/i18n/translationstate/matrix/",
            }
            for name, path in pages.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = OUTPUT / f"{name}-{language}.png"
                page.screenshot(path=str(target))
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="screenshots: %(message)s")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"screenshots: {CHROMIUM} is missing: run scripts/install-browser")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    port = free_port()
    with tempfile.TemporaryDirectory() as temp:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
        }
        env.update(
            DEBUG="1",
            DATABASE_URL=f"sqlite:///{temp}/screenshots.sqlite3",
            DJANGO_SUPERUSER_PASSWORD=password,
        )
        manage("migrate", "--noinput", "--verbosity", "0", env=env)
        manage("compilemessages", "--ignore", ".venv", "--verbosity", "0", env=env)
        manage("load_demo_content", env=env)
        for language in LANGUAGES.values():
            username = f"{USERNAME}-{language}"
            manage("createsuperuser", "--noinput", "--username", username, "--email", "", env=env)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_served(f"{base_url}/admin/login/")
            written = photograph(base_url, password)
        finally:
            terminate(server, seconds=10)
    for path in written:
        logger.info("%s (%d kB)", path.relative_to(ROOT), path.stat().st_size // 1024)


if __name__ == "__main__":
    main()
