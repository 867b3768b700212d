import functools
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field

from articles.models import Article
from articles.querysets import localized_name

MAX_QUERY_LENGTH = 200
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
#: An RFC 3339 date-time (the OpenAPI ``date-time`` format): seconds and an offset required.
DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt](?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})"
    r"(?:\.(?P<fraction>\d+))?(?:[Zz]|(?P<sign>[+-])(?P<offset_hours>\d{2}):(?P<offset_minutes>\d{2}))",
    re.ASCII,
)
#: Parameters that may be given empty (``q=``: a blank search is ignored); any other
#: empty parameter is a 400, as the schema says (a value is required when one is sent).
MAY_BE_EMPTY = frozenset({"q"})
ORDERINGS = {
    "published_at": ("published_at", "id"),
    "-published_at": ("-published_at", "-id"),
    "title": (localized_name("title"), "id"),
    "-title": (f"-{localized_name('title')}", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


def parse_moment(value: str) -> datetime | None:
    """The UTC moment of an ISO date (its 00:00 UTC) or RFC 3339 date-time; None if neither."""
    try:
        if DATE_ONLY.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
        match = DATE_TIME.fullmatch(value)
        if match is None:
            return None
        parts = match.groupdict()
        sign = -1 if parts["sign"] == "-" else 1
        offset = timedelta(
            hours=int(parts["offset_hours"] or 0), minutes=int(parts["offset_minutes"] or 0)
        )
        moment = datetime.combine(
            date.fromisoformat(parts["date"]),
            time(
                int(parts["hour"]),
                int(parts["minute"]),
                int(parts["second"]),
                int((parts["fraction"] or "0")[:6].ljust(6, "0")),
            ),
            tzinfo=timezone(sign * offset),
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # no such day or time, or past the calendar's ends
        return None


class ISODateTimeField(forms.Field):
    """An ISO 8601 date (``2016-04-20``) or RFC 3339 date-time (``2016-04-20T09:00:00Z``)."""

    default_error_messages = {
        "invalid": _(
            "Enter a date (2016-04-20) or a date-time with seconds and a UTC offset "
            "(2016-04-20T09:00:00Z, 2016-04-20T12:00:00+03:00)."
        )
    }

    def to_python(self, value: str | None) -> datetime | None:
        if value is None or value == "":
            return None  # absent; an empty value is refused by ArticleFilterForm
        moment = parse_moment(value)
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "date-time", "example": "2016-04-20T09:00:00Z"},
            {"type": "string", "format": "date", "example": "2016-04-20"},
        ]
    }
)
class ISODateTimeFilter(django_filters.Filter):
    field_class = ISODateTimeField


@extend_schema_field({"type": "string", "minLength": 1, "pattern": "^[^\\x00]*$"})
class TopicFilter(django_filters.CharFilter):
    """A topic slug; sent empty (ArticleFilterForm) or with a NUL character, it is a 400."""


class ArticleFilterForm(forms.Form):
    """Refuses a parameter sent empty (``?topic=``), except those in ``MAY_BE_EMPTY``."""

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.fields:
            if name not in MAY_BE_EMPTY and self.data.get(name) == "":
                self.add_error(
                    name, forms.ValidationError(_("Give a value or leave this parameter out."))
                )
        return cleaned


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\x00]*$"})
class SearchFilter(django_filters.CharFilter):
    """Free text; the NUL character is refused (400), as PostgreSQL cannot store it."""


def published_range(cleaned: dict, data) -> dict[str, datetime]:
    """The publication-date bounds of the filters ``data`` gives (``cleaned``: validated,
    :func:`cleaned_filters`): lookup (``gte``, ``lt``...) → moment."""
    given = {name: cleaned.get(name) for name in ("published_after", "published_before")}
    return {
        lookup.removeprefix("published_at__"): moment
        for lookup, moment in _bounds(given, data).items()
    }


def _bounds(given: dict, data) -> dict[str, datetime]:
    """``published_at`` lookups for the dates given: after is inclusive; a date-only
    ``published_before`` includes that whole day (UTC)."""
    bounds = {}
    if given.get("published_after") is not None:
        bounds["published_at__gte"] = given["published_after"]
    before = given.get("published_before")
    if before is not None:
        if not DATE_ONLY.fullmatch(data.get("published_before", "")):
            bounds["published_at__lte"] = before
        elif before.date() != date.max:  # the last day of the calendar: no bound
            bounds["published_at__lt"] = before + timedelta(days=1)
    return bounds


class ArticleFilter(django_filters.FilterSet):
    """Filters of the article list; every one is validated (a bad value is a 400)."""

    topic = TopicFilter(method="filter_topic", help_text="A topic slug, in any language.")
    published_after = ISODateTimeFilter(
        method="filter_published_after",
        help_text="Published at or after this moment: a date (from 00:00 UTC) or an RFC 3339 "
        "date-time with its UTC offset.",
    )
    published_before = ISODateTimeFilter(
        method="filter_published_before",
        help_text="Published at or before this moment: a date (the whole day, UTC) or an "
        "RFC 3339 date-time with its UTC offset.",
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
        form = ArticleFilterForm

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


def cleaned_filters(data) -> dict:
    """The values of the filters in ``data`` (query parameters), validated by the filters'
    own form; a bad value raises the 400 the FilterSet raises.

    Without any filter parameter there is nothing to validate: ``{}`` (every filter
    absent). Parameters that are no filter are ignored, as the FilterSet does.
    """
    if not any(name in data for name in ArticleFilter.base_filters):
        return {}
    form = _form_class()(data)
    if not form.is_valid():
        raise translate_validation(form.errors)
    return form.cleaned_data


@functools.cache
def _form_class() -> type[forms.Form]:
    """The form a FilterSet validates with, built once (a FilterSet builds it and its fields
    anew each time; forms copy their fields per instance)."""
    return ArticleFilter(queryset=Article.objects.none()).get_form_class()
