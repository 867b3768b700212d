from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.models import AuditEntry
from clinic.audit.services import Event, record
from clinic.audit.sessions import sessions_end
from clinic.twofactor.services import reset as two_factor_reset

User = get_user_model()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail: superusers read and filter it; nobody adds, changes or deletes."""

    list_display = ["created", "event", "actor_username", "username", "target_repr", "address"]
    list_filter = ["event", ("actor", admin.RelatedOnlyFieldListFilter), "created"]
    search_fields = ["actor_username", "username", "target_repr", "address"]
    date_hierarchy = "created"
    list_select_related = False
    fields = [
        "created",
        "event",
        "actor",
        "actor_username",
        "username",
        "address",
        "target_type",
        "target_id",
        "target_repr",
        "changes",
    ]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with whether each user has two-factor sign-in, and two actions
    for superusers: "sign out everywhere" and "reset two-factor sign-in"."""

    #: Both of this admin's own actions are for superusers only.
    SUPERUSER_ACTIONS = ("sign_out_everywhere", "reset_two_factor")
    actions = list(SUPERUSER_ACTIONS)
    list_display = [*DjangoUserAdmin.list_display, "two_factor"]

    def get_queryset(self, request):
        authenticators = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor=Exists(authenticators))

    @admin.display(description=_("two-factor sign-in"), boolean=True, ordering="two_factor")
    def two_factor(self, user) -> bool:
        return user.two_factor

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            for name in self.SUPERUSER_ACTIONS:
                actions.pop(name, None)
        return actions

    @admin.action(description=_("Reset two-factor sign-in (a lost phone)"))
    def reset_two_factor(self, request, queryset) -> None:
        """The selected users' authenticator apps and recovery codes stop working, their
        sessions end, and they set up two-factor sign-in again at their next sign-in."""
        users = list(queryset)
        for user in users:
            two_factor_reset(user, request=request, reason="reset by a superuser")
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d user: %(names)s.",
                "Two-factor sign-in reset for %(count)d users: %(names)s.",
                len(users),
            )
            % {"count": len(users), "names": ", ".join(u.get_username() for u in users)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Sign out everywhere"))
    def sign_out_everywhere(self, request, queryset) -> None:
        """End every session of the selected users (the superuser's own current one kept)."""
        ended = 0
        for user in queryset:
            count = sessions_end(user=user, keep=request if user.pk == request.user.pk else None)
            record(
                event=Event.SESSIONS_ENDED,
                request=request,
                target=user,
                changes={"sessions": count},
            )
            ended += count
        self.message_user(
            request,
            ngettext(
                "%(count)d session ended.",
                "%(count)d sessions ended.",
                ended,
            )
            % {"count": ended},
            messages.SUCCESS,
        )
