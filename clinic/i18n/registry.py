"""Which models and fields are translated content.

Models register their translated fields with django-modeltranslation in their
app's ``translation.py``, using :class:`ContentTranslationOptions`. Everything
that works on translations (state, fallback, PO exchange, reports) asks this
module instead of listing fields itself.
"""

from functools import cache
from typing import ClassVar

from django.conf import settings
from django.db import models
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

from clinic.i18n.languages import language_codes


class ContentTranslationOptions(TranslationOptions):
    """modeltranslation options with what the translation workflow needs to know.

    ``derived_fields`` maps fields that are translated per language but computed
    from another field (a slug from the title) to that field: they are not sent
    to translators and not counted in completeness. ``html_fields`` hold
    sanitised HTML. ``api_name`` names the content type in the API and reports
    (``articles``). Fields required in the model are required in the source
    language only.
    """

    api_name: ClassVar[str] = ""
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)
    derived_fields: ClassVar[dict[str, str]] = {}
    html_fields: ClassVar[tuple[str, ...]] = ()


def _options(model: type[models.Model]) -> ContentTranslationOptions:
    return translator.get_options_for_model(model)


@cache
def translatable_models() -> tuple[type[models.Model], ...]:
    """Every model whose content is translated, in a stable order."""
    registered = [
        model
        for model in translator.get_registered_models(abstract=False)
        if isinstance(_options(model), ContentTranslationOptions)
    ]
    return tuple(sorted(registered, key=lambda model: model._meta.label))


# Registrations are fixed once Django has started: these answers are computed once.


@cache
def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """All fields registered with modeltranslation, derived ones included, in model order."""
    registered = set(_options(model).fields)
    return tuple(field.name for field in model._meta.fields if field.name in registered)


@cache
def translatable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields translators translate: registered fields that are not derived."""
    derived = set(_options(model).derived_fields)
    return tuple(name for name in translated_fields(model) if name not in derived)


def derived_fields(model: type[models.Model]) -> dict[str, str]:
    return dict(_options(model).derived_fields)


def api_name(model: type[models.Model]) -> str:
    return _options(model).api_name or model._meta.model_name


def html_fields(model: type[models.Model]) -> tuple[str, ...]:
    return _options(model).html_fields


@cache
def localized(field: str, language: str) -> str:
    """The column holding ``field`` in ``language`` (``title`` → ``title_ar``)."""
    return build_localized_fieldname(field, language)


def localized_columns(field: str) -> list[str]:
    """``field``'s column in every configured language (``title_en``, ``title_ar``, ...).

    For lists of columns such as an admin's ``search_fields``: a language added
    to ``settings.LANGUAGES`` is searched too.
    """
    return [localized(field, code) for code in language_codes()]
