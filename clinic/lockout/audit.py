"""Lockouts in the audit trail: each sign-in refused by a lockout, and the one that started it."""

from clinic.audit.models import AuditEntry
from clinic.audit.services import record


def record_lockout(sender, request, username: str = "", **kwargs) -> None:
    """django-axes' ``user_locked_out``: the username typed; ``record`` reads the address."""
    record(event=AuditEntry.Event.LOCKOUT, request=request, username=username or "")
