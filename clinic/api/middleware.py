"""The language of every API response, negotiated once (see clinic.i18n.negotiation)."""

from django.utils import translation
from django.utils.cache import patch_vary_headers

from clinic.api.errors import json_error, unsupported_language_body
from clinic.i18n.languages import source_language
from clinic.i18n.negotiation import (
    UnsupportedLanguage,
    language_from_accept_header,
    negotiate_language,
)

API_PATHS = ("/api/", "/healthz", "/readyz")


class ApiLanguageMiddleware:
    """Activates the request language for API paths and says it in the response.

    Sets ``request.LANGUAGE_CODE``, ``Content-Language`` and ``Vary:
    Accept-Language``. An unsupported ``?lang=`` is answered with a 400 error
    listing the supported codes, in the ``Accept-Language`` language.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PATHS):
            return self.get_response(request)
        accept = request.headers.get("Accept-Language", "")
        try:
            language = negotiate_language(request.GET.get("lang"), accept)
        except UnsupportedLanguage as exc:
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
