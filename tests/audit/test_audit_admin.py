import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from clinic.audit.models import AuditEntry
from clinic.audit.services import record
from tests.two_factor import force_sign_in

Event = AuditEntry.Event
pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/audit/auditentry/"


@pytest.fixture
def entry(db):
    return record(event=Event.LOGIN_FAILED, username="someone")


def test_superusers_see_and_filter_the_trail(admin_client, entry, django_assert_max_num_queries):
    record(event=Event.LOCKOUT, username="intruder")

    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST, {"event": "lockout"})

    assert response.status_code == 200
    assert b"intruder" in response.content
    assert b"someone" not in response.content


def test_the_trail_filters_by_actor_and_date(admin_client, entry):
    admin = get_user_model().objects.get(username="admin")
    by_actor = admin_client.get(CHANGELIST, {"actor__id__exact": admin.pk})
    # What the admin's "date" filter links to: a day, with its time zone.
    by_date = admin_client.get(
        CHANGELIST,
        {"created__gte": "2000-01-01 00:00:00+00:00", "created__lt": "2000-01-02 00:00:00+00:00"},
    )
    day = f"{entry.created:%Y-%m-%d} 00:00:00+00:00"
    today = admin_client.get(CHANGELIST, {"created__gte": day})

    assert by_actor.status_code == by_date.status_code == 200
    assert by_actor.context["cl"].result_count == AuditEntry.objects.filter(actor=admin).count()
    assert by_date.context["cl"].result_count == 0
    assert today.context["cl"].result_count == AuditEntry.objects.count()


def test_staff_without_superuser_cannot_see_the_trail_even_with_the_permission(client, entry):
    user = get_user_model().objects.create_user(username="manager", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    force_sign_in(client, user)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{entry.pk}/change/").status_code == 403
    assert b"audit" not in client.get("/admin/").content.lower()


def test_entries_cannot_be_added_changed_or_deleted_even_by_superusers(admin_client, entry):
    detail = admin_client.get(f"{CHANGELIST}{entry.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content

    admin_client.post(f"{CHANGELIST}{entry.pk}/change/", {"username": "forged"})
    assert admin_client.get(f"{CHANGELIST}{entry.pk}/delete/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    entry.refresh_from_db()
    assert entry.username == "someone"


def test_the_model_has_no_add_change_or_delete_permission_to_give():
    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )

    assert codenames == {"view_auditentry"}
