"""The admin renders every model, with right-to-left Arabic inputs and translation state."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Topic
from clinic.i18n.models import TranslationState
from clinic.models import ContactLine, Disclaimer
from tests.factories import staff
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

MODELS = [Article, Topic, ContactLine, Disclaimer]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_renders(admin_client, demo_content, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_add_form_renders(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Article, "title"),
        (Article, "body"),
        (Topic, "name"),
        (ContactLine, "label"),
        (Disclaimer, "text"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_change_form_has_rtl_arabic_inputs(admin_client, demo_content, model, field):
    response = admin_client.get(admin_url(model, "change", model.objects.first().pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in input_tag(html, f"{field}_ar")
    assert 'lang="ar"' in input_tag(html, f"{field}_ar")
    assert 'dir="ltr"' in input_tag(html, f"{field}_uk")
    assert 'dir="ltr"' in input_tag(html, f"{field}_en")


def test_change_form_uses_language_tabs_without_a_cdn(admin_client, demo_content):
    html = admin_client.get(admin_url(Article, "change", Article.objects.get().pk)).content.decode()
    assert "modeltranslation/js/tabbed_translation_fields.js" in html
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html


def test_article_list_shows_state_per_language(admin_client, demo_content):
    article = Article.objects.get()
    article.title_en = "A changed English title"
    article.save()
    html = admin_client.get(admin_url(Article, "changelist")).content.decode()
    assert "AR: stale" in html
    assert "UK: stale" in html


def test_article_list_shows_missing_and_draft(admin_client, demo_content):
    from tests.factories import ArticleFactory, translate

    translate(
        ArticleFactory(title_en="Drafted"),
        "uk",
        publish=False,
        title="Чернетка",
        summary="Фаза 1, 20 пацієнтів.",
        body="<p>Фаза 1, 20 пацієнтів.</p>",
        condition="Розсіяний склероз",
    )
    Article.objects.create(title_en="Untranslated", slug_en="untranslated")
    html = admin_client.get(admin_url(Article, "changelist")).content.decode()
    assert "AR: missing" in html
    assert "UK: draft" in html


def test_article_list_state_costs_one_query_for_the_page(
    admin_client, demo_content, django_assert_max_num_queries
):
    for number in range(5):
        Article.objects.create(title_en=f"Article {number}", slug_en=f"article-{number}")
    # 13: the page's own, and the second factor the session was verified with (django-otp).
    with django_assert_max_num_queries(13):
        admin_client.get(admin_url(Article, "changelist"))


def test_saving_an_arabic_translation_in_the_admin_records_its_source(admin_client, demo_content):
    topic = Topic.objects.get(slug_en="clinical-trials")
    response = admin_client.post(
        admin_url(Topic, "change", topic.pk),
        {
            "name_en": topic.name_en,
            "name_ar": "التجارب السريرية المحدثة",
            "name_uk": topic.name_uk,
            "translation_status_ar": "published",
            "translation_status_uk": "published",
        },
    )
    assert response.status_code == 302
    state = TranslationState.objects.get(
        object_id=topic.pk, language="ar", content_type__model="topic"
    )
    assert state.sources["name"] == topic.name_en
    assert state.origin == TranslationState.Origin.ADMIN


def test_contact_line_number_is_normalised_and_deduplicated_in_the_admin(
    admin_client, demo_content
):
    data = {
        "number": "00380930552240",
        "kind": "phone",
        "label_en": "Another line",
        "order": 5,
        "translation_status_ar": "draft",
        "translation_status_uk": "draft",
    }
    response = admin_client.post(admin_url(ContactLine, "add"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = admin_client.post(
        admin_url(ContactLine, "add"), {**data, "number": "+38 067 000 00 01"}
    )
    assert response.status_code == 302
    assert ContactLine.objects.filter(number="+380670000001").exists()


def test_admin_itself_is_right_to_left_in_arabic(admin_client_ar):
    html = admin_client_ar.get(reverse("admin:index")).content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', html)


def test_stale_field_shows_the_english_it_was_translated_from_and_the_change(
    admin_client, demo_content
):
    article = Article.objects.get()
    article.title_en = article.title_en.replace("may benefit", "can benefit")
    article.save()
    html = admin_client.get(admin_url(Article, "change", article.pk)).content.decode()
    assert "The English changed since this was translated" in html
    assert "<del>may</del><ins>can</ins>" in html


def test_source_diff_escapes_markup():
    from clinic.i18n.diff import source_diff_html

    diff = str(source_diff_html("<p>Old <b>text</b></p>", "New <script>x</script> text"))
    assert "<script>" not in diff
    assert "<del>Old</del>" in diff


@pytest.mark.parametrize("model", [ContactLine, Disclaimer, Topic])
def test_a_publisher_deletes_translated_content_with_its_translation_states(demo_content, model):
    publisher = Client()
    force_sign_in(publisher, staff("Publishers"))
    obj = model.objects.order_by("pk").first()
    assert TranslationState.objects.filter(object_id=obj.pk).exists()
    url = admin_url(model, "delete", obj.pk)

    page = publisher.get(url).content.decode()
    assert "<h1>Cannot delete" not in page and "Are you sure you want to delete" in page

    response = publisher.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    remaining = TranslationState.objects.filter(
        object_id=obj.pk, content_type__model=model._meta.model_name
    )
    assert not remaining.exists()


def test_a_publisher_deletes_selected_articles_from_the_list(demo_content):
    publisher = Client()
    force_sign_in(publisher, staff("Publishers"))
    article = Article.objects.get()
    selected = {"action": "delete_selected", "_selected_action": [article.pk]}
    changelist = admin_url(Article, "changelist")

    page = publisher.post(changelist, selected).content.decode()
    assert "<h1>Cannot delete" not in page and "Are you sure you want to delete" in page
    publisher.post(changelist, {**selected, "post": "yes"})

    assert not Article.objects.exists()
