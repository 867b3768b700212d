import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from clinic.audit.models import AuditEntry
from clinic.audit.services import record
from tests.audit.conftest import PASSWORD

Event = AuditEntry.Event
pytestmark = pytest.mark.django_db


def entries(event: str):
    return list(AuditEntry.objects.filter(event=event))


def test_a_sign_in_records_who_and_from_where(staff_user, sign_in):
    sign_in("editor", REMOTE_ADDR="198.51.100.7")

    [entry] = entries(Event.LOGIN)
    assert entry.actor == staff_user
    assert entry.actor_username == "editor"
    assert entry.address == "198.51.100.7"
    assert entry.created is not None


def test_a_failed_sign_in_records_the_username_tried_and_never_the_password(staff_user):
    Client(REMOTE_ADDR="198.51.100.8").post(
        "/admin/login/", {"username": "editor", "password": "wrong-guess-123"}
    )

    [entry] = entries(Event.LOGIN_FAILED)
    assert entry.username == "editor"
    assert entry.actor is None
    assert entry.address == "198.51.100.8"
    stored = str(AuditEntry.objects.values().get(pk=entry.pk))
    assert "wrong-guess-123" not in stored
    assert "*****" not in stored


def test_a_failed_sign_in_of_an_unknown_user_is_recorded_too(db):
    Client().post("/admin/login/", {"username": "nobody", "password": "x"})

    assert [entry.username for entry in entries(Event.LOGIN_FAILED)] == ["nobody"]


def test_a_sign_out_is_recorded(staff_user, sign_in):
    browser = sign_in("editor")
    browser.post("/admin/logout/")

    [entry] = entries(Event.LOGOUT)
    assert entry.actor == staff_user


def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw(staff_user, sign_in, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    sign_in("editor", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    assert entries(Event.LOGIN)[0].address == "203.0.113.5"


def test_without_proxies_a_forwarded_address_is_not_believed(staff_user, sign_in):
    sign_in("editor", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert entries(Event.LOGIN)[0].address == "198.51.100.9"


def test_lockouts_are_recorded_through_the_one_function(rf):
    request = rf.post("/admin/login/", REMOTE_ADDR="198.51.100.10")

    entry = record(event=Event.LOCKOUT, request=request, username="editor")

    assert (entry.event, entry.username, entry.address) == ("lockout", "editor", "198.51.100.10")


def test_an_unknown_event_is_refused(db):
    with pytest.raises(ValueError, match="Unknown audit event"):
        record(event="coffee")


def test_creating_a_user_in_the_admin_records_the_actor_and_never_the_password(admin_client):
    admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "password1": "Zx9!long-enough",
            "password2": "Zx9!long-enough",
            "usable_password": "true",
        },
    )

    entry = AuditEntry.objects.get(event=Event.USER_CREATED, target_repr="newcomer")
    assert entry.actor_username == "admin"
    assert entry.changes["username"] == "newcomer"
    assert entry.changes["is_superuser"] is False
    stored = str(AuditEntry.objects.values().get(pk=entry.pk))
    assert "Zx9!long-enough" not in stored
    user = get_user_model().objects.get(username="newcomer")
    assert user.password not in stored


def test_making_a_user_staff_and_superuser_records_both_changes(staff_user):
    staff_user.is_superuser = True
    staff_user.is_active = False
    staff_user.save()

    [entry] = entries(Event.USER_CHANGED)
    assert entry.changes == {"is_active": [True, False], "is_superuser": [False, True]}
    assert entry.target_id == str(staff_user.pk)


def test_a_password_change_is_recorded_without_the_hash(staff_user):
    old_hash = staff_user.password
    staff_user.set_password("another long password")
    staff_user.save()

    [entry] = entries(Event.PASSWORD_CHANGED)
    stored = str(AuditEntry.objects.values().get(pk=entry.pk))
    assert old_hash not in stored
    assert staff_user.password not in stored
    assert entries(Event.USER_CHANGED) == []


def test_signing_in_records_no_user_change(staff_user, sign_in):
    sign_in("editor")

    assert entries(Event.USER_CHANGED) == []
    assert entries(Event.PASSWORD_CHANGED) == []


def test_deleting_a_user_is_recorded(staff_user):
    pk = staff_user.pk
    staff_user.delete()

    [entry] = entries(Event.USER_DELETED)
    assert (entry.target_id, entry.target_repr) == (str(pk), "editor")


def test_group_membership_is_recorded_from_either_side(staff_user):
    editors = Group.objects.create(name="Night editors")
    staff_user.groups.add(editors)
    editors.user_set.remove(staff_user)
    staff_user.groups.add(editors)
    staff_user.groups.clear()

    changes = [entry.changes for entry in entries(Event.USER_GROUPS_CHANGED)]
    assert sorted(map(str, changes)) == sorted(
        map(str, [{"added": ["Night editors"]}, {"removed": ["Night editors"]}] * 2)
    )


def test_user_and_group_permissions_are_recorded_by_name(staff_user):
    permission = Permission.objects.get(codename="change_user")
    group = Group.objects.create(name="Account managers")
    staff_user.user_permissions.add(permission)
    group.permissions.add(permission)
    group.permissions.remove(permission)

    [user_entry] = entries(Event.USER_PERMISSIONS_CHANGED)
    assert user_entry.changes == {"added": ["auth.change_user"]}
    group_changes = [entry.changes for entry in entries(Event.GROUP_PERMISSIONS_CHANGED)]
    assert {"added": ["auth.change_user"]} in group_changes
    assert {"removed": ["auth.change_user"]} in group_changes


def test_groups_created_renamed_and_deleted_are_recorded(db):
    group = Group.objects.create(name="Translators")
    group.name = "Translators (uk)"
    group.save()
    group.delete()

    assert entries(Event.GROUP_CREATED)[0].changes == {"name": "Translators"}
    assert entries(Event.GROUP_CHANGED)[0].changes == {"name": ["Translators", "Translators (uk)"]}
    assert entries(Event.GROUP_DELETED)[0].changes == {"name": "Translators (uk)", "members": []}


def test_changes_outside_a_request_name_no_actor(db):
    get_user_model().objects.create_user(username="scripted", password=PASSWORD)

    [entry] = entries(Event.USER_CREATED)
    assert (entry.actor, entry.actor_username, entry.address) == (None, "", None)


def test_a_superuser_deleting_their_own_account_is_recorded_by_name(admin_client, admin_user):
    response = admin_client.post(f"/admin/auth/user/{admin_user.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=Event.USER_DELETED)
    assert (entry.actor, entry.actor_username, entry.target_repr) == (None, "admin", "admin")
