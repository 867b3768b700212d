"""The site's URLs, and uploaded images served from ``MEDIA_ROOT`` as the proxy would.

For browser tests (``@pytest.mark.urls("tests.browser.media_urls")``): the live server runs
with DEBUG off, where the site itself serves no media (clinic/urls.py).
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from clinic.urls import handler404, handler500
from clinic.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
