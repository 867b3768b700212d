"""Two-factor sign-in in a real browser, as a publisher meets it, in English and Arabic:
password, setting up an authenticator app (the code computed from the key the page shows,
as a phone's app would compute it, with pyotp), the recovery codes, signing out, and signing
in again with password and code."""

import re
from base64 import b32encode

import pytest
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING
from tests.two_factor import next_code, totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "two-factor-browser-password-1"  # a throwaway test user

HEADINGS = {
    "en-US": {
        "setup": "Set up two-factor sign-in",
        "codes": "Your recovery codes",
        "verify": "Enter your sign-in code",
        "index": "Site administration",
    },
    "ar": {
        "setup": "إعداد تسجيل الدخول بخطوتين",
        "codes": "رموز الاسترداد الخاصة بك",
        "verify": "أدخل رمز تسجيل الدخول",
        "index": "إدارة الموقع",
    },
}

#: Whether the page is wider than the window (something would need horizontal scrolling).
OVERFLOWS_SCRIPT = "() => document.documentElement.scrollWidth > window.innerWidth"


def publisher(name: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


def submit_password(page, user: User) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")


def heading(page) -> str:
    return page.locator("#content h1").inner_text().strip()


@pytest.mark.parametrize("locale", ["en-US", "ar"])
def test_a_publisher_sets_up_an_authenticator_then_signs_in_with_its_code(
    open_page, transactional_db, locale
):
    user = publisher(f"publisher-{locale}")
    page, problems = open_page(locale=locale)
    direction = "rtl" if locale == "ar" else "ltr"
    words = HEADINGS[locale]

    # The password alone leads to setting up the second factor, and nowhere else.
    submit_password(page, user)
    page.wait_for_url(re.compile(r"/admin/two-factor/setup/"))
    assert page.get_attribute("html", "dir") == direction
    assert heading(page) == words["setup"]
    page.goto("/admin/articles/article/")
    page.wait_for_url(re.compile(r"/admin/two-factor/setup/"))
    assert page.evaluate(OVERFLOWS_SCRIPT) is False
    qr = page.locator(".two-factor-qr svg").bounding_box()
    assert qr["width"] >= 150 and qr["height"] >= 150  # large enough to scan

    # The phone: the key as shown (grouped, left to right in Arabic too) → the code.
    secret_element = page.locator("#two-factor-secret bdi[dir=ltr]")
    secret = secret_element.inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret == b32encode(device.bin_key).decode().rstrip("=")
    assert page.get_attribute("#id_code", "dir") == "ltr"
    page.fill("#id_code", totp(secret).now())
    page.click("#two-factor-form [type=submit]")

    page.wait_for_url(re.compile(r"/admin/two-factor/recovery-codes/"))
    assert heading(page) == words["codes"]
    codes = page.locator("#two-factor-recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    page.click("#two-factor-continue")  # on to the page asked for before the setup
    page.wait_for_url(re.compile(r"/admin/articles/article/$"))

    # Sign out, then in again: password, then the app's next code.
    page.click("#logout-form [type=submit]")
    page.wait_for_url(re.compile(r"/admin/logout/"))
    submit_password(page, user)
    page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
    assert heading(page) == words["verify"]
    assert page.get_attribute("html", "dir") == direction
    page.fill("#id_code", "000000")
    page.click("#two-factor-form [type=submit]")
    assert page.locator("#two-factor-error").is_visible()
    page.wait_for_timeout(1_100)  # a wrong code makes the next wait a second
    page.fill("#id_code", next_code(device))
    page.click("#two-factor-form [type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert heading(page) == words["index"]
    problems.assert_clean()
