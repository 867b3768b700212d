"""Webhooks in the admin: endpoints to configure, events and deliveries to watch and re-send."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.events.models import Attempt, Delivery, Endpoint, Event
from clinic.events.outbox import has_events
from clinic.events.webhooks import delivery_resend
from clinic.published.store import kinds


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.name) for kind in kinds() if has_events(kind.name)]


class ChoicesField(forms.TypedMultipleChoiceField):
    """A JSON list of chosen values, as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value or []


class EndpointForm(forms.ModelForm):
    event_types = ChoicesField(
        label=_("event types"),
        choices=Event.Type.choices,
        required=False,
        help_text=_("None chosen: every type."),
    )
    languages = ChoicesField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("None chosen: every language."),
    )
    kinds = ChoicesField(
        label=_("kinds of content"),
        choices=_kind_choices,
        required=False,
        help_text=_("None chosen: every kind."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "secret", "active", "event_types", "languages", "kinds"]
        widgets = {
            "url": forms.URLInput(attrs={"size": 80}),
            "secret": forms.TextInput(
                attrs={"size": 60, "autocomplete": "off", "spellcheck": "false"}
            ),
        }


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "active", "filters", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]

    @admin.display(description=_("filters"))
    def filters(self, endpoint: Endpoint) -> str:
        chosen = [*endpoint.event_types, *endpoint.languages, *endpoint.kinds]
        return ", ".join(chosen) or _("every event")


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "status_code", "response_ms", "succeeded", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.action(description=_("Re-send the selected deliveries"), permissions=["change"])
def resend(modeladmin, request, queryset) -> None:
    count = 0
    for delivery in queryset:
        delivery_resend(delivery)
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d delivery will be sent again.",
            "%(count)d deliveries will be sent again.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempt_count",
        "last_status",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "endpoint", "event__type", "event__language"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__slug", "endpoint__name"]
    actions = [resend]
    inlines = [AttemptInline]
    fields = ["event", "endpoint", "status", "attempt_count", "next_attempt_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("attempts")

    @admin.display(description=_("last answer"))
    def last_status(self, delivery: Delivery) -> str:
        attempts = list(delivery.attempts.all())
        if not attempts:
            return "—"
        last = attempts[-1]
        return str(last.status_code) if last.status_code else last.error[:80]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["endpoint", "status", "attempt_count", "next_attempt_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "type", "kind", "object_id", "language", "slug", "state"]
    list_filter = ["type", "kind", "language", "state"]
    search_fields = ["slug", "api_url"]
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]
    fields = [
        "id",
        "type",
        "kind",
        "object_id",
        "language",
        "slug",
        "api_url",
        "occurred_at",
        "state",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
