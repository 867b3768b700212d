from modeltranslation.translator import register

from clinic.i18n.registry import ContentTranslationOptions
from clinic.reviews.models import Reviewer


@register(Reviewer)
class ReviewerTranslationOptions(ContentTranslationOptions):
    api_name = "reviewers"
    fields = ("credentials",)
