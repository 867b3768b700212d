from django.core.management.base import BaseCommand, CommandError

from clinic.i18n import js_catalog
from clinic.i18n.catalogs import catalog_drift, catalog_problems


class Command(BaseCommand):
    help = (
        "Fail when an interface catalog (.po) is out of date with the code (djangojs.po: "
        "with the admin's JavaScript), or a compiled catalog (.mo) does not match its .po file."
    )

    def handle(self, *args, **options) -> None:
        problems = catalog_drift() + js_catalog.catalog_drift() + catalog_problems()
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("Interface catalogs match the code and are compiled.")
