from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from clinic.i18n.admin import TranslatedContentAdmin, TranslationStatusForm
from clinic.i18n.bidi import ltr
from clinic.i18n.languages import get_language
from clinic.i18n.registry import localized_columns
from clinic.models import ContactLine, Disclaimer
from clinic.reviews.admin import MedicalReviewAdminMixin
from clinic.reviews.services import review_publish_problems
from clinic.revisions import RevisionAdmin

# The admin's header and page titles name the project, not the framework.
admin.site.site_header = _("Clinic content")
admin.site.site_title = _("Clinic content")


class LanguagesField(forms.TypedMultipleChoiceField):
    """The languages spoken on a line, as checkboxes of the configured languages."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.pop("max_length", None)
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(choices=settings.LANGUAGES, **kwargs)

    def prepare_value(self, value):
        return value or []


@admin.register(ContactLine)
class ContactLineAdmin(RevisionAdmin, TranslatedContentAdmin):
    list_display = ["display_number", "label", "kind", "spoken", "order", "translation_overview"]
    list_editable = ["order"]
    list_filter = ["kind"]
    search_fields = ["number", *localized_columns("label")]
    formfield_overrides = {}
    ltr_fields = ["number"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "languages":
            return LanguagesField(
                label=db_field.verbose_name, required=False, help_text=db_field.help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("number"), ordering="number")
    def display_number(self, obj: ContactLine) -> str:
        return ltr(obj.display)

    @admin.display(description=_("languages spoken"))
    def spoken(self, obj: ContactLine) -> str:
        return ", ".join(get_language(code).name_translated for code in obj.languages)


class DisclaimerForm(TranslationStatusForm):
    def publish_problems(self, language: str) -> list[str]:
        """A disclaimer is medical content: a translation goes live only once reviewed."""
        return [
            *super().publish_problems(language),
            *review_publish_problems(self.instance, language),
        ]


@admin.register(Disclaimer)
class DisclaimerAdmin(MedicalReviewAdminMixin, RevisionAdmin, TranslatedContentAdmin):
    form = DisclaimerForm
    list_display = ["display_key", "applies_to", "order", "translation_overview", "review_overview"]
    list_filter = ["applies_to"]
    search_fields = ["key", *localized_columns("text")]

    @admin.display(description=_("key"), ordering="key")
    def display_key(self, obj: Disclaimer) -> str:
        return ltr(obj.key)
