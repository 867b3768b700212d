from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.audit.services import Event, record
from clinic.audit.sessions import sessions_end


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the signed-in user, in every browser, this one included."""
    user = request.user
    count = sessions_end(user=user, keep=request)
    record(event=Event.SESSIONS_ENDED, request=request, target=user, changes={"sessions": count})
    logout(request)
    messages.success(request, _("You are signed out everywhere."))
    return redirect("admin:login")
