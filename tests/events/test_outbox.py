"""Change events: one per changed language version, written in the transaction of the change."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles.services import article_unpublish
from clinic.events.models import Event
from clinic.i18n.services import content_save
from tests.factories import ArticleFactory, ContactLineFactory, translate

pytestmark = pytest.mark.django_db

PAYLOAD_KEYS = {"id", "type", "kind", "object_id", "language", "slug", "api_url", "occurred_at"}


def events(**filters) -> list[tuple[str, str, str]]:
    rows = Event.objects.filter(**filters).order_by("created_at", "language")
    return sorted((e.type, e.kind, e.language) for e in rows)


def test_publishing_an_article_is_a_published_event_in_its_source_language():
    article = ArticleFactory()

    assert events() == [("published", "article", "en")]
    event = Event.objects.get()
    assert event.object_id == article.pk
    assert event.slug == article.slug_en
    assert event.api_url == f"/api/v1/articles/{article.slug_en}/?lang=en"
    assert event.state == Event.State.EMITTED


def test_publishing_a_translation_is_published_in_its_language_and_updates_the_others():
    """The English response changed too: its alternates now name the Arabic version."""
    article = ArticleFactory()
    Event.objects.all().delete()

    translate(article, "ar", title="تقرير التجربة", summary="ملخص")

    assert events() == [("published", "article", "ar"), ("updated", "article", "en")]
    assert Event.objects.get(language="ar").slug == article.slug_ar


def test_a_draft_translation_is_no_event_of_its_language():
    article = ArticleFactory()
    Event.objects.all().delete()

    translate(article, "uk", publish=False, title="Звіт")

    assert events(language="uk") == []


def test_editing_a_published_article_is_an_updated_event_per_live_language():
    article = ArticleFactory()
    translate(article, "ar", title="تقرير التجربة")
    Event.objects.all().delete()

    article.summary_en = "A phase 1 trial enrolled 21 patients."
    content_save(obj=article, changed_fields=["summary_en"])

    assert ("updated", "article", "en") in events()
    assert all(kind == "updated" for kind, _, _ in events())


def test_unpublishing_is_an_unpublished_event_with_the_slug_that_stops_working():
    article = ArticleFactory()
    slug = article.slug_en
    Event.objects.all().delete()

    article_unpublish(article=article)

    assert events() == [("unpublished", "article", "en")]
    assert Event.objects.get().slug == slug


def test_withdrawing_a_translation_is_unpublished_in_that_language_only():
    article = ArticleFactory()
    translate(article, "ar", title="تقرير التجربة")
    Event.objects.all().delete()

    translate(article, "ar", publish=False, title="تقرير التجربة")

    assert events() == [("unpublished", "article", "ar"), ("updated", "article", "en")]


def test_deleting_is_a_deleted_event():
    article = ArticleFactory()
    pk = article.pk
    Event.objects.all().delete()

    article.delete()

    assert events() == [("deleted", "article", "en")]
    assert Event.objects.get().object_id == pk


def test_content_without_slugs_has_events_in_every_language():
    ContactLineFactory()

    assert events() == [
        ("published", "contact", "ar"),
        ("published", "contact", "en"),
        ("published", "contact", "uk"),
    ]
    assert Event.objects.filter(language="ar").get().api_url == "/api/v1/contacts/?lang=ar"


def test_a_rolled_back_change_leaves_no_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory()
        assert Event.objects.count() == 1
        raise RuntimeError("rolled back")

    assert Event.objects.count() == 0


def test_scheduling_an_article_schedules_its_published_event_at_its_time():
    at = timezone.now() + timedelta(hours=2)

    ArticleFactory(published_at=at)

    event = Event.objects.get()
    assert (event.type, event.state, event.occurred_at) == ("published", "scheduled", at)


def test_rescheduling_cancels_the_earlier_scheduled_event():
    article = ArticleFactory(published_at=timezone.now() + timedelta(hours=2))
    later = timezone.now() + timedelta(days=1)

    article.published_at = later
    content_save(obj=article, changed_fields=["published_at"])

    states = sorted(Event.objects.values_list("state", "occurred_at"))
    assert [state for state, _ in states] == ["cancelled", "scheduled"]
    assert Event.objects.get(state="scheduled").occurred_at == later


def test_an_event_payload_names_the_change_and_no_content(settings):
    settings.EVENTS_API_ORIGIN = "https://api.clinic.example"
    article = ArticleFactory()

    payload = Event.objects.get().payload()

    assert set(payload) == PAYLOAD_KEYS
    assert (
        payload["api_url"]
        == f"https://api.clinic.example/api/v1/articles/{article.slug_en}/?lang=en"
    )
    assert payload["occurred_at"].endswith("Z")
    assert payload["object_id"] == article.pk
