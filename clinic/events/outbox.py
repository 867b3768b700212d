"""Change events: what a change of the read model means to a reader, per object and language.

:func:`events_record` listens to the read model (:func:`clinic.published.store.on_announce`):
it is called with the documents a change rewrote, in the transaction of that change,
whichever way it came (a save, a delete, a review, an import, a rebuild). It writes
the events in that transaction (an outbox), so a committed change always has its
events and a rolled-back one has none; deliveries are tasks written in the same
transaction (:mod:`clinic.events.webhooks`).

A *language version is live* when its document is visible, its ``public_from`` has
come, and, for content with slugs, it has a slug in that language (a translation
readers may see; a version served by falling back to the source language is not
one of its own). Comparing the version before and after a change (one home:
:func:`event_type`):

- not live → live: ``published``; live → live: ``updated``;
- live → not live: ``deleted`` when the object is gone, else ``unpublished``;
- visible with a ``public_from`` still to come: a ``published`` event scheduled for
  that time (any earlier scheduled one of the same version is cancelled).
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from clinic.events.models import Event
from clinic.events.webhooks import deliveries_create, emit_later
from clinic.published.models import Document
from clinic.published.store import kinds

Change = tuple[Document | None, Document]


def api_url(kind: str, language: str, slug: str) -> str | None:
    """Where the API serves this version: its detail by slug, or the list it is on.

    ``None`` for kinds the API has no endpoint of their own for (reviewers are read
    through articles): they have no events.
    """
    try:
        path = reverse(f"api:{kind}-detail", kwargs={"slug": slug}) if slug else None
    except NoReverseMatch:
        path = None
    if path is None:
        try:
            path = reverse(f"api:{kind}-list")
        except NoReverseMatch:
            return None
    return f"{settings.EVENTS_API_ORIGIN}{path}?lang={language}"


def has_events(kind: str) -> bool:
    """Whether a kind of document has events: those the API serves at an endpoint of their own."""
    return api_url(kind, "", "") is not None


def _slugged() -> dict[str, bool]:
    """Kind → whether its objects have slugs (then a version is live only with one)."""
    return {
        kind.name: any(field.name == "slug" for field in kind.model._meta.fields)
        for kind in kinds()
    }


def is_live(document: Document | None, now: datetime, slugged: bool) -> bool:
    """Whether readers may see this language version as its own at ``now``."""
    return (
        document is not None
        and document.visible
        and (document.public_from is None or document.public_from <= now)
        and (bool(document.slug) or not slugged)
    )


def is_scheduled(document: Document, now: datetime, slugged: bool) -> bool:
    """Whether this version goes live later by itself (a scheduled article)."""
    return (
        document.visible
        and document.public_from is not None
        and document.public_from > now
        and (bool(document.slug) or not slugged)
    )


def event_type(was_live: bool, live: bool, exists: bool) -> str | None:
    """The event of a change of one language version (``None``: none for readers)."""
    if live:
        return Event.Type.UPDATED if was_live else Event.Type.PUBLISHED
    if was_live:
        return Event.Type.UNPUBLISHED if exists else Event.Type.DELETED
    return None


def events_record(changes: list[Change], tags: list[str]) -> list[Event]:
    """Write the events of ``changes`` (in their transaction) and the deliveries due now."""
    now = timezone.now()
    slugged = _slugged()
    models = {kind.name: kind.model for kind in kinds()}
    changes = [(old, new) for old, new in changes if has_events(new.kind)]
    if not changes:
        return []
    _cancel_scheduled(changes)
    gone = defaultdict(set)  # kind → ids of tombstones whose object may be deleted
    for _old, new in changes:
        if not new.visible:
            gone[new.kind].add(new.object_id)
    existing = {
        name: set(models[name].objects.filter(pk__in=ids).values_list("pk", flat=True))
        for name, ids in gone.items()
    }
    emitted, scheduled = [], []
    for old, new in changes:
        has_slug = slugged.get(new.kind, False)
        exists = new.visible or new.object_id in existing.get(new.kind, ())
        kind = event_type(is_live(old, now, has_slug), is_live(new, now, has_slug), exists)
        if kind is not None:
            slug = new.slug if kind in (Event.Type.PUBLISHED, Event.Type.UPDATED) else old.slug
            emitted.append(_event(new, kind, slug, now, Event.State.EMITTED))
        if is_scheduled(new, now, has_slug):
            scheduled.append(
                _event(new, Event.Type.PUBLISHED, new.slug, new.public_from, Event.State.SCHEDULED)
            )
    Event.objects.bulk_create([*emitted, *scheduled])
    deliveries_create(emitted)
    for event in scheduled:
        emit_later(event)
    return [*emitted, *scheduled]


def _event(document: Document, kind: str, slug: str, at: datetime, state: str) -> Event:
    return Event(
        type=kind,
        kind=document.kind,
        object_id=document.object_id,
        language=document.language,
        slug=slug,
        api_url=api_url(document.kind, document.language, slug),
        occurred_at=at,
        state=state,
    )


def _cancel_scheduled(changes: list[Change]) -> None:
    """Cancel the scheduled events of the versions ``changes`` rewrote (one query)."""
    versions = defaultdict(set)
    for _old, new in changes:
        versions[(new.kind, new.language)].add(new.object_id)
    condition = Q()
    for (kind, language), ids in versions.items():
        condition |= Q(kind=kind, language=language, object_id__in=ids)
    Event.objects.filter(condition, state=Event.State.SCHEDULED).update(state=Event.State.CANCELLED)


def event_emit(event_id) -> bool:
    """Emit a scheduled event whose time has come (a task runs this at ``occurred_at``).

    Cancelled (the version changed since) or emitted already: nothing happens.
    """
    updated = Event.objects.filter(
        pk=event_id, state=Event.State.SCHEDULED, occurred_at__lte=timezone.now()
    ).update(state=Event.State.EMITTED)
    if not updated:
        return False
    deliveries_create([Event.objects.get(pk=event_id)])
    return True
