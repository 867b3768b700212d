from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from clinic.models import Disclaimer
        from clinic.permissions import sync_staff_groups_after_migrate
        from clinic.reviews.registry import register_reviewable
        from clinic.revisions import register_content_models
        from clinic.signals import connect_content_signals

        connect_content_signals()
        register_reviewable(Disclaimer)
        register_content_models()
        post_migrate.connect(
            sync_staff_groups_after_migrate, sender=self, dispatch_uid="staff-groups"
        )
