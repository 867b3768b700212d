"""JSON bodies come from one encoder (clinic.rendering.dumps, orjson): compact UTF-8, the same
data as DRF's own renderer gave."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from articles.models import Article
from clinic.rendering import dumps

pytestmark = pytest.mark.django_db

ARABIC = "عربي"


def compact_utf8(data) -> bytes:
    """The standard library's compact, unescaped JSON: what ``dumps`` must equal byte for byte."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def test_dumps_writes_compact_utf8_not_ascii_escapes():
    data = {"title": ARABIC, "name": "Українська", "list": [1, 2.5, None, True]}
    assert dumps(data) == compact_utf8(data)
    assert ARABIC.encode() in dumps(data)
    assert b"\\u" not in dumps(data)


def test_dumps_encodes_what_drfs_encoder_encodes():
    data = {
        "lazy": gettext_lazy("Arabic"),
        "decimal": Decimal("1.50"),
        "utc": datetime.datetime(2016, 4, 20, 9, 30, 15, 250000, tzinfo=datetime.UTC),
        "offset": datetime.datetime(
            2016, 4, 20, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
        "date": datetime.date(2016, 4, 20),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "set": {"ar"},
        "tuple": ("en", "uk"),
        "generator": (code for code in ["en"]),
        "int keys": {1: "one"},
    }
    drf = json.loads(DRFJSONRenderer().render({**data, "generator": iter(["en"])}))
    assert json.loads(dumps(data)) == drf
    assert drf["utc"] == "2016-04-20T09:30:15.250000Z"


def test_line_and_paragraph_separators_stay_escaped_as_drf_wrote_them():
    data = {"text": "a\u2028b\u2029c"}
    assert dumps(data) == DRFJSONRenderer().render(data)


def test_dumps_refuses_what_it_cannot_encode():
    with pytest.raises(TypeError):
        dumps({"object": object()})


def test_the_same_data_gives_the_same_bytes():
    data = {"b": 1, "a": [ARABIC, {"z": None}]}
    expected = b'{"b":1,"a":["' + ARABIC.encode() + b'",{"z":null}]}'
    assert dumps(data) == dumps(json.loads(dumps(data))) == expected


def urls() -> list[str]:
    slug = Article.objects.get().slug_ar
    return [
        "/api/v1/articles/?lang=ar",
        f"/api/v1/articles/{slug}/?lang=ar",
        "/api/v1/topics/?lang=ar",
        "/api/v1/contacts/?lang=ar",
        "/api/v1/disclaimers/?lang=ar",
        "/api/v1/languages/?lang=ar",
        "/api/v1/i18n/catalog/?lang=ar",
        "/api/v1/articles/?lang=ar&page_size=500",  # a DRF error
    ]


def test_api_bodies_are_the_data_drfs_renderer_gave(client, demo_content):
    """Read-model responses are compared with the data of the model-based views."""
    for url in urls():
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        data = _data(client, url, response)
        assert json.loads(response.content) == json.loads(DRFJSONRenderer().render(data))


def _data(client, url: str, response):
    """The data DRF rendered: the view's own, or the model-based view's (the read model's
    views answer with stored bytes)."""
    if hasattr(response, "data"):
        return response.data
    with override_settings(ROOT_URLCONF="tests.reference_urls"):
        return client.get(url).data


def test_api_bodies_are_compact_utf8_with_arabic_as_it_is(client, demo_content):
    for url in urls():
        content = client.get(url).content
        assert content == compact_utf8(json.loads(content)), url
    contacts = client.get("/api/v1/contacts/?lang=ar").content
    assert "العربية".encode() in contacts
    assert b"\\u06" not in contacts


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/?lang=ar", "/api/v1/topics/?lang=xx"])
def test_errors_outside_drf_are_compact_utf8_too(client, url):
    response = client.get(url, headers={"Accept-Language": "ar"})
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    assert response.content == compact_utf8(response.json())
    assert b"\\u06" not in response.content
    assert response.json()["error"]["message"].isascii() is False


def test_indented_json_is_still_served_on_request(client, demo_content):
    response = client.get("/api/v1/topics/", headers={"Accept": "application/json; indent=2"})
    assert response.content.startswith(b'[\n  {\n    "')
    data = _data(client, "/api/v1/topics/", response)
    assert json.loads(response.content) == json.loads(DRFJSONRenderer().render(data))
