"""django-otp's own device admins are removed: they would show the secret keys of
authenticator apps and the recovery codes. Devices are managed through the two-factor pages
(each user their own) and reset by superusers (the user list's action, or the
``two_factor_reset`` command)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
