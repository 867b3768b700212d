from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockoutConfig(AppConfig):
    name = "clinic.lockout"
    label = "lockout"
    verbose_name = _("Sign-in lockout")
