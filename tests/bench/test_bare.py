"""The bare limit answers exactly the bytes and Content-Type it is given, with no app loaded."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Calls the WSGI application as gunicorn would, in a process of its own (other settings).
CALL = """
import io, json, sys
from bench.bare.wsgi import application
from django.apps import apps
from django.conf import settings
seen = {}
def start_response(status, headers):
    seen["status"], seen["headers"] = status, dict(headers)
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": sys.argv[1], "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "8000", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http"}
body = b"".join(application(environ, start_response))
seen["body"] = body.decode("utf-8")
seen["apps"] = [config.name for config in apps.get_app_configs()]
seen["middleware"] = settings.MIDDLEWARE
seen["databases"] = [database["ENGINE"] for database in settings.DATABASES.values()]
print(json.dumps(seen))
"""


def call_bare(tmp_path, body: bytes, content_type: str, path: str = "/bench/bare/") -> dict:
    body_file = tmp_path / "body"
    body_file.write_bytes(body)
    env = {
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",  # the WSGI module must override it
        "BENCH_BARE_BODY": str(body_file),
        "BENCH_BARE_CONTENT_TYPE": content_type,
    }
    result = subprocess.run(
        [sys.executable, "-c", CALL, path], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_bare_view_answers_the_given_bytes_and_content_type(tmp_path):
    body = json.dumps({"title": "عنوان"}, ensure_ascii=False).encode("utf-8")
    seen = call_bare(tmp_path, body, "application/json")
    assert seen["status"] == "200 OK"
    assert seen["body"].encode("utf-8") == body
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["Content-Length"] == str(len(body))


def test_the_bare_limit_has_no_app_no_middleware_and_no_database(tmp_path):
    seen = call_bare(tmp_path, b"{}", "application/json")
    assert (seen["apps"], seen["middleware"]) == ([], [])
    assert seen["databases"] == ["django.db.backends.dummy"]  # what Django makes of {}
