"""Webhook deliveries: signed (Standard Webhooks), attempted by tasks, retried with backoff.

Each delivery of an event to an endpoint is a POST of the event's JSON payload with
the headers of the Standard Webhooks specification (https://www.standardwebhooks.com/):
``webhook-id`` (the event's id: the same on every retry and re-send, so receivers can
drop duplicates), ``webhook-timestamp`` (Unix seconds of this attempt) and
``webhook-signature`` (``v1,`` + base64 of HMAC-SHA256 of ``id.timestamp.body`` with the
endpoint's secret), signed with the ``standardwebhooks`` reference library.

Outgoing requests time out (``WEBHOOK_TIMEOUT_SECONDS``), follow no redirect (a 3xx
is a failed attempt), go to http(s) URLs only and, unless
``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``, only to public addresses: every address the host
name resolves to is checked, and the request connects to one of those checked
addresses, so DNS cannot switch it to an internal one in between (SSRF).

A failed attempt is retried after ``WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1)`` (at most
``WEBHOOK_RETRY_MAX_SECONDS``) until ``WEBHOOK_MAX_ATTEMPTS``; then the delivery has
failed, and can be re-sent from the admin.
"""

import ipaddress
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook
from urllib3.util import connection as urllib3_connection

from clinic.events import tasks
from clinic.events.models import Attempt, Delivery, Endpoint, Event, secret_bytes
from clinic.rendering import dumps

logger = logging.getLogger(__name__)

USER_AGENT = "clinic-content-api-webhooks/1"


def deliveries_create(events: list[Event]) -> list[Delivery]:
    """Deliveries of ``events`` to the active endpoints that want them, enqueued (in the
    transaction of the caller)."""
    if not events:
        return []
    endpoints = list(Endpoint.objects.filter(active=True))
    deliveries = [
        Delivery(event=event, endpoint=endpoint)
        for event in events
        for endpoint in endpoints
        if endpoint.wants(event)
    ]
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        _enqueue(delivery, None)
    return deliveries


def emit_later(event: Event) -> None:
    """Enqueue the emission of a scheduled event at its ``occurred_at``."""
    tasks.emit.using(run_after=event.occurred_at).enqueue(str(event.pk))


def _enqueue(delivery: Delivery, at: datetime | None) -> None:
    task = tasks.deliver.using(run_after=at) if at else tasks.deliver
    task.enqueue(delivery.pk, str(delivery.token))


