"""Code-like values (phone numbers, keys, identifiers, URLs, slugs) are isolated left to
right in the admin: inputs ``dir="ltr"``, displayed values in ``<bdi>``; one home,
``clinic.i18n.bidi``. How they then render is checked in Chromium
(``tests/browser/test_admin_layout.py``)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.template import Context, Template
from django.urls import reverse

from articles.models import Article, Reference
from clinic.i18n.bidi import (
    LeftToRightFieldsMixin,
    is_left_to_right_field,
    isolate,
    isolate_text,
    ltr,
)
from clinic.models import ContactLine, Disclaimer

ADMIN_CSS = Path(settings.BASE_DIR) / "clinic" / "static" / "clinic" / "admin.css"


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_ltr_isolates_and_escapes():
    assert ltr("+380 68 889 8989") == '<bdi dir="ltr">+380 68 889 8989</bdi>'
    assert ltr("<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'


def test_isolate_leaves_text_its_own_direction_and_numbers_left_to_right():
    assert isolate("قد يستفيد مرضى") == "<bdi>قد يستفيد مرضى</bdi>"
    assert isolate("treatment-results") == "<bdi>treatment-results</bdi>"
    assert isolate("+380 68 889 8989") == '<bdi dir="ltr">+380 68 889 8989</bdi>'


def test_isolate_text_brackets_plain_text_with_unicode_isolates():
    assert isolate_text("+380 68 889 8989") == "\u2066+380 68 889 8989\u2069"
    assert isolate_text("قد يستفيد مرضى") == "\u2068قد يستفيد مرضى\u2069"


@pytest.mark.django_db
def test_the_page_title_isolates_the_objects_name(admin_client_ar, demo_content):
    line = ContactLine.objects.order_by("pk").first()
    html = admin_client_ar.get(admin_url(ContactLine, "change", line.pk)).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith(f"\u2066{line.display}\u2069 | ")


def test_template_filters_are_the_same_functions():
    template = Template("{% load bidi %}{{ number|ltr }} {{ title|isolate }}")
    rendered = template.render(Context({"number": "+380 44 223 2895", "title": "<i>x</i>"}))
    assert rendered == '<bdi dir="ltr">+380 44 223 2895</bdi> <bdi>&lt;i&gt;x&lt;/i&gt;</bdi>'


def left_to_right_fields(model_admin) -> set[str]:
    return {
        field.name
        for field in model_admin.model._meta.fields
        if is_left_to_right_field(field, model_admin.ltr_fields)
        and not getattr(field, "translated_field", None)
    }


def registered_left_to_right_admins():
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, LeftToRightFieldsMixin):
            yield model_admin
            for inline in model_admin.inlines:
                if issubclass(inline, LeftToRightFieldsMixin):
                    yield inline(model_admin.model, admin.site)


def test_every_left_to_right_field_is_isolated_when_shown_read_only():
    """A translator sees a contact line's number read-only: the stylesheet isolates it."""
    css = ADMIN_CSS.read_text()
    names = set()
    for model_admin in registered_left_to_right_admins():
        names |= left_to_right_fields(model_admin)
    assert {"number", "key", "identifier", "url"} <= names
    missing = sorted(name for name in names if f".field-{name} " not in css)
    assert not missing, f"admin.css isolates no read-only value of: {missing}"


def test_code_like_fields_are_left_to_right_by_type_or_name():
    assert is_left_to_right_field(Reference._meta.get_field("url"))
    assert is_left_to_right_field(Disclaimer._meta.get_field("key"))
    assert is_left_to_right_field(ContactLine._meta.get_field("number"), ["number"])
    assert not is_left_to_right_field(ContactLine._meta.get_field("number"))
    assert not is_left_to_right_field(models.CharField(name="label"))


@pytest.mark.django_db
def test_contact_line_number_input_heading_and_breadcrumb_are_left_to_right(
    admin_client_ar, demo_content
):
    line = ContactLine.objects.first()
    html = admin_client_ar.get(admin_url(ContactLine, "change", line.pk)).content.decode()
    number_input = re.search(r'<input[^>]*name="number"[^>]*>', html).group(0)
    assert 'dir="ltr"' in number_input
    isolated = f'<bdi dir="ltr">{line.display}</bdi>'
    breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
    assert isolated in breadcrumbs
    assert f"<h2>{isolated}</h2>" in html


@pytest.mark.django_db
def test_lists_and_matrix_isolate_numbers_and_keys(
    admin_client_ar, demo_content, django_assert_max_num_queries
):
    html = admin_client_ar.get(admin_url(ContactLine, "changelist")).content.decode()
    for line in ContactLine.objects.all():
        assert f'<bdi dir="ltr">{line.display}</bdi>' in html
    html = admin_client_ar.get(admin_url(Disclaimer, "changelist")).content.decode()
    assert '<bdi dir="ltr">treatment-results</bdi>' in html
    with django_assert_max_num_queries(15):  # a count and a slice per content type
        html = admin_client_ar.get(reverse("admin:i18n_translationstate_matrix")).content.decode()
    for line in ContactLine.objects.all():
        assert f'<bdi dir="ltr">{line.display}</bdi>' in html


@pytest.mark.django_db
def test_reference_inputs_and_article_slugs_are_left_to_right(admin_client_ar, demo_content):
    article = Article.objects.get()
    html = admin_client_ar.get(admin_url(Article, "change", article.pk)).content.decode()
    for name in ["references-0-identifier", "references-0-url"]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'dir="ltr"' in tag, tag
    # Each slug on its own line, in its own direction (an Arabic slug reads right to left).
    assert f'<br><bdi dir="ltr">ar</bdi>: <bdi>{article.slug_ar}</bdi><br>' in html


@pytest.mark.django_db
def test_seo_inputs_carry_their_limit_and_tabs_their_language_name(
    admin_client, demo_content, django_assert_max_num_queries
):
    article = Article.objects.get()
    # 17, the session's second factor (django-otp) and the images to choose a lead image from
    with django_assert_max_num_queries(19):
        html = admin_client.get(admin_url(Article, "change", article.pk)).content.decode()
    seo_title = re.search(r'<input[^>]*name="seo_title_ar"[^>]*>', html).group(0)
    assert 'data-char-limit="70"' in seo_title
    assert 'data-language-name="العربيّة"' in seo_title
    seo_description = re.search(r'<input[^>]*name="seo_description_uk"[^>]*>', html).group(0)
    assert 'data-char-limit="160"' in seo_description
    assert 'data-language-name="Українська"' in seo_description
    title = re.search(r'<input[^>]*name="title_en"[^>]*>', html).group(0)
    assert "vLongTextField" in title


@pytest.mark.django_db
def test_disclaimers_for_every_article_are_attached_not_offered(admin_client, demo_content):
    article = Article.objects.get()
    response = admin_client.get(admin_url(Article, "change", article.pk))
    offered = response.context["adminform"].form.fields["disclaimers"].queryset
    assert not offered.filter(applies_to=Disclaimer.AppliesTo.ARTICLES).exists()
    html = response.content.decode()
    attached = re.search(r'field-attached_disclaimers.*?class="readonly">(.*?)</div>', html, re.S)
    assert '<bdi dir="ltr">treatment-results</bdi>' in attached.group(1)


@pytest.mark.django_db
def test_header_names_the_clinic_in_the_admin_language(admin_client_ar):
    html = admin_client_ar.get(reverse("admin:index")).content.decode()
    assert "محتوى العيادة" in html
    assert "Django" not in re.search(r'<div id="site-name">(.*?)</div>', html, re.S).group(1)
    assert 'rel="icon" href="/static/clinic/favicon.svg"' in html
