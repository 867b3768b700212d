"""Lockout of admin sign-in: after ADMIN_LOCKOUT_FAILURES failures for a username or from an
address, every sign-in for it is refused (the right password too) until the cool-off ends or
someone unlocks it, with the same message whether the account exists or not."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone, translation

from clinic.audit.models import AuditEntry
from clinic.lockout.views import lockout_message
from tests.two_factor import force_sign_in

LOGIN = "/admin/login/"
PASSWORD = "lockout-test-password-1"  # a throwaway test user
LIMIT = 5  # ADMIN_LOCKOUT_FAILURES' default


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", password=PASSWORD, is_staff=True, email="editor@example.org"
    )


def sign_in(client, username, password, address="192.0.2.1", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def fail(client, times, *, username="editor", addresses=None, **headers):
    responses = []
    for attempt in range(times):
        address = addresses[attempt] if addresses else "192.0.2.1"
        name = username(attempt) if callable(username) else username
        responses.append(sign_in(client, name, "wrong-password", address, **headers))
    return responses


def test_wrong_passwords_below_the_limit_answer_the_form(client, editor):
    responses = fail(client, LIMIT - 1)
    assert [response.status_code for response in responses] == [200] * (LIMIT - 1)
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_a_username_is_locked_after_the_limit_from_any_address(client, editor):
    addresses = [f"198.51.100.{n}" for n in range(1, LIMIT + 1)]
    responses = fail(client, LIMIT, addresses=addresses)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]

    refused = sign_in(client, "editor", PASSWORD, "203.0.113.99")
    assert refused.status_code == 429
    assert not signed_in(refused)
    assert "_auth_user_id" not in client.session
    assert lockout_message() in refused.content.decode()
    assert refused["Retry-After"] == str(15 * 60)


def test_an_address_is_locked_after_the_limit_whatever_the_username(client, editor, db):
    get_user_model().objects.create_user("publisher", password=PASSWORD, is_staff=True)
    fail(client, LIMIT, username=lambda n: f"guess-{n}")

    refused = sign_in(client, "publisher", PASSWORD, "192.0.2.1")
    assert refused.status_code == 429
    assert not signed_in(refused)
    assert signed_in(sign_in(client, "publisher", PASSWORD, "192.0.2.2"))


def test_the_limit_is_configurable(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert [r.status_code for r in fail(client, 2)] == [200, 429]


def _page(response) -> str:
    """The page without what differs per request (CSRF tokens, nonces)."""
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def test_the_refusal_is_the_same_for_existing_and_unknown_users(client, editor):
    fail(client, LIMIT, username="editor", addresses=["192.0.2.10"] * LIMIT)
    fail(client, LIMIT, username="nobody-at-all", addresses=["192.0.2.20"] * LIMIT)
    existing = sign_in(client, "editor", "wrong-password", "192.0.2.10")
    unknown = sign_in(client, "nobody-at-all", "wrong-password", "192.0.2.20")
    assert existing.status_code == unknown.status_code == 429
    assert _page(existing) == _page(unknown)
    assert "editor" not in _page(existing)


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_the_refusal_is_translated(client, editor, language):
    fail(client, LIMIT)
    refused = sign_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        translated = lockout_message()
    with translation.override("en"):
        assert translated != lockout_message()
    assert translated in refused.content.decode()
    assert f'lang="{language}"' in refused.content.decode()


def test_the_refusal_costs_a_bounded_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    fail(client, LIMIT)
    with django_assert_max_num_queries(11):  # the audit trail's entries among them
        assert sign_in(client, "editor", PASSWORD).status_code == 429


def test_the_lockout_expires_after_the_cool_off(client, editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, LIMIT)
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert sign_in(client, "editor", PASSWORD, "192.0.2.2").status_code == 429
    # The refused attempt at 14 minutes was a failure too: the cool-off runs from it.
    with time_machine.travel(start + dt.timedelta(minutes=14 + 15, seconds=1), tick=False):
        assert signed_in(sign_in(client, "editor", PASSWORD, "192.0.2.2"))


def test_failures_further_apart_than_the_cool_off_do_not_add_up(client, editor):
    start = timezone.now()
    for n in range(LIMIT):
        with time_machine.travel(start + dt.timedelta(minutes=16 * n), tick=False):
            assert sign_in(client, "editor", "wrong-password").status_code == 200


def test_the_command_unlocks_a_username(client, editor):
    fail(client, LIMIT, addresses=[f"198.51.100.{n}" for n in range(LIMIT)])
    call_command("axes_reset_username", "editor")
    assert signed_in(sign_in(client, "editor", PASSWORD, "203.0.113.5"))


def test_the_command_unlocks_an_address(client, editor):
    fail(client, LIMIT, username=lambda n: f"guess-{n}")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset_ip", "192.0.2.1")
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_the_admin_action_unlocks_the_selected_usernames(client, editor, admin_user):
    fail(client, LIMIT, addresses=[f"198.51.100.{n}" for n in range(LIMIT)])
    assert sign_in(client, "editor", PASSWORD, "203.0.113.5").status_code == 429

    superuser = client.__class__()
    force_sign_in(superuser, admin_user)
    attempt = AccessAttempt.objects.filter(username="editor").first()
    response = superuser.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock_usernames", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Unlocked 1: editor." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert signed_in(sign_in(client, "editor", PASSWORD, "203.0.113.5"))


def test_the_admin_action_unlocks_the_selected_addresses(client, editor, admin_user):
    fail(client, LIMIT, username=lambda n: f"guess-{n}")
    superuser = client.__class__()
    force_sign_in(superuser, admin_user)
    attempt = AccessAttempt.objects.filter(ip_address="192.0.2.1").first()
    superuser.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock_addresses", "_selected_action": [attempt.pk]},
    )
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.1").exists()
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_staff_without_delete_permission_cannot_unlock(client, editor):
    fail(client, LIMIT)
    viewer = get_user_model().objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    other = client.__class__()
    force_sign_in(other, viewer)
    attempt = AccessAttempt.objects.get(username="editor")
    other.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock_usernames", "_selected_action": [attempt.pk]},
    )
    assert AccessAttempt.objects.filter(username="editor").exists()


def test_behind_proxies_the_client_address_is_the_one_the_proxy_saw(client, editor, settings):
    """A forged X-Forwarded-For first hop neither escapes the count nor blames someone else."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(LIMIT):
        sign_in(
            client,
            f"guess-{n}",
            "wrong-password",
            "10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    refused = sign_in(client, "editor", PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert refused.status_code == 429
    other = sign_in(client, "editor", PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert signed_in(other)


def test_no_password_is_stored_with_an_attempt(client, editor):
    fail(client, 1)
    attempt = AccessAttempt.objects.get()
    assert "wrong-password" not in attempt.post_data


def test_the_lockout_and_each_refusal_during_it_are_in_the_audit_trail(client, editor):
    fail(client, LIMIT)
    sign_in(client, "editor", PASSWORD)

    lockouts = AuditEntry.objects.filter(event=AuditEntry.Event.LOCKOUT).order_by("pk")
    assert [(entry.username, entry.address) for entry in lockouts] == [("editor", "192.0.2.1")] * 2
    assert not AuditEntry.objects.filter(event=AuditEntry.Event.LOGIN).exists()
