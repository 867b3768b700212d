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


def next_code(device: TOTPDevice) -> str:
    """A code ``device`` accepts now: the current one, or, if that was used already, one of
    the later time steps its tolerance allows (waiting for the next step if none is left)."""
    device.refresh_from_db()
    app = pyotp.TOTP(b32encode(device.bin_key).decode())
    while True:
        now = int(time.time()) // device.step + device.drift
        allowed = range(now - device.tolerance, now + device.tolerance + 1)
        unused = [t for t in allowed if t > device.last_t]
        if unused:
            return app.at(min(unused) * device.step)
        time.sleep(device.step - time.time() % device.step + 0.05)


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
