from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class I18nConfig(AppConfig):
    name = "clinic.i18n"
    label = "i18n"
    verbose_name = _("Translations")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from clinic.i18n.db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="i18n-sqlite-functions")
