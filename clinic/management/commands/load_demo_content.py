from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clinic.demo import demo_content_load


class Command(BaseCommand):
    help = (
        "Load the clinic page (trial report, contact lines, disclaimer) in every shipped "
        "language. Creates what is missing, never overwrites existing content; corrects the "
        "earlier demo translations where their text is still unchanged."
    )

    def handle(self, *args, **options) -> None:
        try:
            created = demo_content_load()
        except ValidationError as exc:
            raise CommandError(f"The demo content is invalid, nothing was loaded: {exc}") from exc
        if created:
            summary = ", ".join(
                f"{count} {kind.replace('_', ' ')}" for kind, count in created.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
