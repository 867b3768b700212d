"""Admin building blocks for translated content, shared by every app.

:class:`TranslatedContentAdmin` gives language tabs (modeltranslation), inputs
with the ``lang`` and ``dir`` of their language (Arabic is right-to-left), a
publishing status per target language, derived slugs, and records the source a
translation was made from whenever a translated field is saved.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from clinic.i18n.admin_files import TranslationFilesView
from clinic.i18n.bidi import LeftToRightFieldsMixin, isolate, ltr
from clinic.i18n.diff import source_diff_html
from clinic.i18n.inlines import InlineLabelsMixin
from clinic.i18n.languages import (
    get_language,
    language_codes,
    source_language,
    target_languages,
    translator_languages,
)
from clinic.i18n.matrix import MatrixCell, matrix_languages, matrix_page
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import (
    api_name,
    derived_fields,
    localized,
    translatable_models,
    translated_fields,
)
from clinic.i18n.services import content_save, translation_invariant_problems
from clinic.i18n.state import (
    FieldStatus,
    TranslationStateLabel,
    attach_states,
    field_statuses,
    get_states,
    source_text,
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


def can_publish_translations(user) -> bool:
    return user.has_perm("i18n.publish_translation")


class _TranslationStatusFormBase(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        excluded = set(self._meta.exclude or ())
        for language in target_languages():
            if status_field_name(language) in excluded:  # the user may not publish
                self.fields.pop(status_field_name(language), None)
        states = get_states(self.instance) if self.instance.pk else {}
        for language, state in states.items():
            name = status_field_name(language)
            if name in self.fields:
                self.fields[name].initial = state.status
            self._show_source_changes(language, state)

    def _show_source_changes(self, language: str, state: TranslationState) -> None:
        """Under each stale field: the English it was translated from, and what changed."""
        for name, status in field_statuses(self.instance, language).items():
            column = localized(name, language)
            if status != FieldStatus.STALE or column not in self.fields:
                continue
            self.fields[column].help_text = format_html(
                '<div class="source-changed"><strong>{}</strong> {}</div>',
                _("The English changed since this was translated:"),
                source_diff_html(state.sources.get(name, ""), source_text(self.instance, name)),
            )

    def publish_problems(self, language: str) -> list[str]:
        """Why this object's ``language`` version may not be published (hook for models)."""
        return translation_invariant_problems(self.instance, language)

    def _post_clean(self) -> None:
        """Publishing gate: a language newly set to published must pass ``publish_problems``."""
        super()._post_clean()
        states = get_states(self.instance) if self.instance.pk else {}
        for language, status in self.translation_statuses().items():
            previous = states[language].status if language in states else None
            if status == TranslationState.Status.PUBLISHED and previous != status:
                for problem in self.publish_problems(language):
                    self.add_error(status_field_name(language), problem)

    def translation_statuses(self) -> dict[str, str]:
        return {
            language: self.cleaned_data[status_field_name(language)]
            for language in target_languages()
            if status_field_name(language) in self.cleaned_data
        }


def _status_label(language: str) -> str:
    return gettext("%(language)s translation") % {
        "language": get_language(language).name_translated
    }


def _status_field(language: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        # Lazy: the form class is built once, the label is read in each request's language.
        label=lazy(_status_label, str)(language),
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


#: Text inputs for at least this many characters span the form's width (titles, SEO texts).
LONG_TEXT_MIN_LENGTH = 100


class TranslatedContentAdmin(InlineLabelsMixin, LeftToRightFieldsMixin, TabbedTranslationAdmin):
    form = TranslationStatusForm

    def get_deleted_objects(self, objs, request):
        """Django's list of what a delete takes with it, where an object's translation states
        need no permission of their own: they are the object's record, read-only in the admin
        (``TranslationStateAdmin``), and go with it; without this nobody could delete."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(TranslationState._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    #: Fields whose inputs show a live count of their characters against their limit.
    counted_fields: tuple[str, ...] = ()

    class Media:
        css = {"all": ["clinic/admin.css"]}
        # After modeltranslation's tabs script: native language names, one main switch.
        js = [
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "clinic/admin-tabs.js",
            "clinic/char-count.js",
        ]

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
        publishing = status_fields if can_publish_translations(request.user) else ["publishing"]
        return [*fieldsets, (_("Translation publishing"), {"fields": publishing})]

    def get_readonly_fields(self, request, obj=None):
        """What this user may not edit: other languages' fields for translators, and so on.

        Source-language and untranslated fields need the model's add permission
        (Editors, Publishers); the fields of a target language need
        ``i18n.translate_<lang>``; publishing statuses need ``i18n.publish_translation``.
        """
        readonly = list(super().get_readonly_fields(request, obj))
        user = request.user
        if not can_publish_translations(user):
            readonly += [status_field_name(language) for language in target_languages()]
            readonly.append("publishing")
        if obj is None:
            return readonly
        opts = self.model._meta
        writes_source = user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        languages = translator_languages(user)
        originals = set(translated_fields(self.model))
        derived = {
            localized(name, code)
            for name in derived_fields(self.model)
            for code in language_codes()
        }
        for field in [*opts.fields, *opts.many_to_many]:
            if not field.editable or field.primary_key or field.name in originals | derived:
                continue
            language = getattr(field, "language", None)
            if language is None or language == source_language():
                allowed = writes_source
            else:
                allowed = language in languages
            if not allowed and field.name not in readonly:
                readonly.append(field.name)
        return readonly

    @admin.display(description=_("Publishing status"))
    def publishing(self, obj) -> str:
        """The per-language statuses, for users who may not change them."""
        states = get_states(obj) if obj is not None and obj.pk else {}
        return format_html_join(
            ", ",
            "{}: {}",
            (
                (
                    get_language(language).name_translated,
                    states[language].get_status_display()
                    if language in states
                    else TranslationState.Status.DRAFT.label,
                )
                for language in target_languages()
            ),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Inputs in their language's direction (code-like ones left to right), sized for
        their content; the language's own name for its tab; a character count if asked."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return None
        attrs = formfield.widget.attrs
        language = getattr(db_field, "language", None)
        if language:
            attrs["lang"] = language
            attrs.setdefault("dir", get_language(language).dir)
            attrs["data-language-name"] = get_language(language).name_local
        original = getattr(getattr(db_field, "translated_field", None), "name", db_field.name)
        if original in self.counted_fields and db_field.max_length:
            attrs["data-char-limit"] = db_field.max_length
        max_length = getattr(db_field, "max_length", None) or 0
        if "vTextField" in attrs.get("class", "") and max_length >= LONG_TEXT_MIN_LENGTH:
            attrs["class"] += " vLongTextField"
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
        """One line per language: its code, then its slug in the slug's own direction."""
        return format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            (
                (ltr(code), isolate(getattr(obj, localized(field, code)) or "—"))
                for field in derived_fields(self.model)
                for code in language_codes()
            ),
        )


