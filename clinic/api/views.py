"""Base of every API view, and the clinic's own endpoints."""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api import published, response_cache
from clinic.api.errors import DatabaseUnavailable, database_unavailable
from clinic.api.examples import CONTACTS_AR
from clinic.api.serializers import (
    ContactLineSerializer,
    DisclaimerSerializer,
    LanguageSerializer,
)
from clinic.i18n.catalogs import catalog_paths, interface_catalog
from clinic.i18n.languages import languages
from clinic.published.freshness import clock

logger = logging.getLogger(__name__)


class ApiViewMixin:
    """Read-only JSON for anonymous clients, in the request language, HTTP-cacheable.

    Successful reads get ``Cache-Control: public, max-age=…`` and
    ``Last-Modified`` (``self.last_modified``, set while answering); Django's
    ConditionalGetMiddleware adds the ``ETag`` and answers matching conditional
    requests with 304. Public GETs are kept in the server-side cache with
    ``self.cache_tags``, the tags of what the response shows, and answered from
    it before the view runs (:mod:`clinic.api.response_cache`).
    """

    http_method_names = ["get", "head", "options"]
    #: Public, HTTP-cacheable reads; False for private ones (previews).
    public_cache = True
    #: What the response shows (clinic.published.store.tags_of_change); set while answering.
    cache_tags: tuple[str, ...] = ()
    last_modified: datetime | None = None
    #: The last change known before answering; None: the response is not kept (not a
    #: public GET, the cache off, or nothing could be checked).
    _seq: int | None = None

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "language": self.request.LANGUAGE_CODE}

    def get_last_modified(self) -> datetime | None:
        return self.last_modified

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if self.public_cache and request.method == "GET" and response_cache.enabled():
            try:
                self._seq = clock.now()
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                # Answered uncached; a view that needs the database raises too (503).

    def handle_exception(self, exc):
        if database_unavailable(exc):
            return self._database_unavailable(exc)
        return super().handle_exception(exc)

    def _database_unavailable(self, exc):
        """503 with ``Retry-After``, never 500; the response cache serves what it kept, marked
        stale, in its place."""
        logger.warning("The database is unavailable (%s): %s", exc, self.request.path)
        response = super().handle_exception(DatabaseUnavailable())
        response.database_unavailable = True
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 500:
            patch_cache_control(response, no_store=True)
        elif not self.public_cache:
            patch_cache_control(response, private=True, no_store=True)
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
            if settings.EDGE_CACHE_MAX_AGE > 0:
                # Edges are purged on change; a scheduled article going live is not a change.
                s_maxage = clock.seconds_left(settings.EDGE_CACHE_MAX_AGE)
                patch_cache_control(response, s_maxage=s_maxage)
            response_cache.name_keys(response, self.cache_tags)
            last_modified = self.get_last_modified()
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified.timestamp())
            if self._seq is not None:
                response.keepable = response_cache.Keepable(
                    seq=self._seq,
                    tags=tuple(self.cache_tags),
                    throttle_classes=tuple(self.throttle_classes),
                )
        return response


class PublishedListView(ApiViewMixin, APIView):
    """An unpaginated list from the read model: every document of ``kind`` in the language."""

    kind: str

    def get(self, request, *args, **kwargs):
        body, self.last_modified = published.unpaginated(self.kind, request.LANGUAGE_CODE)
        self.cache_tags = (f"{self.kind}:{request.LANGUAGE_CODE}",)
        return published.json_response(body, request)


@extend_schema_view(
    get=extend_schema(
        operation_id="list_contacts",
        tags=["contacts"],
        summary="Contact lines",
        examples=[CONTACTS_AR],
        responses=ContactLineSerializer(many=True),
    )
)
class ContactLineListView(PublishedListView):
    """The clinic's lines; those that speak the request language come first."""

    kind = "contact"


