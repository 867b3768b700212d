"""The client address that lockouts count, read as the API's throttling reads it."""

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """The address of the client behind ``NUM_PROXIES`` proxies (``AXES_CLIENT_IP_CALLABLE``).

    One rule for the API's throttling and the admin's lockout: DRF's ``get_ident`` trusts
    exactly ``NUM_PROXIES`` hops of ``X-Forwarded-For`` (0: ``REMOTE_ADDR``), so an address
    forged in the header by the client never starts a fresh count.
    """
    return BaseThrottle().get_ident(request)
