"""Review in the admin: the state of each language, notes, signing a review; the demo content."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from clinic.demo import demo_content_load
from clinic.models import Disclaimer
from clinic.reviews.models import MedicalReview, ReviewNote
from tests.admin_forms import admin_form_data
from tests.factories import (
    ArticleFactory,
    DisclaimerFactory,
    record_review,
    reviewer_user,
    staff,
)
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def review_url(obj, language: str) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_medical_review", args=[obj.pk, language]
    )


@pytest.fixture
def neurologist():
    user = reviewer_user("haddad", name="Dr Amal Haddad")
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    return user


def test_the_medical_reviewers_group_may_record_reviews():
    group = Group.objects.get(name="Medical reviewers")
    assert group.permissions.filter(codename="review_medical_content").exists()


def test_editors_see_each_language_awaiting_review_without_a_link_to_sign(client):
    article = ArticleFactory()
    force_sign_in(client, staff("Editors"))
    page = client.get(change_url(article))
    rows = page.context["medical_review_rows"]
    assert [row["state"] for row in rows] == ["not_reviewed"] * 3
    assert all(row["url"] is None for row in rows)
    assert "awaiting review" in page.content.decode()
    assert client.get(review_url(article, "en")).status_code == 403


def test_a_reviewer_reads_the_text_and_signs_a_review(client, neurologist, api):
    article = ArticleFactory(title_en="Stem cells in progressive MS")
    force_sign_in(client, neurologist)
    rows = client.get(change_url(article)).context["medical_review_rows"]
    assert rows[0]["url"] == review_url(article, "en")
    page = client.get(review_url(article, "en"))
    assert "Stem cells in progressive MS" in page.content.decode()
    data = {**page.context["form"].initial, "note": "Numbers checked."}
    data["reviewed_on"] = data["reviewed_on"].isoformat()
    response = client.post(review_url(article, "en"), data)
    assert response.status_code == 302
    review = MedicalReview.objects.get()
    assert (review.language, review.recorded_by, review.note) == (
        "en",
        neurologist,
        "Numbers checked.",
    )
    served = api.get_json(f"/api/v1/articles/{article.slug_en}/").json()["medical_review"]
    assert served["reviewer"]["name"] == "Dr Amal Haddad"
    rows = client.get(change_url(article)).context["medical_review_rows"]
    assert rows[0]["state"] == "current"


def test_signing_text_that_changed_since_the_page_opened_is_refused(client, neurologist):
    article = ArticleFactory()
    force_sign_in(client, neurologist)
    page = client.get(review_url(article, "en"))
    Article.objects.filter(pk=article.pk).update(title_en="Changed meanwhile")
    data = {**page.context["form"].initial, "reviewed_on": timezone.localdate().isoformat()}
    response = client.post(review_url(article, "en"), data)
    assert response.status_code == 200
    assert "changed while you were reviewing" in response.content.decode()
    assert not MedicalReview.objects.exists()


def test_a_new_article_cannot_be_published_before_it_is_reviewed(admin_client):
    DisclaimerFactory(key="treatment-results")
    add = reverse("admin:articles_article_add")
    data = admin_form_data(admin_client.get(add), title_en="A new trial report")
    response = admin_client.post(add, {**data, "status": "published"})
    assert response.status_code == 200
    assert "has no medical review" in response.content.decode()
    assert not Article.objects.exists()


def test_the_article_list_flags_what_awaits_review(admin_client, neurologist):
    article = ArticleFactory()
    record_review(article, "en", by=neurologist)
    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "✓ EN" in html
    assert "⚠ AR" in html


def test_a_disclaimer_translation_is_not_published_before_its_review(admin_client):
    disclaimer = DisclaimerFactory(text_en="Results are individual.")
    disclaimer.text_ar = "النتائج فردية."
    disclaimer.save()
    page = admin_client.get(change_url(disclaimer))
    response = admin_client.post(
        change_url(disclaimer), admin_form_data(page, translation_status_ar="published")
    )
    assert response.status_code == 200
    assert "has no medical review" in response.content.decode()


# The demo content


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_the_demo_article_states_no_review(api, demo_content, language):
    article = Article.objects.get()
    item = api.get_json(f"/api/v1/articles/{article.slug_en}/", lang=language).json()
    assert item["language"] == language
    assert item["medical_review"] is None
    assert "reviewedBy" not in item["json_ld"]["mainEntityOfPage"]


def test_the_demo_disclaimer_awaits_review_with_notes(admin_client, demo_content):
    disclaimer = Disclaimer.objects.get(key="treatment-results")
    page = admin_client.get(change_url(disclaimer))
    assert [row["state"] for row in page.context["medical_review_rows"]] == ["not_reviewed"] * 3
    notes = {(note.kind, note.language): note.text for note in page.context["review_notes"]}
    assert "fetal stem cells" in notes[("review", "")]
    assert "autologous" in notes[("review", "")]
    assert "الجنينية" in notes[("translator", "ar")]
    assert "embryonic" in notes[("translator", "ar")]
    listed = admin_client.get(reverse("admin:clinic_disclaimer_changelist")).content.decode()
    assert "⚠ EN" in listed


def test_loading_the_demo_again_adds_no_notes(demo_content):
    demo_content_load()
    assert ReviewNote.objects.count() == 2


def test_a_note_added_in_the_admin_records_its_author(admin_client, admin_user):
    disclaimer = DisclaimerFactory()
    page = admin_client.get(change_url(disclaimer))
    prefix = "reviews-reviewnote-content_type-object_id"
    data = admin_form_data(page)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-language": "uk",
            f"{prefix}-0-kind": "translator",
            f"{prefix}-0-text": "Термін уточнюється.",
        }
    )
    assert admin_client.post(change_url(disclaimer), data).status_code == 302
    note = ReviewNote.objects.get()
    assert (note.language, note.created_by) == ("uk", admin_user)


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_review_notes_never_reach_the_api(api, demo_content, language):
    article = Article.objects.get()
    for path in (f"/api/v1/articles/{article.slug_en}/", "/api/v1/disclaimers/"):
        body = api.get_json(path, lang=language).content.decode()
        assert "Awaiting medical review" not in body
        assert "Translator's note" not in body


def test_the_reviewer_and_review_log_pages_open(admin_client, neurologist):
    record_review(ArticleFactory(), "en", by=neurologist)
    for name in (
        "reviews_reviewer_changelist",
        "reviews_reviewer_add",
        "reviews_medicalreview_changelist",
    ):
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200
    reviewer = neurologist.medical_reviewer
    assert admin_client.get(change_url(reviewer)).status_code == 200
    review = MedicalReview.objects.get()
    page = admin_client.get(change_url(review))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # a signed review is never edited
