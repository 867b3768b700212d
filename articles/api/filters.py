import re
from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from articles.models import Article
from articles.querysets import localized_name

MAX_QUERY_LENGTH = 200
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
ORDERINGS = {
    "published_at": ("published_at", "id"),
    "-published_at": ("-published_at", "-id"),
    "title": (localized_name("title"), "id"),
    "-title": (f"-{localized_name('title')}", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


class ISODateTimeField(forms.Field):
    """An ISO 8601 date (``2016-04-20``) or date-time (``2016-04-20T09:00:00Z``)."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date (2016-04-20) or date-time (2016-04-20T09:00:00Z).")
    }

    def to_python(self, value: str) -> datetime | None:
        if value in self.empty_values:
            return None
        value = value.strip()
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                parsed = datetime.combine(day, time.min) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, UTC)
        return parsed


@extend_schema_field({"type": "string", "format": "date", "example": "2016-04-20"})
class ISODateTimeFilter(django_filters.Filter):
    field_class = ISODateTimeField


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\x00]*$"})
class SearchFilter(django_filters.CharFilter):
    """Free text; the NUL character is refused (400), as PostgreSQL cannot store it."""


def published_range(filters: "ArticleFilter") -> dict[str, datetime]:
    """The publication-date bounds of valid ``filters``: lookup (``gte``, ``lt``...) → moment."""
    cleaned = filters.form.cleaned_data
    given = {name: cleaned.get(name) for name in ("published_after", "published_before")}
    return {
        lookup.removeprefix("published_at__"): moment
        for lookup, moment in _bounds(given, filters.data).items()
    }


def _bounds(given: dict, data) -> dict[str, datetime]:
    """``published_at`` lookups for the dates given: after is inclusive; a date-only
    ``published_before`` includes that whole day (UTC)."""
    bounds = {}
    if given.get("published_after") is not None:
        bounds["published_at__gte"] = given["published_after"]
    before = given.get("published_before")
    if before is not None:
        if not DATE_ONLY.fullmatch(data.get("published_before", "").strip()):
            bounds["published_at__lte"] = before
        elif before.date() != date.max:  # the last day of the calendar: no bound
            bounds["published_at__lt"] = before + timedelta(days=1)
    return bounds


class ArticleFilter(django_filters.FilterSet):
    """Filters of the article list; every one is validated (a bad value is a 400)."""

    topic = django_filters.CharFilter(
        method="filter_topic", help_text="A topic slug, in any language."
    )
    published_after = ISODateTimeFilter(
        method="filter_published_after",
        help_text="Published on or after this ISO date or date-time (UTC).",
    )
    published_before = ISODateTimeFilter(
        method="filter_published_before",
        help_text="Published on or before this ISO date (the whole day, UTC) or date-time.",
    )
    q = SearchFilter(
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Search in the request language (title, summary, body).",
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS],
        help_text="Default: -published_at (newest first); with q, best match first.",
    )

    class Meta:
        model = Article
        fields = []

    @property
    def language(self) -> str:
        return self.request.LANGUAGE_CODE

    def filter_topic(self, queryset, name, value):
        return queryset.with_topic(value)

    def filter_published_after(self, queryset, name, value):
        return queryset.filter(**_bounds({"published_after": value}, self.data))

    def filter_published_before(self, queryset, name, value):
        return queryset.filter(**_bounds({"published_before": value}, self.data))

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.search(self.language, value.strip())

    def filter_ordering(self, queryset, name, value):
        if value.lstrip("-") == "title":
            queryset = queryset.localized(self.language, "title")
        return queryset.order_by(*ORDERINGS[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return queryset
        if "search_rank" in queryset.query.annotations:
            # The date as copied into the search document: the same value, but
            # the database sorts the matches without reading their articles.
            ranked = queryset.order_by("-search_rank", "-search_published_at", "-id")
            others = {name for name, value in self.form.cleaned_data.items() if value}
            if others == {"q"}:
                return ranked.ranked_search_only(self.language, self.form.cleaned_data["q"].strip())
            return ranked
        return queryset.order_by(*ORDERINGS["-published_at"])
