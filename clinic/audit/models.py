from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One security-relevant event: who did what, when, from where.

    Entries are only ever added (:func:`clinic.audit.services.record`); the admin shows them
    read-only to superusers, and the model has no add, change or delete permission to give.
    ``changes`` holds the structured detail and never a password, hash or session key.
    """

    class Event(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("sign-in failed")
        LOCKOUT = "lockout", _("locked out")
        LOGOUT = "logout", _("signed out")
        SESSION_EXPIRED = "session_expired", _("session expired")
        SESSIONS_ENDED = "sessions_ended", _("signed out everywhere")
        USER_CREATED = "user_created", _("user created")
        USER_CHANGED = "user_changed", _("user changed")
        USER_DELETED = "user_deleted", _("user deleted")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        USER_GROUPS_CHANGED = "user_groups_changed", _("user's groups changed")
        USER_PERMISSIONS_CHANGED = "user_permissions_changed", _("user's permissions changed")
        GROUP_CREATED = "group_created", _("group created")
        GROUP_CHANGED = "group_changed", _("group changed")
        GROUP_DELETED = "group_deleted", _("group deleted")
        GROUP_PERMISSIONS_CHANGED = "group_permissions_changed", _("group's permissions changed")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("two-factor sign-in set up")
        TWO_FACTOR_VERIFIED = "two_factor_verified", _("second factor accepted")
        TWO_FACTOR_FAILED = "two_factor_failed", _("second factor refused")
        RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("recovery codes renewed")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-factor sign-in reset")

    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The signed-in user who acted; empty for a command or an anonymous visitor."),
    )
    actor_username = models.CharField(
        _("who (username)"),
        max_length=150,
        blank=True,
        help_text=_("The actor's username when it happened, kept after the account is deleted."),
    )
    username = models.CharField(
        _("username tried"),
        max_length=150,
        blank=True,
        help_text=_("For sign-in failures and lockouts: the username that was typed."),
    )
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    target_type = models.CharField(_("object type"), max_length=20, blank=True)
    target_id = models.CharField(_("object ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("what"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M:%S} {self.get_event_display()}"


class StaffSession(models.Model):
    """A session a user signed in with, so that it can be ended from elsewhere.

    Django's session stores cannot be searched by user; this index of keys can. A key whose
    session already expired is harmless: ending it deletes nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("staff session")
        verbose_name_plural = _("staff sessions")
        default_permissions = ()

    def __str__(self) -> str:
        return self.session_key[:8]
