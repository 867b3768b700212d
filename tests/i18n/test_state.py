import pytest

from clinic.i18n.models import TranslationState
from clinic.i18n.registry import translatable_fields, translatable_models
from clinic.i18n.services import content_save
from clinic.i18n.state import (
    FieldStatus,
    attach_states,
    field_statuses,
    is_translation_published,
    translation_report,
)
from tests.factories import (
    ArticleFactory,
    ContactLineFactory,
    DisclaimerFactory,
    TopicFactory,
    translate,
)

pytestmark = pytest.mark.django_db

ARABIC = {
    "title": "تقرير تجربة",
    "summary": "تجربة من المرحلة 1 شملت 20 مريضًا.",
    "body": "<p>شملت التجربة من المرحلة 1 عدد 20 مريضًا.</p>",
    "condition": "التصلب المتعدد",
}


def test_every_content_model_is_registered():
    labels = {model._meta.label for model in translatable_models()}
    assert labels == {
        "articles.Article",
        "articles.Topic",
        "clinic.ContactLine",
        "clinic.Disclaimer",
        "images.Image",
        "reviews.Reviewer",
    }


def test_slugs_are_not_translator_fields():
    assert "slug" not in translatable_fields(ArticleFactory._meta.model)
    assert "title" in translatable_fields(ArticleFactory._meta.model)


def test_untranslated_fields_are_missing():
    article = ArticleFactory()
    statuses = field_statuses(article, "ar")
    assert statuses == {
        "title": FieldStatus.MISSING,
        "summary": FieldStatus.MISSING,
        "body": FieldStatus.MISSING,
        "condition": FieldStatus.MISSING,
    }


def test_fields_with_an_empty_source_are_not_counted():
    article = ArticleFactory(seo_title_en="")
    assert "seo_title" not in field_statuses(article, "ar")


def test_source_language_is_always_current():
    article = ArticleFactory()
    assert set(field_statuses(article, "en").values()) == {FieldStatus.CURRENT}


def test_translating_makes_fields_current():
    article = translate(ArticleFactory(), "ar", **ARABIC)
    assert set(field_statuses(article, "ar").values()) == {FieldStatus.CURRENT}


def test_editing_the_english_source_makes_the_arabic_field_stale():
    article = translate(ArticleFactory(), "ar", **ARABIC)
    article.title_en = "A corrected English title"
    article.save()
    statuses = field_statuses(article, "ar")
    assert statuses["title"] == FieldStatus.STALE
    assert statuses["summary"] == FieldStatus.CURRENT


def test_stale_field_keeps_the_source_it_was_translated_from():
    article = translate(ArticleFactory(title_en="Old English title"), "ar", **ARABIC)
    article.title_en = "New English title"
    article.save()
    state = TranslationState.objects.get(object_id=article.pk, language="ar")
    assert state.sources["title"] == "Old English title"


def test_retranslating_makes_the_stale_field_current_again():
    article = translate(ArticleFactory(), "ar", **ARABIC)
    article.title_en = "A corrected English title"
    article.save()
    translate(article, "ar", title="عنوان مصحح")
    assert field_statuses(article, "ar")["title"] == FieldStatus.CURRENT


def test_staleness_is_per_language():
    article = translate(ArticleFactory(), "ar", **ARABIC)
    translate(article, "uk", title="Звіт", summary="Фаза 1, 20 пацієнтів.")
    article.summary_en = "Changed summary."
    article.save()
    assert field_statuses(article, "ar")["summary"] == FieldStatus.STALE
    assert field_statuses(article, "uk")["summary"] == FieldStatus.STALE
    assert field_statuses(article, "uk")["title"] == FieldStatus.CURRENT


def test_translation_without_a_recorded_source_is_stale():
    article = ArticleFactory(title_ar="عنوان بلا مصدر")
    assert field_statuses(article, "ar")["title"] == FieldStatus.STALE


def test_works_for_every_registered_model():
    topic = translate(TopicFactory(name_en="Multiple sclerosis"), "uk", name="Розсіяний склероз")
    line = ContactLineFactory(label_en="Reception")
    disclaimer = DisclaimerFactory()
    assert field_statuses(topic, "uk") == {"name": FieldStatus.CURRENT}
    assert field_statuses(line, "ar") == {"label": FieldStatus.MISSING}
    assert field_statuses(disclaimer, "uk") == {"text": FieldStatus.MISSING}


def test_draft_translation_is_not_published():
    article = translate(ArticleFactory(), "ar", publish=False, **ARABIC)
    report = translation_report(article, "ar")
    assert report.published is False
    assert report.overall == FieldStatus.CURRENT


def test_report_overall_is_the_worst_field_state():
    article = translate(ArticleFactory(), "ar", title="عنوان")
    assert translation_report(article, "ar").overall == FieldStatus.MISSING


def test_states_of_many_objects_of_several_models_load_in_one_query(django_assert_num_queries):
    articles = [translate(ArticleFactory(), "ar", **ARABIC) for _ in range(3)]
    topics = [translate(TopicFactory(), "ar", name="موضوع") for _ in range(2)]
    fresh = list(type(articles[0]).objects.all()) + list(type(topics[0]).objects.all())
    with django_assert_num_queries(1):
        attach_states(fresh)
        assert all(translation_report(obj, "ar").overall == FieldStatus.CURRENT for obj in fresh)


def test_states_loaded_for_a_response_give_the_same_answers_in_its_language(
    django_assert_num_queries,
):
    article = translate(ArticleFactory(), "ar", **ARABIC)
    translate(article, "uk", publish=False, title="Звіт")
    article.title_en = "A newer English title"
    article.save()
    full, served = (type(article).objects.get(pk=article.pk) for _ in range(2))
    attach_states([full])
    with django_assert_num_queries(1):
        attach_states([served], serving="ar")
        assert translation_report(served, "ar") == translation_report(full, "ar")
        assert translation_report(served, "ar").stale == ["title"]
        assert is_translation_published(served, "uk") is False


def test_states_loaded_for_a_response_refuse_to_guess_another_language():
    article = translate(translate(ArticleFactory(), "ar", **ARABIC), "uk", title="Звіт")
    attach_states([article], serving="ar")
    with pytest.raises(LookupError, match="'uk' state were not loaded"):
        field_statuses(article, "uk")


def test_content_save_records_the_translated_fields_only(admin_user):
    article = ArticleFactory()
    article.title_ar = "عنوان"
    content_save(obj=article, changed_fields=["title_ar"], by=admin_user)
    state = TranslationState.objects.get(object_id=article.pk, language="ar")
    assert state.sources == {"title": article.title_en}
    assert state.updated_by == admin_user
    assert state.origin == TranslationState.Origin.ADMIN


def test_content_save_applies_per_language_status():
    article = ArticleFactory()
    content_save(obj=article, changed_fields=[], statuses={"ar": "published", "uk": "draft"})
    assert translation_report(article, "ar").published is True
    assert translation_report(article, "uk").published is False
