"""Writing the read model: documents rebuilt in the transaction of the change that affects them.

Apps say which *kinds* of documents exist (:func:`register_kind`: how to build
the documents of some objects of a kind, in every language) and which model
changes affect which documents (:func:`affects`). Saves, deletes and
many-to-many changes of those models mark the affected documents; they are
rebuilt at once, or, inside :func:`documents_deferred` (entered by
:func:`clinic.content.bulk_write`, so by every save through the one write path
and by every import), once when the block ends, still inside the transaction.

A rebuild compares each new document with the stored one and writes only what
differs; each difference moves the *tags* of what it changes (see
:func:`tags_of_change`), numbered by :class:`~clinic.published.models.Sequence`,
so cached responses that depend on them stop being served
(:mod:`clinic.published.freshness`).
"""

import hashlib
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, connections, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from clinic.published.freshness import EVERYTHING, clock
from clinic.published.models import Document, Sequence, Tag

#: Every column a builder fills; a document changed when one of them differs.
COLUMNS = (
    "visible",
    "slug",
    "public_from",
    "updated_at",
    "sort_title",
    "position",
    "topic_ids",
    "disclaimer_ids",
    "list_json",
    "detail_json",
    "current",
    "stale",
    "missing",
)
#: Columns whose change moves an object into or out of lists (filters, order by date).
MEMBERSHIP = ("visible", "public_from", "topic_ids")
COMPLETENESS = ("visible", "public_from", "current", "stale", "missing")
BATCH = 500
#: Past this many changed documents, a change moves :data:`EVERYTHING` instead of each tag.
MANY = 2000

#: Object ids marked as affected, by kind (``None``: all); ``None`` outside a deferred block.
_pending: ContextVar[dict[str, set[int] | None] | None] = ContextVar("pending", default=None)


@dataclass(frozen=True)
class Kind:
    """One kind of document.

    ``build(ids)`` yields unsaved :class:`Document` rows (every column of
    :data:`COLUMNS` but ``visible``) for each public object among ``ids``
    (``None``: every object) and each language; an object it yields nothing for
    is not public. ``ids()``: every object that may be public. ``whole``: the
    kind is always rebuilt as a whole (short unpaginated lists, whose positions
    depend on each other).
    """

    name: str
    model: type[models.Model]
    build: Callable[[list[int] | None], Iterable[Document]]
    #: Ids of every object that may have a document now (a full rebuild builds these).
    ids: Callable[[], Iterable[int]]
    whole: bool = False


_kinds: dict[str, Kind] = {}
#: Model → functions from a changed instance to the affected ``{kind: ids or None}``.
_effects: dict[type[models.Model], list[Callable[[models.Model], dict]]] = defaultdict(list)


def register_kind(kind: Kind) -> None:
    _kinds[kind.name] = kind


def kinds() -> tuple[Kind, ...]:
    return tuple(_kinds.values())


def kind_of(model: type[models.Model]) -> str | None:
    """The kind of document of ``model``'s objects, if they have documents."""
    return next((kind.name for kind in _kinds.values() if kind.model is model), None)


def affects(model: type[models.Model], effect: Callable[[models.Model], dict]) -> None:
    """Say that a save or delete of ``model`` affects the documents ``effect(instance)`` names.

    ``effect`` returns ``{kind: ids}``, ids ``None`` for every object of the kind.
    """
    _effects[model].append(effect)
    uid = f"published-{model._meta.label_lower}"
    post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")


def affected_by(instance: models.Model) -> dict[str, set[int] | None]:
    """The documents a change of ``instance`` affects, by kind."""
    marked: dict[str, set[int] | None] = {}
    for effect in _effects.get(type(instance)._meta.concrete_model, ()):
        merge_marks(marked, effect(instance))
    return marked


def merge_marks(into: dict[str, set[int] | None], marks: dict) -> None:
    for name, ids in marks.items():
        if name in into and into[name] is None:
            continue
        if ids is None:
            into[name] = None
        else:
            into.setdefault(name, set()).update(ids)


def mark(marks: dict) -> None:
    """Rebuild the documents ``marks`` names: now, or at the end of the deferred block."""
    if not marks:
        return
    pending = _pending.get()
    if pending is None:
        documents_refresh(marks)
    else:
        merge_marks(pending, marks)


@contextmanager
def documents_deferred() -> Iterator[None]:
    """Rebuild the documents marked inside once, when the block ends (nested: the outermost).

    Use it inside the transaction of the writes: if the block raises, nothing is rebuilt.
    """
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, set[int] | None] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    documents_refresh(pending)


