"""Random sequences of edits: every public endpoint serves what the models render.

A stateful hypothesis test: after each operation (edits of English and
translated text, publishing and unpublishing articles and translations,
scheduling and moving the clock past it, deletes, topic renames, disclaimer
edits, a PO import, a revision restored), every public endpoint in every
language answers the read model's response byte for byte equal to the
reference implementation's (the model-based views, tests/reference_urls.py).
Bounded by its settings (examples and steps) so CI stays short; it runs on
SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from reversion.models import Version

from articles.models import Article, Topic
from clinic.i18n.exchange.export import translations_export
from clinic.i18n.exchange.importing import translations_import
from clinic.i18n.languages import language_codes
from clinic.i18n.models import TranslationState
from clinic.i18n.services import content_save
from clinic.models import Disclaimer
from clinic.published import freshness
from tests.factories import (
    ArticleFactory,
    ContactLineFactory,
    DisclaimerFactory,
    TopicFactory,
    translate,
)

WORDS = ["stem", "cells", "trial", "سريرية", "خلايا", "терапія", "клітини", "report", "phase"]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
LANGUAGES = ["ar", "uk"]
PUBLISHED = TranslationState.Status.PUBLISHED
DRAFT = TranslationState.Status.DRAFT


class ReadModelMachine(RuleBasedStateMachine):
    articles = Bundle("articles")

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.offset = timedelta()
        real_now = timezone.now
        self.clock = mock.patch(
            "django.utils.timezone.now", side_effect=lambda: real_now() + self.offset
        )
        self.clock.start()
        # Hundreds of requests per step: throttling is tested on its own.
        self.unthrottled = mock.patch(
            "rest_framework.throttling.SimpleRateThrottle.allow_request", return_value=True
        )
        self.unthrottled.start()
        self.client = Client()
        self.count = 0

    def teardown(self) -> None:
        # The database goes back to before this example: its changes are numbered again
        # from there, as after restoring a backup, when processes start afresh.
        freshness.clock.reset()
        self.clock.stop()
        self.unthrottled.stop()
        transaction.savepoint_rollback(self.savepoint)

    @initialize()
    def content(self) -> None:
        self.topics = [
            translate(
                TopicFactory(name_en=f"Topic {n}", slug_en=f"topic-{n}"), "ar", name=f"موضوع {n}"
            )
            for n in range(2)
        ]
        self.disclaimer = DisclaimerFactory(key="treatment-results", text_en="Results vary.")
        translate(ContactLineFactory(), "ar", label="الاستقبال")

    @rule(target=articles, title=text, published=st.booleans(), topic=st.integers(0, 2))
    def create_article(self, title, published, topic):
        self.count += 1
        article = ArticleFactory(
            title_en=f"{title} {self.count}",
            status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
            topics=self.topics[:topic],
        )
        return article.pk

    @rule(pk=articles, field=st.sampled_from(["title", "summary", "body"]), value=text)
    def edit_english(self, pk, field, value):
        article = self._article(pk)
        if article is None:
            return
        value = f"<p>{value}</p>" if field == "body" else f"{value} {pk}"
        setattr(article, f"{field}_en", value)
        content_save(obj=article, changed_fields=[f"{field}_en"])

    @rule(pk=articles, language=st.sampled_from(LANGUAGES), value=text, publish=st.booleans())
    def translate_article(self, pk, language, value, publish):
        article = self._article(pk)
        if article is not None:
            translate(article, language, publish=publish, title=f"{value} {pk}", summary=value)

    @rule(pk=articles, language=st.sampled_from(LANGUAGES), publish=st.booleans())
    def publish_translation(self, pk, language, publish):
        article = self._article(pk)
        if article is not None:
            content_save(obj=article, statuses={language: PUBLISHED if publish else DRAFT})

    @rule(pk=articles, publish=st.booleans(), hours=st.sampled_from([-48, -1, 2, 30]))
    def publish_article(self, pk, publish, hours):
        article = self._article(pk)
        if article is None:
            return
        article.status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
        article.published_at = timezone.now() + timedelta(hours=hours)
        content_save(obj=article)

    @rule(hours=st.sampled_from([1, 3, 30]))
    def move_clock(self, hours):
        self.offset += timedelta(hours=hours)

    @rule(pk=articles)
    def delete_article(self, pk):
        Article.objects.filter(pk=pk).delete()

    @rule(pk=articles, topic=st.integers(0, 1))
    def change_topics(self, pk, topic):
        article = self._article(pk)
        if article is not None:
            article.topics.set([self.topics[topic]])

    @rule(topic=st.integers(0, 1), name=text)
    def rename_topic(self, topic, name):
        obj = Topic.objects.get(pk=self.topics[topic].pk)
        obj.name_en, obj.slug_en = f"{name} {topic}", ""
        content_save(obj=obj, changed_fields=["name_en"])

    @rule(value=text, language=st.sampled_from(["en", *LANGUAGES]))
    def edit_disclaimer(self, value, language):
        disclaimer = Disclaimer.objects.get(pk=self.disclaimer.pk)
        if language == "en":
            disclaimer.text_en = value
            content_save(obj=disclaimer, changed_fields=["text_en"])
        else:
            translate(disclaimer, language, text=value)

    @rule(value=text)
    def import_po(self, value):
        """Export Arabic, fill every article title, import it (the translator's round trip)."""
        po = translations_export(language="ar", model_names=["articles"])
        for entry in po:
            if entry.msgctxt.endswith(":title"):
                # Every English title ends with a number (the import refuses a translation
                # whose numbers differ from its source's): the translation keeps it.
                entry.msgstr = f"{value} {entry.msgid.split()[-1]}"
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        path = Path(self.tmp) / "ar.po"
        po.save(str(path))
        translations_import(path=path, language="ar")

    @precondition(lambda self: Article.objects.exists())
    @rule(pick=st.integers(0, 10))
    def restore_revision(self, pick):
        """Bring back an earlier version of an article, as the admin's history does."""
        articles = list(Article.objects.order_by("pk"))
        article = articles[pick % len(articles)]
        versions = list(Version.objects.get_for_object(article))
        if len(versions) < 2:
            return
        with transaction.atomic():
            versions[-1].revision.revert()
            content_save(obj=Article.objects.get(pk=article.pk))

    def _article(self, pk) -> Article | None:
        return Article.objects.filter(pk=pk).first()

    def _paths(self) -> list[str]:
        paths = ["/api/v1/topics/", "/api/v1/contacts/", "/api/v1/disclaimers/"]
        paths += ["/api/v1/languages/", "/api/v1/articles/", "/api/v1/articles/?page_size=2"]
        paths += ["/api/v1/articles/?ordering=title", "/api/v1/articles/?q=trial"]
        paths += ["/api/v1/articles/?ordering=-updated_at&page=2&page_size=1"]
        for topic in Topic.objects.all():
            paths += [
                f"/api/v1/articles/?topic={topic.slug_en}",
                f"/api/v1/articles/?topic={topic.slug_ar}",
            ]
        for article in Article.objects.all():
            for code in language_codes():
                slug = getattr(article, f"slug_{code}")
                if slug:
                    paths.append(f"/api/v1/articles/{slug}/")
        return paths

    @rule()
    def nothing(self):
        """Compare without a change (the invariant runs after every step)."""

    def _compare(self) -> None:
        for path in self._paths():
            for language in language_codes():
                separator = "&" if "?" in path else "?"
                url = f"{path}{separator}lang={language}"
                served = self.client.get(url)
                with override_settings(ROOT_URLCONF="tests.reference_urls"):
                    expected = self.client.get(url)
                assert served.status_code == expected.status_code, url
                assert served.content == expected.content, difference(url, served, expected)

    @invariant()
    def same_as_the_reference(self) -> None:
        if hasattr(self, "topics"):  # after the initial content
            self._compare()


def difference(url: str, served, expected) -> str:
    """Where the two bodies first differ, with some context."""
    a, b = served.content.decode(), expected.content.decode()
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start, end = max(0, at - 120), at + 120
    return f"{url} at {at}:\n served:    …{a[start:end]}\n reference: …{b[start:end]}"


@pytest.mark.django_db
def test_the_read_model_serves_what_the_models_render(tmp_path, settings):
    settings.MEDICAL_REVIEW_REQUIRED = False
    ReadModelMachine.tmp = tmp_path
    run_state_machine_as_test(
        ReadModelMachine,
        settings=hypothesis_settings(
            max_examples=3,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
