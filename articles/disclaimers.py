"""The disclaimers shown with articles: those for every article, and an article's own."""

from django.db import models

from articles.models import Article
from clinic.models import Disclaimer, disclaimers_shown


def disclaimers_for(article: Article) -> models.QuerySet[Disclaimer]:
    """The disclaimers shown with ``article``: those for every article, and its own."""
    return Disclaimer.objects.filter(
        models.Q(applies_to=Disclaimer.AppliesTo.ARTICLES) | models.Q(articles=article)
    ).distinct()


def disclaimers_for_articles(ids: list[int]) -> models.QuerySet[Disclaimer]:
    """The disclaimers of several articles in one query (see :func:`shown_with`).

    One row per disclaimer and linked article, ``linked_article`` says which.
    """
    return Disclaimer.objects.annotate(linked_article=models.F("articles")).filter(
        models.Q(applies_to=Disclaimer.AppliesTo.ARTICLES) | models.Q(linked_article__in=ids)
    )


def shown_with(disclaimers: list[Disclaimer], article: Article) -> list[Disclaimer]:
    """Of rows from :func:`disclaimers_for_articles`, those shown with ``article``.

    In the same order as :func:`disclaimers_for`, each once.
    """
    by_pk = {disclaimer.pk: disclaimer for disclaimer in disclaimers}
    every = [(d.pk, d.applies_to == Disclaimer.AppliesTo.ARTICLES) for d in by_pk.values()]
    return [by_pk[pk] for pk in disclaimers_shown(every, own_disclaimers(disclaimers, article.pk))]


def own_disclaimers(disclaimers: list[Disclaimer], article_pk: int) -> set[int]:
    """Of rows from :func:`disclaimers_for_articles`, the ids linked to one article."""
    return {d.pk for d in disclaimers if d.linked_article == article_pk}
