"""The read model's written-out list queries (clinic.api.published) equal the ORM's.

A list page and its figures are read with written-out SQL for speed; here each
condition, every ordering of the article list and the page windows are compared
with the same reads built by the ORM, on rows made to tie, to be scheduled, hidden
or undated.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Max, Q
from django.utils import timezone

from articles.api.views import ORDERINGS
from clinic.api import published
from clinic.published.models import Document

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime(2024, 5, 1, 12, tzinfo=UTC)


@pytest.fixture
def documents():
    """Articles in two languages: ties on every ordering column, a scheduled one, a
    tombstone, an undated one; topic ids that contain others' digits (3 and 13)."""
    rows = []
    for pk in range(1, 13):
        for language in ("ar", "en"):
            rows.append(
                Document(
                    kind="article",
                    object_id=pk,
                    language=language,
                    visible=pk != 5,
                    public_from=None if pk == 7 else DAY + timedelta(hours=pk % 4),
                    updated_at=DAY - timedelta(minutes=pk % 3),
                    sort_title=f"title {pk % 5}",
                    topic_ids=["", "|3|", "|13|", "|3|8|", "|8|13|"][pk % 5],
                    list_json=f'{{"id":{pk},"title":"عنوان {pk}"}}',
                    changed_at=DAY + timedelta(days=pk),
                )
            )
    rows.append(
        Document(
            kind="article",
            object_id=99,
            language="ar",
            public_from=NOW + timedelta(days=1),
            changed_at=NOW - timedelta(seconds=1),
            list_json="{}",
        )
    )
    rows.append(Document(kind="topic", object_id=3, language="ar", changed_at=DAY))
    Document.objects.bulk_create(rows)


def _orm(condition: Q):
    return Document.objects.filter(kind="article", language="ar").filter(condition)


CONDITIONS = {
    "live": (lambda: published.live_condition(NOW), lambda: published.live(NOW)),
    "after": (
        lambda: (
            published.live_condition(NOW)
            & published.moment_condition("public_from", "gte", DAY + timedelta(hours=1))
        ),
        lambda: published.live(NOW) & Q(public_from__gte=DAY + timedelta(hours=1)),
    ),
    "between": (
        lambda: (
            published.moment_condition("public_from", "gt", DAY)
            & published.moment_condition("public_from", "lte", DAY + timedelta(hours=2))
            & published.moment_condition("public_from", "lt", DAY + timedelta(hours=3))
        ),
        lambda: (
            Q(public_from__gt=DAY)
            & Q(public_from__lte=DAY + timedelta(hours=2))
            & Q(public_from__lt=DAY + timedelta(hours=3))
        ),
    ),
    "topics": (
        lambda: published.live_condition(NOW) & published.ids_condition("topic_ids", [3, 8]),
        lambda: published.live(NOW) & (Q(topic_ids__contains="|3|") | Q(topic_ids__contains="|8|")),
    ),
    "no topic": (
        lambda: published.live_condition(NOW) & published.ids_condition("topic_ids", []),
        lambda: published.live(NOW) & Q(pk__in=[]),
    ),
}


@pytest.mark.parametrize("name", CONDITIONS)
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_page_is_the_orms_page(documents, name, ordering):
    written, orm = (make() for make in CONDITIONS[name])
    rows = (
        _orm(orm).order_by(*ORDERINGS[ordering]).values_list("object_id", "list_json", "topic_ids")
    )
    for offset, limit in [(0, 100), (0, 3), (3, 3), (9, 5), (30, 5), (0, 0)]:
        expected = [
            (pk, document.encode(), ids) for pk, document, ids in rows[offset : offset + limit]
        ]
        page = published.list_page("article", "ar", written, ORDERINGS[ordering], offset, limit)
        assert page == expected
        assert all(type(document) is bytes for _pk, document, _ids in page)  # served as read


@pytest.mark.parametrize("name", CONDITIONS)
def test_figures_are_the_orms_aggregates(documents, name):
    written, orm = (make() for make in CONDITIONS[name])
    expected = Document.objects.filter(kind="article", language="ar").aggregate(
        changed=Max("changed_at"),
        live=Max("public_from", filter=published.live(NOW)),
        count=Count("pk", filter=orm),
    )
    assert published.list_figures("article", "ar", written, NOW) == expected
    del expected["count"]
    assert published.list_figures("article", "ar", now=NOW) == expected


def test_an_empty_window_reads_nothing(documents, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert published.list_page("article", "ar", published.live_condition(), ["pk"], 0, 0) == []
