from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Reference, Topic
from clinic.i18n.admin import TranslatedContentAdmin


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["kind", "identifier", "url", "order"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Topic)
class TopicAdmin(TranslatedContentAdmin):
    list_display = ["name", "slugs", "translation_overview"]
    search_fields = ["name_en", "name_ar", "name_uk"]
    readonly_fields = ["slugs"]


@admin.register(Article)
class ArticleAdmin(TranslatedContentAdmin):
    list_display = ["title", "status", "published_at", "translation_overview", "updated_at"]
    list_filter = ["status", "topics"]
    search_fields = ["title_en", "title_ar", "title_uk"]
    date_hierarchy = "published_at"
    filter_horizontal = ["topics", "disclaimers"]
    readonly_fields = ["slugs", "created_at", "updated_at"]
    inlines = [ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slugs", "summary", "body", "topics"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
        (_("Search engines"), {"fields": ["seo_title", "seo_description"]}),
        (
            _("Study"),
            {
                "fields": [
                    "condition",
                    "intervention",
                    "phase",
                    "enrollment",
                    "institution",
                    "lead_investigator",
                    "presented_at",
                    "presented_on",
                    "presented_place",
                ]
            },
        ),
        (_("Medical review"), {"fields": ["medical_reviewer", "last_reviewed", "disclaimers"]}),
    ]
