from modeltranslation.translator import register

from clinic.i18n.registry import ContentTranslationOptions
from clinic.models import ContactLine, Disclaimer


@register(ContactLine)
class ContactLineTranslationOptions(ContentTranslationOptions):
    fields = ("label",)


@register(Disclaimer)
class DisclaimerTranslationOptions(ContentTranslationOptions):
    fields = ("text",)
