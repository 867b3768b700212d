"""Two-factor sign-in: who needs it, that a password alone opens no admin page for them, and
every step through the pages a person uses: set up, sign in with a code or a recovery code,
new recovery codes, a new phone, a reset by a superuser or by the command."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLResolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.models import AuditEntry
from clinic.twofactor.policy import requires_two_factor
from tests.two_factor import authenticator, force_sign_in, next_code, totp

pytestmark = pytest.mark.django_db

PASSWORD = "two-factor-test-password-1"  # a throwaway test user
Event = AuditEntry.Event
VERIFY = "/admin/two-factor/verify/"
SETUP = "/admin/two-factor/setup/"


def make_user(username=None, *, group="Publishers", **fields):
    username = username or re.sub(r"\W", "-", (group or "user").lower())
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=True, email=f"{username}@example.org", **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def publisher():
    return make_user("publisher")


def password_only(user, **headers) -> Client:
    """A new browser that has given ``user``'s password at the admin's sign-in, nothing more."""
    browser = Client(**headers)
    response = browser.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and "_auth_user_id" in browser.session
    return browser


def events(event, user=None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(event=event)
    if user is not None:
        entries = entries.filter(actor_username=user.username) | entries.filter(
            target_id=str(user.pk)
        )
    return list(entries)


def enrol(browser: Client) -> tuple[str, list[str]]:
    """Set up an authenticator through the pages, as a person would with a phone: read the
    key from the page, type the code the app computes. Returns the key and recovery codes."""
    page = browser.get(SETUP).content.decode()
    secret = unescape(re.search(r'id="two-factor-secret"[^>]*>(.*?)</code>', page).group(1))
    secret = re.sub(r"<[^>]+>|\s", "", secret)
    response = browser.post(SETUP, {"code": totp(secret).now(), "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()
    return secret, shown_codes(browser.get(response.url))


def shown_codes(response) -> list[str]:
    """The recovery codes a page shows."""
    page = response.content.decode()
    listing = re.search(r'<ol[^>]*id="two-factor-recovery-codes".*?</ol>', page, re.S).group(0)
    return re.findall(r"<code><bdi dir=\"ltr\">([a-z2-7]{4}-[a-z2-7]{4})</bdi>", listing)


def admin_urls(user) -> list[str]:
    """Every admin page without a parameter (the index, each model's list and add form, the
    tools such as the translation matrix and files), and a user's change form."""
    names = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif pattern.name and not pattern.pattern.regex.groups:
                names.append(pattern.name)

    walk(admin.site.get_urls())
    urls = {reverse(f"admin:{name}") for name in names} - {"/admin/login/", "/admin/logout/"}
    return sorted(urls | {f"/admin/auth/user/{user.pk}/change/", reverse("two-factor")})


# Who needs it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "required"),
    [
        ("Publishers", True),
        ("Medical reviewers", True),
        # Translators change the text of contact lines and disclaimers in their language.
        ("Translators: Arabic", True),
        ("Editors", False),
    ],
)
def test_who_can_publish_review_or_change_disclaimers_needs_a_second_factor(group, required):
    assert requires_two_factor(make_user(group=group)) is required


def test_superusers_user_managers_and_contact_line_managers_need_it():
    superuser = make_user("root", group=None, is_superuser=True)
    manager = make_user("manager", group=None)
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    lines = make_user("lines", group=None)
    lines.user_permissions.add(Permission.objects.get(codename="change_contactline"))
    assert all(
        map(
            requires_two_factor,
            [
                superuser,
                get_user_model().objects.get(pk=manager.pk),
                get_user_model().objects.get(pk=lines.pk),
            ],
        )
    )


def test_staff_two_factor_all_requires_it_of_every_staff_user(settings):
    editor = make_user("editor", group="Editors")
    assert not requires_two_factor(editor)
    settings.STAFF_TWO_FACTOR = "all"
    assert requires_two_factor(editor)
    assert not requires_two_factor(get_user_model().objects.create_user("reader"))


# A password alone ---------------------------------------------------------------------------


def test_a_publisher_with_only_a_password_reaches_no_admin_page(publisher):
    browser = password_only(publisher)
    urls = admin_urls(publisher)
    assert len(urls) > 20
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 302 and response.url.startswith(SETUP), url
    for url in ["/admin/sign-out-everywhere/", reverse("two-factor-renew-codes")]:
        response = browser.post(url)
        assert response.status_code == 302 and response.url.startswith(SETUP), url


