"""Which cached responses are still current: the database says, each process checks.

A cached response (or a cached list total) keeps the number of the last change
its process knew of when it was rendered, and the tags of what it contains
(:func:`clinic.published.store.tags_of_change`). It is current while none of
those tags has moved since. Each process learns which tags moved from the
database (:class:`~clinic.published.models.Tag`, written in the transaction of
the change), at most every ``API_FRESHNESS_SECONDS`` (one indexed query that
usually returns nothing), and at once after a change it made itself. The cache
holds no version and is never written to invalidate: a lost, failed or delayed
cache write cannot make a process serve a response older than the last commit
for longer than ``API_FRESHNESS_SECONDS`` (1 s by default).
"""

import threading
import time
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from clinic.published.models import Document, Sequence, Tag

#: Every cached response depends on this tag: moved by a rebuild of many documents.
EVERYTHING = "*"


class Clock:
    """One process's knowledge of the changes: the tags moved since its first look."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: Moves on at each reset: what was loaded before cannot be checked any more.
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        self.generation += 1
        #: The number of the last change known (None: not looked yet).
        self.seq: int | None = None
        #: Moved tags known, with the number of their last move, from ``base`` on.
        self.moved: dict[str, int] = {}
        #: ``moved`` is complete for changes after this number.
        self.base: int | None = None
        self.checked = float("-inf")
        #: When the next scheduled object goes live (None: none scheduled).
        self.next_live: datetime | None = None
        self._schedule_known = False

    def expect_change(self) -> None:
        """This process just made a change: look again at the next request."""
        self.checked = float("-inf")

    def now(self) -> int:
        """The number of the last change, looking in the database when it is time."""
        due = time.monotonic() - self.checked >= settings.API_FRESHNESS_SECONDS
        if self.seq is None or due:
            with self._lock:
                self._look()
        if self.next_live is not None and self.next_live <= timezone.now():
            self._schedule_known = False
        if not self._schedule_known:
            self._load_schedule()
        return self.seq

    def _look(self) -> None:
        if self.seq is None:
            self.seq = self.base = (
                Sequence.objects.values_list("value", flat=True).filter(pk=1).first() or 0
            )
        else:
            moved = list(Tag.objects.filter(seq__gt=self.seq).values_list("name", "seq"))
            if not moved and self._went_back():
                return
            for name, seq in moved:
                self.moved[name] = seq
                self.seq = max(self.seq, seq)
                if name in ("article:set", EVERYTHING):
                    self._schedule_known = False
        self.checked = time.monotonic()

    def _went_back(self) -> bool:
        """Whether the database's changes are behind ours (a new or restored database): start over.

        (After restoring a backup, clear the cache too: see docs/operations.md.)
        """
        value = Sequence.objects.values_list("value", flat=True).filter(pk=1).first() or 0
        if value >= self.seq:
            return False
        self.reset()
        self.seq = self.base = value
        self.checked = time.monotonic()
        return True

    def _load_schedule(self) -> None:
        self.next_live = (
            Document.objects.filter(visible=True, public_from__gt=timezone.now())
            .order_by("public_from")
            .values_list("public_from", flat=True)
            .first()
        )
        self._schedule_known = True

    def current(self, seq: int, tags: Iterable[str]) -> bool:
        """Whether something rendered at change ``seq`` with ``tags`` is still current."""
        if self.base is None or seq < self.base:
            self._learn_back_to(seq)
        return all(self.moved.get(tag, 0) <= seq for tag in (*tags, EVERYTHING))

    def known_outdated(self, seq: int, tags: Iterable[str]) -> bool:
        """Whether this process knows (without the database) that a tag moved after ``seq``."""
        return any(self.moved.get(tag, 0) > seq for tag in (*tags, EVERYTHING))

    def _learn_back_to(self, seq: int) -> None:
        """Learn the moves after ``seq`` this process has not seen (it started later)."""
        with self._lock:
            upper = self.base if self.base is not None else self.now()
            earlier = Tag.objects.filter(seq__gt=seq, seq__lte=upper).values_list("name", "seq")
            for name, moved in earlier:
                self.moved[name] = max(self.moved.get(name, 0), moved)
            self.base = seq

    def seconds_left(self, seconds: int) -> int:
        """``seconds``, or less if a scheduled object goes live sooner."""
        if self.next_live is None:
            return seconds
        until = (self.next_live - timezone.now()).total_seconds()
        return max(1, min(seconds, int(until)))


clock = Clock()
