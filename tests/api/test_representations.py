"""Hand-written representations equal DRF's walk over the declared (documented) fields.

The article, topic, reference and disclaimer serializers build their output
as plain dicts for speed; their declared fields are what the OpenAPI schema
shows. Here both are compared for the same objects, so neither can drift.
"""

import json

import pytest
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    ReferenceSerializer,
    TopicSerializer,
)
from articles.disclaimers import disclaimers_for
from articles.models import Article
from clinic.api.images import ImageSerializer
from clinic.api.serializers import DisclaimerSerializer
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    TopicFactory,
    make_image,
    translate,
)

pytestmark = pytest.mark.django_db


def _context(language: str, **extra) -> dict:
    request = RequestFactory().get("/api/v1/articles/", HTTP_HOST="testserver")
    request.LANGUAGE_CODE = language
    return {"request": request, "language": language, **extra}


def _same(serializer_class, instance, context: dict) -> dict:
    fast = serializer_class(context=context).to_representation(instance)
    generic = serializers.Serializer.to_representation(serializer_class(context=context), instance)

    def plain(data):
        return json.loads(json.dumps(data, cls=JSONEncoder))

    assert list(fast) == list(generic)
    assert plain(fast) == plain(generic)
    return fast


def _objects() -> list[tuple[type, object]]:
    article = Article.objects.get()
    disclaimers = list(disclaimers_for(article))
    return [
        (ArticleListSerializer, article),
        (ArticleDetailSerializer, article),
        (TopicSerializer, article.topics.first()),
        (ReferenceSerializer, article.references.first()),
        (DisclaimerSerializer, disclaimers[0]),
    ]


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_the_demo_article_and_its_parts_in_each_language(demo_content, language):
    article = Article.objects.get()
    context = _context(language, disclaimers=list(disclaimers_for(article)))
    for serializer_class, instance in _objects():
        data = _same(serializer_class, instance, context)
        if serializer_class is ArticleDetailSerializer:
            assert data["study"]["references"] and data["disclaimers"]


def test_a_preview_and_an_article_without_dates_or_phase():
    article = translate(
        ArticleFactory(published_at=None, status=Article.Status.DRAFT, phase="", enrollment=None),
        "ar",
        publish=False,
        title="مسودة",
    )
    article.topics.add(translate(TopicFactory(), "ar", name="موضوع"))
    ReferenceFactory(article=article)
    context = _context("ar", disclaimers=[], preview=True, preview_token="token")
    data = _same(ArticleDetailSerializer, article, context)
    assert data["published_at"] is None
    assert data["title"] == "مسودة"


def test_an_article_with_a_lead_image_and_body_images_in_each_language():
    image = make_image(alt_text_en="A nerve cell", caption_en="Drawn by the project")
    translate(image, "ar", alt_text="خلية عصبية")
    decorative = make_image(alt_text_en="", decorative=True)
    body = "".join(
        f'<p>x</p><img src="/media/images/{item.key}/480w.jpg">' for item in (image, decorative)
    )
    article = ArticleFactory(lead_image=image, body_en=body)
    for language in ("en", "ar", "uk"):
        context = _context(language, disclaimers=[])
        data = _same(ArticleDetailSerializer, article, context)
        assert len(data["body_images"]) == 2
        _same(ArticleListSerializer, article, context)
        _same(ImageSerializer, image, context)
        _same(ImageSerializer, decorative, context)