def test_a_superuser_who_set_it_up_is_asked_the_code_and_then_reaches_every_page():
    superuser = make_user("root", group=None, is_superuser=True)
    authenticator(superuser)
    browser = password_only(superuser)
    urls = admin_urls(superuser)
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 302 and response.url.startswith(VERIFY), url
    response = browser.post(VERIFY, {"code": next_code(authenticator(superuser))})
    assert response.status_code == 302
    responses = {url: browser.get(url) for url in urls}
    assert [url for url, r in responses.items() if "two-factor" in r.get("Location", "")] == []
    assert [url for url, r in responses.items() if r.status_code >= 500] == []
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert responses[changelist].status_code == 200, changelist


def test_an_editor_signs_in_with_a_password_alone_unless_they_set_up_a_second_factor():
    editor = make_user("editor", group="Editors")
    assert password_only(editor).get("/admin/").status_code == 200
    authenticator(editor)
    response = password_only(editor).get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_the_api_is_untouched_by_two_factor_sign_in(publisher, client):
    browser = password_only(publisher)
    assert browser.get("/api/v1/articles/").status_code == 200


# Setting it up ------------------------------------------------------------------------------


def test_setting_up_with_the_app_then_signing_in_with_its_code(publisher):
    browser = password_only(publisher)
    page = browser.get(SETUP).content.decode()
    assert "<svg" in page and 'id="two-factor-secret"' in page
    assert browser.post(SETUP, {"code": "000000"}).status_code == 200  # wrong: asked again
    assert not TOTPDevice.objects.filter(user=publisher, confirmed=True).exists()
    assert "Try again in 1 second" in browser.post(SETUP, {"code": "000000"}).content.decode()

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2), tick=True):
        secret, codes = enrol(browser)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert browser.get("/admin/").status_code == 200
    assert events(Event.TWO_FACTOR_ENROLLED, publisher)
    assert events(Event.TWO_FACTOR_FAILED, publisher)
    # The next sign-in: password, then a code from the same app.
    later = password_only(publisher)
    response = later.get("/admin/articles/article/")
    assert response.url == f"{VERIFY}?next=%2Fadmin%2Farticles%2Farticle%2F"
    wrong = later.post(VERIFY, {"code": "123456", "next": "/admin/articles/article/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    # Two steps on: past the wrong code's wait, and past the step the app was set up in (set
    # up two seconds ahead, it may already be the next step).
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=62), tick=True):
        response = later.post(
            VERIFY, {"code": totp(secret).now(), "next": "/admin/articles/article/"}
        )
        assert response.status_code == 302 and response.url == "/admin/articles/article/"
        assert later.get("/admin/articles/article/").status_code == 200
    assert events(Event.TWO_FACTOR_VERIFIED, publisher)


def test_the_recovery_codes_are_shown_once(publisher):
    browser = password_only(publisher)
    _secret, codes = enrol(browser)
    assert codes
    response = browser.get(reverse("two-factor-recovery-codes"))
    assert response.status_code == 302 and response.url == reverse("two-factor")


def test_setting_up_again_needs_the_current_factor(publisher):
    authenticator(publisher)
    browser = password_only(publisher)
    response = browser.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert browser.post(SETUP, {"code": "000000"}).url.startswith(VERIFY)


