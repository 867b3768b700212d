"""``manage.py published_verify``: compare the read model with what the content renders now."""

from django.core.management.base import BaseCommand, CommandError

from clinic.published.management.commands.published_rebuild import (
    selected_kinds,
    selected_languages,
)
from clinic.published.store import documents_rebuild

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Render every public document from the models (the reference rendering) and compare "
        "it with the stored read model. Exits with an error listing the differences, if any; "
        "published_rebuild repairs them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", action="append", dest="kinds", metavar="KIND")
        parser.add_argument("--language", action="append", dest="languages", metavar="CODE")

    def handle(self, *args, kinds: list[str] | None, languages: list[str] | None, **options):
        outcome = documents_rebuild(
            selected_kinds(kinds),
            languages=selected_languages(languages),
            dry_run=True,
            keep=SHOWN,
        )
        if not outcome.changed:
            self.stdout.write("The read model matches the content.")
            return
        for old, new in outcome.examples:
            self.stdout.write(f"- {describe(old, new)}")
        if outcome.changed > SHOWN:
            self.stdout.write(f"- … and {outcome.changed - SHOWN} more")
        raise CommandError(
            f"{outcome.changed} documents differ from the content; run manage.py published_rebuild."
        )


def describe(old, new) -> str:
    if old is None:
        return f"{new}: missing"
    if not new.visible:
        return f"{old}: stored, but no longer public"
    differing = [
        name
        for name in (
            "slug",
            "public_from",
            "list_json",
            "detail_json",
            "current",
            "stale",
            "missing",
        )
        if getattr(old, name) != getattr(new, name)
    ]
    return f"{new}: {', '.join(differing) or 'differs'}"
