"""Page numbers for API lists, with the total counted once per content version."""

import functools

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import pagination

from clinic.api.errors import ApiError
from clinic.api.response_cache import timeout_within, versioned_key
from clinic.content_version import current_version

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


class CachedCountPaginator(Paginator):
    """Django's paginator, with the total kept in the cache under ``count_key``.

    An exact ``COUNT(*)`` reads every matching row, so it grows with the
    table; the key holds the content version (see :func:`count_key`), so a
    count is never served after a change or a scheduled article going live.
    """

    def __init__(self, *args, count_key: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return super().count
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            timeout = timeout_within(current_version(), settings.API_COUNT_CACHE_SECONDS)
            cache.set(self.count_key, count, timeout=timeout)
        return count


def count_key(request) -> str | None:
    """The count's key: the list's path, filters and language (not the page) in this version."""
    if settings.API_COUNT_CACHE_SECONDS <= 0:
        return None
    ignore = frozenset({"page", "page_size", "ordering"})
    return versioned_key("api-count", request, current_version(), ignore)


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1 to 100, default 20); anything else is a 400.

    A page past the end is a 404. The total is counted once per content version
    and list (:class:`CachedCountPaginator`).
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

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request, "page")
        self.django_paginator_class = functools.partial(
            CachedCountPaginator, count_key=count_key(request)
        )
        return super().paginate_queryset(queryset, request, view)
