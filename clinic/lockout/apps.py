from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockoutConfig(AppConfig):
    name = "clinic.lockout"
    label = "lockout"
    verbose_name = _("Sign-in lockout")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from clinic.lockout.audit import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="clinic.lockout.audit")