def _language_choices() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_translated"]) for code in target_languages()]


class TranslationMatrixFilterForm(forms.Form):
    """The matrix filters, read from the query string; a value not offered filters nothing."""

    content_type = forms.ChoiceField(label=_("content type"), required=False)
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[(label.value, text) for label, text in STATE_LABELS.items()],
    )
    language = forms.ChoiceField(label=_("language"), required=False, choices=_language_choices)

    def __init__(self, data, *, content_models: list[type[models.Model]]) -> None:
        super().__init__(data)
        self.fields["content_type"].choices = [
            (api_name(model), capfirst(model._meta.verbose_name_plural)) for model in content_models
        ]

    def selected(self) -> dict[str, str | None]:
        """Each filter's valid value, or None."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or None for name in self.fields}


def _field_names(model: type[models.Model], names: tuple[str, ...]) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)


def _cell_title(model: type[models.Model], cell: MatrixCell) -> str:
    """What a cell's tooltip lists: the missing and the stale fields."""
    parts = []
    if cell.missing:
        parts.append(_("Missing: %(fields)s") % {"fields": _field_names(model, cell.missing)})
    if cell.stale:
        parts.append(_("Stale: %(fields)s") % {"fields": _field_names(model, cell.stale)})
    return "; ".join(parts)


@admin.register(TranslationState)
class TranslationStateAdmin(admin.ModelAdmin):
    """Read-only audit of translation state (edited through the content's own forms).

    Also serves the translation matrix (``matrix/``): every translated object ×
    every target language, linked from the changelist
    (``templates/admin/i18n/translationstate/change_list.html``).
    """

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

    def get_urls(self) -> list[URLPattern]:
        matrix = path(
            "matrix/",
            self.admin_site.admin_view(self.matrix_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_matrix",
        )
        files = TranslationFilesView(self).urls()
        # Before the model's own URLs, whose "<object_id>/" would match "matrix/".
        return [matrix, *files, *super().get_urls()]

    def _viewable_models(self, request: HttpRequest) -> list[type[models.Model]]:
        """Translated models registered in this admin site that the user may view or change."""
        viewable = []
        for model in translatable_models():
            try:
                model_admin = self.admin_site.get_model_admin(model)
            except NotRegistered:
                continue
            if model_admin.has_view_or_change_permission(request):
                viewable.append(model)
        return viewable

    def _change_url(self, obj: models.Model) -> str:
        opts = obj._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(obj.pk)],
            current_app=self.admin_site.name,
        )

    def matrix_view(self, request: HttpRequest) -> TemplateResponse:
        """Objects × target languages, a state per cell linking to the object's change form.

        Staff only (``admin_view``); rows are limited to models the user may
        view or change. Filters: ``content_type`` (api name), ``state``, ``language``;
        ``p`` is the page.
        """
        viewable = self._viewable_models(request)
        form = TranslationMatrixFilterForm(request.GET, content_models=viewable)
        selected = form.selected()
        page = matrix_page(
            content_models=[
                model for model in viewable if selected["content_type"] in (None, api_name(model))
            ],
            state=selected["state"],
            language=selected["language"],
            number=request.GET.get("p"),
        )
        shown = matrix_languages(selected["language"])
        rows = [
            (
                row,
                self._change_url(row.obj),
                [
                    (cell, STATE_LABELS[cell.label], _cell_title(row.model, cell))
                    for cell in row.cells
                ],
            )
            for row in page
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translation matrix"),
            "opts": self.opts,
            "can_view_states": self.has_view_permission(request),
            "can_exchange_files": bool(translator_languages(request.user)),
            "filters": form.fields,
            "selected": selected,
            "languages": [(code, name) for code, name in _language_choices() if code in shown],
            "rows": rows,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
        }
        return TemplateResponse(request, "admin/i18n/translation_matrix.html", context)
