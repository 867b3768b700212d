"""Revisions of every content save (django-reversion): registration, admin history with changes.

What a revision follows comes from the content registry: an article follows its
references and translation states, so restoring an article restores its text,
citations and translation state together. The
optimistic-locking ``version`` is not part of a revision: restoring an old
revision is a new edit, not a step back in the lock.
"""

from contextlib import contextmanager

import reversion
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from reversion.admin import VersionAdmin
from reversion.models import Version

from clinic.content import Content, on_register

TRUNCATE = 160


def _register(content: Content) -> None:
    """Register a served content model with what its revisions follow and leave out.

    The admin's ``VersionAdmin`` registers the models it administers first (when the
    admin autodiscovers, before the apps are ready) with its own defaults: those
    registrations are replaced, so an article's revision follows its translation states too
    and leaves out the optimistic-locking version.
    """
    if not content.served:
        return
    if reversion.is_registered(content.model):
        reversion.unregister(content.model)
    reversion.register(content.model, follow=list(content.follow), exclude=list(content.exclude))


def register_content_models() -> None:
    """Keep revisions of every served content model of the registry (``clinic.content``)."""
    on_register(_register)


@contextmanager
def content_revision(comment: str, user: AbstractBaseUser | None = None):
    """Keep the saves inside as one revision with ``comment`` (and ``user``)."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        yield


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name) + _language_suffix(name)
    except Exception:
        return name


def _language_suffix(name: str) -> str:
    _base, _sep, language = name.rpartition("_")
    return f" [{language}]" if len(language) == 2 and _sep else ""


def _show(value: object) -> str:
    return Truncator("" if value is None else str(value)).chars(TRUNCATE)


def version_changes(model: type[models.Model], versions: list[Version]) -> dict[int, list[dict]]:
    """For each version (oldest first), the fields that differ from the version before it."""
    changes: dict[int, list[dict]] = {}
    previous: dict | None = None
    for version in versions:
        try:
            data = version.field_dict
        except Exception:
            data = {}
        if previous is not None:
            changes[version.pk] = [
                {
                    "field": _label(model, name),
                    "old": _show(previous.get(name)),
                    "new": _show(value),
                }
                for name, value in data.items()
                if previous.get(name) != value and name not in ("updated_at",)
            ]
        previous = data
    return changes


class RevisionAdmin(VersionAdmin):
    """History with who, when, comment and what changed; any revision can be restored."""

    object_history_template = "admin/content_history.html"
    history_latest_first = True

    def history_view(self, request, object_id, extra_context=None):
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision", "revision__user")
            .order_by("pk")
        )
        changes = version_changes(self.model, versions)
        opts = self.model._meta
        rows = [
            {
                "revision": version.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
                "changes": changes.get(version.pk),
            }
            for version in reversed(versions)
        ]
        context = {"history_rows": rows, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)
