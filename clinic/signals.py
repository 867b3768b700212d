"""Content changes bump the content version once their transaction commits.

Every served content model of the registry (``clinic.content``) is watched:
saves, deletes and changes of its registered many-to-many relations.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from clinic.content import Content, on_register
from clinic.content_version import bump_version


class _Bump:
    """A content-version bump after commit, done once however many savepoints asked.

    Each savepoint that changes content registers one (a rollback of that
    savepoint drops it); they share ``done``, so the first to run bumps and the
    others do nothing.
    """

    def __init__(self, done: list[bool]) -> None:
        self.done = done

    def __call__(self) -> None:
        if not self.done[0]:
            self.done[0] = True
            bump_version()


def _content_changed(sender, **kwargs) -> None:
    """Bump once per transaction, however many rows and savepoints it changes."""
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    done = None
    for sids, func, *_rest in connection.run_on_commit:
        if isinstance(func, _Bump) and not func.done[0]:  # (tests run callbacks in place)
            if sids == savepoints:
                return
            done = func.done
    transaction.on_commit(_Bump(done or [False]))


def _watch(content: Content) -> None:
    if not content.served:
        return
    model = content.model
    uid = model._meta.label_lower
    post_save.connect(_content_changed, sender=model, dispatch_uid=f"save-{uid}")
    post_delete.connect(_content_changed, sender=model, dispatch_uid=f"delete-{uid}")
    for name in content.m2m:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(
            _content_changed, sender=through, dispatch_uid=f"m2m-{through._meta.label_lower}"
        )


def connect_content_signals() -> None:
    """Watch every served content model, registered already or to come."""
    on_register(_watch)
