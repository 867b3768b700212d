"""``manage.py edge_purge``: purge surrogate keys, or everything, in the configured edge caches."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.published.edge import ALL, purge


class Command(BaseCommand):
    help = (
        "Purge surrogate keys (e.g. article:12:ar, article:set, catalog) or everything (--all) "
        "in every edge cache of EDGE_CACHE_PURGE_URLS. Changes purge on their own; use this "
        "after a deployment (--all, or catalog when only the interface strings changed) or "
        "when an edge missed a purge."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("keys", nargs="*", metavar="KEY", help="Surrogate keys to purge.")
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Purge every response."
        )

    def handle(self, *args, keys: list[str], everything: bool, **options) -> None:
        if not settings.EDGE_CACHE_PURGE_URLS:
            raise CommandError(
                _("No edge cache is configured: set EDGE_CACHE_PURGE_URLS to purge one.")
            )
        if everything == bool(keys):
            raise CommandError(_("Name the keys to purge, or give --all (not both)."))
        outcomes = purge(None if everything or ALL in keys else keys)
        failed = [outcome for outcome in outcomes if outcome.error]
        for outcome in outcomes:
            if outcome.error:
                self.stderr.write(_("%(edge)s: failed: %(error)s") % vars(outcome))
            else:
                self.stdout.write(_("%(edge)s: purged.") % {"edge": outcome.edge})
        if failed:
            message = ngettext(
                "%(failed)d of %(total)d edge cache could not be purged.",
                "%(failed)d of %(total)d edge caches could not be purged.",
                len(outcomes),
            )
            raise CommandError(message % {"failed": len(failed), "total": len(outcomes)})
