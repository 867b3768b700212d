"""Settings of the bare limit: Django with nothing in it but one URLconf.

No installed app, no middleware, no database, no templates: a request goes from
gunicorn through Django's WSGI handler and URL resolver to the view, and back.
Whatever the project's own stack costs on top of that shows as the difference
between this limit and the project-stack limit (``/bench/limit/``, bench.urls).
"""

import os

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-bare-limit-signs-nothing")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
ROOT_URLCONF = "bench.bare.urls"
USE_I18N = False
USE_TZ = True
