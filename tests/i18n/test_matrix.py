"""The translation matrix: every translated object × every target language, in the admin."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from articles.models import Article, Topic
from clinic.content import bulk_write
from clinic.i18n.languages import target_languages
from clinic.i18n.matrix import matrix_page
from clinic.i18n.state import TranslationStateLabel, translation_report
from clinic.models import ContactLine, Disclaimer
from tests.factories import (
    ArticleFactory,
    ContactLineFactory,
    DisclaimerFactory,
    TopicFactory,
    translate,
)
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

MATRIX_URL = reverse("admin:i18n_translationstate_matrix")
MODELS = [Article, Topic, ContactLine, Disclaimer]
STATES = [label.value for label in TranslationStateLabel]


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def states_by_object(response) -> dict[str, dict[str, str]]:
    """``{"Topic name": {"ar": "missing", "uk": "stale"}}`` for the rows of the page shown."""
    return {
        str(row.obj): {cell.language: cell.label.value for cell in row.cells}
        for row, _url, _cells in response.context["rows"]
    }


def row_types(response) -> set[str]:
    return {row.api_name for row, _url, _cells in response.context["rows"]}


def cell_tag(html: str, url: str, word: str) -> str:
    match = re.search(rf'<a href="{re.escape(url)}"[^>]*>{word}</a>', html)
    assert match, f"no cell saying {word!r} linking to {url}"
    return match.group(0)


@pytest.fixture
def topics_in_every_state():
    """One topic per state of its Arabic translation (its Ukrainian one is missing)."""
    missing = TopicFactory(name_en="Untranslated")
    stale = translate(TopicFactory(name_en="Before"), "ar", name="قبل")
    stale.name_en = "After"
    stale.save()
    draft = translate(TopicFactory(name_en="Drafted"), "ar", publish=False, name="مسودة")
    current = translate(TopicFactory(name_en="Translated"), "ar", name="مترجم")
    return {"missing": missing, "stale": stale, "draft": draft, "current": current}


def test_page_shows_every_content_type_with_a_column_per_target_language(
    admin_client, demo_content
):
    response = admin_client.get(MATRIX_URL)
    assert response.status_code == 200
    assert row_types(response) == {"articles", "topics", "contacts", "disclaimers", "images"}
    assert [code for code, _name in response.context["languages"]] == target_languages()
    html = response.content.decode()
    assert re.search(r'<th scope="col" class="column-language-ar">.*Arabic', html)
    assert re.search(r'<th scope="col" class="column-language-uk">.*Ukrainian', html)
    for row, _url, cells in response.context["rows"]:
        assert [cell.language for cell, _word, _title in cells] == ["ar", "uk"], row


@pytest.mark.parametrize("state", STATES)
def test_each_cell_shows_the_state_of_its_translation(admin_client, topics_in_every_state, state):
    topic = topics_in_every_state[state]
    response = admin_client.get(MATRIX_URL)
    assert states_by_object(response)[str(topic)] == {"ar": state, "uk": "missing"}
    cell_tag(response.content.decode(), change_url(topic), state)


def test_cells_link_to_the_change_form(admin_client, demo_content):
    response = admin_client.get(MATRIX_URL)
    html = response.content.decode()
    for model in MODELS:
        obj = model.objects.first()
        assert html.count(f'href="{change_url(obj)}"') == 1 + len(target_languages())


def test_cell_title_lists_the_missing_and_stale_fields(admin_client):
    article = translate(
        ArticleFactory(title_en="Original", condition_en=""), "ar", title="أصلي", summary="ملخص"
    )
    article.title_en = "Changed"
    article.save()
    html = admin_client.get(MATRIX_URL).content.decode()
    cell = cell_tag(html, change_url(article), "missing")
    assert 'title="Missing: body; Stale: title"' in cell


def test_filter_by_content_type(admin_client, demo_content):
    response = admin_client.get(MATRIX_URL, {"content_type": "contacts"})
    assert row_types(response) == {"contacts"}
    assert len(response.context["rows"]) == ContactLine.objects.count()


def test_filter_by_state_keeps_rows_with_a_cell_in_that_state(admin_client, topics_in_every_state):
    response = admin_client.get(MATRIX_URL, {"state": "draft"})
    assert set(states_by_object(response)) == {"Drafted"}
    response = admin_client.get(MATRIX_URL, {"state": "missing"})
    assert set(states_by_object(response)) == {"Untranslated", "After", "Drafted", "Translated"}


def test_filter_by_state_and_language_looks_at_that_language_only(
    admin_client, topics_in_every_state
):
    response = admin_client.get(MATRIX_URL, {"state": "missing", "language": "ar"})
    assert states_by_object(response) == {"Untranslated": {"ar": "missing"}}
    assert [code for code, _name in response.context["languages"]] == ["ar"]


def test_filters_combine(admin_client, demo_content, topics_in_every_state):
    response = admin_client.get(
        MATRIX_URL, {"content_type": "topics", "state": "current", "language": "ar"}
    )
    assert row_types(response) == {"topics"}
    assert "Translated" in states_by_object(response)
    assert {cells["ar"] for cells in states_by_object(response).values()} == {"current"}


def test_unknown_filter_values_filter_nothing(admin_client, demo_content):
    response = admin_client.get(
        MATRIX_URL, {"content_type": "patients", "state": "lost", "language": "fr"}
    )
    assert response.status_code == 200
    assert row_types(response) == {"articles", "topics", "contacts", "disclaimers", "images"}


@pytest.mark.parametrize("language", ["ar", "uk", None])
@pytest.mark.parametrize("state", STATES)
def test_state_filter_in_sql_agrees_with_the_translation_report(
    topics_in_every_state, state, language
):
    article = translate(ArticleFactory(), "uk", publish=False, title="Звіт")
    ContactLineFactory()
    translate(DisclaimerFactory(), "uk", text="Результати лікування індивідуальні.")
    languages = [language] if language else target_languages()
    objects = [*topics_in_every_state.values(), article, *ContactLine.objects.all()]
    objects += list(Disclaimer.objects.all())
    expected = {
        str(obj)
        for obj in objects
        if any(translation_report(obj, code).label == state for code in languages)
    }
    page = matrix_page(state=state, language=language)
    assert {str(row.obj) for row in page} == expected


def test_pages_span_content_types_in_order():
    articles = ArticleFactory.create_batch(3)
    topics = TopicFactory.create_batch(4)
    pages = [matrix_page(number=number, per_page=3) for number in (1, 2, 3)]
    shown = [row.obj for page in pages for row in page]
    assert shown == [*Article.objects.all(), *topics]
    assert {obj.pk for obj in shown[:3]} == {article.pk for article in articles}
    assert pages[0].paginator.num_pages == 3


def test_matrix_is_paginated_by_100(admin_client):
    with bulk_write():  # the read model built once, as for an import
        TopicFactory.create_batch(105)
    first = admin_client.get(MATRIX_URL)
    assert len(first.context["rows"]) == 100
    assert '<a href="?p=2" class="end">2</a>' in first.content.decode()
    assert "105 objects" in first.content.decode()
    second = admin_client.get(MATRIX_URL, {"p": 2})
    assert len(second.context["rows"]) == 5


def test_page_links_keep_the_filters(admin_client):
    with bulk_write():
        TopicFactory.create_batch(101)
    html = admin_client.get(MATRIX_URL, {"state": "missing"}).content.decode()
    assert '<a href="?state=missing&amp;p=2" class="end">2</a>' in html


@pytest.mark.parametrize("state", [None, "missing"])
@pytest.mark.parametrize("count", [5, 50])
def test_queries_for_a_page_do_not_grow_with_its_rows(
    admin_client, demo_content, django_assert_max_num_queries, count, state
):
    with bulk_write():
        for article in ArticleFactory.create_batch(count):
            translate(article, "ar", title="تقرير")
    params = {"state": state} if state else {}
    # Session and user, a count and a slice per content type (6), the states of the page.
    with django_assert_max_num_queries(15):
        response = admin_client.get(MATRIX_URL, params)
    assert len(response.context["rows"]) >= count


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(MATRIX_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_users_who_are_not_staff_are_sent_to_the_login_page(client):
    force_sign_in(client, User.objects.create_user("reader"))
    assert client.get(MATRIX_URL).status_code == 302


def test_staff_without_permissions_see_no_rows(client, demo_content):
    force_sign_in(client, User.objects.create_user("intern", is_staff=True))
    response = client.get(MATRIX_URL)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "No objects match these filters." in response.content.decode()


def test_staff_see_the_rows_of_models_they_may_view(client, demo_content):
    user = User.objects.create_user("topic-editor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_topic"))
    force_sign_in(client, user)
    response = client.get(MATRIX_URL)
    assert row_types(response) == {"topics"}
    response = client.get(MATRIX_URL, {"content_type": "articles"})
    assert row_types(response) == {"topics"}


def test_translation_state_list_links_to_the_matrix(admin_client):
    html = admin_client.get(reverse("admin:i18n_translationstate_changelist")).content.decode()
    assert f'href="{MATRIX_URL}"' in html


def test_matrix_renders_right_to_left_in_arabic(admin_client_ar, demo_content):
    response = admin_client_ar.get(MATRIX_URL)
    assert response.status_code == 200
    assert re.search(r'<html lang="ar" dir="rtl"', response.content.decode())
