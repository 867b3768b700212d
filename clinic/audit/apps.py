from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "clinic.audit"
    label = "audit"
    verbose_name = _("Staff accounts audit")

    def ready(self) -> None:
        from clinic.audit import signals  # noqa: F401  (connects the receivers)
