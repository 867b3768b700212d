"""Medical review as a signed act: per language, outdated by changes, stated only when current."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import PublishRefused, article_publish
from clinic.i18n.services import content_save
from clinic.reviews.models import MedicalReview
from clinic.reviews.services import (
    ReviewRefused,
    ReviewState,
    medical_review_record,
    review_seal,
    review_status,
)
from tests.factories import (
    ArticleFactory,
    DisclaimerFactory,
    ReferenceFactory,
    record_review,
    reviewer_user,
    translate,
)

pytestmark = pytest.mark.django_db

ARABIC = {
    "title": "تقرير تجربة المرحلة 1",
    "summary": "شملت تجربة من المرحلة 1 عدد 20 مريضًا.",
    "body": "<p>شملت التجربة من المرحلة 1 عدد 20 مريضًا.</p>",
    "condition": "التصلب المتعدد",
}


@pytest.fixture
def article():
    """Published in English and Arabic; no Ukrainian translation."""
    DisclaimerFactory(key="treatment-results")
    return translate(ArticleFactory(title_en="Stem cells in progressive MS"), "ar", **ARABIC)


@pytest.fixture
def neurologist():
    return reviewer_user("haddad", name="Dr Amal Haddad", credentials_en="MD, neurologist")


def detail(api, article, language):
    return api.get_json(f"/api/v1/articles/{article.slug_en}/", lang=language).json()


def edit(article, **columns):
    """Save ``article`` as the admin does, with ``columns`` (``title_en=...``) changed."""
    for column, value in columns.items():
        setattr(article, column, value)
    content_save(obj=article, changed_fields=list(columns))
    return Article.objects.get(pk=article.pk)


# What the API states


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_without_a_review_the_api_and_json_ld_state_none(api, article, language):
    item = detail(api, article, language)
    assert item["medical_review"] is None
    assert "reviewedBy" not in item["json_ld"]["mainEntityOfPage"]
    assert "lastReviewed" not in item["json_ld"]["mainEntityOfPage"]


def test_a_recorded_review_is_stated_with_the_reviewer_and_date(api, article, neurologist):
    on = timezone.localdate()
    record_review(article, "en", by=neurologist, on=on)
    item = detail(api, article, "en")
    assert item["medical_review"]["last_reviewed"] == on.isoformat()
    assert item["medical_review"]["reviewer"]["name"] == "Dr Amal Haddad"
    assert item["medical_review"]["reviewer"]["credentials"] == "MD, neurologist"
    page = item["json_ld"]["mainEntityOfPage"]
    assert page["lastReviewed"] == on.isoformat()
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Amal Haddad",
        "honorificSuffix": "MD, neurologist",
    }


def test_a_review_is_per_language(api, article, neurologist):
    record_review(article, "en", by=neurologist)
    assert detail(api, article, "en")["medical_review"] is not None
    # The Arabic text was not reviewed: an Arabic reader is told of no review.
    assert detail(api, article, "ar")["medical_review"] is None
    # Ukrainian is not translated, so the English text is served, with its review.
    assert detail(api, article, "uk")["medical_review"] is not None


def test_an_arabic_review_covers_the_arabic_text_only(api, article, neurologist):
    record_review(article, "ar", by=neurologist)
    assert detail(api, article, "ar")["medical_review"]["reviewer"]["name"] == "Dr Amal Haddad"
    assert detail(api, article, "en")["medical_review"] is None


def test_credentials_are_served_in_the_request_language(api, article, neurologist):
    reviewer = neurologist.medical_reviewer
    translate(reviewer, "ar", credentials="دكتوراه في الطب، طبيبة أعصاب")
    record_review(article, "ar", by=neurologist)
    reviewer_json = detail(api, article, "ar")["medical_review"]["reviewer"]
    assert reviewer_json["credentials"] == "دكتوراه في الطب، طبيبة أعصاب"
    assert reviewer_json["language"] == "ar"
    assert reviewer_json["name"] == "Dr Amal Haddad"


# What outdates a review


def test_an_english_edit_outdates_the_review_of_every_language(api, article, neurologist):
    record_review(article, "en", by=neurologist)
    record_review(article, "ar", by=neurologist)
    article = edit(article, summary_en="A phase 1 trial enrolled 20 patients with MS.")
    assert detail(api, article, "en")["medical_review"] is None
    assert detail(api, article, "ar")["medical_review"] is None
    assert review_status(article, "ar").state == ReviewState.SOURCE_CHANGED


def test_a_translation_edit_outdates_that_language_only(api, article, neurologist):
    record_review(article, "en", by=neurologist)
    record_review(article, "ar", by=neurologist)
    article = edit(article, summary_ar="شملت التجربة 20 مريضًا.")
    assert detail(api, article, "ar")["medical_review"] is None
    assert review_status(article, "ar").state == ReviewState.TRANSLATION_CHANGED
    assert detail(api, article, "en")["medical_review"] is not None


@pytest.mark.parametrize("change", ["phase", "reference"])
def test_a_change_of_the_study_facts_outdates_the_review(api, article, neurologist, change):
    record_review(article, "en", by=neurologist)
    if change == "phase":
        article = edit(article, phase=Article.Phase.PHASE_2)
    else:
        ReferenceFactory(article=article)
        article = Article.objects.get(pk=article.pk)
    assert detail(api, article, "en")["medical_review"] is None


def test_a_new_review_of_the_changed_text_is_current_again(api, article, neurologist):
    record_review(article, "en", by=neurologist, on=timezone.localdate())
    article = edit(article, title_en="Stem cells in progressive multiple sclerosis")
    record_review(article, "en", by=neurologist)
    assert review_status(article, "en").state == ReviewState.CURRENT
    assert detail(api, article, "en")["medical_review"] is not None


# Recording a review


def test_only_a_medical_reviewer_with_a_profile_may_record(article, django_user_model):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    with pytest.raises(ReviewRefused):
        medical_review_record(
            obj=article, language="en", reviewed_on=timezone.localdate(), by=editor
        )
    assert not MedicalReview.objects.exists()


def test_a_review_cannot_be_dated_in_the_future_or_before_the_last_change(article, neurologist):
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(1)):
        with pytest.raises(ReviewRefused):
            record_review(article, "en", by=neurologist, on=day)
    assert not MedicalReview.objects.exists()


def test_a_review_of_text_that_changed_while_it_was_read_is_refused(article, neurologist):
    seen = review_seal(article, "ar")
    article = edit(article, title_ar="عنوان آخر")
    with pytest.raises(ReviewRefused, match="changed while you were reviewing"):
        medical_review_record(
            obj=article, language="ar", reviewed_on=timezone.localdate(), by=neurologist, seen=seen
        )


def test_a_review_keeps_who_recorded_it_and_the_revision(article, neurologist):
    review = record_review(article, "ar", by=neurologist, note="Checked against the protocol.")
    assert review.recorded_by == neurologist
    assert review.reviewer == neurologist.medical_reviewer
    assert review.note == "Checked against the protocol."


# Publishing


def test_publishing_needs_a_current_review_of_the_english(article, neurologist):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    with pytest.raises(PublishRefused, match="no medical review"):
        article_publish(article=draft)
    record_review(draft, "en", by=neurologist)
    article_publish(article=draft)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED


def test_publishing_after_the_reviewed_text_changed_is_refused(article, neurologist):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    record_review(draft, "en", by=neurologist)
    draft = edit(draft, body_en="<p>The phase 1 trial enrolled 21 patients.</p>")
    with pytest.raises(PublishRefused, match="outdated"):
        article_publish(article=draft)


def test_without_the_requirement_unreviewed_articles_publish(article, settings):
    settings.MEDICAL_REVIEW_REQUIRED = False
    draft = ArticleFactory(status=Article.Status.DRAFT)
    article_publish(article=draft)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED


def test_an_edit_keeps_a_published_article_published_without_a_review(api, article):
    article = edit(article, title_en="Stem cells in progressive multiple sclerosis")
    assert article.status == Article.Status.PUBLISHED
    assert detail(api, article, "en")["medical_review"] is None


def test_a_ukrainian_review_is_stated_to_ukrainian_readers(api, article, neurologist):
    article = translate(article, "uk", title="Стовбурові клітини при прогресуючому РС")
    record_review(article, "uk", by=neurologist)
    item = detail(api, article, "uk")
    assert item["language"] == "uk"
    assert item["medical_review"]["reviewer"]["name"] == "Dr Amal Haddad"
    assert item["json_ld"]["mainEntityOfPage"]["reviewedBy"]["name"] == "Dr Amal Haddad"
    assert detail(api, article, "ar")["medical_review"] is None
