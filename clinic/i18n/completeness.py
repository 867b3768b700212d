"""How much of each content type is translated: counted in SQL, one query per model and language.

Counted over translatable fields that have a source text (derived slugs are not
counted): *current*, *stale* (the source changed since) and *missing*.
"""

from dataclasses import asdict, dataclass

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform

from clinic.i18n.fallback import has_text
from clinic.i18n.languages import source_language
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import api_name, localized, translatable_fields, translatable_models
from clinic.i18n.state import content_type_q


@dataclass(frozen=True)
class Completeness:
    current: int
    stale: int
    missing: int

    @property
    def total(self) -> int:
        return self.current + self.stale + self.missing

    @property
    def percent(self) -> float:
        return round(100 * self.current / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict:
        return {"percent": self.percent, **asdict(self), "total": self.total}


def completeness(
    model: type[models.Model], language: str, queryset: models.QuerySet | None = None
) -> Completeness:
    """Completeness of ``model``'s objects (or of ``queryset``) in ``language``."""
    queryset = model._default_manager.all() if queryset is None else queryset
    fields = translatable_fields(model)
    source = source_language()
    if language == source:
        totals = queryset.aggregate(
            **{name: Count("pk", filter=has_text(localized(name, source))) for name in fields}
        )
        return Completeness(current=sum(totals.values()), stale=0, missing=0)
    states = TranslationState.objects.filter(
        content_type_q(model), object_id=OuterRef("pk"), language=language
    )
    annotations = {
        f"was_{name}": Subquery(
            states.annotate(text=KeyTextTransform(name, "sources")).values("text")[:1]
        )
        for name in fields
    }
    aggregates = {}
    for name in fields:
        has_source = has_text(localized(name, source))
        translated = has_source & has_text(localized(name, language))
        aggregates[f"missing_{name}"] = Count("pk", filter=has_source & ~translated)
        aggregates[f"current_{name}"] = Count(
            "pk", filter=translated & Q(**{f"was_{name}": models.F(localized(name, source))})
        )
        aggregates[f"translated_{name}"] = Count("pk", filter=translated)
    totals = queryset.annotate(**annotations).aggregate(**aggregates)
    current = sum(totals[f"current_{name}"] for name in fields)
    translated = sum(totals[f"translated_{name}"] for name in fields)
    missing = sum(totals[f"missing_{name}"] for name in fields)
    return Completeness(current=current, stale=translated - current, missing=missing)


def completeness_by_type(
    language: str, querysets: dict[type[models.Model], models.QuerySet] | None = None
) -> dict[str, Completeness]:
    """``{"articles": Completeness, "topics": ..., ...}`` for ``language``.

    ``querysets`` restricts a model to some objects (the API counts published
    articles only, so it says nothing about unpublished ones).
    """
    querysets = querysets or {}
    return {
        api_name(model): completeness(model, language, querysets.get(model))
        for model in translatable_models()
    }