def test_the_code_page_goes_nowhere_outside_the_site(publisher):
    device = authenticator(publisher)
    browser = password_only(publisher)
    response = browser.post(VERIFY, {"code": next_code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_a_session_gets_a_new_key_when_the_second_factor_is_given(publisher):
    device = authenticator(publisher)
    browser = password_only(publisher)
    key = browser.session.session_key
    browser.post(VERIFY, {"code": next_code(device)})
    assert browser.session.session_key != key
    # The key seen before the code grants nothing.
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get("/admin/").status_code == 302


# Codes that do not work ---------------------------------------------------------------------


def test_a_code_works_once(publisher):
    device = authenticator(publisher)
    code = next_code(device)
    assert password_only(publisher).post(VERIFY, {"code": code}).status_code == 302
    again = password_only(publisher).post(VERIFY, {"code": code})
    assert again.status_code == 200


def test_after_wrong_codes_even_the_right_one_waits(publisher):
    device = authenticator(publisher)
    browser = password_only(publisher)
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=False):  # every try in the same instant
        for _ in range(3):
            browser.post(VERIFY, {"code": "000000"})
        refused = browser.post(VERIFY, {"code": next_code(device)})
    assert refused.status_code == 200
    assert "Too many wrong codes. Try again in 1 second." in refused.content.decode()
    with time_machine.travel(now + dt.timedelta(seconds=5), tick=True):
        assert browser.post(VERIFY, {"code": next_code(device)}).status_code == 302
    # The first wrong code was checked; the tries after it were refused unchecked.
    failures = sorted(events(Event.TWO_FACTOR_FAILED, publisher), key=lambda entry: entry.pk)
    assert [entry.changes.get("throttled", False) for entry in failures] == [
        False,
        True,
        True,
        True,
    ]


# Recovery codes -----------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(publisher):
    _secret, codes = enrol(password_only(publisher))
    browser = password_only(publisher)
    response = browser.post(VERIFY, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.content.decode()
    assert password_only(publisher).post(VERIFY, {"code": codes[0]}).status_code == 200
    [used] = events(Event.RECOVERY_CODE_USED, publisher)
    assert used.changes == {"recovery_codes_left": 9}
    assert codes[0] not in str(used.changes)


def test_new_recovery_codes_replace_the_old_ones(publisher):
    browser = password_only(publisher)
    _secret, old = enrol(browser)
    response = browser.post(reverse("two-factor-renew-codes"))
    new = shown_codes(browser.get(response.url))
    assert len(new) == 10 and not set(new) & set(old)
    assert password_only(publisher).post(VERIFY, {"code": old[1]}).status_code == 200
    # (after the wrong code's one-second wait)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2), tick=True):
        assert password_only(publisher).post(VERIFY, {"code": new[1]}).status_code == 302
    assert events(Event.RECOVERY_CODES_RENEWED, publisher)


# A new phone, a lost phone ------------------------------------------------------------------


def test_another_app_replaces_the_old_one(publisher):
    browser = password_only(publisher)
    old_secret, _codes = enrol(browser)
    response = browser.post(reverse("two-factor-replace"))
    assert response.status_code == 302 and response.url == SETUP
    assert browser.get("/admin/").url.startswith(SETUP)  # not verified any more
    new_secret, _codes = enrol(browser)
    assert new_secret != old_secret
    assert TOTPDevice.objects.filter(user=publisher).count() == 1
    assert events(Event.TWO_FACTOR_RESET, publisher)


def test_a_superuser_resets_a_lost_phone_and_the_user_sets_it_up_again(publisher, admin_client):
    _secret, codes = enrol(password_only(publisher))
    signed_in_elsewhere = password_only(publisher)
    signed_in_elsewhere.post(VERIFY, {"code": codes[0]})
    changelist = admin_client.get("/admin/auth/user/")
    assert "reset_two_factor" in changelist.content.decode()

    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [publisher.pk]},
        follow=True,
    )

    assert "Two-factor sign-in reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=publisher).exists()
    assert not StaticDevice.objects.filter(user=publisher).exists()
    assert signed_in_elsewhere.get("/admin/").status_code == 302  # their sessions ended
    assert password_only(publisher).get("/admin/").url.startswith(SETUP)
    [entry] = events(Event.TWO_FACTOR_RESET, publisher)
    assert entry.actor_username == "admin" and entry.target_id == str(publisher.pk)


def test_only_superusers_may_reset_someone_elses_second_factor(publisher):
    manager = make_user("manager", group=None)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    browser = Client()
    force_sign_in(browser, manager)
    assert "reset_two_factor" not in browser.get("/admin/auth/user/").content.decode()


def test_the_reset_command(publisher):
    authenticator(publisher)
    with pytest.raises(CommandError, match="No such user: nobody"):
        call_command("two_factor_reset", "publisher", "nobody")
    assert TOTPDevice.objects.filter(user=publisher).exists()  # all or nothing

    call_command("two_factor_reset", "publisher")

    assert not TOTPDevice.objects.filter(user=publisher).exists()
    [entry] = events(Event.TWO_FACTOR_RESET, publisher)
    assert entry.changes["reason"] == "two_factor_reset command"


def test_the_user_list_shows_who_has_two_factor_sign_in(publisher, admin_client):
    authenticator(publisher)
    page = admin_client.get("/admin/auth/user/?o=1").content.decode()
    row = re.search(r"<tr>.*?>publisher<.*?</tr>", page, re.S).group(0)
    assert 'alt="True"' in row


def test_no_admin_page_shows_the_devices_secrets():
    from django_otp.plugins.otp_static.models import StaticToken

    for model in (TOTPDevice, StaticDevice, StaticToken):
        assert not admin.site.is_registered(model)


# Both directions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [
        ("en", "ltr", "Set up two-factor sign-in"),
        ("ar", "rtl", "إعداد تسجيل الدخول بخطوتين"),
        ("uk", "ltr", "Налаштування двофакторного входу"),
    ],
)
def test_the_setup_page_speaks_the_interface_language(publisher, language, direction, heading):
    browser = password_only(publisher, HTTP_ACCEPT_LANGUAGE=language)
    page = browser.get(SETUP).content.decode()
    assert f'dir="{direction}"' in page
    assert heading in page
    # The key reads left to right inside Arabic text.
    assert re.search(r'id="two-factor-secret"[^>]*><bdi dir="ltr">', page)
