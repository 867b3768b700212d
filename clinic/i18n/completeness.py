"""How much of each content type is translated: counted in SQL, one query per model and language.

Counted over translatable fields that have a source text (derived slugs are not
counted): *current*, *stale* (the source changed since) and *missing*, as
:func:`clinic.i18n.state.field_status` says.
"""

from collections import Counter
from dataclasses import asdict, dataclass

from django.db import models
from django.db.models import Count

from clinic.i18n.registry import api_name, translatable_fields, translatable_models
from clinic.i18n.state import FieldStatus, field_status_expression


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
    """Completeness of ``model``'s objects (or of ``queryset``) in ``language``.

    Each field of each row is classified once, by
    :func:`~clinic.i18n.state.field_status_expression`; the rows are counted
    by their combination of statuses (a handful of groups), summed here.
    """
    queryset = model._default_manager.all() if queryset is None else queryset
    statuses = {
        f"status_{name}": field_status_expression(model, name, language)
        for name in translatable_fields(model)
    }
    groups = (
        queryset.order_by()
        .annotate(**statuses)
        .values(*statuses)
        .annotate(rows_in_group=Count("pk"))
        .values_list("rows_in_group", *statuses)
    )
    counts = Counter()
    for rows, *severities in groups:
        for severity in severities:
            if severity is not None:
                counts[FieldStatus.from_severity(severity)] += rows
    return Completeness(**{status.value: counts[status] for status in FieldStatus})


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
