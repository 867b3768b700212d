"""Change events (the outbox), webhook endpoints, their deliveries and every attempt."""

import base64
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Bytes of a generated signing secret (Standard Webhooks: 24 to 64).
SECRET_BYTES = 32
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A random signing secret in the Standard Webhooks form: ``whsec_`` + base64 of its bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_bytes(secret: str) -> bytes:
    """The key of a ``whsec_…`` secret (``ValueError`` if it is not one)."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("no whsec_ prefix")
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    if not 24 <= len(key) <= 64:
        raise ValueError("key length")
    return key


def validate_secret(value: str) -> None:
    try:
        secret_bytes(value)
    except ValueError as exc:
        raise ValidationError(
            _(
                "A secret is whsec_ followed by the base64 of 24 to 64 random bytes; "
                "leave the generated one unless the receiver gave you one."
            ),
            code="secret",
        ) from exc


class Event(models.Model):
    """A change of one public object in one language, written in the transaction of the change.

    An article scheduled for later has its ``published`` event written when it is
    scheduled, ``scheduled`` until ``occurred_at``, then emitted by a task that runs
    at that time; a later change of the article cancels it (and schedules a new one).
    """

    class Type(models.TextChoices):
        PUBLISHED = "published", _("published")
        UPDATED = "updated", _("updated")
        UNPUBLISHED = "unpublished", _("unpublished")
        DELETED = "deleted", _("deleted")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        EMITTED = "emitted", _("emitted")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10)
    slug = models.CharField(_("slug"), max_length=255, blank=True, default="")
    api_url = models.CharField(_("API URL"), max_length=2000)
    #: When the change took effect (a scheduled article: the time it goes live).
    occurred_at = models.DateTimeField(_("occurred at"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["-occurred_at", "-created_at"]
        indexes = [
            models.Index(fields=["kind", "object_id", "language", "state"], name="events_object"),
            models.Index(fields=["-occurred_at"], name="events_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language}) {self.type}"

    def payload(self) -> dict:
        """The JSON body a webhook receives: what changed and where to read it, nothing more."""
        return {
            "id": str(self.id),
            "type": self.type,
            "kind": self.kind,
            "object_id": self.object_id,
            "language": self.language,
            "slug": self.slug,
            "api_url": self.api_url,
            "occurred_at": self.occurred_at.isoformat().replace("+00:00", "Z"),
        }


def validate_http_url(value: str) -> None:
    URLValidator(schemes=["http", "https"], message=_("Enter an http:// or https:// URL."))(value)


class Endpoint(models.Model):
    """Where change events are delivered, signed with ``secret``; empty filters take all."""

    name = models.CharField(_("name"), max_length=200)
    url = models.CharField(
        _("URL"),
        max_length=2000,
        validators=[validate_http_url],
        help_text=_("An http:// or https:// URL receiving a POST for each event."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        default=new_secret,
        validators=[validate_secret],
        help_text=_("Shared with the receiver, which verifies each signature with it."),
    )
    event_types = models.JSONField(
        _("event types"), default=list, blank=True, help_text=_("None chosen: every type.")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("None chosen: every language.")
    )
    kinds = models.JSONField(
        _("kinds of content"), default=list, blank=True, help_text=_("None chosen: every kind.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: Event) -> bool:
        """Whether ``event`` passes this endpoint's filters."""
        return (
            (not self.event_types or event.type in self.event_types)
            and (not self.languages or event.language in self.languages)
            and (not self.kinds or event.kind in self.kinds)
        )


class Delivery(models.Model):
    """One event to one endpoint: attempted until it succeeds or its attempts run out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    #: Attempts made before the last re-send: a re-send gets a full set of retries.
    attempts_before_resend = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    #: The task allowed to attempt it: a re-send or a retry replaces it, so no two run.
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="events_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class Attempt(models.Model):
    """One request of a delivery: when, the answer's status (if any) and how long it took."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("delivery")
    )
    number = models.PositiveIntegerField(_("number"))
    started_at = models.DateTimeField(_("started at"))
    status_code = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    error = models.TextField(_("error"), blank=True, default="")

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery} #{self.number}"
