"""What a locked-out sign-in sees: the sign-in form, refused, and for how long."""

import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext


def lockout_message() -> str:
    """The refusal, the same whether the username exists or not (nothing about the account)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return ngettext(
        "Too many failed sign-in attempts for this username or from this address. "
        "Signing in is blocked for %(minutes)d minute after the last attempt; "
        "an administrator can lift the block sooner.",
        "Too many failed sign-in attempts for this username or from this address. "
        "Signing in is blocked for %(minutes)d minutes after the last attempt; "
        "an administrator can lift the block sooner.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the admin's sign-in page with the refusal, status 429.

    ``Retry-After`` is the whole cool-off: each further failure starts it again.
    """
    context = {
        **admin.site.each_context(request),
        "title": gettext("Signing in is blocked"),
        "form": AdminAuthenticationForm(request),
        "app_path": request.get_full_path(),
        "next": request.POST.get("next", ""),
        "lockout_message": lockout_message(),
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(math.ceil(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
