from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from clinic.api.documents import register_documents
        from clinic.content import Role, register
        from clinic.models import ContactLine, Disclaimer
        from clinic.permissions import sync_staff_groups_after_migrate
        from clinic.revisions import register_content_models

        register_documents()
        register_content_models()
        managed = {
            Role.EDITORS: ("view",),
            Role.PUBLISHERS: ("add", "change", "view", "delete"),
            Role.TRANSLATORS: ("view", "change"),
            Role.REVIEWERS: ("view",),
        }
        register(ContactLine, follow=("translation_states",), staff=managed)
        # Disclaimers are medical content: reviewed like articles, with no facts besides the text.
        register(
            Disclaimer,
            follow=("translation_states",),
            staff=managed,
            review_facts=lambda disclaimer: {},
        )
        post_migrate.connect(
            sync_staff_groups_after_migrate, sender=self, dispatch_uid="staff-groups"
        )
