"""Reading the read model (clinic.published): the stored documents, as served to a request.

Visibility was worked out when the documents were written; what is left for
reads is the time (:func:`live`: a scheduled article is visible from its
``public_from``), the request's host in absolute URLs
(:func:`clinic.api.documents.for_request`) and putting documents together:
the topics and disclaimers of an article are joined in from their own
documents (:meth:`Shared.joined`), kept per process and language and reloaded
when one of them changes (:class:`Shared`).

The queries of details and list pages are written out (:data:`SLUG_SQL`,
:data:`DETAIL_SQL`, :func:`list_page`, :func:`list_figures`): they are plain
lookups on stored values, and building them with the ORM took most of an
uncached read's time. :data:`LIVE_SQL` says what :func:`live` says, in SQL.
"""

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Max, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinic.api.documents import DISCLAIMERS, TOPICS, for_request, parse_ids
from clinic.i18n.completeness import Completeness
from clinic.i18n.languages import language_codes
from clinic.i18n.registry import api_name, translatable_models
from clinic.models import Disclaimer, disclaimers_shown
from clinic.published.freshness import clock
from clinic.published.models import Document
from clinic.published.store import kind_of

CONTENT_TYPE = "application/json"
#: The placeholders in an article's stored documents where its topics and disclaimers go.
_TOPICS = f'"topics":"{TOPICS}"'.encode()
_DISCLAIMERS = f'"disclaimers":"{DISCLAIMERS}"'.encode()


def live(now: datetime | None = None) -> Q:
    """Documents the public may see now (:data:`LIVE_SQL` says the same in SQL)."""
    now = now or timezone.now()
    return Q(visible=True) & (Q(public_from__isnull=True) | Q(public_from__lte=now))


#: :func:`live` for the written-out queries (parameters: true, now).
LIVE_SQL = "visible = %s AND (public_from IS NULL OR public_from <= %s)"
TABLE = Document._meta.db_table
SLUG_SQL = f"SELECT object_id, language FROM {TABLE} WHERE kind = %s AND slug = %s AND {LIVE_SQL}"
DETAIL_SQL = (
    "SELECT detail_json, topic_ids, disclaimer_ids, changed_at, public_from "
    f"FROM {TABLE} WHERE kind = %s AND object_id = %s AND language = %s AND visible = %s"
)


def slug_matches(kind: str, slug: str) -> list[tuple[int, str]]:
    """(object id, language) of each visible version whose slug is ``slug``."""
    with connection.cursor() as cursor:
        cursor.execute(SLUG_SQL, [kind, slug, True, _sql_moment(timezone.now())])
        return cursor.fetchall()


def detail_row(kind: str, object_id: int, language: str) -> tuple | None:
    """The stored detail of one object in ``language``: document, topic ids, disclaimer ids,
    when it changed, when it became public."""
    with connection.cursor() as cursor:
        cursor.execute(DETAIL_SQL, [kind, object_id, language, True])
        row = cursor.fetchone()
    if row is None:
        return None
    document, topic_ids, disclaimer_ids, changed_at, public_from = row
    return document, topic_ids, disclaimer_ids, _moment(changed_at), _moment(public_from)


@dataclass(frozen=True)
class Condition:
    """A condition on documents, written out: SQL on the documents' columns, and its parameters."""

    sql: str
    params: tuple = ()

    def __and__(self, other: "Condition") -> "Condition":
        return Condition(f"{self.sql} AND {other.sql}", self.params + other.params)


#: No document (an empty ``OR``).
NOTHING = Condition("1 = 0")


def live_condition(now: datetime | None = None) -> Condition:
    """:func:`live` as a :class:`Condition` (:data:`LIVE_SQL`)."""
    return Condition(f"({LIVE_SQL})", (True, _sql_moment(now or timezone.now())))


_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def moment_condition(column: str, lookup: str, moment: datetime) -> Condition:
    """``column`` against ``moment`` as the ORM's lookup (``gte``, ``lte``, ``lt``...) does."""
    return Condition(f"{column} {_OPERATORS[lookup]} %s", (_sql_moment(moment),))


