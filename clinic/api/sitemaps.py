"""Sitemaps of the site's public pages, from the read model, with Django's sitemap framework.

``/sitemap.xml`` is the index: one sitemap per language (``/sitemap-<lang>.xml``,
paged with ``?p=`` past 50,000 URLs). A language's sitemap lists the public page
(:mod:`clinic.published.pages`) of every article and topic version a reader may
see in that language now, with its ``lastmod`` and an ``xhtml:link`` for every
published version, itself included, and ``x-default``. Scheduled and unpublished
versions have no slug in the read model or are not live, so they never appear.

Sitemaps are API views (:class:`~clinic.api.views.ApiViewMixin`): cached, kept
current by the tags of the documents they list, ``Cache-Control`` and
``Last-Modified`` as every API response, JSON errors. Reads: the index one query
(with the freshness check), a page of a sitemap three.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from clinic.api import published
from clinic.api.errors import ApiError
from clinic.api.pagination import _positive_int
from clinic.api.views import ApiViewMixin
from clinic.i18n.languages import language_codes, source_language
from clinic.published.models import Document
from clinic.published.pages import X_DEFAULT, page_template, page_url

#: Kinds of documents that are pages of the site (when a URL template is configured).
PAGE_KINDS = ("article", "topic")
SECTION_URL_NAME = "sitemap-section"


def _kinds_in(language: str) -> list[str]:
    return [kind for kind in PAGE_KINDS if page_template(kind, language)]


def _pages(language: str) -> Q:
    """The page documents listed in ``language``'s sitemap: live, with a slug and a template."""
    return published.live() & ~Q(slug="") & Q(language=language, kind__in=_kinds_in(language))


@dataclass
class Figures:
    """Per language: how many pages its sitemap lists, and when any of them last changed."""

    count: int
    changed: datetime | None


def figures() -> dict[str, Figures]:
    """The figures of every language's sitemap, in one query.

    ``changed`` counts every document of the kinds, tombstones and versions without a
    page too, so ``Last-Modified`` moves when a page leaves a sitemap.
    """
    rows = (
        Document.objects.filter(kind__in=PAGE_KINDS)
        .values("language", "kind")
        .annotate(
            count=Count("pk", filter=published.live() & ~Q(slug="")),
            changed=Max("changed_at"),
            live=Max("public_from", filter=published.live()),
        )
        .values_list("language", "kind", "count", "changed", "live")
    )
    found = {code: Figures(0, None) for code in language_codes() if _kinds_in(code)}
    for language, kind, count, changed, live in rows:
        if language in found and kind in _kinds_in(language):
            entry = found[language]
            entry.count += count
            entry.changed = published.last_modified(entry.changed, changed, live)
    return found


class Pages:
    """The page documents of one language's sitemap, in a stable order, read a page at a time."""

    def __init__(self, language: str, count: int) -> None:
        self.language, self._count = language, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[tuple]:
        rows = (
            Document.objects.filter(_pages(self.language))
            .order_by("kind", "object_id")
            .values_list("kind", "object_id", "slug", "changed_at", "public_from")
        )
        return list(rows[window])


class LanguageSitemap(Sitemap):
    """The public pages in one language (Django's :class:`Sitemap`, on the read model)."""

    #: URLs per sitemap page (the protocol's limit).
    limit = 50_000

    def __init__(self, language: str, figures: Figures) -> None:
        self.language, self.figures = language, figures

    @property
    def paginator(self) -> Paginator:
        return Paginator(Pages(self.language, self.figures.count), self.limit)

    def get_latest_lastmod(self) -> datetime | None:
        return self.figures.changed

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Each page's absolute URL (the site's, not the request's), lastmod and alternates."""
        rows = self.paginator.page(page).object_list
        versions = _versions(rows)
        urls = []
        for kind, object_id, slug, changed_at, public_from in rows:
            alternates = [
                {"lang_code": language, "location": page_url(kind, language, other)}
                for language, other in versions[kind, object_id]
            ]
            source = next((a for a in alternates if a["lang_code"] == source_language()), None)
            if source is not None:
                alternates.append({"lang_code": X_DEFAULT, "location": source["location"]})
            urls.append(
                {
                    "item": (kind, object_id),
                    "location": page_url(kind, self.language, slug),
                    "lastmod": published.last_modified(changed_at, public_from),
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
            )
        return urls


def _versions(rows: list[tuple]) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(kind, id) → (language, slug) of each of its live page versions, for the objects of
    ``rows``: one query, by ranges of ids (a page may hold 50,000; a list of ids may not)."""
    ranges: dict[str, list[int]] = {}
    for kind, object_id, *_rest in rows:
        ranges.setdefault(kind, []).append(object_id)
    versions: dict[tuple[str, int], list[tuple[str, str]]] = {
        (kind, object_id): [] for kind, object_id, *_rest in rows
    }
    if not ranges:
        return versions
    within = Q(pk__in=[])
    for kind, ids in ranges.items():
        within |= Q(kind=kind, object_id__gte=min(ids), object_id__lte=max(ids))
    order = {code: position for position, code in enumerate(language_codes())}
    found = (
        Document.objects.filter(within, published.live(), ~Q(slug=""))
        .values_list("kind", "object_id", "language", "slug")
        .order_by()
    )
    for kind, object_id, language, slug in found:
        if (kind, object_id) in versions and page_template(kind, language):
            versions[kind, object_id].append((language, slug))
    for listed in versions.values():
        listed.sort(key=lambda version: order.get(version[0], len(order)))
    return versions


class FirstRenderer(BaseContentNegotiation):
    """Sitemaps are XML whatever the client accepts; their errors are the API's JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(exclude=True)  # XML for search engines, not part of the JSON API
class SitemapView(ApiViewMixin, APIView):
    """The sitemap index (no ``section``) or one language's sitemap, cached like the API."""

    content_negotiation_class = FirstRenderer

    def get(self, request, section: str | None = None):
        configured = figures()
        if not configured:
            raise ApiError(
                404,
                "no_public_pages",
                _(
                    "No public page URL is configured (PUBLIC_ARTICLE_URL, PUBLIC_TOPIC_URL), "
                    "so there is no sitemap."
                ),
            )
        # A sitemap lists at least one URL, an index at least one sitemap (sitemaps.org).
        found = {code: entry for code, entry in configured.items() if entry.count}
        if section is None and not found:
            raise ApiError(404, "no_public_pages", _("No page is published yet."))
        if section is not None and section not in found:
            raise Http404
        _positive_int(request, "p")  # 400 unless a page number; past the last page: 404
        sitemaps = {code: LanguageSitemap(code, entry) for code, entry in found.items()}
        if section is None:
            response = sitemap_views.index(request, sitemaps, sitemap_url_name=SECTION_URL_NAME)
            self.last_modified = published.last_modified(*(f.changed for f in configured.values()))
        else:
            response = sitemap_views.sitemap(request, sitemaps, section=section)
            self.last_modified = found[section].changed
        self.cache_tags = (
            *(f"{kind}:set" for kind in PAGE_KINDS),
            *(f"{kind}:{code}" for kind in PAGE_KINDS for code in language_codes()),
        )
        return response.render()
