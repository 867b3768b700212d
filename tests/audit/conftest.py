import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from clinic.twofactor.policy import requires_two_factor
from tests.two_factor import give_second_factor

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        username="editor", password=PASSWORD, is_staff=True, email="editor@example.org"
    )


@pytest.fixture
def sign_in():
    """A new browser signed in to the admin with username and password (and the code of
    their authenticator app where their role needs two-factor sign-in)."""

    def signed_in(username: str, password: str = PASSWORD, **headers) -> Client:
        browser = Client(**headers)
        response = browser.post(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        )
        assert response.status_code == 302, "sign-in failed"
        user = get_user_model().objects.get(username=username)
        if requires_two_factor(user):
            give_second_factor(browser, user)
        return browser

    return signed_in


def is_signed_in(browser: Client) -> bool:
    return browser.get("/admin/").status_code == 200
