"""A version of the published content, shared by every process through the cache.

Any content change bumps it once its transaction commits (see
``clinic.signals``). The API derives ``Last-Modified`` from it, so a
conditional request never gets a 304 for content that changed, deleted objects
included. The version also lists the times at which scheduled content goes
live (each app says when, in the content registry), so a scheduled article
moves ``Last-Modified`` forward when its time comes, without any job running.
With Redis as the cache every process sees the same version (with the
local-memory cache each process has its own, which is fine for one development
server only). If the entry is lost, a new one starts without a known schedule
and ``Last-Modified`` is the current time until the next change: responses can
look newer, never staler.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from clinic.content import scheduled_times

CACHE_KEY = "content-version"


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: datetime
    # ``None``: not known (the version was lost and restarted without a query).
    scheduled: tuple[datetime, ...] | None = None

    def last_modified(self, now: datetime | None = None) -> datetime:
        """When the visible content last changed: an edit, or a scheduled time passing.

        With the schedule unknown, it is "now": never a false 304.
        """
        now = now or timezone.now()
        if self.scheduled is None:
            return now
        return max([self.changed_at, *(moment for moment in self.scheduled if moment <= now)])

    def passed_schedule_points(self, now: datetime | None = None) -> int:
        now = now or timezone.now()
        return sum(1 for moment in self.scheduled or () if moment <= now)


def current_version() -> ContentVersion:
    """The current version, without touching the database."""
    version = cache.get(CACHE_KEY)
    if version is None:
        version = ContentVersion(token=secrets.token_hex(8), changed_at=timezone.now())
        if not cache.add(CACHE_KEY, version, timeout=None):
            version = cache.get(CACHE_KEY) or version
    return version


def bump_version() -> ContentVersion:
    """Start a new version now (called after a content change commits)."""
    version = ContentVersion(
        token=secrets.token_hex(8), changed_at=timezone.now(), scheduled=tuple(scheduled_times())
    )
    cache.set(CACHE_KEY, version, timeout=None)
    return version
