"""Admin building blocks for translated content, shared by every app.

:class:`TranslatedContentAdmin` gives language tabs (modeltranslation), inputs
with the ``lang`` and ``dir`` of their language (Arabic is right-to-left), a
publishing status per target language, derived slugs, and records the source a
translation was made from whenever a translated field is saved.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from clinic.i18n.languages import get_language, language_codes, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import derived_fields, localized
from clinic.i18n.services import content_save
from clinic.i18n.state import (
    TranslationStateLabel,
    attach_states,
    get_states,
    translation_report,
)

STATE_LABELS = {
    TranslationStateLabel.MISSING: _("missing"),
    TranslationStateLabel.STALE: _("stale"),
    TranslationStateLabel.DRAFT: _("draft"),
    TranslationStateLabel.CURRENT: _("current"),
}


def status_field_name(language: str) -> str:
    return f"translation_status_{language}"


class _TranslationStatusFormBase(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        states = get_states(self.instance) if self.instance.pk else {}
        for language, state in states.items():
            name = status_field_name(language)
            if name in self.fields:
                self.fields[name].initial = state.status

    def translation_statuses(self) -> dict[str, str]:
        return {
            language: self.cleaned_data[status_field_name(language)]
            for language in target_languages()
            if status_field_name(language) in self.cleaned_data
        }


def _status_field(language: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("%(language)s translation") % {"language": get_language(language).name},
        choices=TranslationState.Status.choices,
        initial=TranslationState.Status.DRAFT,
        help_text=_(
            "Only a published translation is served; until then readers get the source text."
        ),
    )


# One "publishing status" choice per target language, declared on the class so
# that admin fieldsets may name them.
TranslationStatusForm = type(
    "TranslationStatusForm",
    (_TranslationStatusFormBase,),
    {status_field_name(language): _status_field(language) for language in target_languages()},
)


class TranslationStatusChangeList(ChangeList):
    """Loads the translation states of a whole page in one query."""

    def get_results(self, request) -> None:
        super().get_results(request)
        attach_states(self.result_list)


class TranslatedContentAdmin(TabbedTranslationAdmin):
    form = TranslationStatusForm

    def get_changelist(self, request, **kwargs):
        return TranslationStatusChangeList

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *derived_fields(self.model)]

    def get_fieldsets(self, request, obj=None):
        """The model's fieldsets, then one with the per-language publishing status."""
        status_fields = [status_field_name(language) for language in target_languages()]
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in status_fields]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Translation publishing"), {"fields": status_fields})]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if formfield is not None and language:
            formfield.widget.attrs.update({"lang": language, "dir": get_language(language).dir})
        return formfield

    def save_model(self, request, obj, form, change) -> None:
        content_save(
            obj=obj,
            changed_fields=form.changed_data,
            statuses=form.translation_statuses(),
            by=request.user,
        )

    @admin.display(description=_("Translations"))
    def translation_overview(self, obj) -> str:
        """One badge per target language: missing / stale / draft / current."""
        return format_html_join(
            " ",
            '<span class="translation-state translation-{}" title="{}">{}: {}</span>',
            (
                (
                    report.label,
                    ", ".join(report.missing + report.stale),
                    language.upper(),
                    STATE_LABELS[report.label],
                )
                for language in target_languages()
                for report in [translation_report(obj, language)]
            ),
        )

    @admin.display(description=_("Slugs"))
    def slugs(self, obj) -> str:
        return format_html_join(
            ", ",
            "{}: {}",
            (
                (code, getattr(obj, localized(field, code)) or "—")
                for field in derived_fields(self.model)
                for code in language_codes()
            ),
        )


@admin.register(TranslationState)
class TranslationStateAdmin(admin.ModelAdmin):
    """Read-only audit of translation state (edited through the content's own forms)."""

    list_display = ["content_type", "object_id", "language", "status", "origin", "updated_at"]
    list_filter = ["language", "status", "origin", "content_type"]
    readonly_fields = [
        "content_type",
        "object_id",
        "language",
        "status",
        "sources",
        "origin",
        "origin_detail",
        "updated_at",
        "updated_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
