from modeltranslation.translator import register

from clinic.i18n.registry import ContentTranslationOptions
from clinic.models import ContactLine, Disclaimer


@register(ContactLine)
class ContactLineTranslationOptions(ContentTranslationOptions):
    api_name = "contacts"
    fields = ("label",)


@register(Disclaimer)
class DisclaimerTranslationOptions(ContentTranslationOptions):
    api_name = "disclaimers"
    fields = ("text",)