def ids_condition(column: str, ids: Sequence[int]) -> Condition:
    """Documents whose ``column`` (ids as ``|3|7|``: :func:`clinic.api.documents.ids_column`)
    holds one of ``ids``; none given: no document."""
    if not ids:
        return NOTHING
    matches = " OR ".join([f"{column} LIKE %s"] * len(ids))
    return Condition(f"({matches})", tuple(f"%|{pk}|%" for pk in ids))


def order_sql(columns: Sequence[str]) -> str:
    """``ORDER BY`` of ``columns`` named as for ``QuerySet.order_by`` (``-`` descending)."""
    return ", ".join(
        f"{column[1:]} DESC" if column.startswith("-") else f"{column} ASC" for column in columns
    )


def list_page(
    kind: str,
    language: str,
    condition: Condition,
    ordering: Sequence[str],
    offset: int,
    limit: int,
) -> list[tuple[int, bytes, str]]:
    """(object id, list document as UTF-8, topic ids) of the documents ``condition`` keeps,
    in ``ordering`` (:func:`order_sql`), ``limit`` from ``offset``.

    One query; an empty window (``limit`` 0: a list with nothing in it) reads nothing,
    as the ORM does for an empty slice.
    """
    if limit <= 0:
        return []
    sql = (
        f"SELECT object_id, {_utf8('list_json')}, topic_ids FROM {TABLE} "
        f"WHERE kind = %s AND language = %s AND {condition.sql} "
        f"ORDER BY {order_sql(ordering)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, language, *condition.params, limit, offset])
        return cursor.fetchall()


def list_figures(
    kind: str, language: str, counted: Condition | None = None, now: datetime | None = None
) -> dict:
    """``changed``: when the documents of ``kind`` in ``language`` last changed (tombstones
    too); ``live``: when the latest that is live (:data:`LIVE_SQL`) went live; ``count``:
    how many ``counted`` keeps (only if given). One query."""
    live_now = live_condition(now)
    columns = ["MAX(changed_at)", f"MAX(CASE WHEN {live_now.sql} THEN public_from END)"]
    params = [*live_now.params]
    if counted is not None:
        columns.append(f"COUNT(CASE WHEN {counted.sql} THEN 1 END)")
        params += counted.params
    sql = f"SELECT {', '.join(columns)} FROM {TABLE} WHERE kind = %s AND language = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, kind, language])
        changed, live_from, *count = cursor.fetchone()
    figures = {"changed": _moment(changed), "live": _moment(live_from)}
    if counted is not None:
        figures["count"] = count[0]
    return figures


def _utf8(column: str) -> str:
    """SQL reading the text ``column`` as its UTF-8 bytes: documents are served as the
    database holds them, not decoded into Python text and encoded back (a tenth of an
    uncached list's time)."""
    if connection.vendor == "sqlite":
        return f"CAST({column} AS BLOB)"
    return f"convert_to({column}, 'UTF8')"


def _sql_moment(moment: datetime):
    """``moment`` as a query's parameter (SQLite: text in UTC), as the ORM would pass it."""
    return connection.ops.adapt_datetimefield_value(moment)


def _moment(value) -> datetime | None:
    """A date-time as the database returned it (SQLite: naive, or text, in UTC), aware."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def json_response(body: bytes, request) -> HttpResponse:
    """The stored JSON for ``request``: its host in URLs, indented if it asked so
    (``Accept: application/json; indent=2``, rendered by the API's renderer)."""
    body = for_request(body, request)
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.get_indent(request.accepted_media_type, {}):
        body = renderer.render(json.loads(body), request.accepted_media_type, {})
    return HttpResponse(body, content_type=CONTENT_TYPE)


def last_modified(*moments: datetime | None) -> datetime | None:
    """The latest of ``moments`` that has passed (a scheduled time counts once it has)."""
    now = timezone.now()
    passed = [moment for moment in moments if moment is not None and moment <= now]
    return max(passed, default=None)


def unpaginated(kind: str, language: str) -> tuple[bytes, datetime | None]:
    """Every visible document of ``kind`` in ``language``, as a JSON array; when it last changed.

    One query; tombstones are read too, so that a removal moves ``Last-Modified``.
    """
    rows = Document.objects.filter(kind=kind, language=language).order_by("position", "object_id")
    items, changed = [], []
    for visible, document, changed_at in rows.values_list("visible", "list_json", "changed_at"):
        changed.append(changed_at)
        if visible:
            items.append(document.encode())
    return b"[" + b",".join(items) + b"]", last_modified(*changed)


def completeness() -> tuple[dict[str, dict[str, dict]], datetime | None]:
    """Language → content type (API name) → completeness figures, over what the public sees.

    One query: the figures stored with each visible document, summed.
    """
    kinds = {model: api_name(model) for model in translatable_models()}
    sums = {name: Sum(name, filter=live(), default=0) for name in ("current", "stale", "missing")}
    rows = (
        Document.objects.values("kind", "language")
        .annotate(**sums, changed=Max("changed_at"))
        .values_list("kind", "language", "current", "stale", "missing", "changed")
    )
    found: dict[tuple[str, str], Completeness] = {}
    changed = []
    for kind, language, current, stale, missing, changed_at in rows:
        found[kind, language] = Completeness(current=current, stale=stale, missing=missing)
        changed.append(changed_at)
    empty = Completeness(current=0, stale=0, missing=0)
    figures = {
        code: {
            name: found.get((kind_of(model), code), empty).as_dict()
            for model, name in kinds.items()
        }
        for code in language_codes()
    }
    return figures, last_modified(*changed)


class Shared:
    """Topics and disclaimers of one language, as joined into articles: one query to load.

    Reloaded when the database says one of them changed (at most
    ``API_FRESHNESS_SECONDS`` after another process's change, at once after
    this process's own).
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.tags = (f"topic:{language}", f"disclaimer:{language}")
        self.seq: int | None = None

    def current(self) -> "Shared":
        seq = clock.now()
        fresh = self.seq is not None and self.generation == clock.generation
        if not fresh or not clock.current(self.seq, self.tags):
            self._load(seq)
        return self

    def _load(self, seq: int) -> None:
        rows = Document.objects.filter(
            kind__in=("topic", "disclaimer"), language=self.language
        ).order_by("position", "object_id")
        topics, disclaimers, changed = {}, [], []
        for kind, pk, visible, document, changed_at in rows.values_list(
            "kind", "object_id", "visible", "list_json", "changed_at"
        ):
            changed.append(changed_at)
            if not visible:
                continue
            if kind == "topic":
                topics[pk] = document.encode()
            else:
                every = json.loads(document)["applies_to"] == Disclaimer.AppliesTo.ARTICLES
                disclaimers.append((pk, every, document.encode()))
        self.topics, self.disclaimers = topics, disclaimers
        self.changed_at = max(changed, default=None)
        self.seq, self.generation = seq, clock.generation

    def joined(self, document: bytes, topic_ids: str, disclaimer_ids: str | None = None) -> bytes:
        """An article's stored document (UTF-8) with its topics (and disclaimers, for a
        detail) in place."""
        topics = b",".join(self.topics[pk] for pk in parse_ids(topic_ids) if pk in self.topics)
        body = document.replace(_TOPICS, b'"topics":[' + topics + b"]", 1)
        if disclaimer_ids is None:
            return body
        by_pk = {pk: document for pk, _every, document in self.disclaimers}
        every = ((pk, every) for pk, every, _document in self.disclaimers)
        chosen = disclaimers_shown(every, set(parse_ids(disclaimer_ids)))
        listed = b",".join(by_pk[pk] for pk in chosen)
        return body.replace(_DISCLAIMERS, b'"disclaimers":[' + listed + b"]", 1)


_shared: dict[str, Shared] = {}
_shared_lock = threading.Lock()


def shared(language: str) -> Shared:
    """The topics and disclaimers in ``language``, current."""
    with _shared_lock:
        found = _shared.get(language) or _shared.setdefault(language, Shared(language))
    return found.current()


def topic_tags(topic_ids: str, language: str) -> list[str]:
    """The tags of the topics joined into an article (a cached response depends on them)."""
    return [f"topic:{pk}:{language}" for pk in parse_ids(topic_ids)]
