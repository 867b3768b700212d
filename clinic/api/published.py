"""Reading the read model (clinic.published): the stored documents, as served to a request.

Visibility was worked out when the documents were written; what is left for
reads is the time (:func:`live`: a scheduled article is visible from its
``public_from``), the request's host in absolute URLs
(:func:`clinic.api.documents.for_request`) and putting documents together.
"""

from datetime import datetime

from django.db.models import Max, Q, Sum
from django.http import HttpResponse
from django.utils import timezone

from clinic.api.documents import for_request
from clinic.i18n.completeness import Completeness
from clinic.i18n.languages import language_codes
from clinic.i18n.registry import api_name, translatable_models
from clinic.published.models import Document
from clinic.published.store import kind_of

CONTENT_TYPE = "application/json"


def live(now: datetime | None = None) -> Q:
    """Documents the public may see now."""
    now = now or timezone.now()
    return Q(visible=True) & (Q(public_from__isnull=True) | Q(public_from__lte=now))


def json_response(body: bytes, request) -> HttpResponse:
    return HttpResponse(for_request(body, request), content_type=CONTENT_TYPE)


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
