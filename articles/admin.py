from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.models import Article, Reference, Topic
from articles.services import (
    PublishRefused,
    article_going_live_problems,
    article_publish,
    article_publish_problems,
    article_translation_problems,
    article_unpublish,
    preview_token,
)
from clinic.html import EDITOR_CONFIG
from clinic.i18n.admin import TranslatedContentAdmin, TranslationStatusForm
from clinic.i18n.bidi import LeftToRightFieldsMixin, ltr
from clinic.i18n.languages import get_language, language_codes, source_language
from clinic.i18n.registry import localized_columns
from clinic.i18n.state import content_type_q
from clinic.models import Disclaimer
from clinic.reviews.admin import MedicalReviewAdminMixin
from clinic.reviews.models import MedicalReview
from clinic.revisions import RevisionAdmin


def review_overdue_before() -> date:
    return timezone.localdate() - timedelta(days=settings.MEDICAL_REVIEW_MAX_AGE_DAYS)


class ReferenceInline(LeftToRightFieldsMixin, admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["kind", "identifier", "url", "order"]
    ltr_fields = ["identifier"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    add_another_label = _("Add another reference")


class ArticleForm(TranslationStatusForm):
    """Optimistic locking, status rights and the publishing gates of an article."""

    #: The version of the article this form was opened on (optimistic locking).
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    #: Set by ArticleAdmin.get_form: the user editing.
    user = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on_version"].initial = self.instance.version
        self.stored_status = self.instance.status
        can_publish = self.user is not None and self.user.has_perm("articles.publish_article")
        if not can_publish and "status" in self.fields:
            status = self.fields["status"]
            if self.instance.status == Article.Status.PUBLISHED:
                status.disabled = True
            else:
                status.choices = [
                    choice for choice in status.choices if choice[0] != Article.Status.PUBLISHED
                ]
        if not can_publish and "published_at" in self.fields:
            self.fields["published_at"].disabled = True

    def _post_clean(self) -> None:
        super()._post_clean()
        article = self.instance
        self._check_version(article)
        if article.status == Article.Status.PUBLISHED:
            was_published = self.stored_status == Article.Status.PUBLISHED
            check = article_publish_problems if was_published else article_going_live_problems
            for problem in check(article, self._disclaimers()):
                self.add_error("status", problem)
            if article.published_at is None:  # published without a date: now
                article.published_at = timezone.now()

    def publish_problems(self, language: str) -> list[str]:
        return article_translation_problems(self.instance, language, self._disclaimers())

    def _disclaimers(self) -> list[Disclaimer]:
        everywhere = list(Disclaimer.objects.filter(applies_to=Disclaimer.AppliesTo.ARTICLES))
        attached = list(self.cleaned_data.get("disclaimers") or [])
        return list({disclaimer.pk: disclaimer for disclaimer in everywhere + attached}.values())

    def _check_version(self, article: Article) -> None:
        """Refuse a save based on an older version; keep this user's edits in the form."""
        if not article.pk:
            return
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("version", flat=True)
            .first()
        )
        submitted = self.cleaned_data.get("based_on_version")
        if current is not None and submitted != current:
            self.add_error(
                None,
                gettext(
                    "Someone else saved this article after you opened it. Nothing was saved: "
                    "your edits are still in this form. Open the article in a new tab to see "
                    "their changes, bring yours together with them here, then save again."
                ),
            )
            data = self.data.copy()
            data["based_on_version"] = current
            self.data = data
            return
        article.version = (current or 0) + 1


@admin.register(Topic)
class TopicAdmin(RevisionAdmin, TranslatedContentAdmin):
    list_display = ["name", "slugs", "translation_overview"]
    search_fields = localized_columns("name")
    readonly_fields = ["slugs"]


class ReviewOverdueFilter(admin.SimpleListFilter):
    """Articles by the date of their newest English review (the list says if it is current)."""

    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", pgettext_lazy("medical review", "Overdue")),
            ("current", pgettext_lazy("medical review", "Up to date")),
        ]

    def queryset(self, request, queryset):
        recent = MedicalReview.objects.filter(
            content_type_q(Article, object_id=models.OuterRef("pk")),
            language=source_language(),
            reviewed_on__gte=review_overdue_before(),
        )
        if self.value() == "overdue":
            return queryset.exclude(models.Exists(recent))
        if self.value() == "current":
            return queryset.filter(models.Exists(recent))
        return queryset


