"""Unlocking from the admin: actions on axes' "Access attempts" (one row per username and
address that failed to sign in)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LockoutAccessAttemptAdmin(AccessAttemptAdmin):
    actions = ["unlock_usernames", "unlock_addresses", *AccessAttemptAdmin.actions]

    @admin.action(
        description=_("Unlock the selected usernames (forget their failed sign-ins)"),
        permissions=["delete"],
    )
    def unlock_usernames(self, request, queryset) -> None:
        usernames = sorted({name for name in queryset.values_list("username", flat=True) if name})
        self._unlock(request, usernames, lambda name: reset(username=name))

    @admin.action(
        description=_("Unlock the selected addresses (forget their failed sign-ins)"),
        permissions=["delete"],
    )
    def unlock_addresses(self, request, queryset) -> None:
        addresses = sorted(
            {address for address in queryset.values_list("ip_address", flat=True) if address}
        )
        self._unlock(request, addresses, lambda address: reset(ip=address))

    def _unlock(self, request, names: list[str], forget) -> None:
        with transaction.atomic():
            for name in names:
                forget(name)
        self.message_user(
            request,
            ngettext(
                "Unlocked %(count)d: %(names)s.",
                "Unlocked %(count)d: %(names)s.",
                len(names),
            )
            % {"count": len(names), "names": ", ".join(names)},
            messages.SUCCESS,
        )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAccessAttemptAdmin)
