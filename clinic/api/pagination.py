"""Page numbers for API lists, with the total counted once until the list changes."""

import functools
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import pagination

from clinic.api.documents import render
from clinic.api.errors import ApiError
from clinic.api.response_cache import current_entry, keep, request_key
from clinic.published.freshness import clock

MAX_PAGE_SIZE = 100


def _positive_int(request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = (
            _("an integer from 1 to %(maximum)d") % {"maximum": maximum}
            if maximum
            else _("a positive integer")
        )
        raise ApiError(
            400,
            "invalid_parameters",
            _("Some parameters are invalid."),
            {name: [_("Must be %(limit)s.") % {"limit": limit}]},
        )
    return value


class Totals:
    """A list's total and when it last changed, counted once until what they count changes.

    An exact ``COUNT(*)`` reads every matching row, so it grows with the table:
    the figures are kept in the cache under ``key`` with the ``tags`` of what
    they count (:mod:`clinic.api.response_cache`); ``key`` ``None``: counted
    every time. ``compute()`` returns ``(count, last_modified)``.
    """

    def __init__(self, compute, *, key: str | None = None, tags: tuple[str, ...] = ()) -> None:
        self.compute, self.key, self.tags = compute, key, tags

    @cached_property
    def figures(self) -> tuple[int, datetime | None]:
        if self.key is None:
            return self.compute()
        entry = current_entry(self.key)
        if entry is not None:
            return entry["figures"]
        seq = clock.now()
        figures = self.compute()
        keep(
            self.key,
            {"figures": figures},
            seq=seq,
            tags=self.tags,
            seconds=settings.API_COUNT_CACHE_SECONDS,
        )
        return figures


class TotalsPaginator(Paginator):
    """Django's paginator, with the total from :class:`Totals`."""

    def __init__(self, *args, totals: Totals | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.totals = totals

    @cached_property
    def count(self) -> int:
        return super().count if self.totals is None else self.totals.figures[0]


class Rows:
    """A list read a window at a time: ``rows[bottom:top]`` is ``read(bottom, top - bottom)``
    (offset, limit), as a queryset's slice would be; its length is counted elsewhere
    (:class:`Totals`)."""

    def __init__(self, read: Callable[[int, int], list]) -> None:
        self.read = read

    def __getitem__(self, window: slice) -> list:
        return self.read(window.start, window.stop - window.start)


def totals_key(request) -> str | None:
    """The totals' key: the list's path, filters and language (not the page)."""
    if settings.API_COUNT_CACHE_SECONDS <= 0:
        return None
    ignored = frozenset({"page", "page_size", "ordering"})
    return request_key("api-count", request, request.LANGUAGE_CODE, ignored)


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1 to 100, default 20); anything else is a 400.

    A page past the end is a 404. Give ``totals`` to count once until the
    list changes (:class:`Totals`); with them, the list may be :class:`Rows`
    (a written-out query that reads only the page asked for).
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return _positive_int(request, "page_size", maximum=MAX_PAGE_SIZE) or self.page_size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """The documented bounds: ``page`` from 1, ``page_size`` from 1 to 100."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": MAX_PAGE_SIZE},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def paginate_queryset(self, queryset, request, view=None, *, totals: Totals | None = None):
        _positive_int(request, "page")
        self.django_paginator_class = functools.partial(TotalsPaginator, totals=totals)
        return super().paginate_queryset(queryset, request, view)

    def page_body(self, results: list[bytes]) -> bytes:
        """The page as JSON: ``count``, ``next``, ``previous`` and ``results`` (JSON each)."""
        envelope = render(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": [],
            }
        )
        assert envelope.endswith(b"[]}")
        return envelope[:-3] + b"[" + b",".join(results) + b"]}"
