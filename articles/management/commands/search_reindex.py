from django.core.management.base import BaseCommand
from django.db import connection

from articles.search import search_documents_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the PostgreSQL full-text search documents of every article in every "
        "language (after a bulk load or adding a language). Does nothing on other databases."
    )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: search reads the articles directly, nothing to do.")
            return
        search_documents_refresh()
        self.stdout.write(self.style.SUCCESS("Search documents rebuilt."))
