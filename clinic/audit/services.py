"""Recording the audit trail: one function, :func:`record`, that every event goes through."""

import ipaddress
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from clinic.audit.context import current_request
from clinic.audit.models import AuditEntry

Event = AuditEntry.Event

# Keys never written into ``changes``, whatever a caller passes.
SECRET_KEYS = frozenset(
    {"password", "password1", "password2", "session_key", "token", "otp", "code"}
)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, by the same rule as the API's throttling (``NUM_PROXIES``).

    With ``NUM_PROXIES`` = 0 it is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored; with
    N proxies it is the N-th address from the right of that header (DRF's rule), so a client
    cannot choose what is recorded. ``None`` when there is no request or no valid address.
    """
    if request is None:
        return None
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address((ident or "").strip()))
    except ValueError:
        return None


def record(
    *,
    event: str,
    request: HttpRequest | None = None,
    actor: models.Model | None = None,
    username: str = "",
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the audit trail.

    ``request`` defaults to the request being handled (if any): it gives the address and,
    unless ``actor`` is given, the actor (the signed-in user). ``username`` is what was typed
    at a sign-in that did not succeed (failures, lockouts: the lockout work calls
    ``record(event=Event.LOCKOUT, request=request, username=...)``).
    """
    if event not in Event.values:
        raise ValueError(f"Unknown audit event {event!r}.")
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    User = get_user_model()
    # A user who deletes their own account is named, but cannot be referred to.
    deleted_self = (
        event == Event.USER_DELETED
        and target is not None
        and actor is not None
        and target.pk == actor.pk
    )
    entry = AuditEntry(
        event=event,
        actor=actor if isinstance(actor, User) and actor.pk and not deleted_self else None,
        actor_username=actor.get_username() if actor is not None else "",
        username=(username or "")[:150],
        address=client_address(request),
        changes={key: value for key, value in (changes or {}).items() if key not in SECRET_KEYS},
    )
    if target is not None:
        entry.target_type = target._meta.model_name
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:200]
    entry.save()
    return entry
