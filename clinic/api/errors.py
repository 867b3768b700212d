"""Every API error as JSON: ``{"error": {"code", "message", "details"}}``.

Messages are gettext strings, so they come in the language of the request.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clinic.i18n.languages import language_codes
from clinic.rendering import dumps

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details: object = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def unsupported_language_body(value: str) -> dict:
    return error_body(
        "unsupported_language",
        _("The language “%(value)s” is not supported.") % {"value": value[:50]},
        {"supported": language_codes()},
    )


def _describe(exc: Exception) -> tuple[str, str, object]:
    """The code, message and details of an exception DRF turned into a response."""
    if isinstance(exc, Http404 | exceptions.NotFound):
        return "not_found", _("Not found."), None
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed", _("This method is not allowed here."), None
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable", _("This API only serves JSON (application/json)."), None
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return (
            "throttled",
            ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait},
            {"retry_after": wait},
        )
    if isinstance(exc, exceptions.ValidationError):
        return "invalid_parameters", _("Some parameters are invalid."), exc.detail
    if isinstance(exc, exceptions.ParseError):
        return "bad_request", _("The request could not be read."), None
    if isinstance(exc, exceptions.PermissionDenied | exceptions.NotAuthenticated):
        return "forbidden", _("You are not allowed to do this."), None
    return "error", str(getattr(exc, "detail", "")), None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (status codes, ``Retry-After``), with our JSON body."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = error_body(exc.code, str(exc.detail), exc.details)
        return response
    code, message, details = _describe(exc)
    response.data = error_body(code, message, details)
    return response


class ApiError(exceptions.APIException):
    """An error with our own code and details (``raise ApiError(400, "code", msg, details)``)."""

    def __init__(self, status_code: int, code: str, message: str, details: object = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.details = details


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database cannot serve now (down, restarting, unreachable, busy).

    Such a request is answered 503 with ``Retry-After`` (or, for the API, a stale
    cached response), never 500: trying again later is what the client should do.
    """
    return isinstance(exc, OperationalError | InterfaceError)


class DatabaseUnavailable(ApiError):
    """503 with ``Retry-After`` (``API_RETRY_AFTER_SECONDS``): the database cannot be reached."""

    def __init__(self) -> None:
        self.wait = settings.API_RETRY_AFTER_SECONDS  # DRF's handler sends it as Retry-After
        super().__init__(503, "unavailable", *unavailable_message(self.wait))


def unavailable_message(seconds: int) -> tuple[str, dict]:
    message = ngettext(
        "The service is briefly unavailable. Please try again in %(seconds)d second.",
        "The service is briefly unavailable. Please try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
    return message, {"retry_after": seconds}


def retry_later(response: HttpResponse) -> HttpResponse:
    """A 503 answered outside DRF: ``Retry-After`` (``API_RETRY_AFTER_SECONDS``), kept nowhere."""
    response["Retry-After"] = str(settings.API_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def json_error(status_code: int, code: str, message: str, details: object = None) -> HttpResponse:
    """An error answered outside DRF's views (middleware, Django's 404/500 handlers)."""
    return HttpResponse(
        dumps(error_body(code, message, details)),
        status=status_code,
        content_type="application/json",
    )


def not_found(request, exception=None) -> HttpResponse:
    return json_error(status.HTTP_404_NOT_FOUND, "not_found", _("Not found."))


def server_error(request, exception: BaseException | None = None) -> HttpResponse:
    """500, or 503 with ``Retry-After`` when ``exception`` says the database is unavailable."""
    if database_unavailable(exception):
        seconds = settings.API_RETRY_AFTER_SECONDS
        return retry_later(
            json_error(
                status.HTTP_503_SERVICE_UNAVAILABLE, "unavailable", *unavailable_message(seconds)
            )
        )
    return json_error(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "server_error",
        _("Something went wrong on our side. Please try again later."),
    )