def documents_refresh(marks: dict) -> list[tuple[Document | None, Document]]:
    """Rebuild the documents of ``marks`` (``{kind: ids or None}``) in the current transaction.

    The changes, (old, new), have moved their tags (:func:`tags_of_change`).
    """
    changes = []
    with transaction.atomic():
        for name, ids in marks.items():
            kind = _kinds[name]
            for batch in _batches(kind, None if kind.whole else ids):
                changes += _write(kind, batch)
        _announce(changes)
    return changes


#: Called in the transaction of every announced change (see :func:`on_announce`).
_listeners: list[Callable[[list[tuple[Document | None, Document]], list[str]], None]] = []


def on_announce(listener: Callable[[list[tuple[Document | None, Document]], list[str]], None]):
    """Call ``listener(changes, tags)`` for every announced change, in its transaction.

    ``changes`` are the (old, new) documents that differ; ``tags`` the tags they moved.
    A listener that must act only on commit (an edge purge, a delivery) uses
    ``transaction.on_commit``; one that writes (an outbox) writes in the transaction,
    so a rolled-back change leaves nothing behind. Usable as a decorator.
    """
    _listeners.append(listener)
    return listener


def _announce(changes: list[tuple[Document | None, Document]]) -> None:
    """Move the tags of ``changes``, in their transaction: committed documents are announced."""
    if not changes:
        return
    if len(changes) > MANY:  # every cached response, rather than each one
        tags = [EVERYTHING]
    else:
        tags = list(dict.fromkeys(tag for old, new in changes for tag in tags_of_change(old, new)))
    tags_move(tags)
    for listener in _listeners:
        listener(changes, tags)


@dataclass
class Rebuilt:
    """What a rebuild (or a comparison) found: how many documents differed, the first few."""

    changed: int = 0
    examples: list = field(default_factory=list)


def documents_rebuild(
    names: Iterable[str],
    *,
    languages: Iterable[str] | None = None,
    dry_run: bool = False,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    keep: int = 20,
) -> Rebuilt:
    """Rebuild every document of the kinds ``names`` (``languages``: only those), in batches.

    Each batch is its own transaction (a rebuild of 100,000 articles is not one);
    ``jobs`` processes build batches side by side (PostgreSQL, outside a
    transaction: SQLite writes one at a time, and other processes could not see
    the rows of an open transaction). ``dry_run``: compare, write nothing. Each
    batch moves the tags of the documents it changed in its own transaction, so a
    rebuild killed at any point leaves no committed document unannounced (cached
    responses showing it are dropped), and the next run completes the rest.
    ``progress(kind, done, total)`` is called after each batch.
    """
    languages = list(languages) if languages is not None else None
    outcome = Rebuilt()
    for name in names:
        kind = _kinds[name]
        batches = list(_batches(kind, None))
        total, done = sum(len(batch or ()) for batch in batches), 0
        tasks = [(name, batch, languages, dry_run, keep) for batch in batches]
        for changed, examples, size in _run(tasks, jobs):
            outcome.changed += changed
            outcome.examples += examples[: keep - len(outcome.examples)]
            done += size
            if progress:
                progress(name, done, total)
    if outcome.changed > MANY and not dry_run and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics of the new rows
            cursor.execute(f"ANALYZE {Document._meta.db_table}")
    return outcome


def _run(tasks: list, jobs: int) -> Iterator[tuple[int, list, int]]:
    alone = connection.vendor == "sqlite" or connection.in_atomic_block  # (tests: uncommitted)
    if jobs <= 1 or len(tasks) <= 1 or alone:
        yield from map(_rebuild_batch, tasks)
        return
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=connections.close_all) as pool:
        yield from pool.imap_unordered(_rebuild_batch, tasks)


def _rebuild_batch(task) -> tuple[int, list, int]:
    name, batch, languages, dry_run, keep = task
    with transaction.atomic():
        changes = _write(_kinds[name], batch, languages=languages, dry_run=dry_run)
        if not dry_run:
            _announce(changes)
    return len(changes), changes[:keep], len(batch or ())


def _batches(kind: Kind, ids: set[int] | None) -> Iterator[list[int] | None]:
    if ids is None and kind.whole:
        yield None
        return
    if ids is None:
        ids = _all_ids(kind)
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _all_ids(kind: Kind) -> set[int]:
    """Every object of ``kind`` that has a document, and every object that may get one."""
    stored = Document.objects.filter(kind=kind.name, visible=True).values_list("object_id")
    return {pk for (pk,) in stored} | set(kind.ids())


