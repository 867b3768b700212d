from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clinic.i18n.js_catalog import ExtractionError, update_catalog
from clinic.i18n.languages import target_languages


class Command(BaseCommand):
    help = (
        "Update locale/<lang>/LC_MESSAGES/djangojs.po of every language: the admin's "
        "JavaScript strings that Django's and the editor's catalogs leave untranslated, "
        "and the project's own JavaScript strings. Translations already made are kept."
    )

    def handle(self, *args, **options) -> None:
        for language in target_languages():
            try:
                path, total, untranslated = update_catalog(language)
            except (OSError, LookupError, ExtractionError) as error:
                raise CommandError(
                    _("Cannot update the JavaScript catalog of %(language)s: %(error)s")
                    % {"language": language, "error": error}
                ) from error
            self.stdout.write(
                _("%(path)s: %(total)d strings, %(untranslated)d untranslated")
                % {"path": path, "total": total, "untranslated": untranslated}
            )