def delivery_resend(delivery: Delivery) -> None:
    """Attempt ``delivery`` again now, with a full set of retries (the admin's re-send)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.status = Delivery.Status.PENDING
        delivery.token = uuid.uuid4()  # any retry still waiting will not run
        delivery.next_attempt_at = timezone.now()
        delivery.attempts_before_resend = delivery.attempt_count
        delivery.save(
            update_fields=[
                "status",
                "token",
                "next_attempt_at",
                "attempts_before_resend",
                "updated_at",
            ]
        )
        _enqueue(delivery, None)


def retry_delay(failed_attempts: int) -> float:
    """Seconds before the attempt after ``failed_attempts`` failures (exponential backoff)."""
    delay = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (failed_attempts - 1)
    return min(delay, settings.WEBHOOK_RETRY_MAX_SECONDS)


def delivery_attempt(*, delivery_id: int, token: str) -> str:
    """Send one attempt of a delivery, record it, and schedule the next one if it failed.

    Runs only while ``token`` is the delivery's (a re-send or a newer retry replaces
    it), and while it is pending. The request is made outside any transaction; the
    attempt, the delivery's new state and its retry are written together.
    """
    delivery = (
        Delivery.objects.select_related("event", "endpoint")
        .filter(pk=delivery_id, token=token, status=Delivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return "superseded"
    started = timezone.now()
    outcome = send(delivery.endpoint, delivery.event, started)
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().filter(pk=delivery.pk, token=token).first()
        if locked is None:
            return "superseded"
        locked.attempt_count += 1
        Attempt.objects.create(
            delivery=locked,
            number=locked.attempt_count,
            started_at=started,
            status_code=outcome.status_code,
            response_ms=outcome.response_ms,
            succeeded=outcome.succeeded,
            error=outcome.error,
        )
        if outcome.succeeded:
            locked.status, locked.next_attempt_at = Delivery.Status.SUCCEEDED, None
        elif locked.attempt_count - locked.attempts_before_resend >= settings.WEBHOOK_MAX_ATTEMPTS:
            locked.status, locked.next_attempt_at = Delivery.Status.FAILED, None
        else:
            locked.token = uuid.uuid4()
            locked.next_attempt_at = timezone.now() + timedelta(
                seconds=retry_delay(locked.attempt_count - locked.attempts_before_resend)
            )
            _enqueue(locked, locked.next_attempt_at)
        locked.save()
    logger.info(
        "webhook delivery %s attempt %s: %s",
        locked.pk,
        locked.attempt_count,
        outcome.status_code or outcome.error,
        extra={"endpoint": locked.endpoint_id, "event": str(locked.event_id)},
    )
    return locked.status


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    status_code: int | None = None
    response_ms: int | None = None
    error: str = ""


def signed_request(endpoint: Endpoint, event: Event, at: datetime) -> tuple[bytes, dict]:
    """The body and headers of a delivery of ``event`` to ``endpoint`` attempted ``at``."""
    body = dumps(event.payload())
    msg_id = str(event.pk)
    signature = Webhook(secret_bytes(endpoint.secret)).sign(msg_id, at, body.decode())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
    return body, headers


def send(endpoint: Endpoint, event: Event, at: datetime) -> Outcome:
    """POST ``event`` to ``endpoint``: success is a 2xx answer within the timeout."""
    try:
        body, headers = signed_request(endpoint, event, at)
    except ValueError:
        return Outcome(False, error=_("The endpoint's signing secret is not valid."))
    try:
        addresses = destination_addresses(endpoint.url)
    except RefusedDestination as exc:
        return Outcome(False, error=str(exc))
    started = time.monotonic()
    try:
        with _connecting_to(addresses):
            response = requests.post(
                endpoint.url,
                data=body,
                headers=headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
            response.close()
    except requests.Timeout:
        return Outcome(
            False,
            error=_("No answer within %(seconds)s s.")
            % {"seconds": settings.WEBHOOK_TIMEOUT_SECONDS},
        )
    except requests.RequestException as exc:
        return Outcome(False, error=_("Request failed: %(error)s") % {"error": exc})
    elapsed = round((time.monotonic() - started) * 1000)
    ok = 200 <= response.status_code < 300
    error = "" if ok else _("The endpoint answered %(status)s.") % {"status": response.status_code}
    return Outcome(ok, response.status_code, elapsed, error)


class RefusedDestination(Exception):
    """A webhook URL this service will not send to."""


def destination_addresses(url: str) -> list[str]:
    """The addresses ``url``'s host resolves to, checked (``RefusedDestination`` otherwise)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination(_("Only http:// and https:// URLs are allowed."))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedDestination(
            _("The host %(host)s could not be resolved.") % {"host": parts.hostname}
        ) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise RefusedDestination(
                    _(
                        "The host %(host)s resolves to %(address)s, a private or reserved "
                        "address; set WEBHOOK_ALLOW_PRIVATE_ADDRESSES to allow it."
                    )
                    % {"host": parts.hostname, "address": address}
                )
    return addresses


#: Addresses a delivery in this context may connect to (checked by destination_addresses).
_pinned: ContextVar[list[str] | None] = ContextVar("webhook_pinned", default=None)
_create_connection = urllib3_connection.create_connection


def _pinned_create_connection(address, *args, **kwargs):
    """urllib3's connect, to a checked address when a delivery pinned them (see module doc)."""
    pinned = _pinned.get()
    if pinned is None:
        return _create_connection(address, *args, **kwargs)
    host, port = address
    error = None
    for ip in pinned:
        try:
            return _create_connection((ip, port), *args, **kwargs)
        except OSError as exc:
            error = exc
    raise error or OSError(f"no address for {host}")


urllib3_connection.create_connection = _pinned_create_connection


@contextmanager
def _connecting_to(addresses: list[str]) -> Iterator[None]:
    token = _pinned.set(addresses)
    try:
        yield
    finally:
        _pinned.reset(token)
