"""Databases loaded with the earlier demo translations get the review's corrections."""

import io
from collections import Counter

import pytest
import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from reversion.models import Revision, Version

from articles.models import Article
from clinic.demo_corrections import CORRECTIONS, DEMO_KEYS, Correction, demo_corrections_apply
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.i18n.services import content_save
from clinic.i18n.state import FieldStatus, field_statuses
from clinic.models import ContactLine
from tests.clinic.test_demo_content import snapshot

pytestmark = pytest.mark.django_db


def demo_object(correction: Correction):
    label, key_field = DEMO_KEYS[correction.kind]
    return apps.get_model(label).objects.get(**{key_field: correction.key})


def column(correction: Correction) -> str:
    return localized(correction.field, correction.language)


def stored(correction: Correction) -> str:
    return getattr(demo_object(correction), column(correction))


def earlier(correction: Correction, text: str) -> str:
    """``text`` with the review's changes undone: what the earlier seed loaded."""
    for earlier_phrase, corrected_phrase in correction.changes:
        text = text.replace(corrected_phrase, earlier_phrase)
    return text


def correction_of(kind: str, field: str, language: str, key: str | None = None) -> Correction:
    return next(
        correction
        for correction in CORRECTIONS
        if (correction.kind, correction.field, correction.language) == (kind, field, language)
        and key in (None, correction.key)
    )


@pytest.fixture
def loaded_texts(demo_content) -> dict[Correction, str]:
    """Each corrected field as the current seed loads it."""
    return {correction: stored(correction) for correction in CORRECTIONS}


@pytest.fixture
def earlier_demo(loaded_texts) -> dict[Correction, str]:
    """A database loaded before the review: the earlier texts, stored as that loader stored them."""
    for correction, text in loaded_texts.items():
        obj = demo_object(correction)
        type(obj).objects.filter(pk=obj.pk).update(
            **{column(correction): earlier(correction, text)}
        )
    return loaded_texts


def test_each_correction_turns_the_whole_earlier_text_into_the_current_seed(loaded_texts):
    for correction, text in loaded_texts.items():
        assert correction.applies_to(earlier(correction, text)), correction
        assert correction.apply(earlier(correction, text)) == text


def test_a_fresh_load_has_the_corrected_text_and_nothing_to_correct(loaded_texts):
    assert not [
        correction for correction in CORRECTIONS if correction.applies_to(stored(correction))
    ]
    assert demo_corrections_apply() == Counter()


def test_an_earlier_demo_database_is_corrected_by_the_loader(earlier_demo, api):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert f"{len(CORRECTIONS)} corrected fields" in out.getvalue()
    for correction, text in earlier_demo.items():
        assert stored(correction) == text
    assert Revision.objects.latest("pk").comment == "Demo content corrections"
    labels = {
        line["e164"]: line["label"] for line in api.get_json("/api/v1/contacts/", lang="uk").json()
    }
    assert labels["+380930552240"] == "Лінія арабською мовою"
    assert labels["+380688898989"] == "Мобільний номер"


def test_the_corrections_are_one_revision_of_the_corrected_objects(earlier_demo):
    revisions = Revision.objects.count()
    demo_corrections_apply()
    assert Revision.objects.count() == revisions + 1
    revision = Revision.objects.latest("pk")
    assert revision.comment == "Demo content corrections"
    kept = {
        (version.content_type.model_class(), version.object_id)
        for version in revision.version_set.all()
    }
    article = Article.objects.get()
    assert (Article, str(article.pk)) in kept
    assert Version.objects.get_for_object(article).first().revision == revision
    for correction in CORRECTIONS:
        obj = demo_object(correction)
        if reversion.is_registered(type(obj)):
            assert (type(obj), str(obj.pk)) in kept


def test_corrected_fields_record_the_current_english_with_the_demo_origin(earlier_demo):
    TranslationState.objects.update(origin=TranslationState.Origin.ADMIN)
    demo_corrections_apply()
    for correction in CORRECTIONS:
        obj = demo_object(correction)
        state = TranslationState.objects.get(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            language=correction.language,
        )
        assert state.origin == TranslationState.Origin.SEED
        assert state.status == TranslationState.Status.PUBLISHED
        assert state.sources[correction.field] == getattr(obj, f"{correction.field}_en")
        assert field_statuses(obj, correction.language)[correction.field] == FieldStatus.CURRENT


def test_an_editors_text_is_kept_and_the_other_fields_corrected(earlier_demo):
    article = Article.objects.get()
    article.body_uk = "<p>Текст редактора: діапазон 3,5–8,5.</p>"
    content_save(obj=article, changed_fields=["body_uk"])
    line = ContactLine.objects.get(number="+380930552240")
    line.label_ar = "الخط العربي"
    content_save(obj=line, changed_fields=["label_ar"])

    corrected = demo_corrections_apply()

    assert corrected == Counter(corrected_fields=len(CORRECTIONS) - 2)
    assert Article.objects.get().body_uk == "<p>Текст редактора: діапазон 3,5–8,5.</p>"
    assert ContactLine.objects.get(number="+380930552240").label_ar == "الخط العربي"
    summary = correction_of("article", "summary", "uk")
    assert stored(summary) == earlier_demo[summary]
    label = correction_of("contact line", "label", "uk", key="+380930552240")
    assert stored(label) == earlier_demo[label]


def test_a_field_whose_english_changed_is_left_for_its_translator(earlier_demo):
    Article.objects.update(summary_en="A phase 1 trial, summarised again by an editor.")
    demo_corrections_apply()
    article = Article.objects.get()
    summary = correction_of("article", "summary", "ar")
    assert article.summary_ar == earlier(summary, earlier_demo[summary])
    assert field_statuses(article, "ar")["summary"] == FieldStatus.STALE
    body = correction_of("article", "body", "ar")
    assert article.body_ar == earlier_demo[body]


def test_running_again_changes_nothing(earlier_demo):
    call_command("load_demo_content", stdout=io.StringIO())
    before, revisions = snapshot(), Revision.objects.count()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert snapshot() == before
    assert Revision.objects.count() == revisions
    assert "nothing changed" in out.getvalue()
