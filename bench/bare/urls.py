"""The bare limit's one view: the bytes of a file, with a given Content-Type.

``BENCH_BARE_BODY`` names the file (bench.run writes the Arabic detail response
of the project's own server into it) and ``BENCH_BARE_CONTENT_TYPE`` that
response's Content-Type. The file is read once per process, when the first
request loads this URLconf.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from bench.bare import PATH

BODY = Path(os.environ["BENCH_BARE_BODY"]).read_bytes()
CONTENT_TYPE = os.environ.get("BENCH_BARE_CONTENT_TYPE", "application/json")


def bare(request):
    """The constant body; Content-Length set as the project's CommonMiddleware would."""
    response = HttpResponse(BODY, content_type=CONTENT_TYPE)
    response["Content-Length"] = str(len(BODY))
    return response


urlpatterns = [path(PATH, bare, name="bench-bare")]
