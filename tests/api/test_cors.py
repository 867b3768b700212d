import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allowed_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.clinic.example"]


def test_allowed_origin_may_read(client):
    response = client.get("/api/v1/topics/", headers={"Origin": "https://www.clinic.example"})
    assert response["Access-Control-Allow-Origin"] == "https://www.clinic.example"


def test_other_origins_get_no_cors_header(client):
    response = client.get("/api/v1/topics/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_preflight_allows_only_reads(client):
    response = client.options(
        "/api/v1/articles/",
        headers={
            "Origin": "https://www.clinic.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert response.status_code == 200
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_browsers_may_read_the_caching_and_language_headers(client):
    response = client.get("/api/v1/topics/", headers={"Origin": "https://www.clinic.example"})
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {
        "etag",
        "last-modified",
        "retry-after",
        "content-language",
        "x-cache",
        "warning",
    } <= exposed
