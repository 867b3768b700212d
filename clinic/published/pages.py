"""Public page URLs: where the site that shows the content (not the API) shows each version.

The site's URL scheme is configuration (``PUBLIC_PAGE_URLS``, read from
``PUBLIC_ARTICLE_URL``, ``PUBLIC_TOPIC_URL`` and their per-language overrides):
per kind of document and language, a template with ``{slug}`` and ``{lang}``.
Documents carry the page URLs they were rendered with, so a change of these
settings needs a rebuild (:mod:`clinic.published.configuration`); without a
template a kind has no pages: ``page_url`` is null, ``page_alternates`` empty,
and the sitemaps leave it out.
"""

from collections.abc import Mapping
from urllib.parse import quote

from django.conf import settings

from clinic.i18n.languages import language_codes, source_language

#: hreflang value of the page for visitors whose language has no version of its own.
X_DEFAULT = "x-default"


def page_template(kind: str, language: str) -> str | None:
    """The configured URL template of ``kind``'s pages in ``language``, if any."""
    return settings.PUBLIC_PAGE_URLS.get(kind, {}).get(language) or None


def has_pages(kind: str) -> bool:
    return any(page_template(kind, language) for language in language_codes())


def page_url(kind: str, language: str, slug: str) -> str | None:
    """The public page of the version of ``kind`` in ``language`` with ``slug``, if configured."""
    template = page_template(kind, language)
    if template is None or not slug:
        return None
    return template.format(slug=quote(slug, safe=""), lang=language)


def page_alternates(kind: str, slugs: Mapping[str, str]) -> dict[str, str]:
    """Language → public page of each published version (``slugs``: language → slug), in the
    configured order of languages, and ``x-default``: the source language's page."""
    pages = {}
    for language in language_codes():
        url = page_url(kind, language, slugs.get(language, ""))
        if url is not None:
            pages[language] = url
    if source_language() in pages:
        pages[X_DEFAULT] = pages[source_language()]
    return pages


def served_page(alternates: Mapping[str, str], language: str) -> str | None:
    """The page of the version served in ``language`` (the source's when it fell back)."""
    return alternates.get(language, alternates.get(X_DEFAULT))
