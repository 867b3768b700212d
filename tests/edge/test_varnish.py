"""A real Varnish (``deploy/varnish/clinic.vcl``) in front of a live app: it serves, and is purged.

One stack for the module: gunicorn in production settings (``DEBUG`` off,
two workers) on a SQLite database of the module's own with the demo content,
and ``varnishd`` in front of it. Changes are made by another process through
the write path (``manage.py shell``), as an editor's admin save would be; that
process purges Varnish when its transaction commits (``EDGE_CACHE_PURGE_URLS``).
Every process looks for changes at each request (``API_FRESHNESS_SECONDS=0``),
so a miss after a purge is answered with the committed content.
"""

import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from bench.faults.load import Reply, get
from bench.processes import Server, base_env, run_command
from tests.edge.varnish import Varnish, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


class Stack:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="edge-stack-"))
        self.env = {
            **base_env(f"sqlite:///{self.folder / 'db.sqlite3'}"),
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "API_FRESHNESS_SECONDS": "0",
            "EDGE_CACHE_KEY_HEADER": "xkey",
            "WEB_CONCURRENCY": "2",
            "PUBLIC_ARTICLE_URL": "https://clinic.example/{lang}/news/{slug}/",
        }
        self.env.pop("REDIS_URL", None)
        self.server = Server("edge", self.env, self.folder)
        self.varnish = Varnish(self.server.port)
        # The editor's process purges this Varnish when its change commits.
        self.editor_env = {
            **self.env,
            "EDGE_CACHE_PURGE_URLS": self.varnish.url,
            "EDGE_CACHE_REPURGE_SECONDS": "0",
        }

    def start(self) -> "Stack":
        try:
            run_command(["migrate", "--noinput"], self.env)
            run_command(["load_demo_content"], self.env)
            self.server.start(2)
            self.varnish.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.varnish.stop()
        self.server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def edit(self, code: str) -> str:
        """Run ``code`` in another process (``manage.py shell``), through the write path."""
        _seconds, last_line = run_command(["shell", "-c", code], self.editor_env)
        return last_line

    def new_article(self) -> str:
        """A new published article (every language); its English slug."""
        title = f"Edge trial {uuid.uuid4().hex[:8]}"
        return self.edit(
            "from tests.factories import ArticleFactory\n"
            f"print(ArticleFactory(title_en={title!r}).slug_en)"
        )

    def fetch(self, path: str, **headers: str) -> Reply:
        """A GET through Varnish."""
        return get(self.varnish.port, path, headers=headers)


@pytest.fixture(scope="module")
def stack():
    live = Stack().start()
    yield live
    live.stop()


def cached(stack: Stack, path: str, **headers: str) -> Reply:
    """Request ``path`` until Varnish serves it from its cache; that reply."""
    for _ in range(5):
        reply = stack.fetch(path, **headers)
        if reply.headers.get("x-edge-cache") == "hit":
            return reply
    raise AssertionError(f"Varnish never served {path} from its cache: {reply.headers}")


def detail(slug: str) -> str:
    return f"/api/v1/articles/{slug}/?lang=en"


def test_varnish_serves_a_repeated_read_from_its_cache_without_exposing_the_keys(stack):
    slug = stack.new_article()

    first = stack.fetch(detail(slug))
    second = stack.fetch(detail(slug))

    assert first.status == 200
    assert first.headers["x-edge-cache"] == "miss"
    assert second.headers["x-edge-cache"] == "hit"
    assert second.body == first.body
    assert "xkey" not in second.headers
    assert "public" in second.headers["cache-control"]


def test_every_public_endpoint_is_cached_at_the_edge(stack):
    paths = [
        "/api/v1/articles/?lang=ar",
        "/api/v1/topics/?lang=uk",
        "/api/v1/contacts/?lang=ar",
        "/api/v1/disclaimers/?lang=en",
        "/api/v1/languages/",
        "/api/v1/i18n/catalog/?lang=uk",
    ]

    assert {path: cached(stack, path).status for path in paths} == dict.fromkeys(paths, 200)


def test_the_edge_keeps_one_entry_per_request_language(stack):
    slug = stack.new_article()
    cached(stack, f"/api/v1/articles/{slug}/", **{"Accept-Language": "ar"})

    ukrainian = stack.fetch(f"/api/v1/articles/{slug}/", **{"Accept-Language": "uk"})

    assert ukrainian.headers["content-language"] == "uk"
    assert ukrainian.headers["x-edge-cache"] == "miss"


def test_an_unpublished_article_is_no_longer_served_by_the_edge(stack):
    slug = stack.new_article()
    listed = "/api/v1/articles/?lang=en"
    cached(stack, detail(slug))
    assert slug in [item["slug"] for item in cached(stack, listed).json()["results"]]

    stack.edit(
        "from articles.models import Article\n"
        "from articles.services import article_unpublish\n"
        f"article_unpublish(article=Article.objects.get(slug_en={slug!r}))"
    )
    purged_at = time.monotonic()
    gone = stack.fetch(detail(slug))
    served_within = time.monotonic() - purged_at
    after = stack.fetch(listed)

    assert gone.status == 404, gone.headers
    assert served_within < 1
    assert slug not in [item["slug"] for item in after.json()["results"]]


def test_a_sitemap_is_cached_at_the_edge_and_purged_when_an_article_it_lists_is_unpublished(
    stack,
):
    slug = stack.new_article()
    page = f"https://clinic.example/en/news/{slug}/"
    assert page in cached(stack, "/sitemap-en.xml").body.decode()
    assert "/sitemap-en.xml" in cached(stack, "/sitemap.xml").body.decode()

    stack.edit(
        "from articles.models import Article\n"
        "from articles.services import article_unpublish\n"
        f"article_unpublish(article=Article.objects.get(slug_en={slug!r}))"
    )
    after = stack.fetch("/sitemap-en.xml")

    assert after.status == 200
    assert page not in after.body.decode()


def test_an_edit_of_one_article_does_not_purge_another_articles_detail(stack):
    edited, other = stack.new_article(), stack.new_article()
    cached(stack, detail(edited))
    kept = cached(stack, detail(other))

    stack.edit(
        "from articles.models import Article\n"
        "from clinic.i18n.services import content_save\n"
        f"article = Article.objects.get(slug_en={edited!r})\n"
        "article.summary_en = 'A corrected summary.'\n"
        "content_save(obj=article, changed_fields=['summary_en'])"
    )
    after_edit = stack.fetch(detail(edited))
    unrelated = stack.fetch(detail(other))

    assert after_edit.headers["x-edge-cache"] == "miss"
    assert after_edit.json()["summary"] == "A corrected summary."
    assert unrelated.headers["x-edge-cache"] == "hit"
    assert unrelated.body == kept.body


def test_the_edge_compresses_json_for_clients_that_accept_gzip(stack):
    path = "/api/v1/disclaimers/?lang=ar"
    plain = stack.fetch(path)

    compressed = stack.fetch(path, **{"Accept-Encoding": "gzip"})

    assert compressed.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in plain.headers
    assert json.loads(plain.body)


def test_a_purge_without_keys_is_refused(stack):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", stack.varnish.port, timeout=10)
    connection.request("PURGE", "/")
    assert connection.getresponse().status == 400
