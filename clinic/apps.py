from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self) -> None:
        from clinic.revisions import register_content_models
        from clinic.signals import connect_content_signals

        connect_content_signals()
        register_content_models()
