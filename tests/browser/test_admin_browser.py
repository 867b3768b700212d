"""The admin in a real browser: an editor writes and translates, a reviewer signs, it is published.

Run with ``.ci/browser`` (installs Debian's chromium, then ``pytest -m browser tests/browser``).
Skipped when ``/usr/bin/chromium`` is missing.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User

from articles.models import Article
from clinic.i18n.languages import get_language
from clinic.i18n.models import TranslationState
from clinic.models import Disclaimer
from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING, sign_in
from tests.factories import ArticleFactory, record_review, reviewer_user, translate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "browser-test-password-1"  # a throwaway test user

# The numbers are the same in both languages: publishing refuses a translation whose numbers differ.
ENGLISH = {
    "title": "Phase 1 trial of 20 patients",
    "summary": "A phase 1 trial enrolled 20 patients with progressive multiple sclerosis.",
    "body": "The phase 1 trial enrolled 20 patients.",
}
ARABIC = {
    "title": "تجربة المرحلة 1 على 20 مريضًا",
    "summary": "شملت تجربة من المرحلة 1 ما مجموعه 20 مريضًا مصابًا بالتصلب المتعدد المترقّي.",
    "body": "شملت تجربة المرحلة 1 على 20 مريضًا.",
}

#: Static files the article form cannot work without (jQuery UI is shipped, no CDN).
REQUIRED_STATIC = [
    "/static/vendor/jquery-ui/jquery-ui.min.js",
    "/static/modeltranslation/js/tabbed_translation_fields.js",
    "/static/modeltranslation/css/tabbed_translation_fields.css",
    "/static/django_prose_editor/editor.js",
    "/static/django_prose_editor/configurable.js",
    "/static/clinic/admin.css",
]


#: What the test needs of the "Publishers" group (see the staff groups data migration).
PUBLISHER_PERMISSIONS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.publish_article",
    "clinic.view_disclaimer",
    "i18n.publish_translation",
    "i18n.translate_ar",
]


def publishers_group() -> Group:
    """The "Publishers" group that ``migrate`` creates.

    A transactional test empties the database when it ends, and the groups of a data
    migration may not come back: if an earlier one removed it, the group is made again
    with the permissions this test needs.
    """
    group, created = Group.objects.get_or_create(name="Publishers")
    if created:
        for code in PUBLISHER_PERMISSIONS:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


@pytest.fixture
def publisher(transactional_db) -> User:
    user = User.objects.create_user(
        username="publisher", password=PASSWORD, is_staff=True, email="publisher@example.org"
    )
    user.groups.add(publishers_group())
    assert user.has_perm("articles.publish_article")
    assert user.has_perm("i18n.publish_translation")
    return user


@pytest.fixture
def treatment_results_disclaimer(transactional_db) -> Disclaimer:
    """Every published article carries it; its Arabic must be current and published."""
    disclaimer = Disclaimer.objects.create(
        key="treatment-results",
        applies_to=Disclaimer.AppliesTo.ARTICLES,
        text_en="Treatment results are individual for each clinical case.",
    )
    return translate(disclaimer, "ar", text="نتائج العلاج فردية لكل حالة سريرية.")


@pytest.fixture
def medical_reviewer(transactional_db) -> User:
    """Signs reviews as Dr Amal Haddad; may read articles (as the "Medical reviewers" group)."""
    user = reviewer_user("reviewer", name="Dr Amal Haddad", credentials_en="MD, neurologist")
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="view_article")
    )
    return User.objects.get(pk=user.pk)


def log_in(page, user: User) -> None:
    sign_in(page, user.username, PASSWORD)


def computed_direction(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def show_language(page, field: str, language: str) -> None:
    """Click the language tab of a translated field (modeltranslation's jQuery UI tabs)."""
    page.click(f'a[href="#tab_id_{field}_{language}"]')
    page.locator(f"#tab_id_{field}_{language}").wait_for(state="visible")


def rich_text_editor(page, language: str):
    """The ProseMirror editor that replaces the body textarea of ``language``."""
    return page.locator(f'#tab_id_body_{language} .ProseMirror[contenteditable="true"]')


def write_in_editor(page, language: str, text: str) -> None:
    editor = rich_text_editor(page, language)
    editor.click()
    page.keyboard.insert_text(text)  # as an input method does: one input event
    # The editor writes its HTML back into the (hidden) textarea that is submitted.
    textarea = page.locator(f"#id_body_{language}")
    page.wait_for_function(
        "([element, text]) => element.value.includes(text)", arg=[textarea.element_handle(), text]
    )


def save(page) -> None:
    """Click "Save"; fail with the form's errors when the admin does not go to the list."""
    with page.expect_navigation() as navigation:
        page.click("input[name=_save]")
    response = navigation.value
    if response is not None and response.status >= 500:
        pytest.fail(f"saving the article: server error {response.status} (see the captured log)")
    if not re.search(r"/admin/articles/article/$", page.url):
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        pytest.fail(f"the article was not saved ({page.url}): {errors}")


def sign_review(page, article: Article, language_name: str) -> None:
    """As a medical reviewer: open the article, read its text in a language, sign the review."""
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    row = page.locator(".medical-review tr", has_text=language_name)
    assert "awaiting review" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/medical-review/"))
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "The medical review was recorded." in page.locator(".messagelist").inner_text()
    row = page.locator(".medical-review tr", has_text=language_name)
    assert "current" in row.inner_text()


def set_published_now(page) -> None:
    """Fill "published at" as an editor does: the "Today" and "Now" links (DateTimeShortcuts.js)."""
    page.locator("#id_published_at_0 + .datetimeshortcuts a").first.click()
    page.locator("#id_published_at_1 + .datetimeshortcuts a").first.click()
    assert page.input_value("#id_published_at_0"), "the Today shortcut did not fill the date"
    assert page.input_value("#id_published_at_1"), "the Now shortcut did not fill the time"


def assert_right_to_left(page, selector: str) -> None:
    element = page.locator(selector)
    assert element.get_attribute("lang") == "ar", selector
    assert element.get_attribute("dir") == "rtl", selector
    assert computed_direction(element) == "rtl", selector


def test_a_publisher_writes_in_arabic_a_reviewer_signs_and_it_is_published(
    open_page, live_server, publisher, medical_reviewer, treatment_results_disclaimer, tmp_path
):
    page, problems = open_page(locale="en-US")
    log_in(page, publisher)

    page.goto("/admin/articles/article/add/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    problems.assert_clean()  # every script and style of the form loaded, no JavaScript error
    # The language tabs are built by modeltranslation's script with jQuery UI.
    assert page.locator(".ui-tabs").count() > 0, "no language tabs: jQuery UI did not load"

    # English, the source language.
    show_language(page, "title", "en")
    page.fill("#id_title_en", ENGLISH["title"])
    show_language(page, "summary", "en")
    page.fill("#id_summary_en", ENGLISH["summary"])
    show_language(page, "body", "en")
    write_in_editor(page, "en", ENGLISH["body"])
    assert computed_direction(rich_text_editor(page, "en")) == "ltr"

    # Arabic: every input right-to-left, by attribute and as rendered.
    show_language(page, "title", "ar")
    assert_right_to_left(page, "#id_title_ar")
    page.fill("#id_title_ar", ARABIC["title"])
    show_language(page, "summary", "ar")
    assert_right_to_left(page, "#id_summary_ar")
    page.fill("#id_summary_ar", ARABIC["summary"])
    show_language(page, "body", "ar")
    assert page.locator("#id_body_ar").get_attribute("dir") == "rtl"
    assert computed_direction(rich_text_editor(page, "ar")) == "rtl"
    write_in_editor(page, "ar", ARABIC["body"])

    # Saved as a draft: nothing goes live before a medical reviewer has signed its text.
    save(page)
    success = page.locator(".messagelist .success")
    assert "was added successfully" in success.inner_text(), page.locator(
        ".messagelist"
    ).inner_text()
    article = Article.objects.get(title_en=ENGLISH["title"])

    # A medical reviewer reads the English and the Arabic text and signs a review of each.
    reviewer_page, reviewer_problems = open_page(locale="en-US")
    log_in(reviewer_page, medical_reviewer)
    sign_review(reviewer_page, article, "English")
    sign_review(reviewer_page, article, "Arabic")
    reviewer_problems.assert_clean()

    # Publish the article now (the date and time widgets' "Today" and "Now" shortcuts)
    # and its Arabic translation.
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    set_published_now(page)
    page.select_option("select[name=translation_status_ar]", "published")
    save(page)

    article = Article.objects.get(title_en=ENGLISH["title"])
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert article.title_ar == ARABIC["title"]
    assert ARABIC["body"] in article.body_ar
    state = article.translation_states.get(language="ar")
    assert state.status == TranslationState.Status.PUBLISHED

    # The API serves it in Arabic.
    response = page.request.get("/api/v1/articles/?lang=ar")
    assert response.status == 200, response.text()
    results = response.json()["results"]
    served = [result for result in results if result["title"] == ARABIC["title"]]
    assert served, f"the Arabic article is not in /api/v1/articles/?lang=ar: {results}"
    assert served[0]["language"] == "ar"
    assert served[0]["dir"] == "rtl"
    assert served[0]["summary"] == ARABIC["summary"]
    assert served[0]["translation"]["fallback_fields"] == []
    detail = page.request.get(served[0]["url"]).json()
    assert detail["medical_review"]["reviewer"]["name"] == "Dr Amal Haddad"

    # The saved form again, on its Arabic tabs (the switch above the form shows every field).
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    # The switch names each language in its own words (the issue asks for native names).
    page.select_option("#modeltranslation-main-switch", label=get_language("ar").name_local)
    page.locator("#id_title_ar").wait_for(state="visible")
    assert page.input_value("#id_title_ar") == ARABIC["title"]
    assert_right_to_left(page, "#id_title_ar")
    assert ARABIC["body"] in rich_text_editor(page, "ar").inner_text()
    screenshot = tmp_path / "article-change-form-ar.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    missing = [path for path in REQUIRED_STATIC if path not in problems.static_loaded]
    assert not missing, f"static files never loaded: {missing}"
    problems.assert_clean()


def test_admin_in_arabic_is_right_to_left(open_page, live_server, transactional_db):
    User.objects.create_superuser("admin-ar", "admin-ar@example.org", PASSWORD)
    page, problems = open_page(locale="ar")
    page.goto("/admin/login/?next=/admin/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    log_in(page, User.objects.get(username="admin-ar"))
    assert html.get_attribute("dir") == "rtl"
    assert computed_direction(page.locator("body")) == "rtl"

    # The form in an Arabic admin: Arabic inputs right-to-left, English ones left-to-right.
    page.goto("/admin/articles/article/add/")
    assert html.get_attribute("dir") == "rtl"
    show_language(page, "title", "en")
    assert page.locator("#id_title_en").get_attribute("dir") == "ltr"
    assert computed_direction(page.locator("#id_title_en")) == "ltr"
    show_language(page, "title", "ar")
    assert_right_to_left(page, "#id_title_ar")
    problems.assert_clean()


def test_published_without_a_date_is_published_now(
    open_page, live_server, publisher, medical_reviewer, treatment_results_disclaimer
):
    draft = ArticleFactory(
        title_en=ENGLISH["title"], status=Article.Status.DRAFT, published_at=None
    )
    record_review(draft, "en", by=medical_reviewer)
    page, problems = open_page(locale="en-US")
    log_in(page, publisher)
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    page.select_option("#id_status", "published")
    save(page)
    problems.assert_clean()
    assert Article.objects.get(title_en=ENGLISH["title"]).published_at is not None
    titles = [item["title"] for item in page.request.get("/api/v1/articles/").json()["results"]]
    assert ENGLISH["title"] in titles


def test_api_docs_render_offline_under_the_content_security_policy(
    open_page, live_server, transactional_db
):
    page, problems = open_page()
    page.goto("/api/docs/")
    page.locator("text=/api/v1/articles/").first.wait_for()
    assert "script-src 'self'" in page.request.get("/api/docs/").headers["content-security-policy"]
    problems.assert_clean()
