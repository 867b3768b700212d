import pytest

from clinic.i18n.services import content_save
from tests.factories import ArticleFactory, translate

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_the_title_in_each_language():
    article = translate(ArticleFactory(title_en="Stem cells in MS"), "ar", title="الخلايا الجذعية")
    assert article.slug_en == "stem-cells-in-ms"
    assert article.slug_ar == "الخلايا-الجذعية"
    assert article.slug_uk is None


def test_slugs_are_unique_per_language():
    first = ArticleFactory(title_en="Same title")
    second = ArticleFactory(title_en="Same title")
    assert (first.slug_en, second.slug_en) == ("same-title", "same-title-2")


def test_slug_stays_when_the_title_changes():
    article = ArticleFactory(title_en="First title")
    article.title_en = "Second title"
    content_save(obj=article, changed_fields=["title_en"])
    article.refresh_from_db()
    assert article.slug_en == "first-title"