@admin.register(Article)
class ArticleAdmin(MedicalReviewAdminMixin, RevisionAdmin, TranslatedContentAdmin):
    form = ArticleForm
    warn_when_review_overdue = True
    list_display = [
        "title",
        "status",
        "published_at",
        "translation_overview",
        "review_overview",
        "updated_at",
    ]
    list_filter = ["status", ReviewOverdueFilter, "topics"]
    search_fields = localized_columns("title")
    date_hierarchy = "published_at"
    filter_horizontal = ["topics", "disclaimers"]
    readonly_fields = ["slugs", "created_at", "updated_at", "preview_links", "attached_disclaimers"]
    counted_fields = ("seo_title", "seo_description")
    inlines = [ReferenceInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slugs",
                    "summary",
                    "lead_image",
                    "body",
                    "topics",
                    "based_on_version",
                ]
            },
        ),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "preview_links", "created_at", "updated_at"]},
        ),
        (_("Search engines"), {"fields": ["seo_title", "seo_description"]}),
        (
            _("Study"),
            {
                "fields": [
                    "study_title",
                    "condition",
                    "intervention",
                    "phase",
                    "enrollment",
                    "institution",
                    "institution_place",
                    "lead_investigator",
                    "presented_at",
                    "presented_on",
                    "presented_place",
                ]
            },
        ),
        (_("Disclaimers"), {"fields": ["attached_disclaimers", "disclaimers"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Disclaimers to add: those that apply to every article are attached already."""
        if db_field.name == "disclaimers":
            kwargs["queryset"] = Disclaimer.objects.exclude(
                applies_to=Disclaimer.AppliesTo.ARTICLES
            )
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "disclaimers":
            formfield.label = _("Further disclaimers")
            formfield.help_text = _(
                "Disclaimers shown with this article besides those attached to every article."
            )
        return formfield

    @admin.display(description=_("Attached to every article"))
    def attached_disclaimers(self, article: Article) -> str:
        """The disclaimers every article carries, whatever is chosen below."""
        everywhere = Disclaimer.objects.filter(applies_to=Disclaimer.AppliesTo.ARTICLES)
        keys = format_html_join(", ", "{}", ((ltr(disclaimer.key),) for disclaimer in everywhere))
        return keys or "—"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.startswith("body_"):
            kwargs["widget"] = AdminProseEditorWidget(config=EDITOR_CONFIG, preset="configurable")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Preview"))
    def preview_links(self, article: Article) -> str:
        """Signed links to the article as the API would serve it, in every language."""
        if not article.pk:
            return "—"
        url = reverse("api:article-preview", kwargs={"token": preview_token(article)})
        return format_html_join(
            " · ",
            '<a href="{}?lang={}" target="_blank" rel="noopener">{}</a>',
            ((url, code, get_language(code).name_local) for code in language_codes()),
        )

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset) -> None:
        published = 0
        for article in queryset:
            try:
                article_publish(article=article, by=request.user)
                published += 1
            except PublishRefused as refused:
                self.message_user(
                    request, f"{article}: {' '.join(refused.problems)}", messages.ERROR
                )
        if published:
            self.message_user(
                request,
                ngettext("%(count)d article published.", "%(count)d articles published.", published)
                % {"count": published},
            )

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset) -> None:
        for article in queryset:
            article_unpublish(article=article, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", count)
            % {"count": count},
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")
