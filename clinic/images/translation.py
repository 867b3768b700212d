from modeltranslation.translator import register

from clinic.i18n.registry import ContentTranslationOptions
from clinic.images.models import Image


@register(Image)
class ImageTranslationOptions(ContentTranslationOptions):
    api_name = "images"
    fields = ("alt_text", "caption", "credit")
