"""One staleness rule: the Python function and the SQL expression give the same answers.

``field_status`` decides missing / stale / current in Python,
``field_status_expression`` in SQL; field reports, the API's fallback,
completeness and the translation matrix all use them. These tests build every
combination the rule distinguishes and hold every user to the same answers.
"""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.models import Article, Topic
from clinic.content import bulk_write
from clinic.i18n.completeness import completeness
from clinic.i18n.fallback import localize
from clinic.i18n.matrix import state_condition
from clinic.i18n.models import TranslationState
from clinic.i18n.state import (
    FieldStatus,
    TranslationStateLabel,
    field_status,
    field_status_expression,
    field_statuses,
    overall_status_expression,
    translation_report,
)

pytestmark = pytest.mark.django_db

SOURCE = "Stem cells"
SOURCES = [None, "", SOURCE]
TRANSLATIONS = [None, "", "خلايا جذعية"]
NO_STATE = "no state"
NO_KEY = "state without the field"
# What the translation was recorded as made from.
RECORDED = [NO_STATE, NO_KEY, SOURCE, "An older source"]
STATUSES = [TranslationState.Status.DRAFT, TranslationState.Status.PUBLISHED]


def _record(obj, sources: dict, status: str) -> None:
    TranslationState.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        language="ar",
        sources=sources,
        status=status,
    )


@pytest.fixture
def topics() -> list[Topic]:
    """A topic for every combination of source, translation, recorded source and status."""
    created = []
    with bulk_write():  # the read model built once, as for an import
        for source, translation, recorded, status in itertools.product(
            SOURCES, TRANSLATIONS, RECORDED, STATUSES
        ):
            if recorded == NO_STATE and status == TranslationState.Status.PUBLISHED:
                continue  # without a state there is no status
            topic = Topic.objects.create(name_en=source, name_ar=translation)
            if recorded != NO_STATE:
                _record(topic, {} if recorded == NO_KEY else {"name": recorded}, status)
            created.append(topic)
    return created


def _sql_statuses(model, objects, name: str, language: str) -> dict[int, FieldStatus | None]:
    rows = (
        model.objects.filter(pk__in=[obj.pk for obj in objects])
        .annotate(severity=field_status_expression(model, name, language))
        .values_list("pk", "severity")
    )
    return {
        pk: None if severity is None else FieldStatus.from_severity(severity)
        for pk, severity in rows
    }


def test_the_rule():
    assert field_status(None, "ترجمة", SOURCE) is None
    assert field_status("", "ترجمة", SOURCE) is None
    assert field_status(SOURCE, None, SOURCE) == FieldStatus.MISSING
    assert field_status(SOURCE, "", SOURCE) == FieldStatus.MISSING
    assert field_status(SOURCE, "ترجمة", None) == FieldStatus.STALE
    assert field_status(SOURCE, "ترجمة", "An older source") == FieldStatus.STALE
    assert field_status(SOURCE, "ترجمة", SOURCE) == FieldStatus.CURRENT


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_and_sql_agree_on_every_combination(topics, language):
    in_sql = _sql_statuses(Topic, topics, "name", language)
    for topic in topics:
        assert field_statuses(topic, language).get("name") == in_sql[topic.pk], (
            topic.name_en,
            topic.name_ar,
            topic.translation_states.values_list("sources", "status").first(),
        )
    every_status = {None, *FieldStatus} if language == "ar" else {None, FieldStatus.CURRENT}
    assert set(in_sql.values()) == every_status


@pytest.mark.parametrize("language", ["ar", "en"])
def test_completeness_counts_what_the_rule_says(topics, language):
    expected = {status: 0 for status in FieldStatus}
    for topic in topics:
        for status in field_statuses(topic, language).values():
            expected[status] += 1
    counted = completeness(Topic, language)
    assert (counted.missing, counted.stale, counted.current) == (
        expected[FieldStatus.MISSING],
        expected[FieldStatus.STALE],
        expected[FieldStatus.CURRENT],
    )


def test_the_api_falls_back_where_the_rule_says_missing_and_flags_what_it_says_stale(topics):
    for topic in topics:
        status = field_statuses(topic, "ar").get("name")
        text = localize(topic, "ar")
        if not translation_report(topic, "ar").published:
            # An unpublished translation is not served: every field with a source falls back.
            assert text.fallback_fields == ([] if status is None else ["name"])
            assert text.stale_fields == []
            continue
        assert text.fallback_fields == (["name"] if status == FieldStatus.MISSING else [])
        assert text.stale_fields == (["name"] if status == FieldStatus.STALE else [])


FIELD_CASES = {
    "not counted": ("", None, None),
    FieldStatus.MISSING: (SOURCE, "", SOURCE),
    FieldStatus.STALE: (SOURCE, "ترجمة", "An older source"),
    FieldStatus.CURRENT: (SOURCE, "ترجمة", SOURCE),
}


@pytest.fixture
def articles() -> list[Article]:
    """An article for every pair of title and summary cases, draft and published."""
    created = []
    cases = itertools.product(FIELD_CASES.values(), FIELD_CASES.values(), STATUSES)
    with bulk_write():
        for n, (title, summary, status) in enumerate(cases):
            article = Article.objects.create(
                title_en=title[0],
                title_ar=title[1],
                summary_en=summary[0],
                summary_ar=summary[1],
                slug_en=f"article-{n}",
            )
            sources = {"title": title[2], "summary": summary[2]}
            _record(article, {key: value for key, value in sources.items() if value}, status)
            created.append(article)
    return created


def test_the_worst_field_and_the_label_agree_in_python_and_sql(articles):
    overall = dict(
        Article.objects.annotate(severity=overall_status_expression(Article, "ar")).values_list(
            "pk", "severity"
        )
    )
    labels = {
        label: set(
            Article.objects.filter(state_condition(Article, "ar", label)).values_list(
                "pk", flat=True
            )
        )
        for label in TranslationStateLabel
    }
    for article in articles:
        report = translation_report(article, "ar")
        assert FieldStatus.from_severity(overall[article.pk]) == report.overall
        assert {label for label, pks in labels.items() if article.pk in pks} == {report.label}
    assert {translation_report(article, "ar").label for article in articles} == set(
        TranslationStateLabel
    )
