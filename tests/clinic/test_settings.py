"""The settings module reads the environment; checked in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, "
    "'engine': settings.DATABASES['default']['ENGINE'], "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'languages': [code for code, _ in settings.LANGUAGES]}))"
)
CONTROLLED = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")


def load_settings(**env: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_sqlite_locmem_and_debug_off():
    loaded = settings_with(SECRET_KEY="x" * 50)
    assert loaded["debug"] is False
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_debug_runs_without_a_secret_key():
    assert settings_with(DEBUG="1")["debug"] is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_debug_false_values_keep_it_off(value):
    assert settings_with(DEBUG=value, SECRET_KEY="x" * 50)["debug"] is False


def test_database_url_selects_postgresql():
    loaded = settings_with(SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@127.0.0.1:5432/db")
    assert loaded["engine"] == "django.db.backends.postgresql"


def test_redis_url_selects_the_redis_cache():
    loaded = settings_with(SECRET_KEY="x" * 50, REDIS_URL="redis://127.0.0.1:6379/0")
    assert loaded["cache"] == "clinic.cache.RedisCache"  # Django's, one client per pool


def test_languages_live_in_code_with_english_first():
    assert settings_with(DEBUG="1")["languages"] == ["en", "ar", "uk"]


PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "api.clinic.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_check_deploy_is_clean_with_production_variables():
    base = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_logs_are_json_lines():
    base = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    code = "import django, logging; django.setup(); logging.getLogger('clinic').warning('hello')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "clinic.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["message"] == "hello"
    assert line["level"] == "WARNING"
    assert line["logger"] == "clinic"
