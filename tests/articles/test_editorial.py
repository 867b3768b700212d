"""The editorial workflow in the admin: rights, publishing gates, locking, preview, revisions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Reference
from articles.services import (
    PREVIEW_SALT,
    PublishRefused,
    article_publish,
    preview_token,
)
from clinic.i18n.models import TranslationState
from clinic.i18n.state import translation_report
from tests.admin_forms import admin_form_data
from tests.factories import (
    ArticleFactory,
    ContactLineFactory,
    DisclaimerFactory,
    record_review,
    staff,
    translate,
)
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

ARABIC = {
    "title": "تقرير تجربة المرحلة 1",
    "summary": "شملت تجربة من المرحلة 1 عدد 20 مريضًا.",
    "body": "<p>شملت التجربة من المرحلة 1 عدد 20 مريضًا.</p>",
    "condition": "التصلب المتعدد",
}


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def disclaimer():
    """The treatment-results disclaimer, translated and published in Arabic."""
    return translate(
        DisclaimerFactory(key="treatment-results", text_en="Results are individual."),
        "ar",
        text="النتائج فردية.",
    )


@pytest.fixture
def draft(disclaimer):
    """A draft whose English text a medical reviewer has reviewed: ready to publish."""
    article = ArticleFactory(status=Article.Status.DRAFT, title_en="A draft report")
    record_review(article)
    return article


def submit(client, article, **changes):
    page = client.get(change_url(article))
    assert page.status_code == 200
    return client.post(change_url(article), admin_form_data(page, **changes))


def errors_of(response) -> str:
    form = response.context["adminform"].form
    return str(form.errors)


# Groups and rights


def test_migrate_creates_the_staff_groups():
    groups = {group.name: group for group in Group.objects.all()}
    assert {"Editors", "Publishers", "Translators: Arabic", "Translators: Ukrainian"} <= set(groups)
    codes = lambda name: set(groups[name].permissions.values_list("codename", flat=True))  # noqa: E731
    assert "publish_article" not in codes("Editors")
    assert "submit_article" in codes("Editors")
    assert {"publish_article", "publish_translation"} <= codes("Publishers")
    assert "translate_ar" in codes("Translators: Arabic")
    assert "translate_uk" not in codes("Translators: Arabic")
    assert "add_article" not in codes("Translators: Arabic")


def test_editors_cannot_publish(client, draft):
    force_sign_in(client, staff("Editors"))
    page = client.get(change_url(draft))
    choices = [value for value, _label in page.context["adminform"].form.fields["status"].choices]
    assert "published" not in choices
    response = client.post(change_url(draft), admin_form_data(page, status="published"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editors_submit_for_review(client, draft):
    force_sign_in(client, staff("Editors"))
    assert submit(client, draft, status="in_review").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_publishers_publish(client, draft):
    force_sign_in(client, staff("Publishers"))
    assert submit(client, draft, status="published").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_publish_action_needs_the_permission(client, draft):
    force_sign_in(client, staff("Editors"))
    page = client.get(reverse("admin:articles_article_changelist"))
    action_form = page.context["action_form"]
    actions = (
        [value for value, _label in action_form.fields["action"].choices] if action_form else []
    )
    assert "publish_selected" not in actions
    force_sign_in(client, staff("Publishers"))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


# Publishing gates


def test_publishing_without_the_treatment_results_disclaimer_is_refused(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    response = submit(admin_client, article, status="published")
    assert response.status_code == 200
    assert "treatment-results" in errors_of(response)
    with pytest.raises(PublishRefused):
        article_publish(article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_an_attached_disclaimer_satisfies_the_gate(admin_client):
    attached = DisclaimerFactory(key="treatment-results", applies_to="site")
    article = ArticleFactory(status=Article.Status.DRAFT)
    record_review(article)
    response = submit(admin_client, article, status="published", disclaimers=[str(attached.pk)])
    assert response.status_code == 302


def test_a_language_cannot_be_published_while_its_disclaimer_is_missing(admin_client):
    DisclaimerFactory(key="treatment-results")
    article = translate(ArticleFactory(), "ar", publish=False, **ARABIC)
    response = submit(admin_client, article, translation_status_ar="published")
    assert response.status_code == 200
    assert "treatment-results" in errors_of(response)
    assert "Arabic" in errors_of(response)
    assert not translation_report(Article.objects.get(), "ar").published


def test_a_language_cannot_be_published_while_its_disclaimer_is_stale(admin_client, disclaimer):
    disclaimer.text_en = "Results are individual for each case."
    disclaimer.save()
    article = translate(ArticleFactory(), "ar", publish=False, **ARABIC)
    response = submit(admin_client, article, translation_status_ar="published")
    assert "stale" in errors_of(response)


def test_a_language_cannot_be_published_while_its_numbers_differ(admin_client, disclaimer):
    article = translate(
        ArticleFactory(),
        "ar",
        publish=False,
        **{**ARABIC, "summary": "شملت تجربة من المرحلة 1 عدد 21 مريضًا."},
    )
    response = submit(admin_client, article, translation_status_ar="published")
    errors = errors_of(response)
    assert "summary_ar" in errors
    assert "20" in errors and "21" in errors


def test_a_clean_language_version_is_published(admin_client, disclaimer, client):
    article = translate(
        ArticleFactory(title_en="Phase 1 trial report"), "ar", publish=False, **ARABIC
    )
    record_review(article, "ar")
    assert client.get("/api/v1/articles/", {"lang": "ar"}).json()["results"][0]["language"] == "en"
    response = submit(admin_client, article, translation_status_ar="published")
    assert response.status_code == 302, errors_of(response)
    item = client.get("/api/v1/articles/", {"lang": "ar"}).json()["results"][0]
    assert item["title"] == ARABIC["title"]


def test_an_arabic_draft_while_english_is_live(client, disclaimer):
    article = translate(ArticleFactory(), "ar", publish=False, **ARABIC)
    item = client.get(f"/api/v1/articles/{article.slug_en}/", {"lang": "ar"}).json()
    assert item["title"] == article.title_en
    assert "title" in item["translation"]["fallback_fields"]


# Optimistic locking


def test_a_save_based_on_an_older_version_is_refused_and_loses_nothing(admin_client, disclaimer):
    article = ArticleFactory(title_en="Original title")
    first_page = admin_client.get(change_url(article))
    second_page = admin_client.get(change_url(article))
    assert (
        admin_client.post(
            change_url(article), admin_form_data(first_page, title_en="First edit")
        ).status_code
        == 302
    )
    response = admin_client.post(
        change_url(article), admin_form_data(second_page, title_en="Second edit")
    )
    assert response.status_code == 200
    assert "Someone else saved this article" in errors_of(response)
    assert response.context["adminform"].form["title_en"].value() == "Second edit"
    article.refresh_from_db()
    assert article.title_en == "First edit"
    # Saving again from the refused form (after merging) is possible on purpose.
    retry = admin_client.post(
        change_url(article), admin_form_data(response, title_en="Merged edit")
    )
    assert retry.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Merged edit"


# Preview


def test_preview_shows_a_draft_with_its_unpublished_translation(client):
    article = translate(ArticleFactory(status=Article.Status.DRAFT), "ar", publish=False, **ARABIC)
    response = client.get(f"/api/v1/preview/{preview_token(article)}/", {"lang": "ar"})
    assert response.status_code == 200
    assert response.json()["title"] == ARABIC["title"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "/api/v1/preview/" in response.json()["alternates"]["ar"]


def test_preview_link_is_in_the_admin(admin_client, draft):
    html = admin_client.get(change_url(draft)).content.decode()
    assert "/api/v1/preview/" in html


@pytest.mark.parametrize("token", ["", "garbage", "eyJhcnRpY2xlIjoxfQ:1abcde:tampered"])
def test_no_valid_token_no_content(client, draft, token):
    response = client.get(f"/api/v1/preview/{token}/" if token else "/api/v1/preview//")
    assert response.status_code == 404
    assert draft.title_en not in response.content.decode()


def test_tampered_token_is_refused(client, draft):
    other = ArticleFactory(status=Article.Status.DRAFT, title_en="Secret other draft")
    token = preview_token(draft)
    _payload, _sep, draft_signature = token.partition(":")
    forged = signing.dumps({"article": other.pk}, salt="another-salt", compress=True)
    other_payload = forged.partition(":")[0]
    for bad in (f"{other_payload}:{draft_signature}", forged):
        response = client.get(f"/api/v1/preview/{bad}/")
        assert response.status_code == 404
        assert "Secret other draft" not in response.content.decode()
        assert response.json()["error"]["code"] == "invalid_preview"


def test_expired_token_is_refused(client, draft, settings):
    token = signing.dumps({"article": draft.pk}, salt=PREVIEW_SALT, compress=True)
    settings.PREVIEW_MAX_AGE = -1
    assert client.get(f"/api/v1/preview/{token}/").status_code == 404


# Content safety, references, review


XSS = [
    "<script>alert(1)</script><p>ok</p>",
    '<p onclick="alert(1)">ok</p>',
    '<img src=x onerror="alert(1)"><p>ok</p>',
    '<a href="javascript:alert(1)">ok</a>',
    '<svg onload="alert(1)"><p>ok</p></svg>',
    '<p style="background:url(javascript:alert(1))">ok</p>',
    '<iframe src="https://evil.example"></iframe><p>ok</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">ok</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_the_body_is_sanitised_on_save(admin_client, client, disclaimer, payload):
    article = ArticleFactory()
    assert submit(admin_client, article, body_en=payload).status_code == 302
    body = client.get(f"/api/v1/articles/{article.slug_en}/").json()["body"]
    for marker in (
        "script",
        "onclick",
        "onerror",
        "javascript:",
        "svg",
        "style=",
        "iframe",
        "data:",
    ):
        assert marker not in body.lower()
    assert "ok" in body


def test_allowed_markup_survives(admin_client, client, disclaimer):
    article = ArticleFactory()
    html = (
        "<h2>Results</h2><p><strong>20</strong> patients, <em>phase 1</em>.</p>"
        "<ul><li>one</li></ul><blockquote>quote</blockquote>"
        '<p><a href="https://clinicaltrials.gov/study/NCT01933802">NCT01933802</a> '
        '<a href="tel:+380930552240">call</a></p>'
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    )
    submit(admin_client, article, body_en=html)
    body = client.get(f"/api/v1/articles/{article.slug_en}/").json()["body"]
    for kept in (
        "<h2>",
        "<strong>",
        "<em>",
        "<ul>",
        "<blockquote>",
        'href="tel:+380930552240"',
        "<table>",
    ):
        assert kept in body


@pytest.mark.parametrize(
    ("kind", "identifier", "url", "ok"),
    [
        ("nct", "NCT01933802", "", True),
        ("nct", "NCT123", "", False),
        ("doi", "10.1016/j.ebiom.2018.02.002", "", True),
        ("doi", "doi:abc", "", False),
        ("pmid", "29499434", "", True),
        ("pmid", "PMID29499434", "", False),
        ("url", "", "https://www.aan.com/", True),
        ("url", "", "", False),
    ],
)
def test_references_are_validated_by_kind(kind, identifier, url, ok):
    reference = Reference(article=ArticleFactory(), kind=kind, identifier=identifier, url=url)
    if ok:
        reference.full_clean()
    else:
        with pytest.raises(Exception, match=r"identifier|url|URL"):
            reference.full_clean()


def test_an_invalid_reference_is_refused_in_the_admin(admin_client, disclaimer):
    article = ArticleFactory()
    page = admin_client.get(change_url(article))
    data = admin_form_data(
        page,
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-kind": "nct",
            "references-0-identifier": "NCT1",
            "references-0-url": "",
            "references-0-order": "0",
        },
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "NCT" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Reference.objects.exists()


def test_overdue_medical_review_is_flagged(admin_client, disclaimer):
    long_ago = timezone.now() - timedelta(days=400)
    overdue = ArticleFactory()
    Article.objects.filter(pk=overdue.pk).update(updated_at=long_ago)
    overdue.refresh_from_db()
    record_review(overdue, on=long_ago.date())
    fresh = ArticleFactory(title_en="Fresh")
    record_review(fresh)
    response = admin_client.get(change_url(overdue))
    assert any("overdue" in str(message) for message in response.context["messages"])
    listed = admin_client.get(reverse("admin:articles_article_changelist"), {"review": "overdue"})
    assert list(listed.context["cl"].result_list) == [overdue]
    assert fresh not in listed.context["cl"].result_list


# Revisions


def test_every_admin_save_is_a_revision_that_can_be_restored(admin_client, disclaimer):
    article = ArticleFactory(title_en="First title")
    submit(
        admin_client,
        article,
        title_en="Second title",
        title_ar="عنوان",
        translation_status_ar="draft",
    )
    submit(admin_client, article, title_en="Third title")
    # Newest first: the two admin saves, then the article's creation (the write path keeps it).
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 3
    assert versions.first().revision.user.username == "admin"
    history = admin_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    html = history.content.decode()
    assert "Second title" in html and "Third title" in html
    second = versions[1]
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, second.pk])
    page = admin_client.get(revision_url)
    assert page.status_code == 200
    response = admin_client.post(revision_url, admin_form_data(page))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Second title"
    state = TranslationState.objects.get(
        object_id=article.pk, language="ar", content_type__model="article"
    )
    assert state.sources["title"] == "Second title"


def test_an_article_revision_keeps_its_translation_states_but_not_its_lock_version(
    admin_client, disclaimer
):
    article = ArticleFactory(title_en="First title")
    submit(admin_client, article, title_ar="عنوان", translation_status_ar="draft")
    revision = Version.objects.get_for_object(article).first().revision
    models = {version.content_type.model for version in revision.version_set.all()}
    assert "translationstate" in models
    article_version = revision.version_set.get(content_type__model="article")
    assert "version" not in article_version.field_dict


@pytest.mark.parametrize("model_name", ["disclaimer", "contactline"])
def test_disclaimer_and_contact_line_edits_are_revisions(admin_client, admin_user, model_name):
    obj = DisclaimerFactory() if model_name == "disclaimer" else ContactLineFactory()
    url = reverse(f"admin:clinic_{model_name}_change", args=[obj.pk])
    field = "text_en" if model_name == "disclaimer" else "label_en"
    data = admin_form_data(admin_client.get(url), **{field: "Edited in the admin"})
    assert admin_client.post(url, data).status_code == 302
    # Newest first: the admin's edit, then the creation (saved through the write path).
    versions = Version.objects.get_for_object(obj)
    assert [version.revision.user for version in versions] == [admin_user, None]
    assert "Edited in the admin" in versions.first().serialized_data


def test_imports_and_publishing_are_revisions_too(disclaimer):
    article = ArticleFactory(status=Article.Status.DRAFT)
    record_review(article)
    article_publish(article=article)
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(article)]
    assert comments == ["Published", "Saved"]  # newest first; "Saved": the factory's creation


# Translators


def test_arabic_translators_edit_arabic_fields_only(client, disclaimer):
    article = ArticleFactory(title_en="English title", status=Article.Status.PUBLISHED)
    force_sign_in(client, staff("Translators: Arabic"))
    page = client.get(change_url(article))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "title_ar" in form.fields
    for forbidden in ("title_en", "title_uk", "status", "published_at", "translation_status_ar"):
        assert forbidden not in form.fields
    data = admin_form_data(page, title_ar="عنوان", title_en="Hacked", title_uk="Зламано")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.title_ar, article.title_en, article.title_uk) == (
        "عنوان",
        "English title",
        None,
    )
    assert not translation_report(article, "ar").published


def test_translators_cannot_add_articles(client):
    force_sign_in(client, staff("Translators: Ukrainian"))
    assert client.get(reverse("admin:articles_article_add")).status_code == 403


def test_a_topic_language_with_wrong_numbers_cannot_be_published(admin_client):
    from tests.factories import TopicFactory

    topic = translate(
        TopicFactory(name_en="Phase 2 trials"), "ar", publish=False, name="تجارب المرحلة 3"
    )
    url = reverse("admin:articles_topic_change", args=[topic.pk])
    response = admin_client.post(
        url, admin_form_data(admin_client.get(url), translation_status_ar="published")
    )
    assert response.status_code == 200
    assert "name_ar" in str(response.context["adminform"].form.errors)


def test_published_without_a_date_is_published_now(admin_client, disclaimer, client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    record_review(article)
    response = submit(
        admin_client, article, status="published", published_at_0="", published_at_1=""
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at is not None
    assert client.get("/api/v1/articles/").json()["count"] == 1
