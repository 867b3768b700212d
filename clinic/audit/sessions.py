"""Staff sessions: idle expiry, ending a user's sessions everywhere, rotation on privilege change.

Sessions are Django's (any ``SESSION_ENGINE``); :class:`~clinic.audit.models.StaffSession`
indexes their keys by user, since a session store cannot be searched by user.

Idle expiry is a middleware rather than ``SESSION_SAVE_EVERY_REQUEST`` with a short
``SESSION_COOKIE_AGE``: that pair would write the session on every request of every page and
lean on the cookie's age, where this checks the server-side time of the last request on each
admin request, and writes it at most once a minute (so the idle limit is exact to a minute).
"""

from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from clinic.audit.context import current_request
from clinic.audit.models import StaffSession
from clinic.audit.services import Event, record

LAST_ACTIVITY_KEY = "_staff_last_activity"
# The last activity is written at most this often (seconds).
ACTIVITY_RESOLUTION = 60


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _now() -> float:
    return timezone.now().timestamp()


def session_track(*, request: HttpRequest, user) -> None:
    """Remember a signed-in session of ``user`` (Django rotated its key at sign-in)."""
    key = request.session.session_key
    request.session[LAST_ACTIVITY_KEY] = _now()
    if key:
        StaffSession.objects.update_or_create(session_key=key, defaults={"user": user})


def session_forget(*, request: HttpRequest) -> None:
    key = request.session.session_key
    if key:
        StaffSession.objects.filter(session_key=key).delete()


def session_rotate(request: HttpRequest) -> None:
    """Give the session of ``request`` a new key, its data kept (a key seen before a gain of
    privilege, such as a second factor given, grants nothing after it)."""
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        StaffSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


@transaction.atomic
def sessions_end(*, user, keep: HttpRequest | None = None) -> int:
    """End every session of ``user`` except the one of ``keep`` (a request); return how many.

    Ended sessions are deleted from the session store: their next request is signed out.
    """
    kept = keep.session.session_key if keep is not None else None
    rows = StaffSession.objects.filter(user=user).exclude(session_key=kept or "")
    keys = list(rows.values_list("session_key", flat=True))
    store = _store()
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def is_own_request(request: HttpRequest | None, user) -> bool:
    """Whether ``request`` is ``user``'s own, signed in with a session (they act on themselves)."""
    return (
        request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
        and request.user.pk == user.pk
        and hasattr(request, "session")
    )


def sessions_after_privilege_change(*, user) -> None:
    """A user's groups, permissions or status changed: a fresh session key, their others ended.

    If they changed their own account, the session of this request gets a new key (a key
    seen before the change grants nothing after it) and stays signed in; every other session
    of theirs ends. If someone else changed it, all of their sessions end.
    """
    request = current_request()
    if is_own_request(request, user):
        session_rotate(request)
        sessions_end(user=user, keep=request)
    else:
        sessions_end(user=user)


class StaffSessionIdleMiddleware:
    """Sign out an admin session unused for longer than ``STAFF_SESSION_IDLE_SECONDS``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = _now()
        last = request.session.get(LAST_ACTIVITY_KEY)
        limit = settings.STAFF_SESSION_IDLE_SECONDS
        if limit and isinstance(last, int | float) and now - last > limit:
            record(event=Event.SESSION_EXPIRED, request=request, actor=request.user)
            session_forget(request=request)
            request.session.flush()
            request.user = AnonymousUser()
            minutes = max(1, round(limit / 60))
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)s minute without activity.",
                    "You were signed out after %(minutes)s minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        elif not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY_KEY] = now
