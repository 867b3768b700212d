"""The configured languages: codes, names, text direction and fallback.

``settings.LANGUAGES`` is the single list; the first entry of it that equals
``settings.LANGUAGE_CODE`` is the source language every translation is made from.
Names and direction come from Django's own language table (``LANG_INFO``).
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.translation import get_language_info, gettext


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    name_local: str
    bidi: bool

    @property
    def dir(self) -> str:
        return "rtl" if self.bidi else "ltr"

    @property
    def name_translated(self) -> str:
        """The name in the active language ("Arabic", "العربية", "Арабська")."""
        return gettext(self.name)

    @property
    def is_source(self) -> bool:
        return self.code == source_language()


def source_language() -> str:
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@cache
def _languages() -> tuple[Language, ...]:
    result = []
    for code, _label in settings.LANGUAGES:
        info = get_language_info(code)
        result.append(
            Language(code=code, name=info["name"], name_local=info["name_local"], bidi=info["bidi"])
        )
    return tuple(result)


def languages() -> tuple[Language, ...]:
    """Every configured language, source first, in the order of ``settings.LANGUAGES``."""
    return _languages()


def language_codes() -> list[str]:
    return [language.code for language in _languages()]


def target_languages() -> list[str]:
    """The languages content is translated into (every configured one but the source)."""
    return [code for code in language_codes() if code != source_language()]


def translate_codename(code: str) -> str:
    """The codename of the permission to edit ``code``'s fields (``pt-br``: ``translate_pt_br``).

    Declared on :class:`~clinic.i18n.models.TranslationState` for every target language.
    """
    return f"translate_{code.replace('-', '_')}"


def translate_permission(code: str) -> str:
    """``i18n.translate_<code>``: the permission as ``user.has_perm`` and staff groups name it."""
    return f"i18n.{translate_codename(code)}"


def translator_languages(user) -> list[str]:
    """The target languages whose fields ``user`` may edit (``i18n.translate_<lang>``).

    The same permission lets them download and upload that language's translation files.
    """
    return [code for code in target_languages() if user.has_perm(translate_permission(code))]


def get_language(code: str) -> Language:
    for language in _languages():
        if language.code == code:
            return language
    raise LookupError(f"{code!r} is not a configured language")


def direction(code: str) -> str:
    return get_language(code).dir


def fallback_chain(code: str) -> list[str]:
    """The languages tried, in order, for a field of a text in ``code``."""
    source = source_language()
    return [code] if code == source else [code, source]


# PostgreSQL text search configurations; languages without one use "simple"
# (lower-cased words, no stemming).
SEARCH_CONFIGS = {"en": "english", "ar": "arabic", "fr": "french", "de": "german", "es": "spanish"}


def search_config(code: str) -> str:
    return SEARCH_CONFIGS.get(code, "simple")
