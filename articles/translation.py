from modeltranslation.translator import register

from articles.models import Article, Topic
from clinic.i18n.registry import ContentTranslationOptions


@register(Topic)
class TopicTranslationOptions(ContentTranslationOptions):
    api_name = "topics"
    fields = ("name", "slug")
    derived_fields = {"slug": "name"}
    empty_values = {"slug": None}


@register(Article)
class ArticleTranslationOptions(ContentTranslationOptions):
    api_name = "articles"
    fields = (
        "title",
        "slug",
        "summary",
        "body",
        "seo_title",
        "seo_description",
        "condition",
        "intervention",
    )
    derived_fields = {"slug": "title"}
    html_fields = ("body",)
    empty_values = {"slug": None}
