"""One write path: every way content is saved goes through ``content_save``, announced once."""

import io
from collections import Counter

import polib
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Topic
from articles.services import article_publish, article_unpublish
from clinic.content import content_saved
from clinic.demo import demo_content_load
from clinic.i18n.services import content_save
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, DisclaimerFactory, record_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """Each announcement of the write path: (model label, pk, origin)."""
    saved = []

    def receiver(sender, obj, fields, origin, **kwargs):
        saved.append((sender._meta.label, obj.pk, origin))

    content_saved.connect(receiver, dispatch_uid="test-write-path")
    yield saved
    content_saved.disconnect(dispatch_uid="test-write-path")


def test_a_factory_saves_through_the_write_path(announced):
    article = ArticleFactory()
    assert announced == [("articles.Article", article.pk, "admin")]


def test_an_admin_save_goes_through_the_write_path(admin_client, announced):
    article = ArticleFactory(status=Article.Status.DRAFT)
    announced.clear()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_data(admin_client.get(url), title_ar="عنوان")
    assert admin_client.post(url, data).status_code == 302
    assert announced == [("articles.Article", article.pk, "admin")]


def test_a_po_import_saves_each_changed_object_once(demo_content, announced, tmp_path):
    path = tmp_path / "ar.po"
    call_command("export_translations", "ar", "-o", str(path), stderr=io.StringIO())
    po = polib.pofile(str(path))
    article, topic = Article.objects.get(), Topic.objects.order_by("pk").first()
    po.find(f"articles.article:{article.pk}:title", by="msgctxt").msgstr = "عنوان جديد"
    summary = po.find(f"articles.article:{article.pk}:summary", by="msgctxt")
    summary.msgstr = "تجربة من المرحلة 1 على 20 مريضًا."
    po.find(f"articles.topic:{topic.pk}:name", by="msgctxt").msgstr = "موضوع جديد"
    po.save(str(path))
    announced.clear()
    call_command("import_translations", str(path), stdout=io.StringIO())
    assert sorted(announced) == [
        ("articles.Article", article.pk, "import"),
        ("articles.Topic", topic.pk, "import"),
    ]


def test_the_demo_loader_saves_each_new_object_once(db, announced):
    demo_content_load()
    assert Counter(label for label, _pk, _origin in announced) == {
        "clinic.Disclaimer": 1,
        "clinic.ContactLine": 3,
        "articles.Topic": 3,
        "articles.Article": 1,
        "images.Image": 1,
    }
    assert {origin for _label, _pk, origin in announced} == {"seed"}
    announced.clear()
    demo_content_load()
    assert announced == []


def test_publishing_and_unpublishing_go_through_the_write_path(announced):
    DisclaimerFactory(key="treatment-results")
    article = ArticleFactory(status=Article.Status.DRAFT)
    record_review(article)
    announced.clear()
    article_publish(article=article)
    article_unpublish(article=article)
    assert announced == [("articles.Article", article.pk, "admin")] * 2


def test_validation_refuses_a_translation_whose_numbers_differ_and_saves_nothing(announced):
    article = Article(title_en="A trial of 20 patients", title_ar="تجربة على 21 مريضًا")
    with pytest.raises(ValidationError, match="21"):
        content_save(obj=article, changed_fields=["title_en", "title_ar"], validate=True)
    assert not Article.objects.exists()
    assert announced == []
