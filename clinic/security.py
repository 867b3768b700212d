"""Content Security Policy: strict for the JSON API, tight for the admin and the API docs.

The admin and the docs load every script and style from this site. The one
inline script they need, the import map of the admin's rich-text editor, is
allowed by its hash, computed from the same widget that renders it.
"""

import base64
import hashlib
import re
from functools import cache

from django.conf import settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' {script_hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
IMPORTMAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.S)


@cache
def _editor_importmap_hash() -> str:
    from django_prose_editor.widgets import AdminProseEditorWidget

    from clinic.html import EDITOR_CONFIG

    media = AdminProseEditorWidget(config=EDITOR_CONFIG, preset="configurable").media
    scripts = IMPORTMAP.findall(str(media))
    digests = [
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts
    ]
    return " ".join(digests)


def policy_for(path: str) -> str:
    if path.startswith(("/admin/", "/api/docs/")):
        return PAGE_POLICY.format(script_hashes=_editor_importmap_hash())
    return API_POLICY


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        return response
