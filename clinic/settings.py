"""Settings for the clinic content API, read from the environment.

Everything that varies per deployment comes from environment variables (see the
"Configuration" table of docs/operations.md). Languages are code, not environment:
they shape the database schema through django-modeltranslation.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default, kind: type, described: str):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {described}, got {value!r}.") from exc


def page_url_templates(
    name: str, default: str, by_language: str, languages: list[str]
) -> dict[str, str]:
    """Language → public page URL template (``default`` unless overridden); ``{}`` if none.

    Each template is an absolute http(s) URL with ``{slug}`` and at most ``{lang}``.
    """
    templates = dict.fromkeys(languages, default.strip()) if default.strip() else {}
    for entry in by_language.split():
        code, separator, template = entry.partition("=")
        if not separator or code not in languages:
            raise ImproperlyConfigured(
                f"{name}_BY_LANGUAGE: {entry!r} is not <language>=<template> with a configured "
                f"language ({', '.join(languages)})."
            )
        templates[code] = template
    for code, template in templates.items():
        try:
            example = template.format(slug="x", lang=code)
        except (KeyError, IndexError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"{name} ({code}): {template!r} may use only {{slug}} and {{lang}}."
            ) from exc
        if "{slug}" not in template or not example.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                f"{name} ({code}): {template!r} must be an absolute http(s) URL with {{slug}}."
            )
    return templates


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set the SECRET_KEY environment "
            "variable (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch translated fields in.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "clinic.i18n",
    "clinic.reviews",
    "clinic.published",
    "clinic.events",
    "clinic.audit",
    "clinic.images",
    "clinic",
    "articles",
    # Sign-in lockout (after the apps, so that clinic.lockout's admin replaces axes' own).
    "axes",
    "clinic.lockout",
    # Two-factor sign-in (TOTP and recovery codes) for the admin (clinic/twofactor/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clinic.twofactor",
]

# The admin, the static files and every other page.
MIDDLEWARE = [
    # API requests (/api/, /healthz, /readyz) leave here for API_MIDDLEWARE below.
    "clinic.api.middleware.ApiStackMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The request, for the audit trail of changes to users, groups and permissions.
    "clinic.audit.context.RequestContextMiddleware",
    "clinic.audit.sessions.StaffSessionIdleMiddleware",
    # Staff who need a second factor reach only its pages until they give it.
    "clinic.twofactor.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a refused sign-in with the lockout page (clinic.lockout); last, as axes asks.
    "axes.middleware.AxesMiddleware",
]
# The API (anonymous, read-only JSON and its docs): the same security headers, CORS, the
# request language, gzip (public responses), Host validation and Content-Length, ETag/304;
# no sessions, CSRF, authentication, messages or static files, so no cookie is ever read or set.
# The response cache answers a kept response before everything after it (a hit skips that
# middleware and DRF); what runs before it depends on request headers its key leaves out.
API_MIDDLEWARE = [
    "clinic.api.middleware.PublicGZipMiddleware",
    "clinic.api.middleware.ApiConditionalGetMiddleware",
    "clinic.api.response_cache.ResponseCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.security.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "clinic.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clinic" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite with nothing set, PostgreSQL (or any dj-database-url URL) from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails the request (503) within seconds, not at TCP's timeouts
    # (minutes): connecting, sending (data unacknowledged) and waiting on a silent
    # connection (keepalive probes) are each bounded, well below gunicorn's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
        tcp_user_timeout=10_000,
        keepalives=1,
        keepalives_idle=5,
        keepalives_interval=2,
        keepalives_count=3,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory with nothing set, Redis from REDIS_URL. Redis down, slow or full is a
# cache miss, never an error (clinic/cache.py): each answer must come within
# CACHE_TIMEOUT_SECONDS; after a failure a process leaves Redis alone for CACHE_RETRY_SECONDS.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TIMEOUT_SECONDS = env_float("CACHE_TIMEOUT_SECONDS", 0.25)
CACHE_RETRY_SECONDS = env_float("CACHE_RETRY_SECONDS", 5.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sign-in lockout (django-axes, clinic/lockout/): the first backend refuses every sign-in,
# right password or not, while the username or the client address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failed sign-ins for one username, or from one client address, both are
# refused for ADMIN_LOCKOUT_MINUTES after the last failure; failures count while each comes
# within that time of the one before. The state is kept in the database (every worker and
# machine shares it); unlock with `manage.py axes_reset_username` / `axes_reset_ip` or the
# admin's "Access attempts". See docs/operations.md ("Staff sign-in").
AXES_FAILURE_LIMIT = env_int("ADMIN_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_float("ADMIN_LOCKOUT_MINUTES", 15.0))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client address as throttling reads it: NUM_PROXIES hops of X-Forwarded-For, no more.
AXES_CLIENT_IP_CALLABLE = "clinic.lockout.client.client_address"
AXES_LOCKOUT_CALLABLE = "clinic.lockout.views.locked_out"
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() <= 0:
    raise ImproperlyConfigured(
        "ADMIN_LOCKOUT_FAILURES must be at least 1 and ADMIN_LOCKOUT_MINUTES more than 0."
    )

# Two-factor sign-in (clinic/twofactor/, docs/operations.md "Two-factor sign-in"): who must
# give a second factor after the password to reach any admin page. "privileged": superusers
# and staff who can publish, review, manage users or change contact lines and disclaimers
# (clinic.twofactor.policy); "all": every staff user. Whoever has set it up gives it always.
STAFF_TWO_FACTOR = os.environ.get("STAFF_TWO_FACTOR", "privileged")
if STAFF_TWO_FACTOR not in {"privileged", "all"}:
    raise ImproperlyConfigured('STAFF_TWO_FACTOR must be "privileged" or "all".')
# The issuer authenticator apps show beside the username.
OTP_TOTP_ISSUER = os.environ.get("STAFF_TWO_FACTOR_ISSUER", "Clinic content")
# After a wrong code, the next one is refused for 1, 2, 4… seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. The first one is the source language every translation is made from.
# Adding a language: see docs/translators.md ("Adding a language"); it needs a migration.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# jQuery UI for the admin's language tabs (read by modeltranslation) is shipped, no CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "clinic" / "static"]
# Production serves collected, compressed, content-hashed files through WhiteNoise
# (`make serve` runs collectstatic first); tests and development read app folders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded images of the media library (clinic/images/, docs/media.md): files under MEDIA_ROOT,
# served at MEDIA_URL by the proxy in front (or by `make run`'s development server); with
# MEDIA_S3_BUCKET set, an S3-compatible bucket through django-storages (credentials from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as boto3 reads them).
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "media")
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            # Public, immutable files: names are generated and never reused.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Uploads larger than this many bytes, or with more pixels than this, are refused (a
# decompression bomb is a small file of very many pixels).
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# Renditions of every image (part of the API's shape, so code): widths in pixels (never wider
# than the original), and the ratios of the crops around the focal point.
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)
IMAGE_CROP_RATIOS = ("16:9", "1:1")

# REST API (see clinic/api/). JSON only; anonymous, read-only, throttled.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)
# Server-side cache of API responses (seconds; 0 turns it off). See clinic/api/response_cache.py.
API_RESPONSE_CACHE_SECONDS = env_int("API_RESPONSE_CACHE_SECONDS", 300)
# Totals of paginated lists, kept until what they count changes (seconds; 0 counts every time).
API_COUNT_CACHE_SECONDS = env_int("API_COUNT_CACHE_SECONDS", 300)
# How often each process asks the database what changed (seconds): the longest a cached
# response can be served after a commit changed it. See clinic/published/freshness.py.
API_FRESHNESS_SECONDS = env_float("API_FRESHNESS_SECONDS", 1.0)
# While the database is unreachable, a cached response at most this old (seconds) is served,
# marked stale; 0 serves none. Everything else answers 503 with Retry-After
# (API_RETRY_AFTER_SECONDS). See docs/operations.md ("Faults").
API_STALE_IF_ERROR_SECONDS = env_int("API_STALE_IF_ERROR_SECONDS", 3600)
API_RETRY_AFTER_SECONDS = env_int("API_RETRY_AFTER_SECONDS", 5)
# Edge caches (Varnish, Fastly, Cloudflare) in front of the API: see docs/frontends.md
# ("Edge caches and purges") and clinic/published/edge.py. Public responses name what they
# contain in this header ("" sends none): xkey (Varnish), Surrogate-Key (Fastly), Cache-Tag
# (Cloudflare).
EDGE_CACHE_KEY_HEADER = os.environ.get("EDGE_CACHE_KEY_HEADER", "xkey").strip()
# Where each committed change purges the keys it changed (comma-separated): http(s)://… (a
# Varnish running deploy/varnish/clinic.vcl), fastly://TOKEN@SERVICE_ID,
# cloudflare://TOKEN@ZONE_ID. None: nothing is purged.
EDGE_CACHE_PURGE_URLS = env_list("EDGE_CACHE_PURGE_URLS")
# Seconds a purge request may take before it counts as failed (failures are logged).
EDGE_CACHE_PURGE_TIMEOUT = env_float("EDGE_CACHE_PURGE_TIMEOUT", 2.0)
# Purge the same keys again this many seconds later (0: once): an edge may have fetched,
# between the commit and the moment every process knows of it (API_FRESHNESS_SECONDS), a
# response that was current a moment before.
EDGE_CACHE_REPURGE_SECONDS = env_float("EDGE_CACHE_REPURGE_SECONDS", 2.0)
# s-maxage of public API responses (0: none, edges keep them for max-age): purged edges can
# keep them longer than browsers. Never past the moment a scheduled article goes live.
EDGE_CACHE_MAX_AGE = env_int("EDGE_CACHE_MAX_AGE", 0)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["clinic.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["clinic.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_THROTTLE_RATE", "300/minute")},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "clinic.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "clinic.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    # Proxies in front of the app: throttling trusts that many X-Forwarded-For hops
    # and no more (0: the client is REMOTE_ADDR, the header is ignored).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic content API",
    "DESCRIPTION": (
        "Research news, contact lines and medical disclaimers of the clinic, in every "
        "configured language. Anonymous and read-only. The language of a response is "
        "chosen by `?lang=`, then `Accept-Language`, then English; every translated "
        "object says which of its fields fell back to English and which are stale."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clinic.api.schema.name_closed_sets",
        "clinic.api.schema.add_error_responses",
    ],
    # One named component per closed set of values (docs/api.md, "Enums").
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.Article.Status",
        "LanguageCode": [code for code, _name in LANGUAGES],
        "TextDirection": ["ltr", "rtl"],
        "StudyPhase": "articles.models.Article.Phase",
        "ReferenceKind": "articles.models.Reference.Kind",
        "ContactKind": "clinic.models.ContactLine.Kind",
        "DisclaimerScope": "clinic.models.Disclaimer.AppliesTo",
        "HealthStatus": ["ok", "degraded", "unavailable"],
        "CheckStatus": ["ok", "unavailable"],
    },
}

# CORS: only these origins may read the API from a browser (comma-separated URLs).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api/|healthz|readyz).*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "Content-Language",
    "ETag",
    "Last-Modified",
    "Retry-After",
    "X-Cache",
    "Warning",
    "Age",
]

# Editorial rules.
# Disclaimers every published article must carry (by key).
ARTICLE_REQUIRED_DISCLAIMERS = ["treatment-results"]
# Publishing a language version of medical content (an article) needs a current medical review
# of that language. On by default: a clinic should not publish medical statements nobody
# reviewed; turn it off only where reviews happen outside this system (the API then states no
# review at all). It governs publishing from then on, never unpublishes what is public.
MEDICAL_REVIEW_REQUIRED = env_bool("MEDICAL_REVIEW_REQUIRED", True)
# The admin warns when an article's current medical review is older than this.
MEDICAL_REVIEW_MAX_AGE_DAYS = env_int("MEDICAL_REVIEW_MAX_AGE_DAYS", 365)
# How long an admin preview link stays valid, in seconds.
PREVIEW_MAX_AGE = env_int("PREVIEW_MAX_AGE", 24 * 3600)
# The largest translation file (PO or XLIFF) a translator may upload in the admin, in bytes.
TRANSLATION_UPLOAD_MAX_BYTES = env_int("TRANSLATION_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

# Change events and webhooks (clinic/events/, docs/frontends.md). Deliveries are tasks of the
# django-tasks database backend, run by `manage.py db_worker` (`make run` starts one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "webhooks"],
    }
}
# Scheme and host of the `api_url` in change events (e.g. https://api.clinic.example);
# without it, `api_url` is the path alone.
EVENTS_API_ORIGIN = os.environ.get("EVENTS_API_ORIGIN", "").rstrip("/")
# Seconds to connect to a webhook endpoint and to wait for its answer.
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 5.0)
# Attempts of a delivery, the first included; the n-th retry waits
# WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1), at most WEBHOOK_RETRY_MAX_SECONDS.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_float("WEBHOOK_RETRY_BASE_SECONDS", 30.0)
WEBHOOK_RETRY_MAX_SECONDS = env_float("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600.0)
# Endpoints on private, loopback, link-local or reserved addresses are refused (SSRF)
# unless this is on; on by default with DEBUG only.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", DEBUG)

# The publisher named in articles' JSON-LD, with its website. Without a name the publisher is
# the host serving the API (whoever runs the host publishes what it serves): a true default,
# where a made-up clinic name would not be.
CLINIC_NAME = os.environ.get("CLINIC_NAME", "")
CLINIC_URL = os.environ.get("CLINIC_URL", "")

# Public pages of the site that shows the content (not the API): a URL template per kind,
# with {slug} (the slug of the language version, percent-encoded) and optionally {lang} (its
# code), and per-language overrides (``ar=https://clinic.example/ar/akhbar/{slug}/``, separated
# by spaces) for sites whose paths differ per language. Unset: no page URLs, no sitemaps.
PUBLIC_PAGE_URLS = {
    "article": page_url_templates(
        "PUBLIC_ARTICLE_URL",
        os.environ.get("PUBLIC_ARTICLE_URL", ""),
        os.environ.get("PUBLIC_ARTICLE_URL_BY_LANGUAGE", ""),
        [code for code, _name in LANGUAGES],
    ),
    "topic": page_url_templates(
        "PUBLIC_TOPIC_URL",
        os.environ.get("PUBLIC_TOPIC_URL", ""),
        os.environ.get("PUBLIC_TOPIC_URL_BY_LANGUAGE", ""),
        [code for code, _name in LANGUAGES],
    ),
}

# Phone numbers written without a country code are read as numbers of this region.
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "UA")

# Logs go to stdout: one JSON object per line in production (LOG_FORMAT=json, the
# default without DEBUG), plain text for local development.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces its version at every start; its lockouts are warnings.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# Security. Behind a TLS-terminating proxy (the production set-up) the proxy sets
# X-Forwarded-Proto; plain HTTP is redirected to HTTPS unless DEBUG is on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Admin sessions unused for this long (seconds) are signed out (clinic/audit/sessions.py;
# 0: never). Sessions of staff are also ended when their groups, permissions or status change.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
# Content-Security-Policy on every response (clinic/security.py): none at all for the
# JSON API, same-origin only for the admin and the API docs.
CONTENT_SECURITY_POLICY = env_bool("CONTENT_SECURITY_POLICY", True)
