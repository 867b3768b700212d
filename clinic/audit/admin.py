from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.audit.models import AuditEntry
from clinic.audit.services import Event, record
from clinic.audit.sessions import sessions_end

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
    """Django's user admin, with "sign out everywhere" for superusers."""

    actions = ["sign_out_everywhere"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("sign_out_everywhere", None)
        return actions

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
