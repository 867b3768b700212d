from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.catalogs import catalog_problems


class Command(BaseCommand):
    help = "Fail when a compiled interface catalog (.mo) does not match its .po file."

    def handle(self, *args, **options) -> None:
        problems = catalog_problems()
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("Compiled catalogs are up to date.")
