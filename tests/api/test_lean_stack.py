"""API requests pass ``API_MIDDLEWARE`` only; the admin and every other page the full stack.

The API is anonymous JSON: no session, CSRF, authentication or messages run for
it, so no response of it sets a cookie or varies on one, whatever cookies a
browser that also uses the admin sends along.
"""

import re

import pytest
from django.test import Client

from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

API_URLS = [
    "/api/v1/articles/?lang=ar",
    "/api/v1/contacts/?lang=ar",
    "/api/v1/i18n/catalog/",
    "/api/docs/",
    "/healthz",
    "/api/v1/articles/missing/",  # 404
    "/api/v1/articles/?lang=xx",  # 400, answered by the language middleware
    "/api/v1/nothing-here/",  # 404 of the catch-all
]
calls: list[tuple[str, str]] = []


class Recorder:
    """A middleware that notes which requests it saw, and which views it was shown."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        calls.append(("call", request.path))
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs) -> None:
        calls.append(("view", request.path))


RECORDER = f"{__name__}.Recorder"


@pytest.fixture
def recorded():
    calls.clear()
    yield calls
    calls.clear()


@pytest.fixture(params=["logged in to the admin", "expired session", "malformed session"])
def browser(request, admin_user) -> Client:
    """A browser that also uses the admin: its session and CSRF cookies go with every request.

    (A malformed session cookie, say another site's on the same domain, is one
    Django's session middleware would delete, with ``Vary: Cookie``.)
    """
    client = Client()
    if request.param == "logged in to the admin":
        force_sign_in(client, admin_user)
    elif request.param == "expired session":
        client.cookies["sessionid"] = "an-expired-session-key-0123456789"
    else:
        client.cookies["sessionid"] = "abc"
    client.cookies["csrftoken"] = "x" * 32
    return client


def varies_on(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("url", API_URLS)
def test_api_responses_set_no_cookie_and_do_not_vary_on_one(browser, demo_content, url):
    response = browser.get(url)
    assert response.status_code in (200, 400, 404)
    assert not response.cookies
    assert not response.has_header("Set-Cookie")
    assert "cookie" not in varies_on(response)


def test_no_session_csrf_authentication_or_messages_run_for_the_api(browser, demo_content):
    request = browser.get("/api/v1/contacts/").wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "auser")  # AuthenticationMiddleware's
    assert request.user is None  # DRF's: no authentication classes, nobody
    assert not hasattr(request, "_messages")
    assert "CSRF_COOKIE" not in request.META


def test_the_admin_still_has_its_session_and_user(admin_client):
    request = admin_client.get("/admin/").wsgi_request
    assert request.session.session_key
    assert request.user.is_superuser


def test_admin_login_needs_its_csrf_token_and_sets_a_session(django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/admin/login/")
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    credentials = {"username": "editor", "password": "a-long-passphrase", "next": "/admin/"}

    assert browser.post("/admin/login/", credentials).status_code == 403  # no token
    response = browser.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "sessionid" in response.cookies
    # Signed in: the admin asks for the second factor a superuser needs, not for the password.
    assert browser.get("/admin/")["Location"] == "/admin/two-factor/setup/?next=%2Fadmin%2F"


def test_api_requests_pass_api_middleware_and_skip_the_rest(client, settings, recorded):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, RECORDER]
    settings.API_MIDDLEWARE = [*settings.API_MIDDLEWARE, RECORDER]
    client.get("/api/v1/topics/")
    assert recorded == [("call", "/api/v1/topics/"), ("view", "/api/v1/topics/")]


def test_other_requests_pass_the_full_stack_only(client, settings, recorded):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, RECORDER]
    client.get("/admin/login/")
    assert recorded == [("call", "/admin/login/"), ("view", "/admin/login/")]
    recorded.clear()
    client.get("/api/v1/topics/")
    assert recorded == []


def test_an_exception_in_an_api_view_is_a_json_500_without_cookies(browser, monkeypatch):
    from clinic.api import published

    def explode(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(published, "unpaginated", explode)
    browser.raise_request_exception = False
    response = browser.get("/api/v1/disclaimers/", {"lang": "ar"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"
    assert response["Content-Language"] == "ar"
    assert not response.cookies
