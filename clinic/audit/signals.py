"""Receivers: sign-ins, sign-outs and changes to users, groups and permissions.

They only translate Django's signals into :func:`clinic.audit.services.record` calls and,
for a change of privileges, :func:`clinic.audit.sessions.sessions_after_privilege_change`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from clinic.audit.services import Event, record
from clinic.audit.sessions import (
    session_forget,
    session_track,
    sessions_after_privilege_change,
)

User = get_user_model()

# Fields of a user recorded when they change (never the password: its change is an event).
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)
PRIVILEGE_FIELDS = {"is_active", "is_staff", "is_superuser"}


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    record(event=Event.LOGIN, request=request, actor=user)
    if request is not None and hasattr(request, "session"):
        session_track(request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django masks the password in ``credentials``; only the username is kept anyway.
    username = credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""
    record(event=Event.LOGIN_FAILED, request=request, username=str(username))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    record(event=Event.LOGOUT, request=request, actor=user)
    if request is not None and hasattr(request, "session"):
        session_forget(request=request)


def _user_values(user) -> dict:
    return {field: getattr(user, field) for field in USER_FIELDS}


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before")
def _user_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._audit_before = None
    if raw or instance.pk is None or update_fields == frozenset({"last_login"}):
        return
    before = sender.objects.filter(pk=instance.pk).values(*USER_FIELDS, "password").first()
    instance._audit_before = before


@receiver(post_save, sender=User, dispatch_uid="audit_user_saved")
def _user_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    if created:
        record(event=Event.USER_CREATED, target=instance, changes=_user_values(instance))
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return
    after = _user_values(instance)
    changed = {
        field: [before[field], after[field]]
        for field in USER_FIELDS
        if before[field] != after[field]
    }
    if changed:
        record(event=Event.USER_CHANGED, target=instance, changes=changed)
    if before["password"] != instance.password:
        record(event=Event.PASSWORD_CHANGED, target=instance)
    if PRIVILEGE_FIELDS & changed.keys():
        sessions_after_privilege_change(user=instance)


@receiver(post_delete, sender=User, dispatch_uid="audit_user_deleted")
def _user_deleted(sender, instance, **kwargs) -> None:
    record(event=Event.USER_DELETED, target=instance, changes=_user_values(instance))


@receiver(pre_save, sender=Group, dispatch_uid="audit_group_before")
def _group_before(sender, instance, raw=False, **kwargs) -> None:
    instance._audit_name = None
    if not raw and instance.pk is not None:
        instance._audit_name = (
            sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


@receiver(post_save, sender=Group, dispatch_uid="audit_group_saved")
def _group_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    if created:
        record(event=Event.GROUP_CREATED, target=instance, changes={"name": instance.name})
    elif getattr(instance, "_audit_name", None) not in (None, instance.name):
        changes = {"name": [instance._audit_name, instance.name]}
        record(event=Event.GROUP_CHANGED, target=instance, changes=changes)


@receiver(pre_delete, sender=Group, dispatch_uid="audit_group_deleting")
def _group_deleting(sender, instance, **kwargs) -> None:
    # Deleting a group removes its memberships without an m2m_changed signal.
    instance._audit_members = list(instance.user_set.all())


@receiver(post_delete, sender=Group, dispatch_uid="audit_group_deleted")
def _group_deleted(sender, instance, **kwargs) -> None:
    members = getattr(instance, "_audit_members", [])
    changes = {"name": instance.name, "members": sorted(u.get_username() for u in members)}
    record(event=Event.GROUP_DELETED, target=instance, changes=changes)
    for user in members:
        sessions_after_privilege_change(user=user)


def _permission_names(pks) -> list[str]:
    permissions = Permission.objects.filter(pk__in=pks).select_related("content_type")
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def _group_names(pks) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _m2m_change(instance, action: str, pk_set, current) -> tuple[str, set] | None:
    """(``added``/``removed``, primary keys) of an ``m2m_changed`` call worth recording."""
    if action == "pre_clear":
        instance._audit_cleared = set(current())
        return None
    if action == "post_clear":
        cleared = getattr(instance, "_audit_cleared", set())
        return ("removed", cleared) if cleared else None
    if action in ("post_add", "post_remove") and pk_set:
        return ("added" if action == "post_add" else "removed", set(pk_set))
    return None


def _user_relation_changed(instance, action, reverse, pk_set, *, event, related, names) -> None:
    """A change of users' groups or permissions, made from either side of the relation.

    ``related(user)`` is the user's side (``user.groups``); ``names(pks)`` names what was
    added or removed. Each user changed gets an entry, and their sessions follow.
    """
    if reverse:  # group.user_set.add(...), permission.user_set.add(...)
        current = lambda: instance.user_set.values_list("pk", flat=True)  # noqa: E731
        change = _m2m_change(instance, action, pk_set, current)
        if change:
            how, user_pks = change
            changes = {how: names([instance.pk])}
            for user in User.objects.filter(pk__in=user_pks):
                record(event=event, target=user, changes=changes)
                sessions_after_privilege_change(user=user)
        return
    current = lambda: related(instance).values_list("pk", flat=True)  # noqa: E731
    change = _m2m_change(instance, action, pk_set, current)
    if change:
        how, pks = change
        record(event=event, target=instance, changes={how: names(pks)})
        sessions_after_privilege_change(user=instance)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_user_groups")
def _user_groups(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    _user_relation_changed(
        instance,
        action,
        reverse,
        pk_set,
        event=Event.USER_GROUPS_CHANGED,
        related=lambda user: user.groups,
        names=_group_names,
    )


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="audit_user_permissions")
def _user_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    _user_relation_changed(
        instance,
        action,
        reverse,
        pk_set,
        event=Event.USER_PERMISSIONS_CHANGED,
        related=lambda user: user.user_permissions,
        names=_permission_names,
    )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="audit_group_permissions")
def _group_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if reverse:  # permission.group_set.add(...)
        current = lambda: instance.group_set.values_list("pk", flat=True)  # noqa: E731
        change = _m2m_change(instance, action, pk_set, current)
        if change:
            how, group_pks = change
            name = _permission_names([instance.pk])
            for group in Group.objects.filter(pk__in=group_pks):
                _group_permissions_changed(group, {how: name})
        return
    current = lambda: instance.permissions.values_list("pk", flat=True)  # noqa: E731
    change = _m2m_change(instance, action, pk_set, current)
    if change:
        how, permission_pks = change
        _group_permissions_changed(instance, {how: _permission_names(permission_pks)})


def _group_permissions_changed(group: Group, changes: dict) -> None:
    record(event=Event.GROUP_PERMISSIONS_CHANGED, target=group, changes=changes)
    for user in group.user_set.all():
        sessions_after_privilege_change(user=user)
