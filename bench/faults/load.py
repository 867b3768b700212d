"""A steady load over every public endpoint in every language, recording what each response was.

Threads, each with its own ``http.client`` connection (keep-alive asked for;
gunicorn's sync workers close after each response, and the connection is
opened again), send one request after the other, each thread starting at
another place in the list of paths. Every request becomes a :class:`Sample`:
when it started, how long it took, its status (``None`` for a connection
error, counted apart), ``X-Cache``, ``Retry-After``, ``Warning``, the error
code of a JSON error and, for the tracked article detail, the number of the
edit its title shows (:mod:`bench.faults.editor`).
"""

import bisect
import http.client
import itertools
import json
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from urllib.parse import quote

from bench.faults.editor import title_number
from bench.processes import HEADERS

LANGUAGES = ("en", "ar", "uk")
#: In a path given to :class:`Load`, replaced by a number no request had before: a search
#: for a word nobody searched (``/api/v1/articles/?q=x{unique}``) is never in the cache.
UNIQUE = "{unique}"
TIMEOUT = 30.0
STALE_WARNING = '110 - "Response is Stale"'


@dataclass(frozen=True)
class Endpoints:
    """The public paths of a running server (its slugs read from its own API)."""

    #: Public GETs the response cache keeps (``X-Cache`` on every answer).
    cacheable: tuple[str, ...]
    #: Public GETs answered without the cache (the schema and the API docs).
    uncached: tuple[str, ...]
    #: The health probes.
    probes: tuple[str, ...] = ("/healthz", "/readyz")
    #: The English detail of the demo article, whose title the editor numbers.
    tracked: str = ""
    #: The English slug of that article.
    tracked_slug: str = ""

    @property
    def searches(self) -> tuple[str, ...]:
        """A search per language for a word never searched before: always from the database."""
        return tuple(f"/api/v1/articles/?lang={language}&q=x{UNIQUE}" for language in LANGUAGES)

    @property
    def public(self) -> tuple[str, ...]:
        return self.cacheable + self.uncached

    @property
    def all(self) -> tuple[str, ...]:
        return self.cacheable + self.uncached + self.probes


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def get(
    port: int, path: str, *, headers: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> Reply:
    """One GET on a fresh connection, sent as the TLS proxy would (``X-Forwarded-Proto``)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={**HEADERS, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, headers, body)
    finally:
        connection.close()


def discover(port: int) -> Endpoints:
    """Every public endpoint in every language, with the demo article's and topic's slugs."""
    cacheable: list[str] = []
    uncached: list[str] = []
    tracked = tracked_slug = ""
    for language in LANGUAGES:
        query = f"?lang={language}"
        articles = get(port, f"/api/v1/articles/{query}").json()["results"]
        topics = get(port, f"/api/v1/topics/{query}").json()
        if not articles or not topics:
            raise RuntimeError("the server has no published article or no topic (demo content?)")
        article = articles[0]
        word = max(re.findall(r"\w+", article["title"]), key=len)
        detail = f"/api/v1/articles/{quote(article['slug'])}/{query}"
        cacheable += [
            f"/api/v1/articles/{query}",
            detail,
            f"/api/v1/articles/{query}&q={quote(word)}",
            f"/api/v1/articles/{query}&topic={quote(topics[0]['slug'])}",
            f"/api/v1/topics/{query}",
            f"/api/v1/contacts/{query}",
            f"/api/v1/disclaimers/{query}",
            f"/api/v1/languages/{query}",
            f"/api/v1/i18n/catalog/{query}",
        ]
        uncached += [f"/api/schema/{query}", f"/api/docs/{query}"]
        if language == "en":
            tracked, tracked_slug = detail, article["slug"]
    return Endpoints(tuple(cacheable), tuple(uncached), tracked=tracked, tracked_slug=tracked_slug)


@dataclass(frozen=True)
class Sample:
    path: str
    #: Unix time the request was sent.
    started: float
    ms: float
    #: ``None``: no response (connection refused, reset or timed out); ``error`` says which.
    status: int | None
    error: str | None = None
    x_cache: str | None = None
    retry_after: str | None = None
    warning: str | None = None
    #: ``error.code`` and ``error.details.retry_after`` of a JSON error body.
    code: str | None = None
    retry_after_detail: int | None = None
    #: The edit number the tracked article's title shows.
    title: int | None = None

    @property
    def ended(self) -> float:
        return self.started + self.ms / 1000

    @property
    def stale(self) -> bool:
        return self.x_cache == "stale"

    @property
    def fresh(self) -> bool:
        return self.status == 200 and not self.stale

    @property
    def kind(self) -> str:
        """``fresh`` (200), ``stale`` (200 marked stale), ``unavailable`` (503 with
        ``Retry-After`` and the ``unavailable`` JSON error), ``error`` (no response)
        or ``other``."""
        if self.status is None:
            return "error"
        if self.fresh:
            return "fresh"
        if self.status == 200 and self.warning == STALE_WARNING:
            return "stale"
        if self.status == 503 and self.retry_after and self.code == "unavailable":
            return "unavailable"
        return "other"


def sample_of(path: str, started: float, ms: float, reply: Reply, tracked: str) -> Sample:
    code = detail = title = None
    if reply.status >= 400 and reply.headers.get("content-type", "").startswith("application/json"):
        try:
            error = json.loads(reply.body).get("error") or {}
            code = error.get("code")
            detail = (error.get("details") or {}).get("retry_after")
        except (ValueError, AttributeError):
            pass
    if path == tracked and reply.status == 200:
        title = title_number(reply.json()["title"])
    return Sample(
        path=path,
        started=started,
        ms=ms,
        status=reply.status,
        x_cache=reply.headers.get("x-cache"),
        retry_after=reply.headers.get("retry-after"),
        warning=reply.headers.get("warning"),
        code=code,
        retry_after_detail=detail,
        title=title,
    )


class Load:
    """``threads`` clients requesting ``paths`` one after the other until stopped.

    ``{unique}`` in a path is replaced by a new number at each request (:data:`UNIQUE`).
    """

    def __init__(self, port: int, paths: Iterable[str], *, threads: int = 4, tracked: str = ""):
        self.port = port
        self.paths = list(paths)
        self.tracked = tracked
        self.threads = threads
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._unique = itertools.count(1)  # next() is atomic under the GIL

    def __enter__(self) -> "Load":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        for index in range(self.threads):
            offset = index * len(self.paths) // self.threads
            worker = threading.Thread(target=self._run, args=(offset,), daemon=True)
            worker.start()
            self._workers.append(worker)

    def stop(self) -> list[Sample]:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=TIMEOUT + 5)
        return self.samples

    def _run(self, offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        position = offset
        while not self._stop.is_set():
            path = self.paths[position % len(self.paths)]
            position += 1
            if UNIQUE in path:
                path = path.replace(UNIQUE, str(next(self._unique)))
            started, clock = time.time(), time.perf_counter()
            try:
                connection.request("GET", path, headers={**HEADERS, "Connection": "keep-alive"})
                response = connection.getresponse()
                body = response.read()
                headers = {name.lower(): value for name, value in response.getheaders()}
                ms = (time.perf_counter() - clock) * 1000
                sample = sample_of(
                    path, started, ms, Reply(response.status, headers, body), self.tracked
                )
            except (OSError, http.client.HTTPException) as error:
                ms = (time.perf_counter() - clock) * 1000
                sample = Sample(path, started, ms, None, error=type(error).__name__)
                connection.close()
                self._stop.wait(0.05)  # no busy loop while nothing answers
            with self._lock:
                self.samples.append(sample)
        connection.close()


# Judging


def outdated(
    samples: Iterable[Sample], commits: list[tuple[int, float]], freshness: float
) -> list[Sample]:
    """Fresh responses showing a title older than an edit committed ``freshness`` s before.

    For each fresh (not stale) 200 of the tracked article, the edit that must
    show is the last one whose commit finished more than ``freshness`` seconds
    (``API_FRESHNESS_SECONDS``) before the request started; a response showing
    an earlier number is older than the last commit. A commit's time is taken
    after ``content_save`` returned, so it is never earlier than the commit.
    """
    ordered = sorted(commits, key=lambda commit: commit[1])
    times = [at for _number, at in ordered]
    highest = list(itertools.accumulate((number for number, _at in ordered), max))
    late = []
    for sample in samples:
        if sample.title is None or not sample.fresh:
            continue
        known = bisect.bisect_left(times, sample.started - freshness)
        if known and sample.title < highest[known - 1]:
            late.append(sample)
    return late


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1), or ``None`` without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Summary:
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    connection_errors: dict[str, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    x_cache: dict[str, int] = field(default_factory=dict)
    #: Responses by :attr:`Sample.kind`.
    kinds: dict[str, int] = field(default_factory=dict)
    #: Fresh responses older than the last commit (must be 0).
    outdated: int = 0
    #: Tracked-article responses judged (fresh 200s of its detail).
    judged: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def summarise(
    samples: list[Sample], commits: list[tuple[int, float]] = (), freshness: float = 1.0
) -> Summary:
    answered = [sample for sample in samples if sample.status is not None]
    latencies = [sample.ms for sample in answered]
    statuses = Counter(str(sample.status) for sample in answered)
    errors = Counter(sample.error for sample in samples if sample.status is None)
    caches = Counter(sample.x_cache for sample in answered if sample.x_cache)
    late = outdated(samples, list(commits), freshness)
    judged = sum(1 for sample in samples if sample.title is not None and sample.fresh)

    def rounded(value):
        return None if value is None else round(value, 1)

    return Summary(
        requests=len(samples),
        statuses=dict(sorted(statuses.items())),
        connection_errors=dict(sorted(errors.items())),
        p50_ms=rounded(percentile(latencies, 0.5)),
        p99_ms=rounded(percentile(latencies, 0.99)),
        max_ms=rounded(max(latencies, default=None)),
        x_cache=dict(sorted(caches.items())),
        kinds=dict(sorted(Counter(sample.kind for sample in samples).items())),
        outdated=len(late),
        judged=judged,
    )