@extend_schema_view(
    get=extend_schema(
        operation_id="list_disclaimers",
        tags=["disclaimers"],
        summary="Medical disclaimers",
        responses=DisclaimerSerializer(many=True),
    )
)
class DisclaimerListView(PublishedListView):
    kind = "disclaimer"


@extend_schema_view(
    get=extend_schema(
        operation_id="list_languages",
        tags=["languages"],
        summary="Configured languages and their completeness",
        responses=LanguageSerializer(many=True),
    )
)
class LanguageListView(ApiViewMixin, APIView):
    def get(self, request, *args, **kwargs):
        completeness, self.last_modified = published.completeness()
        self.cache_tags = ("completeness",)
        context = {"completeness": completeness}
        return Response(LanguageSerializer(languages(), many=True, context=context).data)


CatalogSerializer = inline_serializer(
    "InterfaceCatalog",
    {
        "catalog": serializers.DictField(
            help_text="msgid → translation (a list of plural forms for plural strings); "
            "strings with a context are keyed 'context\\u0004msgid'."
        ),
        "formats": serializers.DictField(help_text="Date and number formats."),
        "plural": serializers.CharField(help_text="The plural rule, a C expression of n."),
    },
)


@extend_schema_view(
    get=extend_schema(
        operation_id="get_interface_catalog",
        tags=["i18n"],
        summary="Interface strings",
        responses=CatalogSerializer,
    )
)
class CatalogView(ApiViewMixin, APIView):
    """The interface strings (``locale/``) in the request language, Django's JSON catalog format."""

    #: Content never changes it (a deployment does: ``edge_purge catalog``).
    cache_tags = ("catalog",)

    def get_last_modified(self) -> datetime | None:
        """Content does not change the catalog; a deployed ``.mo`` file does."""
        _po, mo = catalog_paths(self.request.LANGUAGE_CODE)
        if not mo.exists():
            return None
        return datetime.fromtimestamp(mo.stat().st_mtime, tz=UTC)

    def get(self, request, *args, **kwargs):
        return Response(interface_catalog(request.LANGUAGE_CODE))


HealthSerializer = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(
            choices=["ok", "degraded", "unavailable"],
            help_text="ok, degraded (the cache is down) or unavailable (the database is down).",
        ),
        "checks": inline_serializer(
            "HealthChecks",
            {
                "database": serializers.ChoiceField(choices=["ok", "unavailable"]),
                "cache": serializers.ChoiceField(choices=["ok", "unavailable"]),
            },
            required=False,
            help_text="Readiness only: each service the API needs.",
        ),
    },
)


@extend_schema_view(
    get=extend_schema(
        operation_id="check_liveness",
        tags=["health"],
        summary="Liveness",
        responses=HealthSerializer,
    )
)
class HealthView(APIView):
    throttle_classes = []

    def get(self, request):
        return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})


@extend_schema_view(
    get=extend_schema(
        operation_id="check_readiness",
        tags=["health"],
        summary="Readiness: database and cache",
        description=(
            "`ok`: both work. `degraded` (still 200, keep sending traffic): the cache is "
            "unavailable, so responses come from the database uncached and throttling counts "
            "per process. `unavailable` (503): the database cannot be reached; only responses "
            "the cache holds are served (marked stale), everything else answers 503."
        ),
        responses={200: HealthSerializer, 503: HealthSerializer},
    )
)
class ReadyView(APIView):
    throttle_classes = []

    def get(self, request):
        checks = {"database": _check_database(), "cache": _check_cache()}
        if checks["database"] != "ok":
            status, code = "unavailable", 503
        else:
            status, code = ("ok" if checks["cache"] == "ok" else "degraded"), 200
        return Response(
            {"status": status, "checks": checks},
            status=code,
            headers={"Cache-Control": "no-store"},
        )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "unavailable"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("readyz", "ok", timeout=5)
        ok = cache.get("readyz") == "ok"
    except Exception:
        return "unavailable"
    return "ok" if ok else "unavailable"
