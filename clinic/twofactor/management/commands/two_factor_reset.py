from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.twofactor.services import reset


class Command(BaseCommand):
    help = (
        "Reset two-factor sign-in of the given users (a lost phone and no recovery codes): "
        "their authenticator app and recovery codes stop working and their sessions end; "
        "they set it up again at their next sign-in. Recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="username")

    def handle(self, *args, usernames, **options):
        User = get_user_model()
        found = {
            user.get_username(): user
            for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames})
        }
        missing = [name for name in usernames if name not in found]
        if missing:
            raise CommandError(f"No such user: {', '.join(missing)}. Nothing was reset.")
        with transaction.atomic():
            for name in usernames:
                removed = reset(found[name], reason="two_factor_reset command")
                self.stdout.write(
                    f"{name}: two-factor sign-in reset ({removed} device(s) removed); "
                    "it is set up again at the next sign-in."
                )
