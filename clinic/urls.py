import sys

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpResponse
from django.template import loader
from django.urls import include, path, re_path
from django.views import defaults
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic.api import errors
from clinic.api.middleware import API_PATHS
from clinic.api.sitemaps import SECTION_URL_NAME, SitemapView
from clinic.api.views import HealthView, ReadyView
from clinic.audit.views import sign_out_everywhere

urlpatterns = [
    path(
        "admin/sign-out-everywhere/",
        admin.site.admin_view(sign_out_everywhere),
        name="sign-out-everywhere",
    ),
    path("admin/two-factor/", include("clinic.twofactor.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("clinic.api.urls")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="schema",
    ),
    # The split view loads its set-up script from a URL: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("sitemap.xml", SitemapView.as_view(), name="sitemap-index"),
    path("sitemap-<str:section>.xml", SitemapView.as_view(), name=SECTION_URL_NAME),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("readyz", ReadyView.as_view(), name="readyz"),
    # Unknown API paths are JSON 404s, with DEBUG on too.
    re_path(r"^api/", errors.not_found),
]
# Uploaded images, with DEBUG on only (`make run`): in production the proxy in front, or
# the S3-compatible store, serves MEDIA_URL (docs/media.md). ``static`` adds nothing otherwise.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


def handler404(request, exception):
    """JSON under the API, Django's page elsewhere."""
    if request.path.startswith(API_PATHS):
        return errors.not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request):
    """JSON under the API, Django's page elsewhere; 503 pages while the database is unavailable.

    Django calls it while handling the exception, so ``sys.exc_info()`` holds it.
    """
    exception = sys.exc_info()[1]
    if request.path.startswith(API_PATHS):
        return errors.server_error(request, exception)
    if errors.database_unavailable(exception):
        return database_unavailable_page(request)
    return defaults.server_error(request)


def database_unavailable_page(request) -> HttpResponse:
    """The admin's page while the database cannot be reached: what happened, what to do.

    Rendered without a request context (nothing on it may need the database).
    """
    context = {"retry_after": settings.API_RETRY_AFTER_SECONDS}
    return errors.retry_later(
        HttpResponse(loader.render_to_string("503.html", context), status=503)
    )
