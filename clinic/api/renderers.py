"""The API's JSON renderer: DRF's, encoding with :func:`clinic.rendering.dumps` (orjson)."""

from rest_framework import renderers

from clinic.rendering import dumps


class JSONRenderer(renderers.JSONRenderer):
    """Compact UTF-8 JSON through the project's one encoder.

    A client that asks for indented JSON (``Accept: application/json; indent=4``)
    gets DRF's own rendering of the same data: it is rare, and orjson indents
    only by two.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)
