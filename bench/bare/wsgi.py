"""WSGI entry point of the bare limit (``gunicorn bench.bare.wsgi:application``).

The settings module is set, not defaulted: the benchmark's environment names
``bench.settings`` for every other process, and this one must never serve those.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"

application = get_wsgi_application()
