import pytest
from django.utils import translation

from clinic.services import demo_content_load


@pytest.fixture(autouse=True)
def _source_language():
    """Each test starts in English: a request in Arabic must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_content(db):
    """The clinic page, loaded as `make run` loads it."""
    demo_content_load()


@pytest.fixture
def admin_client_ar(admin_client):
    """The admin, with the admin interface itself in Arabic."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    return admin_client
