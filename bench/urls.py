"""The project's URLs plus ``/bench/limit/``: the ceiling a Django view can reach here.

The limit view returns a constant JSON body of ``BENCH_LIMIT_BYTES`` bytes (the
size of the Arabic article detail response, measured by ``bench.run``) through
the same middleware, with no database and no serializer. It exists only in the
benchmark's settings.
"""

import os

from django.http import HttpResponse
from django.urls import path

from clinic.urls import handler404, handler500
from clinic.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

DEFAULT_LIMIT_BYTES = 16_384


def limit_body(size: int) -> bytes:
    """A valid JSON document of exactly ``size`` bytes (at least 16)."""
    head, tail = b'{"padding":"', b'"}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


LIMIT_BODY = limit_body(int(os.environ.get("BENCH_LIMIT_BYTES") or DEFAULT_LIMIT_BYTES))


def limit(request):
    return HttpResponse(LIMIT_BODY, content_type="application/json")


urlpatterns = [path("bench/limit/", limit, name="bench-limit"), *project_urlpatterns]
