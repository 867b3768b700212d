"""Enrolment, verification, recovery codes and resets: every step of two-factor sign-in.

Devices are django-otp's: one confirmed :class:`TOTPDevice` (the authenticator app) and one
:class:`StaticDevice` holding the unused recovery codes. Codes are verified through
``django_otp.verify_token``, which locks the device row (two requests cannot both use one
code), refuses a TOTP code already used (``last_t``) and throttles after wrong codes.
Each step is recorded in the audit trail.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.services import Event, record
from clinic.audit.sessions import is_own_request, session_rotate, sessions_end
from clinic.twofactor.policy import requires_two_factor

#: How many recovery codes a user gets (each works once).
RECOVERY_CODE_COUNT = 10
#: What an authenticator app shows: six digits.
TOTP_CODE = re.compile(r"^\d{6}$")
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def enrolled(user) -> bool:
    """Whether ``user`` has set up an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """Whether ``user`` (signed in with a password) must give a code before any admin page."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_verified():
        return False
    return requires_two_factor(user) or enrolled(user)


def normalise(code: str) -> str:
    """A code as typed, without spaces or hyphens, lower case (recovery codes are base32)."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def format_recovery_code(token: str) -> str:
    """``abcdefgh`` → ``abcd-efgh``: easier to copy by hand."""
    return f"{token[:4]}-{token[4:]}"


@dataclass(frozen=True)
class Outcome:
    """What a code did."""

    verified: bool
    #: Refused without checking (too many wrong codes): seconds until the next try.
    wait_seconds: int = 0
    #: A recovery code was used: how many are left.
    recovery_codes_left: int | None = None
    #: Set up: the new recovery codes, to be shown once.
    recovery_codes: list[str] | None = None


def _wait_seconds(devices) -> int:
    """Seconds until the devices take a code again after wrong ones (0: now)."""
    wait = 0.0
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
            wait = max(wait, seconds, 1)
    return round(wait + 0.49)


# Enrolment ---------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up: kept until confirmed, so a reload shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The ``otpauth://`` address of ``device`` as an inline SVG QR code (no request, no CSP
    exception: the picture is part of the page)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=False)
    return mark_safe(svg)


@transaction.atomic
def confirm_enrolment(request: HttpRequest, device: TOTPDevice, code: str) -> Outcome:
    """Confirm the authenticator with a code it shows (the outcome holds the new recovery
    codes).

    On success the session counts as verified (with a new key), any earlier devices go, and
    the enrolment is recorded.
    """
    user = request.user
    token = normalise(code)
    wait = _wait_seconds([device])
    if wait or not (
        TOTP_CODE.match(token) and django_otp.verify_token(user, device.persistent_id, token)
    ):
        return _refused(request, wait, {"step": "enrolment"})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    codes = _new_recovery_codes(user)
    _verified(request, device)
    record(
        event=Event.TWO_FACTOR_ENROLLED,
        request=request,
        target=user,
        changes={"device": AUTHENTICATOR_NAME, "recovery_codes": len(codes)},
    )
    return Outcome(verified=True, recovery_codes=codes)


# Verification ------------------------------------------------------------------------------


def verify(request: HttpRequest, code: str) -> Outcome:
    """Check a code from the authenticator app (six digits) or a recovery code.

    A verified session gets a new key (what was seen before the second factor grants
    nothing after it).
    """
    user = request.user
    token = normalise(code)
    model = TOTPDevice if TOTP_CODE.match(token) else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True))
    kind = "authenticator" if model is TOTPDevice else "recovery code"
    wait = _wait_seconds(devices)
    if wait:
        return _refused(request, wait, {"kind": kind})
    with transaction.atomic():
        # The first device that takes the code (each tried in turn, up to it).
        tried = (django_otp.verify_token(user, device.persistent_id, token) for device in devices)
        verified = next(filter(None, tried), None)
        if verified is None:
            return _refused(request, 0, {"kind": kind})
        _verified(request, verified)
        if isinstance(verified, StaticDevice):
            left = verified.token_set.count()
            record(
                event=Event.RECOVERY_CODE_USED,
                request=request,
                target=user,
                changes={"recovery_codes_left": left},
            )
            return Outcome(verified=True, recovery_codes_left=left)
        record(event=Event.TWO_FACTOR_VERIFIED, request=request, changes={"kind": kind})
        return Outcome(verified=True)


def _refused(request: HttpRequest, wait: int, changes: dict) -> Outcome:
    """A code not taken: recorded (a refusal while throttled too, as ``throttled``)."""
    if wait:
        changes = {**changes, "throttled": True}
    record(event=Event.TWO_FACTOR_FAILED, request=request, changes=changes)
    return Outcome(verified=False, wait_seconds=wait)


def _verified(request: HttpRequest, device) -> None:
    session_rotate(request)
    django_otp.login(request, device)


# Recovery codes ----------------------------------------------------------------------------


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in tokens)
    return [format_recovery_code(token) for token in tokens]


@transaction.atomic
def renew_recovery_codes(request: HttpRequest) -> list[str]:
    """New recovery codes for the signed-in (verified) user; the old ones stop working."""
    codes = _new_recovery_codes(request.user)
    record(
        event=Event.RECOVERY_CODES_RENEWED,
        request=request,
        target=request.user,
        changes={"recovery_codes": len(codes)},
    )
    return codes


# Resets ------------------------------------------------------------------------------------


@transaction.atomic
def reset(user, *, request: HttpRequest | None = None, reason: str = "") -> int:
    """Remove ``user``'s authenticator and recovery codes; they set it up again at sign-in.

    Someone else's reset (a superuser, the ``two_factor_reset`` command) also ends all of the
    user's sessions; a user resetting their own keeps this session, unverified. Returns how
    many devices were removed.
    """
    removed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    removed += StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = sessions_end(user=user, keep=request if is_own_request(request, user) else None)
    changes = {"sessions_ended": ended}
    if reason:
        changes["reason"] = reason
    record(event=Event.TWO_FACTOR_RESET, request=request, target=user, changes=changes)
    return removed
