"""The request being handled, for receivers of model signals that Django calls without one.

Changes to users, groups and permissions are signalled by the models (``post_save``,
``m2m_changed``), which do not know who made them or from where. The middleware binds the
request for its duration; outside a request (a management command, a shell) there is none
and entries name no actor and no address.
"""

from contextvars import ContextVar

from django.http import HttpRequest

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


class RequestContextMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
