"""The production settings, with the benchmark's URLs (they add the ``/bench/limit/`` view).

Without ``DATABASE_URL`` the benchmark uses its own SQLite file, ``bench/bench.sqlite3``,
never the development database. Nothing else differs from ``clinic.settings``.
"""

import os
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent / 'bench.sqlite3'}"
)

from clinic.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark's images (bench.generate makes 20) stay beside its database.
MEDIA_ROOT = Path(__file__).resolve().parent / "media"
