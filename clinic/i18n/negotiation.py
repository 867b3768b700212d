"""The language of a request, decided once for every API endpoint.

First match wins: ``?lang=`` (a configured code, a region subtag allowed:
``ar-EG`` means ``ar``; an empty value counts as absent; anything else is an
error), then ``Accept-Language`` with its q-values (unsupported languages
skipped), then the source language.
"""

from django.utils.translation.trans_real import parse_accept_lang_header

from clinic.i18n.languages import language_codes, source_language

# Longer headers are cut before parsing (browsers send a few dozen characters).
MAX_ACCEPT_LANGUAGE = 1000


class UnsupportedLanguage(ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def match_language(tag: str) -> str | None:
    """The configured language for a BCP 47 tag (``ar-EG`` → ``ar``), if any."""
    tag = tag.strip().lower().replace("_", "-")
    codes = language_codes()
    if tag in codes:
        return tag
    base = tag.split("-", 1)[0]
    return base if base in codes else None


def language_from_accept_header(header: str) -> str | None:
    for tag, quality in parse_accept_lang_header(header[:MAX_ACCEPT_LANGUAGE]):
        if quality <= 0:
            continue
        if tag == "*":
            return source_language()
        code = match_language(tag)
        if code is not None:
            return code
    return None


def negotiate_language(query_lang: str | None, accept_language: str) -> str:
    """The request language; raises :class:`UnsupportedLanguage` for a bad ``?lang=``."""
    if query_lang:
        code = match_language(query_lang)
        if code is None:
            raise UnsupportedLanguage(query_lang)
        return code
    return language_from_accept_header(accept_language) or source_language()