def _write(
    kind: Kind, ids: list[int] | None, *, languages=None, dry_run: bool = False
) -> list[tuple[Document | None, Document]]:
    """Store the documents of ``ids`` as built now; the (old, new) pairs that changed."""
    built = {
        (row.object_id, row.language): row
        for row in kind.build(ids)
        if languages is None or row.language in languages
    }
    stored_rows = Document.objects.filter(kind=kind.name)
    if ids is not None:
        stored_rows = stored_rows.filter(object_id__in=ids)
    if languages is not None:
        stored_rows = stored_rows.filter(language__in=list(languages))
    stored = {(row.object_id, row.language): row for row in stored_rows}
    now = timezone.now()
    created, changes = [], []
    for key, new in built.items():
        new.kind, new.visible, new.changed_at = kind.name, True, now
        old = stored.get(key)
        if old is None:
            created.append(new)
            changes.append((None, new))
        elif _values(old) != _values(new):
            created.append(new)
            changes.append((old, new))
    for key, old in stored.items():
        if key not in built and old.visible:
            tombstone = Document(kind=old.kind, object_id=old.object_id, language=old.language)
            tombstone.visible, tombstone.changed_at = False, now
            created.append(tombstone)
            changes.append((old, tombstone))
    if not dry_run:
        # One upsert (INSERT … ON CONFLICT DO UPDATE) per batch, new and changed rows alike.
        Document.objects.bulk_create(
            created,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["kind", "object_id", "language"],
            update_fields=[*COLUMNS, "changed_at"],
        )
    return changes


def _values(row: Document) -> tuple:
    return tuple(getattr(row, column) for column in COLUMNS)


def tags_of_change(old: Document | None, new: Document) -> Iterator[str]:
    """The tags a changed document moves.

    ``kind:id:language`` (its detail, and lists it is on), ``kind:language``
    (every list of the kind in that language whose content or order may change:
    searches, ordering by title or date of change, unpaginated lists),
    ``kind:set`` (which objects lists show: visibility, publication date,
    topics), ``slug:kind:<hash>`` for each slug that starts or stops leading to
    it, and ``completeness``.
    """
    prefix = f"{new.kind}:"
    yield f"{prefix}{new.object_id}:{new.language}"
    yield f"{prefix}{new.language}"
    if old is None or any(getattr(old, name) != getattr(new, name) for name in MEMBERSHIP):
        yield f"{prefix}set"
        slugs = {old.slug if old else "", new.slug}
    else:
        slugs = {old.slug, new.slug} if old.slug != new.slug else set()
    for slug in slugs - {""}:
        yield slug_tag(new.kind, slug)
    if old is None or any(getattr(old, name) != getattr(new, name) for name in COMPLETENESS):
        yield "completeness"


def slug_tag(kind: str, slug: str) -> str:
    return f"slug:{kind}:{hashlib.sha256(slug.encode()).hexdigest()[:16]}"


def tags_move(names: Iterable[str]) -> int | None:
    """Number a change and record it against ``names``; the change's number."""
    names = list(dict.fromkeys(names))
    if not names:
        return None
    Sequence.objects.get_or_create(pk=1)
    Sequence.objects.filter(pk=1).update(value=F("value") + 1)  # locks the row until commit
    seq = Sequence.objects.values_list("value", flat=True).get(pk=1)
    now = timezone.now()
    Tag.objects.bulk_create(
        [Tag(name=name, seq=seq, changed_at=now) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["seq", "changed_at"],
        batch_size=BATCH,
    )
    clock.expect_change()
    return seq


def _changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A save or delete: mark what it affects.

    Raw saves (fixtures being loaded, whose other rows may not be there yet) are
    left to ``published_rebuild``, unless a deferred block is open (a revision
    restored inside the write path), which rebuilds once all rows are written.
    """
    if not raw or _pending.get() is not None:
        mark(affected_by(instance))


def _relation_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs):
    """A many-to-many change is a change of the objects on its declaring side."""
    if action == "pre_clear" and reverse:
        # The signal does not say what a clear() removes: remember it now.
        through_field = _declaring_field(sender, model)
        related = sender.objects.filter(**{_other_field(sender, through_field): instance.pk})
        _cleared[id(instance)] = set(related.values_list(through_field, flat=True))
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        mark(affected_by(instance))
        return
    changed = set(pk_set or ()) | _cleared.pop(id(instance), set())
    marks: dict = {}
    for pk in changed:
        merge_marks(marks, affected_by(model(pk=pk)))
    mark(marks)


_cleared: dict[int, set[int]] = {}


def _declaring_field(through: type[models.Model], model: type[models.Model]) -> str:
    """The column of ``through`` that points to ``model`` (the declaring side)."""
    return next(
        field.attname
        for field in through._meta.get_fields()
        if getattr(field, "related_model", None) is model
    )


def _other_field(through: type[models.Model], declaring: str) -> str:
    return next(
        field.attname
        for field in through._meta.get_fields()
        if getattr(field, "attname", None) not in (declaring, "id") and hasattr(field, "attname")
    )


def watch_relation(through: type[models.Model]) -> None:
    """Mark the declaring side's documents when rows of a many-to-many ``through`` change."""
    uid = through._meta.label_lower
    m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"published-m2m-{uid}")
