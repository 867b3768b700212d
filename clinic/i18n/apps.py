from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class I18nConfig(AppConfig):
    name = "clinic.i18n"
    label = "i18n"
    verbose_name = _("Translations")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from clinic.content import Role, register
        from clinic.i18n.db import register_sqlite_functions
        from clinic.i18n.models import TranslationState

        connection_created.connect(register_sqlite_functions, dispatch_uid="i18n-sqlite-functions")
        # Translation states are content: publishing a translation changes what is served.
        register(
            TranslationState,
            staff={
                Role.EDITORS: ("view",),
                Role.PUBLISHERS: ("view", "publish_translation"),
                Role.TRANSLATORS: ("view",),
                Role.REVIEWERS: ("view",),
            },
        )
