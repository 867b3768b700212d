"""The lockout is shared: failures counted by one server process refuse sign-in on another.

Two gunicorn servers in production settings on one database (SQLite file, or PostgreSQL with
DATABASE_URL), as two machines behind one load balancer would be.
"""

import re

import pytest
import requests

from bench.processes import Server
from tests.api.live import BEHIND_TLS_PROXY, live_api

PASSWORD = "shared-lockout-password-1"  # a throwaway test user
LIMIT = 5  # ADMIN_LOCKOUT_FAILURES' default


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lockout")
    with live_api(directory, workers=1) as api:
        api.manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_user('editor', password='{PASSWORD}', "
            "is_staff=True)",
        )
        second = Server("live-api-2", api.env, directory)
        try:
            second.start(1)
            yield api.server, second
        finally:
            second.stop()


def sign_in(server: Server, username: str, password: str) -> requests.Response:
    """The admin's sign-in form, fetched and posted as a browser behind the TLS proxy does."""
    url = server.url("/admin/login/")
    form = requests.get(url, headers=BEHIND_TLS_PROXY, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return requests.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        },
        headers={
            **BEHIND_TLS_PROXY,
            "Origin": f"https://127.0.0.1:{server.port}",
            "Cookie": f"csrftoken={form.cookies['csrftoken']}",
        },
        allow_redirects=False,
        timeout=60,
    )


def test_failures_on_one_process_lock_out_sign_in_on_the_other(two_servers):
    first, second = two_servers
    assert [sign_in(first, "editor", "wrong").status_code for _ in range(LIMIT - 1)] == [200] * (
        LIMIT - 1
    )
    assert sign_in(second, "editor", "wrong").status_code == 429

    refused = sign_in(first, "editor", PASSWORD)
    assert refused.status_code == 429
    assert "sessionid" not in refused.cookies
    assert "Too many failed sign-in attempts" in refused.text
