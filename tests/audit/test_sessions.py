from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clinic.audit.models import AuditEntry
from tests.audit.conftest import PASSWORD, is_signed_in
from tests.two_factor import force_sign_in

Event = AuditEntry.Event
pytestmark = pytest.mark.django_db


def test_signing_in_gives_a_new_session_key(staff_user):
    browser = Client()
    browser.get("/admin/login/")
    browser.session.save()
    before = browser.session.session_key

    browser.post("/admin/login/", {"username": "editor", "password": PASSWORD})

    assert browser.session.session_key != before


def test_an_idle_admin_session_is_signed_out(staff_user, sign_in, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    with time_machine.travel("2026-03-01 09:00", tick=False) as clock:
        browser = sign_in("editor")
        clock.shift(timedelta(minutes=29))
        assert is_signed_in(browser)
        clock.shift(timedelta(minutes=29))
        assert is_signed_in(browser), "activity restarts the idle clock"
        clock.shift(timedelta(minutes=31))
        response = browser.get("/admin/", follow=True)

    assert response.request["PATH_INFO"] == "/admin/login/"
    assert b"without activity" in response.content
    assert not is_signed_in(browser)
    assert AuditEntry.objects.filter(event=Event.SESSION_EXPIRED, actor=staff_user).exists()


def test_idle_expiry_can_be_turned_off(staff_user, sign_in, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 0
    with time_machine.travel("2026-03-01 09:00", tick=False) as clock:
        browser = sign_in("editor")
        clock.shift(timedelta(hours=5))
        assert is_signed_in(browser)


def test_sign_out_everywhere_ends_every_session_of_the_user(staff_user, sign_in, admin_user):
    laptop, phone = sign_in("editor"), sign_in("editor")
    someone_else = Client()
    force_sign_in(someone_else, admin_user)

    response = laptop.post("/admin/sign-out-everywhere/", follow=True)

    assert response.request["PATH_INFO"] == "/admin/login/"
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert is_signed_in(someone_else)
    entry = AuditEntry.objects.get(event=Event.SESSIONS_ENDED)
    assert (entry.actor, entry.target_id, entry.changes) == (
        staff_user,
        str(staff_user.pk),
        {"sessions": 1},
    )


def test_sign_out_everywhere_is_offered_on_every_admin_page_and_needs_post(sign_in, staff_user):
    browser = sign_in("editor")

    assert b'action="/admin/sign-out-everywhere/"' in browser.get("/admin/").content
    assert browser.get("/admin/sign-out-everywhere/").status_code == 405
    assert is_signed_in(browser)


def test_superusers_sign_users_out_everywhere_with_an_admin_action(
    staff_user, sign_in, admin_client
):
    laptop, phone = sign_in("editor"), sign_in("editor")

    admin_client.post(
        "/admin/auth/user/",
        {"action": "sign_out_everywhere", "_selected_action": [staff_user.pk]},
    )

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(admin_client)
    assert AuditEntry.objects.get(event=Event.SESSIONS_ENDED).changes == {"sessions": 2}


def test_the_sign_out_everywhere_action_is_for_superusers_only(client, staff_user):
    staff_user.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    force_sign_in(client, staff_user)

    response = client.get("/admin/auth/user/")

    assert response.status_code == 200
    assert b"sign_out_everywhere" not in response.content


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.groups.add(Group.objects.get(name="Publishers")),
        lambda user: user.user_permissions.add(Permission.objects.get(codename="change_user")),
        lambda user: setattr(user, "is_superuser", True) or user.save(),
        lambda user: Group.objects.get(name="Publishers").user_set.add(user),
    ],
    ids=["group", "permission", "superuser", "group-reverse"],
)
def test_a_privilege_change_by_someone_else_ends_the_users_sessions(staff_user, sign_in, change):
    browser = sign_in("editor")

    change(staff_user)

    assert not is_signed_in(browser)


def test_a_group_permission_change_ends_its_members_sessions(staff_user, sign_in):
    group = Group.objects.create(name="Night editors")
    staff_user.groups.add(group)
    browser = sign_in("editor")

    group.permissions.add(Permission.objects.get(codename="change_user"))

    assert not is_signed_in(browser)


def test_a_change_of_their_own_privileges_rotates_the_session_and_ends_the_others(
    admin_user, sign_in
):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    here, elsewhere = sign_in("admin"), sign_in("admin")
    key_before = here.session.session_key
    form = here.get(f"/admin/auth/user/{admin_user.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        groups=[Group.objects.get(name="Publishers").pk],
        user_permissions=[],
        date_joined_0="2026-01-01",
        date_joined_1="00:00:00",
        is_active="on",
        is_staff="on",
        is_superuser="on",
    )
    data.pop("password", None)
    data.pop("last_login", None)

    response = here.post(f"/admin/auth/user/{admin_user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert here.session.session_key != key_before
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


def test_ordinary_edits_leave_sessions_alone(staff_user, sign_in):
    browser = sign_in("editor")

    staff_user.first_name = "Olena"
    staff_user.save()

    assert is_signed_in(browser)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ar", "سُجّل خروجك بعد 30 دقيقة دون نشاط."),
        ("uk", "Вас виведено після 30 хвилин бездіяльності."),
    ],
)
def test_the_idle_message_is_translated(staff_user, sign_in, settings, language, message):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    with time_machine.travel("2026-03-01 09:00", tick=False) as clock:
        browser = sign_in("editor", HTTP_ACCEPT_LANGUAGE=language)
        clock.shift(timedelta(minutes=31))
        response = browser.get("/admin/", follow=True)

    assert message in response.content.decode()


def session_writes(browser: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/admin/").status_code == 200
    return sum(q["sql"].startswith('UPDATE "django_session"') for q in queries.captured_queries)


def test_the_idle_clock_writes_the_session_at_most_once_a_minute(
    staff_user, sign_in, django_assert_max_num_queries
):
    with time_machine.travel("2026-03-01 09:00", tick=False) as clock:
        browser = sign_in("editor")
        clock.shift(timedelta(seconds=30))
        with django_assert_max_num_queries(12):
            assert session_writes(browser) == 0
        clock.shift(timedelta(seconds=31))
        assert session_writes(browser) == 1


def test_deleting_a_group_ends_its_members_sessions(staff_user, sign_in):
    group = Group.objects.create(name="Night editors")
    staff_user.groups.add(group)
    browser = sign_in("editor")

    group.delete()

    assert not is_signed_in(browser)
    assert AuditEntry.objects.get(event=Event.GROUP_DELETED).changes["members"] == ["editor"]
