"""The content registry: each app declares its content here; shared code reads it.

An app registers each content model in its ``AppConfig.ready()`` (as Django's
admin autodiscovers ``admin.py``), saying what shared code needs to know: what a
revision of an object also keeps, which many-to-many relations are changes of
content, when objects go live later, what the public may see, which staff
groups may do what, what a medical review covers, and what to do around a
write of many objects. The content version, revisions, change signals, staff
permissions, the PO exchange and medical review read this module and never
import an app.

:data:`content_saved` is the announcement of the one write path
(:func:`clinic.i18n.services.content_save`): sent once for every object it
saves, inside the transaction. Later work (a read model, cache purges,
webhooks) listens here.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import models
from django.dispatch import Signal


class Role(StrEnum):
    """The staff roles an app grants permissions to (see ``clinic.permissions`` for groups)."""

    EDITORS = "editors"
    PUBLISHERS = "publishers"
    TRANSLATORS = "translators"
    REVIEWERS = "reviewers"


#: Sent by the write path for every object it saved: ``sender`` the model,
#: ``obj``, ``fields`` (the columns changed, ``title_ar``…) and ``origin``.
content_saved = Signal()


@dataclass(frozen=True)
class Content:
    """What shared code knows of one content model (see :func:`register`)."""

    model: type[models.Model]
    #: Relations a revision of an object keeps with it (django-reversion ``follow``).
    follow: tuple[str, ...] = ()
    #: Fields a revision leaves out.
    exclude: tuple[str, ...] = ()
    #: Many-to-many fields whose changes are changes of content.
    m2m: tuple[str, ...] = ()
    #: When objects of this model go live later (soonest first), for ``Last-Modified``.
    scheduled_times: Callable[[], Iterable[datetime]] | None = None
    #: What the public may see of it (completeness counts only that); all objects if None.
    public: Callable[[], models.QuerySet] | None = None
    #: Staff role → permission codenames on this model; ``add``, ``change``, ``view`` and
    #: ``delete`` stand for Django's own (``add_article``), others are used as they are.
    staff: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Medical content: a review of a language covers the text and these facts.
    review_facts: Callable[[models.Model], dict] | None = None
    #: Entered around a write of many objects (e.g. refresh search documents once).
    bulk_write: Callable[[], AbstractContextManager] | None = None
    #: Whether the API serves it: its changes move the content version and are revisioned
    #: (notes for staff are content of the admin only).
    served: bool = True

    @property
    def reviewable(self) -> bool:
        return self.review_facts is not None

    def permissions(self, role: str) -> list[str]:
        """``app_label.codename`` of each permission ``role`` has on this model."""
        opts = self.model._meta
        builtin = {"add", "change", "view", "delete"}
        return [
            f"{opts.app_label}.{action}_{opts.model_name}"
            if action in builtin
            else f"{opts.app_label}.{action}"
            for action in self.staff.get(role, ())
        ]


_registry: dict[type[models.Model], Content] = {}
_hooks: list[Callable[[Content], None]] = []
_bulk_writers: list[Callable[[], AbstractContextManager]] = []


def register(model: type[models.Model], **options) -> Content:
    """Declare ``model`` content (called from its app's ``AppConfig.ready()``)."""
    content = Content(model=model, **options)
    _registry[model] = content
    for hook in _hooks:
        hook(content)
    return content


def on_register(hook: Callable[[Content], None]) -> None:
    """Call ``hook`` with every registration: those made already, and those to come.

    Shared code wires itself this way (revisions, change signals) whatever the order in
    which apps become ready.
    """
    _hooks.append(hook)
    for content in contents():
        hook(content)


def contents() -> tuple[Content, ...]:
    """Every registered content model, in registration order."""
    return tuple(_registry.values())


def content_of(model: type[models.Model]) -> Content | None:
    return _registry.get(model._meta.concrete_model)


def reviewable(model: type[models.Model]) -> Content:
    """The registration of a model of medical content (``KeyError`` if it is not one)."""
    content = content_of(model)
    if content is None or not content.reviewable:
        raise KeyError(f"{model._meta.label} is not registered as reviewable content")
    return content


def scheduled_times() -> list[datetime]:
    """When registered content goes live later, soonest first."""
    return sorted(
        moment
        for content in contents()
        if content.scheduled_times is not None
        for moment in content.scheduled_times()
    )


def public_querysets() -> dict[type[models.Model], models.QuerySet]:
    """Model → what the public may see, for models that restrict it."""
    return {content.model: content.public() for content in contents() if content.public}


def on_bulk_write(context: Callable[[], AbstractContextManager]) -> None:
    """Also enter ``context`` around every :func:`bulk_write` (a read model's deferral)."""
    if context not in _bulk_writers:
        _bulk_writers.append(context)


@contextmanager
def bulk_write() -> Iterator[None]:
    """Around a write of one or many objects, inside its transaction.

    Enters every registered ``bulk_write`` and every context given to
    :func:`on_bulk_write`, so that work derived from the writes (search
    documents, the published read model) is done once, when the block ends.
    """
    with ExitStack() as stack:
        for context in _bulk_writers:
            stack.enter_context(context())
        for content in contents():
            if content.bulk_write is not None:
                stack.enter_context(content.bulk_write())
        yield
