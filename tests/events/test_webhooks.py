"""Webhooks: signed deliveries to a real HTTP receiver, run by the real task worker."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from articles.services import article_unpublish
from clinic.events.models import Attempt, Delivery, Event
from clinic.events.webhooks import delivery_resend, retry_delay
from tests.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db(transaction=True)


def verify(secret: str, received) -> dict:
    """Check a delivery as the docs tell receivers to, by hand (the Standard Webhooks rule)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = b".".join(
        [
            received.headers["webhook-id"].encode(),
            received.headers["webhook-timestamp"].encode(),
            received.body,
        ]
    )
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    versions = dict(part.split(",", 1) for part in received.headers["webhook-signature"].split())
    assert hmac.compare_digest(versions["v1"], expected)
    return json.loads(received.body)


def test_a_delivery_is_signed_and_verifies(receiver, run_worker):
    endpoint = receiver.endpoint()
    article = ArticleFactory()

    run_worker()

    [received] = receiver.requests
    payload = verify(endpoint.secret, received)
    assert Webhook(endpoint.secret).verify(received.body, received.headers) == payload
    event = Event.objects.get()
    assert received.headers["webhook-id"] == str(event.pk) == payload["id"]
    assert received.headers["content-type"] == "application/json"
    assert payload["type"] == "published"
    assert (payload["kind"], payload["object_id"], payload["slug"]) == (
        "article",
        article.pk,
        article.slug_en,
    )


def test_a_tampered_body_does_not_verify(receiver, run_worker):
    endpoint = receiver.endpoint()
    ArticleFactory()
    run_worker()
    [received] = receiver.requests
    received.body = received.body.replace(b"published", b"unpublished")

    with pytest.raises(AssertionError):
        verify(endpoint.secret, received)


def test_endpoints_receive_only_the_types_and_languages_they_chose(receiver, run_worker):
    receiver.endpoint(event_types=["unpublished"], languages=["ar"])
    article = ArticleFactory()
    translate(article, "ar", title="تقرير التجربة")
    run_worker()
    assert receiver.requests == []

    article_unpublish(article=article)
    run_worker()

    [received] = receiver.requests
    assert json.loads(received.body)["type"] == "unpublished"
    assert json.loads(received.body)["language"] == "ar"


def test_a_failed_delivery_is_retried_with_backoff_and_every_attempt_logged(
    receiver, run_worker, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.answers = [500, 503]
    receiver.endpoint()
    start = timezone.now()
    with time_machine.travel(start, tick=True) as traveller:
        ArticleFactory()
        run_worker()
        assert len(receiver.requests) == 1
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.next_attempt_at >= start + timedelta(seconds=retry_delay(1))

        run_worker()  # not due yet
        assert len(receiver.requests) == 1

        traveller.shift(timedelta(seconds=61))
        run_worker()
        assert len(receiver.requests) == 2
        delivery.refresh_from_db()
        assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=110)

        traveller.shift(timedelta(seconds=121))
        run_worker()

    assert len(receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    attempts = list(Attempt.objects.order_by("number"))
    assert [a.status_code for a in attempts] == [500, 503, 204]
    assert [a.succeeded for a in attempts] == [False, False, True]
    assert all(a.response_ms is not None and a.response_ms >= 0 for a in attempts)


def test_backoff_doubles_up_to_its_maximum(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 200

    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 200]


def test_a_delivery_gives_up_after_its_attempts(receiver, run_worker, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    receiver.answers = [500, 500, 500]
    receiver.endpoint()
    ArticleFactory()

    run_worker()

    assert len(receiver.requests) == 2
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_a_rolled_back_change_is_never_delivered(receiver, run_worker):
    receiver.endpoint()
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(title_en="Never committed")
        raise RuntimeError("rolled back")
    committed = ArticleFactory(title_en="Committed")

    run_worker()

    slugs = [json.loads(r.body)["slug"] for r in receiver.requests]
    assert slugs == [committed.slug_en]


def test_a_scheduled_article_is_delivered_at_its_time(receiver, run_worker):
    receiver.endpoint()
    now = timezone.now()
    at = now + timedelta(hours=3)
    with time_machine.travel(now, tick=True) as traveller:
        article = ArticleFactory(published_at=at)
        run_worker()
        assert receiver.requests == []

        traveller.move_to(at - timedelta(seconds=5))
        run_worker()
        assert receiver.requests == []

        traveller.move_to(at + timedelta(seconds=1))
        run_worker()

    [received] = receiver.requests
    payload = json.loads(received.body)
    assert (payload["type"], payload["slug"]) == ("published", article.slug_en)
    assert payload["occurred_at"] == at.isoformat().replace("+00:00", "Z")


def test_a_rescheduled_article_is_delivered_only_at_its_new_time(receiver, run_worker):
    receiver.endpoint()
    now = timezone.now()
    with time_machine.travel(now, tick=True) as traveller:
        article = ArticleFactory(published_at=now + timedelta(hours=1))
        article_unpublish(article=article)
        traveller.move_to(now + timedelta(hours=2))
        run_worker()

    assert receiver.requests == []


def test_no_redirect_is_followed(receiver, run_worker):
    receiver.answers = [302]
    receiver.endpoint()
    ArticleFactory()

    run_worker()

    assert [r.path for r in receiver.requests] == ["/hooks/clinic"]
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.succeeded) == (302, False)


def test_a_slow_endpoint_times_out(receiver, run_worker, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.delay = 1.0
    receiver.endpoint()
    ArticleFactory()

    run_worker()

    attempt = Attempt.objects.get()
    assert attempt.status_code is None
    assert not attempt.succeeded
    assert "0.2" in attempt.error


def test_production_refuses_loopback_endpoints(receiver, run_worker, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    receiver.endpoint()
    ArticleFactory()

    run_worker()

    assert receiver.requests == []
    attempt = Attempt.objects.get()
    assert "127.0.0.1" in attempt.error
    assert "WEBHOOK_ALLOW_PRIVATE_ADDRESSES" in attempt.error


def test_the_admin_resends_a_delivery(receiver, run_worker, admin_client, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [500]
    receiver.endpoint()
    ArticleFactory()
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED

    response = admin_client.post(
        reverse("admin:events_delivery_changelist"),
        {"action": "resend", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert response.status_code == 200
    run_worker()

    assert len(receiver.requests) == 2
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert list(delivery.attempts.values_list("status_code", flat=True)) == [500, 204]


def test_the_admin_shows_a_delivery_with_its_attempts(receiver, run_worker, admin_client):
    receiver.answers = [500]
    receiver.endpoint()
    ArticleFactory()
    run_worker()
    delivery = Delivery.objects.get()

    page = admin_client.get(reverse("admin:events_delivery_change", args=[delivery.pk]))

    assert page.status_code == 200
    assert b"500" in page.content


def test_a_resent_delivery_gets_a_full_set_of_attempts(receiver, run_worker, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    receiver.answers = [500, 500, 500, 500]
    receiver.endpoint()
    ArticleFactory()
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED

    delivery_resend(delivery)
    run_worker()

    assert len(receiver.requests) == 4
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == (Delivery.Status.FAILED, 4)


def test_the_delivery_list_costs_the_same_queries_for_more_deliveries(
    receiver, run_worker, admin_client, django_assert_num_queries
):
    receiver.answers = [500]
    receiver.endpoint()
    ArticleFactory()
    run_worker()
    url = reverse("admin:events_delivery_changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200
    ArticleFactory()
    ArticleFactory()
    run_worker()
    assert Delivery.objects.count() == 3

    with django_assert_num_queries(len(one.captured_queries)):
        assert admin_client.get(url).status_code == 200
