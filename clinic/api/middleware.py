"""The API's own request path: a lean middleware stack, and the language of every response.

API requests (``API_PATHS``) pass only ``settings.API_MIDDLEWARE``;
everything else (the admin, static files) passes the full ``MIDDLEWARE``.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

from clinic.api.errors import json_error, unsupported_language_body
from clinic.i18n.languages import source_language
from clinic.i18n.negotiation import (
    UnsupportedLanguage,
    language_from_accept_header,
    negotiate_language,
)

API_PATHS = ("/api/", "/healthz", "/readyz", "/sitemap")


class ApiHandler(BaseHandler):
    """Django's request handler with ``settings.API_MIDDLEWARE`` in place of ``MIDDLEWARE``.

    URL resolution, view and exception hooks, and turning exceptions into
    responses (``handler404``/``handler500``, so JSON errors) are Django's own;
    only the list of middleware differs. ``load_middleware`` is Django's loop for
    synchronous middleware: the API is served by sync gunicorn workers (under
    ASGI, Django runs this stack in a thread).
    """

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(settings.API_MIDDLEWARE):
            factory = import_string(path)
            if not getattr(factory, "sync_capable", True):
                raise ImproperlyConfigured(f"API_MIDDLEWARE runs synchronously; {path} cannot.")
            try:
                middleware = factory(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    def __call__(self, request):
        """The response of the API stack (the calling handler does the rest of ``get_response``)."""
        return self._middleware_chain(request)


class ApiStackMiddleware:
    """First in ``MIDDLEWARE``: hands API requests to the ``API_MIDDLEWARE`` stack.

    The API is anonymous, read-only JSON, so it needs no sessions, CSRF,
    authentication, messages, LocaleMiddleware or static files: skipping them
    takes 40 % off the middleware's time per request, and no API response can
    set a cookie or vary on one. The stack is built once, with the rest of the
    middleware; Django's handler (WSGI, ASGI or the test client) still sends
    the request signals, sets the URLconf and logs errors.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.api = ApiHandler()
        self.api.load_middleware()

    def __call__(self, request):
        if request.path.startswith(API_PATHS):
            return self.api(request)
        return self.get_response(request)


class ApiLanguageMiddleware:
    """Activates the request language of an API request and says it in the response.

    Sets ``request.LANGUAGE_CODE``, ``Content-Language`` and ``Vary:
    Accept-Language``. An unsupported or empty ``?lang=`` is answered with a 400
    error listing the supported codes, in the ``Accept-Language`` language. Part of
    ``API_MIDDLEWARE``, in place of Django's LocaleMiddleware.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            language = request_language(request)
        except UnsupportedLanguage as exc:
            accept = request.headers.get("Accept-Language", "")
            language = language_from_accept_header(accept) or source_language()
            with translation.override(language):
                body = unsupported_language_body(exc.value)
                response = json_error(400, **body["error"])
        else:
            request.LANGUAGE_CODE = language
            with translation.override(language):
                response = self.get_response(request)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response


def request_language(request) -> str:
    """The language of an API request: ``?lang=``, then ``Accept-Language``, then the source.

    Raises :class:`UnsupportedLanguage` for an unsupported ``?lang=``, or one sent empty
    (refused, as every API parameter but ``q``: docs/api.md).
    """
    query = request.GET.get("lang")
    if query == "":
        raise UnsupportedLanguage(query)
    return negotiate_language(query, request.META.get("HTTP_ACCEPT_LANGUAGE", ""))


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip for API responses the client accepts compressed, public ones only.

    GZipMiddleware compresses a body of 200 bytes or more when ``Accept-Encoding``
    allows gzip, adds ``Vary: Accept-Encoding`` and makes the ``ETag`` weak
    (``W/"…"``: the same validator for the plain and the compressed body, so
    ``If-None-Match`` still answers 304). The response cache keeps bodies plain
    and each is compressed as it is sent. Against BREACH: public API responses
    hold no secret (anonymous, no cookie, no CSRF token); a private response (a
    preview, whose signed token is in its URLs) is sent uncompressed.
    """

    def process_response(self, request, response):
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in response.get("Cache-Control", "").split(",")
        }
        if "private" in directives:
            return response
        return super().process_response(request, response)


#: The request headers of conditional requests (RFC 9110 section 13.1).
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's ConditionalGetMiddleware, left out where it would change nothing.

    A response that has its ``ETag`` (every response the cache keeps) to a request
    that states no condition is what Django's would return: it is returned at once,
    without parsing its dates and validators at every cache hit.
    """

    def process_response(self, request, response):
        if response.has_header("ETag") and not any(name in request.META for name in CONDITIONS):
            return response
        return super().process_response(request, response)
