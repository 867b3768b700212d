"""Two-factor sign-in in tests: an authenticator for a user, its next code, and a session
that has given the second factor.

``force_sign_in(client, user)`` is to two-factor sign-in what Django's ``force_login`` is to the
password: a shortcut for tests about something else. The flows themselves (password, then
code; enrolment; recovery codes) are tested through the pages in ``tests/twofactor/`` and in
the browser (``tests/browser/``).
"""

import time
from base64 import b32encode

import pyotp
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice:
    """``user``'s confirmed authenticator app, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def totp(secret: str) -> pyotp.TOTP:
    """The authenticator app of a base32 ``secret``, as a phone would compute its codes."""
    return pyotp.TOTP(secret.replace(" ", ""))


def unused_code(
    secret: str, last_step: int, *, drift: int = 0, tolerance: int = 1, step: int = 30
) -> tuple[str, int]:
    """A code of the authenticator with base32 ``secret`` that its device accepts now, and its
    time step: the current one, or, if that was used already (``last_step``), a later step the
    tolerance allows (waiting for the next step if none is left)."""
    app = totp(secret)
    while True:
        now = int(time.time()) // step + drift
        # Never an earlier step than now: the device checks a moment later, maybe in the next
        # step, and an earlier step's code may have left its tolerance by then.
        allowed = range(now, now + tolerance + 1)
        unused = [t for t in allowed if t > last_step]
        if unused:
            return app.at(min(unused) * step), min(unused)
        time.sleep(step - time.time() % step + 0.05)


def next_code(device: TOTPDevice) -> str:
    """A code ``device`` accepts now (:func:`unused_code` of its key and its state)."""
    device.refresh_from_db()
    code, _step = unused_code(
        b32encode(device.bin_key).decode(),
        device.last_t,
        drift=device.drift,
        tolerance=device.tolerance,
        step=device.step,
    )
    return code


def force_sign_in(client, user) -> None:
    """Sign ``client`` in as ``user``, password and second factor given (``force_login`` of
    two-factor sign-in); ``user`` gets an authenticator if they have none."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def give_second_factor(client, user) -> None:
    """After the password, give ``user``'s code on the verification page, as a person would
    (their authenticator is made if they have none)."""
    response = client.post(reverse("two-factor-verify"), {"code": next_code(authenticator(user))})
    assert response.status_code == 302, "the second factor was refused"
