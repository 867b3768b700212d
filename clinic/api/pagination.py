from django.utils.translation import gettext as _
from rest_framework import pagination

from clinic.api.errors import ApiError

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


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1 to 100, default 20); anything else is a 400.

    A page past the end is a 404.
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
        return super().paginate_queryset(queryset, request, view)
