"""The admin of medical review: reviewers, the review log, and review on every reviewable page.

:class:`MedicalReviewAdminMixin` puts the review state of each language at the
top of a reviewable object's form (current, outdated and why, never reviewed),
lists open review and translator notes, and serves the page where a medical
reviewer reads the text of one language and signs a review of it.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clinic.content import reviewable
from clinic.i18n.admin import TranslatedContentAdmin
from clinic.i18n.languages import get_language, language_codes, source_language
from clinic.i18n.registry import html_fields, localized, localized_columns, translatable_fields
from clinic.reviews.models import MedicalReview, Reviewer, ReviewNote
from clinic.reviews.services import (
    ReviewRefused,
    ReviewState,
    ReviewStatus,
    attach_reviews,
    medical_review_record,
    review_seal,
    review_status,
    signing_reviewer,
)
from clinic.revisions import RevisionAdmin

STATE_TEXT = {
    ReviewState.CURRENT: pgettext_lazy("medical review", "current"),
    ReviewState.SOURCE_CHANGED: _("outdated: the English text or the study facts changed"),
    ReviewState.TRANSLATION_CHANGED: _("outdated: the translation changed"),
    ReviewState.NOT_REVIEWED: _("awaiting review"),
}
OVERDUE = pgettext_lazy("medical review", "overdue")


def is_overdue(status: ReviewStatus) -> bool:
    """A current review older than ``MEDICAL_REVIEW_MAX_AGE_DAYS`` is due again."""
    due = timezone.localdate() - timedelta(days=settings.MEDICAL_REVIEW_MAX_AGE_DAYS)
    return status.current is not None and status.current.reviewed_on < due


def describe(status: ReviewStatus) -> str:
    """One line for editors: the state, and who reviewed when."""
    text = str(STATE_TEXT[status.state])
    review = status.current or status.latest
    if review is not None:
        text += " — " + gettext("%(reviewer)s, %(date)s") % {
            "reviewer": review.reviewer,
            "date": review.reviewed_on.isoformat(),
        }
    if is_overdue(status):
        text += f" ({OVERDUE})"
    return text


def _warn_if_overdue(request: HttpRequest, status: ReviewStatus) -> None:
    if not is_overdue(status):
        return
    days = settings.MEDICAL_REVIEW_MAX_AGE_DAYS
    messages.warning(
        request,
        ngettext(
            "The medical review of this article is overdue: last reviewed %(date)s, "
            "reviews are due every %(days)d day.",
            "The medical review of this article is overdue: last reviewed %(date)s, "
            "reviews are due every %(days)d days.",
            days,
        )
        % {"date": status.current.reviewed_on, "days": days},
    )


class ReviewNoteInline(GenericTabularInline):
    model = ReviewNote
    extra = 0
    fields = ["language", "kind", "text", "resolved", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    verbose_name_plural = _("notes for reviewers and translators")
    add_another_label = _("Add another note")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            languages = [(code, get_language(code).name_translated) for code in language_codes()]
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                choices=[("", gettext("Every language")), *languages],
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RecordReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    seal = forms.CharField(widget=forms.HiddenInput)


class MedicalReviewAdminMixin:
    """Review state, notes and the signing page for a model registered as reviewable."""

    change_form_template = "admin/reviews/change_form.html"
    #: Warn on the edit page when the current English review is older than
    #: ``MEDICAL_REVIEW_MAX_AGE_DAYS``.
    warn_when_review_overdue = False

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), ReviewNoteInline]

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        record = path(
            "<path:object_id>/medical-review/<str:language>/",
            self.admin_site.admin_view(self.record_review_view),
            name=f"{opts.app_label}_{opts.model_name}_medical_review",
        )
        return [record, *super().get_urls()]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        attach_reviews(changelist.result_list)
        return changelist

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is ReviewNote:
            for note in formset.save(commit=False):
                note.created_by = note.created_by or request.user
                note.save()
            for note in formset.deleted_objects:
                note.delete()
            return
        super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None:
            statuses = {code: review_status(obj, code) for code in language_codes()}
            if request.method == "GET" and self.warn_when_review_overdue:
                _warn_if_overdue(request, statuses[source_language()])
            context = self._review_context(request, obj, statuses)
            extra_context = {**(extra_context or {}), **context}
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_context(self, request: HttpRequest, obj, statuses: dict) -> dict:
        can_sign = signing_reviewer(request.user) is not None
        rows = [
            {
                "language": get_language(code).name_translated,
                "state": status.state.value,
                "text": describe(status),
                "url": self._record_url(obj, code) if can_sign else None,
            }
            for code, status in statuses.items()
        ]
        notes = ReviewNote.objects.filter(
            content_type__app_label=self.opts.app_label,
            content_type__model=self.opts.model_name,
            object_id=obj.pk,
            resolved=False,
        )
        return {"medical_review_rows": rows, "review_notes": list(notes)}

    def _record_url(self, obj, language: str) -> str:
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_medical_review",
            args=[quote(obj.pk), language],
        )

    @admin.display(description=_("medical review"))
    def review_overview(self, obj) -> str:
        """One badge per language: current (✓), overdue, outdated or awaiting review (⚠)."""
        badges = []
        for code in language_codes():
            status = review_status(obj, code)
            ok = status.state == ReviewState.CURRENT and not is_overdue(status)
            badges.append(
                (
                    "review-current" if ok else "review-attention",
                    describe(status),
                    ("✓ " if ok else "⚠ ") + code.upper(),
                )
            )
        return format_html_join(" ", '<span class="{}" title="{}">{}</span>', badges)

    def record_review_view(self, request: HttpRequest, object_id: str, language: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or language not in language_codes():
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if signing_reviewer(request.user) is None:
            raise PermissionDenied
        change_url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(obj.pk)],
        )
        initial = {"reviewed_on": timezone.localdate(), "seal": review_seal(obj, language)}
        form = RecordReviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                medical_review_record(
                    obj=obj,
                    language=language,
                    reviewed_on=form.cleaned_data["reviewed_on"],
                    note=form.cleaned_data["note"],
                    seen=form.cleaned_data["seal"],
                    by=request.user,
                )
            except ReviewRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, gettext("The medical review was recorded."))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Medical review: %(object)s") % {"object": obj},
            "opts": self.opts,
            "original": obj,
            "change_url": change_url,
            "language": get_language(language),
            "status": describe(review_status(obj, language)),
            "texts": reviewed_texts(obj, language),
            "covers_facts": bool(reviewable(type(obj)).review_facts(obj)),
            "form": form,
        }
        return TemplateResponse(request, "admin/reviews/record_review.html", context)


def reviewed_texts(obj, language: str) -> list[dict]:
    """Each translatable field as the reviewer must read it: the English, and the translation."""
    source = source_language()
    html = set(html_fields(type(obj)))
    rows = []
    for name in translatable_fields(type(obj)):

        def show(value: str | None, name=name) -> str:
            value = value or ""
            return mark_safe(value) if name in html else value  # HTML fields are sanitised on save

        rows.append(
            {
                "label": type(obj)._meta.get_field(name).verbose_name,
                "source": show(getattr(obj, localized(name, source))),
                "translation": show(getattr(obj, localized(name, language)))
                if language != source
                else None,
            }
        )
    return rows


@admin.register(Reviewer)
class ReviewerAdmin(RevisionAdmin, TranslatedContentAdmin):
    list_display = ["name", "credentials", "user", "translation_overview"]
    search_fields = ["name", *localized_columns("credentials")]
    autocomplete_fields = ["user"]


@admin.register(MedicalReview)
class MedicalReviewAdmin(admin.ModelAdmin):
    """The log of reviews: read-only, since a review is a signed act (record a new one instead)."""

    list_display = ["content_object", "language", "reviewer", "reviewed_on", "recorded_by"]
    list_filter = ["language", "content_type", "reviewer"]
    date_hierarchy = "reviewed_on"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
